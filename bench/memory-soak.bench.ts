// Long-run memory: one recognizer transcribes the same file many times; resident memory must stay
// flat (no per-recognition leak in features, onnxruntime or the decoders).
// Run: node bin/run-ts.mjs bench/memory-soak.bench.ts [--runs 400]   Writes bench/results/memory-soak.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '400' }, model: { type: 'string' } } });
const runs = Number(values.runs);
const clip = join(here, '..', 'assets', 'samples', 'open-the-browser.wav');
const rec = await OfflineRecognizer.create({ modelDir: values.model, mode: { kind: 'dictation' } });
const rssMb = () => process.memoryUsage().rss / 1048576;
const samples: { run: number; rssMb: number }[] = [];
for (let i = 1; i <= runs; i++) {
  await rec.recognizeFile(clip);
  if (i === 20 || i % 100 === 0 || i === runs) samples.push({ run: i, rssMb: Math.round(rssMb()) });
}
const afterWarmup = samples[0].rssMb, end = samples[samples.length - 1].rssMb;
console.log(`RSS after 20 runs ${afterWarmup} MB, after ${runs} runs ${end} MB (${JSON.stringify(samples)})`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'memory-soak.json'), JSON.stringify({ date: new Date().toISOString(), runs, samples, growthMb: end - afterWarmup }, null, 2) + '\n');
