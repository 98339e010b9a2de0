// Issue 5's retraining figures: the ten never-trained words of bench/new-words-eval.ts as
// phrase-mode commands on the held-out voices, before and after fine-tuning the shipped model on
// synthesized examples only (training voices, augmentation, replay sample), and how long the
// retraining takes on this machine. Forgetting is measured by running bench/accuracy.bench.ts with
// HARK_MODEL set to the new package (printed at the end).
// Run: node bin/run-ts.mjs bench/retrain.bench.ts   (writes bench/results/retrain.json)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { UserVocabulary } from '../src-main/lexicon/user-vocabulary.ts';
import { DEFAULT_RETRAIN_OPTIONS, runRetraining } from '../src-main/train/retrain-run.ts';
import { evaluateNewWords, NEW_WORD_PHRASES, NEW_WORDS } from './new-words-eval.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const job = join(root, 'runs', 'retrain-bench-job');
rmSync(job, { recursive: true, force: true });
const before = await evaluateNewWords();
console.log(`before: ${(100 * before.accuracy).toFixed(1)}%`);
const vocab = UserVocabulary.load(join(job, 'words.json'));
const lexicon = new Lexicon();
for (const w of NEW_WORDS) vocab.add(w, [], lexicon);
const options = { ...DEFAULT_RETRAIN_OPTIONS };
const t0 = performance.now();
const r = await runRetraining({ modelDir: join(root, 'models', 'hark-en'), items: NEW_WORD_PHRASES, userWords: vocab.list(), workDir: job, ...options, log: (s) => console.log(s) });
const minutes = (performance.now() - t0) / 60000;
const after = await evaluateNewWords(r.outDir);
console.log(`after: ${(100 * after.accuracy).toFixed(1)}% (${minutes.toFixed(1)} min of retraining)`);
const result = { date: new Date().toISOString(), command: 'node bin/run-ts.mjs bench/retrain.bench.ts', options, retrainMinutes: Math.round(minutes * 10) / 10, steps: r.steps, clips: r.clips, newModel: r.outDir, before, after };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'retrain.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`forgetting: HARK_MODEL=${r.outDir} node bin/run-ts.mjs bench/accuracy.bench.ts (compare with bench/results/accuracy.json)`);
