// The "before retraining" figure: bench/new-words-eval.ts with the shipped model.
// Run: node bin/run-ts.mjs bench/new-words.bench.ts   (writes bench/results/new-words.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateNewWords } from './new-words-eval.ts';

const here = dirname(fileURLToPath(import.meta.url));
const result = { date: new Date().toISOString(), command: 'node bin/run-ts.mjs bench/new-words.bench.ts', ...(await evaluateNewWords(process.env.HARK_MODEL)) };
console.log(JSON.stringify(result, null, 2));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'new-words.json'), `${JSON.stringify(result, null, 2)}\n`);
