/**
 * Writes command, digit and number text from the training text generator, one utterance per line
 * (the extra sentences of the shipped LM).
 * Usage: node bin/run-ts.mjs tools/write-training-text.ts OUT.txt [COUNT=6000] [SEED=1]
 */
import { writeFileSync } from 'node:fs';
import { buildTextCorpus } from '../src-main/train/data/text-corpus.ts';

const [out, count = '6000', seed = '1'] = process.argv.slice(2);
if (!out || out === '--help') {
  console.error('usage: node bin/run-ts.mjs tools/write-training-text.ts OUT.txt [COUNT=6000] [SEED=1]');
  process.exit(out ? 0 : 2);
}
const lines = buildTextCorpus({ seed: Number(seed), count: Number(count), mix: { commands: 0.5, digits: 0.2, numbers: 0.3, sentences: 0 } });
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${lines.length} lines written to ${out}`);
