// Runs the benchmarks of testkit/bench-list.ts in turn (each writes its JSON to bench/results/):
// `npm run bench`. Pass --model DIR to benchmark another model package than models/hark-en (the
// benches that take a model get it). The cell comparison (RUN_SEPARATELY: hours of training) runs on its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_ALL, RUN_SEPARATELY } from '../testkit/bench-list.ts';

const here = dirname(fileURLToPath(import.meta.url));
const extra = process.argv.slice(2);
// The real-speech benchmarks read the real set (Debian packages fetched with apt-get download).
if (!existsSync(join(here, '..', 'data', 'real', 'manifest.jsonl'))) {
  console.log('\n=== hark real-set');
  execFileSync(process.execPath, [join(here, '..', 'bin', 'hark.mjs'), 'real-set'], { stdio: 'inherit', cwd: join(here, '..') });
}
for (const b of RUN_ALL) {
  console.log(`\n=== ${b.file}`);
  execFileSync(process.execPath, [...(b.node ?? []), join(here, '..', 'bin', 'run-ts.mjs'), join(here, b.file), ...(b.model ? extra : [])], { stdio: 'inherit' });
}
console.log(`\nRun on their own: ${Object.entries(RUN_SEPARATELY).map(([f, why]) => `${f} (${why})`).join('; ')}`);
