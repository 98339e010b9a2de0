// Batch throughput of `hark transcribe` over many short clips with --jobs 1 (one thread, the
// in-process path) and --jobs N (N worker threads, one model session each): clips per second
// over the whole run (fresh processes, start-up included) and after start-up (the marginal rate
// between a run of `--small` clips and a run of all of them), and the speed-up. Each run's
// transcripts must equal the --jobs 1 run's. The clips are held-out sentences by held-out voices.
// The machine's load average is recorded: other work on the cores lowers the speed-up.
// The machine's own ceiling is measured beside it: how many cores one `--jobs 1` process already
// keeps busy (user + system CPU over wall: V8 compiles and collects garbage on helper threads), and
// two independent `--jobs 1` processes on the two halves of the clips at once against each alone
// (what two cores give two copies of the same work, with no pool involved).
// Run: node bin/run-ts.mjs bench/batch-throughput.bench.ts [--clips 200] [--small 10] [--jobs 2] [--repeats 2]
//      [--model DIR] [--lm FILE] [--note TEXT]
// Writes bench/results/batch-throughput.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src-main/audio/index.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { SAMPLE_RATE } from '../src-shared/features/config.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '200' }, small: { type: 'string', default: '10' }, jobs: { type: 'string', default: String(availableParallelism()) },
    repeats: { type: 'string', default: '2' }, model: { type: 'string' }, lm: { type: 'string' },
    // What else ran on the machine (load averages alone do not say what).
    note: { type: 'string' },
  },
});
const count = Number(values.clips), small = Number(values.small), jobs = Number(values.jobs), repeats = Number(values.repeats);
const modelDir = resolveModelDir(values.model);

const t0 = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'hark-batch-'));
const clips = (await sentenceSet(HELDOUT_VOICES, Math.ceil(count / HELDOUT_VOICES.length))).slice(0, count);
const files = clips.map((c, i) => {
  const f = join(dir, `clip-${String(i).padStart(4, '0')}.wav`);
  writeFileSync(f, encodeWav(c.pcm, SAMPLE_RATE));
  return f;
});
const audioSec = clips.reduce((s, c) => s + c.pcm.length / SAMPLE_RATE, 0);
console.log(`${count} clips, ${audioSec.toFixed(0)} s of audio (mean ${(audioSec / count).toFixed(2)} s), synthesized in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

interface Run { jobs: number; clips: number; wallSec: number; cpuSec: number; peakRssMb: number; loadBefore: number }

/** One fresh `hark transcribe` process under /usr/bin/time; its transcripts (file -> text). */
function transcribe(j: number, list: readonly string[]): { run: Run; texts: string[] } {
  const args = [join(root, 'bin', 'hark.mjs'), 'transcribe', ...list, '--model', modelDir, '--format', 'json', '--jobs', String(j), ...(values.lm ? ['--lm', values.lm] : [])];
  const loadBefore = loadavg()[0];
  const err = join(dir, 'time.txt');
  const start = performance.now();
  const out = execFileSync('sh', ['-c', '/usr/bin/time -f "HARK_MAXRSS_KB=%M HARK_CPU=%U+%S" "$@" 2>"$0"', err, process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallSec = (performance.now() - start) / 1000;
  const timeLine = readFileSync(err, 'utf8');
  const peakRssMb = Number(/HARK_MAXRSS_KB=(\d+)/.exec(timeLine)?.[1]) / 1024;
  const cpu = /HARK_CPU=([\d.]+)\+([\d.]+)/.exec(timeLine);
  const cpuSec = cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN;
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; text?: string; error?: string });
  if (lines.some((l, i) => l.file !== list[i] || l.error !== undefined)) throw new Error(`--jobs ${j}: output not in input order or a clip failed`);
  return { run: { jobs: j, clips: list.length, wallSec, cpuSec, peakRssMb, loadBefore }, texts: lines.map((l) => l.text ?? '') };
}

const runs: Run[] = [];
let reference: string[] | null = null;
// Interleaved (1, N, N, 1, ...) so a change in the machine's load falls on both alike.
for (let r = 0; r < repeats; r++) {
  for (const j of r % 2 === 0 ? [1, jobs] : [jobs, 1]) {
    for (const list of [files.slice(0, small), files]) {
      const { run, texts } = transcribe(j, list);
      if (list.length === files.length) {
        reference ??= texts;
        if (texts.some((t, i) => t !== reference![i])) throw new Error(`--jobs ${j}: transcripts differ from the first run's`);
      }
      runs.push(run);
      console.log(`--jobs ${j}, ${String(list.length).padStart(4)} clips: ${run.wallSec.toFixed(2)} s wall, ${run.cpuSec.toFixed(2)} s CPU, peak RSS ${run.peakRssMb.toFixed(0)} MB, load average before ${run.loadBefore.toFixed(2)}`);
    }
  }
}

/** The machine's ceiling: each half of the clips alone, then both halves at once in two `--jobs 1` processes. */
function concurrentHalves(): { aloneSec: number[]; togetherSec: number[] } {
  const halves = [files.slice(0, Math.floor(count / 2)), files.slice(Math.floor(count / 2))];
  const aloneSec = halves.map((h) => transcribe(1, h).run.wallSec);
  const one = (h: string[]) => `"${process.execPath}" "${join(root, 'bin', 'hark.mjs')}" transcribe ${h.map((f) => `"${f}"`).join(' ')} --model "${modelDir}" --format json --jobs 1${values.lm ? ` --lm "${values.lm}"` : ''} > /dev/null`;
  const timed = (h: string[], k: number) => `( s=$(date +%s.%N); ${one(h)}; e=$(date +%s.%N); echo "HALF${k} $s $e" )`;
  const out = execFileSync('sh', ['-c', `${timed(halves[0], 0)} & ${timed(halves[1], 1)} & wait`], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const togetherSec = [0, 1].map((k) => {
    const m = new RegExp(`HALF${k} ([\\d.]+) ([\\d.]+)`).exec(out);
    if (!m) throw new Error(`half ${k} of the concurrent run printed no timing: ${out}`);
    return Number(m[2]) - Number(m[1]);
  });
  return { aloneSec, togetherSec };
}
const ceilingRuns = Array.from({ length: repeats }, () => concurrentHalves());
rmSync(dir, { recursive: true, force: true });
// Best of the repeats, per half: alone and together.
const aloneSec = [0, 1].map((k) => Math.min(...ceilingRuns.map((c) => c.aloneSec[k])));
const togetherSec = [0, 1].map((k) => Math.min(...ceilingRuns.map((c) => c.togetherSec[k])));
const ceiling = {
  aloneSec, togetherSec,
  /** Each process's slow-down when the other runs at once. */
  slowDown: togetherSec.map((t, k) => t / aloneSec[k]),
  /** Throughput of both at once over one after the other: what the machine gives two workers. */
  speedUp: (aloneSec[0] + aloneSec[1]) / Math.max(...togetherSec),
  /** Cores one --jobs 1 process keeps busy over its whole run (CPU / wall, best-wall run). */
  coresOfOneProcess: (() => { const r = runs.filter((x) => x.jobs === 1 && x.clips === count).sort((a, b) => a.wallSec - b.wallSec)[0]; return r.cpuSec / r.wallSec; })(),
};
console.log(`machine ceiling: halves alone ${aloneSec.map((x) => x.toFixed(2)).join(' / ')} s, together ${togetherSec.map((x) => x.toFixed(2)).join(' / ')} s (each ${ceiling.slowDown.map((x) => x.toFixed(2)).join(' / ')}x slower): two independent processes ${ceiling.speedUp.toFixed(2)}x; one --jobs 1 process keeps ${ceiling.coresOfOneProcess.toFixed(2)} cores busy`);

const best = (j: number, n: number) => Math.min(...runs.filter((r) => r.jobs === j && r.clips === n).map((r) => r.wallSec));
const summary = [1, jobs].map((j) => {
  const whole = best(j, count), start = best(j, small);
  return {
    jobs: j, bestWallSec: whole, clipsPerSec: count / whole,
    clipsPerSecAfterStartup: (count - small) / (whole - start), xRealTime: audioSec / whole,
    peakRssMb: Math.max(...runs.filter((r) => r.jobs === j).map((r) => r.peakRssMb)),
  };
});
const speedUp = summary[1].clipsPerSec / summary[0].clipsPerSec;
const speedUpAfterStartup = summary[1].clipsPerSecAfterStartup / summary[0].clipsPerSecAfterStartup;
for (const s of summary) console.log(`--jobs ${s.jobs}: ${s.clipsPerSec.toFixed(1)} clips/s (${s.clipsPerSecAfterStartup.toFixed(1)} after start-up), ${s.xRealTime.toFixed(0)}x real time, peak RSS ${s.peakRssMb.toFixed(0)} MB`);
console.log(`speed-up with --jobs ${jobs}: ${speedUp.toFixed(2)}x (${speedUpAfterStartup.toFixed(2)}x after start-up); load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'batch-throughput.json'), `${JSON.stringify({
  date: new Date().toISOString(),
  command: `node bin/run-ts.mjs bench/batch-throughput.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  model: modelDir, lm: values.lm ?? null, cores: cpus().length, cpu: cpus()[0]?.model,
  clips: count, audioSec, smallRunClips: small, summary, speedUp, speedUpAfterStartup, ceiling,
  loadAverageEnd: loadavg(), ...(values.note ? { note: values.note } : {}), runs,
}, null, 2)}\n`);
