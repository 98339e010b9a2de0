// End-to-end check of the keyword-spotting stream: builds (or reuses) a short stream, runs
// PocketSphinx's keyword mode on it at a few thresholds and prints the scores.
//   node bin/run-ts.mjs bench/kws-stream-check.ts [--minutes 3] [--seed 7] [--thresholds 1e-20,1e-30,1e-40]
//   node bin/run-ts.mjs bench/kws-stream-check.ts --build-only [--minutes 60] [--seed 1]
// --build-only only builds and caches the stream; its defaults are the benchmark stream (60 min, seed 1),
// the check's are the short stream (3 min, seed 7).
import { parseArgs } from 'node:util';
import { buildKeywordStream, type StreamSegmentKind, type StreamTruth } from './stream-set.ts';
import { sweepPocketsphinxKws } from './pocketsphinx-kws.ts';
import { formatKeywordScore } from './keyword-scoring.ts';

const CHECK = { minutes: 3, seed: 7 };
const BENCH = { minutes: 60, seed: 1 };
const DEFAULT_THRESHOLDS = '1e-20,1e-30,1e-40';

const { values } = parseArgs({
  options: {
    'minutes': { type: 'string' },
    'seed': { type: 'string' },
    'thresholds': { type: 'string', default: DEFAULT_THRESHOLDS },
    'build-only': { type: 'boolean', default: false },
    'help': { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`usage: kws-stream-check.ts [--minutes N] [--seed N] [--thresholds LIST] [--build-only]
  check (default): --minutes ${CHECK.minutes} --seed ${CHECK.seed} --thresholds ${DEFAULT_THRESHOLDS}
  --build-only: build and cache the stream only; --minutes ${BENCH.minutes} --seed ${BENCH.seed}`);
  process.exit(0);
}
const defaults = values['build-only'] ? BENCH : CHECK;
const minutes = Number(values.minutes ?? defaults.minutes);
const seed = Number(values.seed ?? defaults.seed);
const thresholds = values.thresholds.split(',').map(Number);
if (thresholds.some((t) => !(t > 0 && t <= 1))) throw new Error(`--thresholds: expected numbers in (0, 1], got ${values.thresholds}`);

function composition(truth: StreamTruth): string {
  const rows = new Map<StreamSegmentKind, { n: number; sec: number }>();
  for (const s of truth.segments) {
    const r = rows.get(s.kind) ?? { n: 0, sec: 0 };
    rows.set(s.kind, { n: r.n + 1, sec: r.sec + s.end - s.start });
  }
  return [...rows].map(([kind, r]) => `  ${kind.padEnd(20)} ${String(r.n).padStart(5)} segments ${(r.sec / 60).toFixed(1).padStart(6)} min`).join('\n');
}

const t0 = performance.now();
const { wavPath, truthPath, truth } = await buildKeywordStream({ minutes, seed });
console.log(`stream ${wavPath} (${(truth.durationSec / 60).toFixed(1)} min, ${truth.occurrences.length} keyword occurrences; ready in ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
console.log(`truth  ${truthPath}`);
console.log(composition(truth));
if (values['build-only']) process.exit(0);

console.log(`\npocketsphinx keyword mode, keywords ${truth.keywords.join(' | ')}`);
const { best } = await sweepPocketsphinxKws(wavPath, truth, {
  thresholds,
  onRow: (r) => console.log(`\nthreshold ${r.threshold.toExponential()}  (${r.wallSec.toFixed(1)} s, ${(r.wallSec / truth.durationSec).toFixed(3)} x real time)\n${formatKeywordScore(r.score)}`),
});
console.log(best ? `\nbest recall at <= 5 false alarms/h: threshold ${best.threshold.toExponential()}, recall ${best.score.recall.found}/${best.score.recall.total}` : '\nno threshold stays within 5 false alarms/h');
