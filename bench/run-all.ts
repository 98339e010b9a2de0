// Runs every benchmark in turn (each writes its JSON to bench/results/): `npm run bench`.
// Pass --model DIR to benchmark another model package than models/hark-en.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const extra = process.argv.slice(2);
const benches = ['features.bench.ts', 'train-throughput.bench.ts', 'transcribe-speed.bench.ts', 'accuracy.bench.ts', 'memory-soak.bench.ts', 'streaming.bench.ts', 'chunking.bench.ts', 'keywords.bench.ts', 'stream-soak.bench.ts', 'app.bench.ts', 'new-words.bench.ts', 'real-speech.bench.ts', 'real-keywords.bench.ts', 'word-confidence.bench.ts', 'inference-cost.bench.ts', 'punctuation.bench.ts'];
// The real-speech benchmarks read the real set (Debian packages fetched with apt-get download).
if (!existsSync(join(here, '..', 'data', 'real', 'manifest.jsonl'))) {
  console.log('\n=== hark real-set');
  execFileSync(process.execPath, [join(here, '..', 'bin', 'hark.mjs'), 'real-set'], { stdio: 'inherit', cwd: join(here, '..') });
}
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const args = b === 'features.bench.ts' || b === 'train-throughput.bench.ts' || b === 'app.bench.ts' || b === 'punctuation.bench.ts' ? [] : extra;
  // The punctuation benchmark measures memory after explicit garbage collections.
  const node = b === 'punctuation.bench.ts' ? ['--expose-gc'] : [];
  execFileSync(process.execPath, [...node, join(here, '..', 'bin', 'run-ts.mjs'), join(here, b), ...args], { stdio: 'inherit' });
}
