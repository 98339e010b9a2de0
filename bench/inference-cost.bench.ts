// Inference cost of a model package's two graphs under onnxruntime's session settings, and what
// the int8 export (hark export --int8) costs in accuracy:
//   time per second of audio and real-time factor of model.onnx (one run per utterance) and of
//   model.stream.onnx (chunks of the package's chunkFrames + lookaheadFrames, state carried), for
//   intra-op threads 1 and 2, graph optimization disabled/basic/extended/all, float and int8;
//   every setting's posteriors against the float 'all' reference (max abs difference, greedy
//   phoneme sequences identical), and greedy phoneme error rate of float and int8, both graphs, on
//   held-out synthesized voices and on the real set (data/real) when present: its validation
//   slice of the train speakers decides, its dev split is reported only.
// Timings interleave the settings (a rotated order per repetition) and report medians, as the
// machine may be busy; the JSON records the load average.
// Run: nice -n 10 node bin/run-ts.mjs bench/inference-cost.bench.ts [--model FLOAT_DIR, default models-float/hark-en] [--int8 DIR] [--set data/real]
//        [--reps 7] [--synth 10] [--timing-real 40] [--out NAME]
// --int8 DIR: the int8 package to measure (default: exported here from --model into a temporary folder,
// as `hark export --model DIR --out OUT --int8` would). Writes bench/results/inference-cost.json (NAME.json with --out).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelPackage, type ModelPackage } from '../src-main/model/model-package.ts';
import { FLOAT_REFERENCE_DIR } from '../src-main/model/package-paths.ts';
import { readAcousticWeights } from '../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../src-main/model/write-model.ts';
import { GRAPH_OPTIMIZATION_LEVELS, OfflineAcousticSession, type GraphOptimizationLevel } from '../src-main/engine/offline-acoustic-session.ts';
import { OnlineAcousticSession } from '../src-main/engine/online-acoustic-session.ts';
import { computeFeatures } from '../src-shared/features/compute-features.ts';
import type { FeatureMatrix } from '../src-shared/features/feature-matrix.ts';
import { greedyDecode } from '../src-main/decode/ctc-greedy-decoder.ts';
import { editDistance } from '../src-main/math/edit-distance.ts';
import { perReport } from '../src-main/train/evaluate-model.ts';
import { textToUnitIds } from '../src-main/train/text-labels.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { isValidationClip } from '../src-main/train/data/real/real-split.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: {
  model: { type: 'string' }, int8: { type: 'string' }, set: { type: 'string', default: 'data/real' },
  reps: { type: 'string', default: '7' }, synth: { type: 'string', default: '10' }, 'timing-real': { type: 'string', default: '40' },
  out: { type: 'string' },
} });

const loadStart = loadavg();
const floatPkg = await loadModelPackage(values.model ? resolve(values.model) : FLOAT_REFERENCE_DIR);
if (floatPkg.metadata.quantization) throw new Error(`${floatPkg.dir} is not a float package: pass its float reference with --model`);
let int8Dir = values.int8 ? resolve(values.int8) : null;
let tmp: string | null = null;
if (!int8Dir) {
  tmp = await mkdtemp(join(tmpdir(), 'hark-int8-'));
  const md = floatPkg.metadata;
  await exportOnnxModel(readAcousticWeights(floatPkg.onnx), { ...md, quantization: { weights: 'int8', floatReference: `${md.name} ${md.version}` } }, tmp);
  int8Dir = tmp;
}
const int8Pkg = await loadModelPackage(int8Dir);
if (int8Pkg.metadata.quantization?.weights !== 'int8') throw new Error(`${int8Dir} is not an int8 package (model.json has no quantization)`);
const precisions: Record<'float' | 'int8', ModelPackage> = { float: floatPkg, int8: int8Pkg };
const st = floatPkg.metadata.streaming ?? { chunkFrames: 8, lookaheadFrames: 4 };
const U = floatPkg.architecture.numUnits, D = floatPkg.architecture.inputDim;
const frameSec = floatPkg.frameSec;

// ---- Clips: held-out synthesized voices; the real set's validation slice and dev split when present.
interface Clip { id: string; set: 'synth' | 'realVal' | 'realDev'; features: FeatureMatrix; labels: number[]; seconds: number }
const lexicon = new Lexicon();
const clips: Clip[] = [];
const featuresOf = (pcm: Float32Array) => computeFeatures(pcm, floatPkg.features, floatPkg.normalization);
const sampleRate = floatPkg.features.sampleRate;
for (const [i, c] of (await sentenceSet(HELDOUT_VOICES, Number(values.synth))).entries()) {
  clips.push({ id: `synth-${i}-${c.voice}`, set: 'synth', features: featuresOf(c.pcm), labels: textToUnitIds(c.expected!, lexicon), seconds: c.pcm.length / sampleRate });
}
const setDir = resolve(values.set!);
const haveReal = existsSync(join(setDir, 'manifest.jsonl'));
if (haveReal) {
  for (const r of await readRealManifest(setDir)) {
    const set = r.split === 'dev' ? 'realDev' : r.split === 'train' && isValidationClip(r.id) ? 'realVal' : null;
    if (!set) continue;
    const pcm = (await decodeAudioFile(join(setDir, r.file))).samples;
    clips.push({ id: r.id, set, features: featuresOf(pcm), labels: textToUnitIds(r.text, lexicon), seconds: pcm.length / sampleRate });
  }
}
// Timing set: every synthesized clip and the first --timing-real clips of the validation slice.
const timing = [...clips.filter((c) => c.set === 'synth'), ...clips.filter((c) => c.set === 'realVal').slice(0, Number(values['timing-real']))];
const timingSeconds = timing.reduce((a, c) => a + c.seconds, 0);
console.log(`clips: ${clips.filter((c) => c.set === 'synth').length} synthesized (held-out voices), ${clips.filter((c) => c.set === 'realVal').length} real validation, ${clips.filter((c) => c.set === 'realDev').length} real dev; timing set ${timing.length} clips, ${timingSeconds.toFixed(1)} s`);

// ---- Sessions: every combination, created up front.
type Precision = 'float' | 'int8';
interface Setting { precision: Precision; threads: number; level: GraphOptimizationLevel; key: string }
const settings: Setting[] = [];
for (const precision of ['float', 'int8'] as const) {
  for (const threads of [1, 2]) for (const level of GRAPH_OPTIMIZATION_LEVELS) settings.push({ precision, threads, level, key: `${precision}/t${threads}/${level}` });
}
const sessions = new Map<string, { whole: OfflineAcousticSession; stream: OnlineAcousticSession }>();
for (const s of settings) {
  const opts = { threads: s.threads, graphOptimization: s.level };
  sessions.set(s.key, { whole: await OfflineAcousticSession.create(precisions[s.precision], opts), stream: await OnlineAcousticSession.create(precisions[s.precision], opts) });
}

/** The streaming graph over one utterance as the online recognizer runs it: chunk rows only. */
async function streamed(s: OnlineAcousticSession, f: FeatureMatrix): Promise<Float32Array> {
  const out = new Float32Array(f.frames * U);
  let state = s.initialState();
  for (let t = 0; t < f.frames; t += st.chunkFrames) {
    const e = Math.min(t + st.chunkFrames, f.frames);
    const le = Math.min(e + st.lookaheadFrames, f.frames);
    const r = await s.runChunk(f.data.subarray(t * D, e * D), f.data.subarray(e * D, le * D), state);
    out.set(r.logprobs.subarray(0, (e - t) * U), t * U);
    state = r.state;
  }
  return out;
}
const runWhole = (key: string, c: Clip) => sessions.get(key)!.whole.run(c.features);
const runStream = (key: string, c: Clip) => streamed(sessions.get(key)!.stream, c.features);

// ---- Timing, interleaved.
for (const s of settings) { await runWhole(s.key, timing[0]); await runStream(s.key, timing[0]); } // warm-up
const reps = Number(values.reps);
const times = new Map<string, { whole: number[]; stream: number[] }>(settings.map((s) => [s.key, { whole: [], stream: [] }]));
for (let r = 0; r < reps; r++) {
  const order = settings.map((_, i) => settings[(i + r * 3) % settings.length]);
  for (const s of order) {
    let t0 = performance.now();
    for (const c of timing) await runWhole(s.key, c);
    times.get(s.key)!.whole.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (const c of timing) await runStream(s.key, c);
    times.get(s.key)!.stream.push((performance.now() - t0) / 1000);
  }
  console.log(`repetition ${r + 1}/${reps} done (load ${loadavg()[0].toFixed(2)})`);
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const round = (x: number, d = 3) => Number(x.toFixed(d));

// ---- Numerics of every setting against the float 'all' reference, on the timing set.
const maxAbs = (a: Float32Array, b: Float32Array) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
/** Largest difference of the posteriors themselves (exp of the log-probabilities). */
const maxAbsProb = (a: Float32Array, b: Float32Array) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Math.exp(a[i]) - Math.exp(b[i]))); return m; };
const greedy = (lp: Float32Array, T: number) => greedyDecode(lp, T, U).units;
const REF = 'float/t1/all';
const refWhole = new Map<Clip, Float32Array>();
const refStream = new Map<Clip, Float32Array>();
for (const c of timing) { refWhole.set(c, await runWhole(REF, c)); refStream.set(c, await runStream(REF, c)); }
interface Timed { msPerAudioSec: number; rtf: number; bestMsPerAudioSec: number; runsSec: number[] }
const rows: { precision: Precision; threads: number; graphOptimization: GraphOptimizationLevel; whole: Timed; stream: Timed; vsFloatAll: Record<string, number> }[] = [];
for (const s of settings) {
  const t = times.get(s.key)!;
  let wMax = 0, sMax = 0, wSame = 0, sSame = 0;
  for (const c of timing) {
    const w = await runWhole(s.key, c), x = await runStream(s.key, c);
    wMax = Math.max(wMax, maxAbs(w, refWhole.get(c)!));
    sMax = Math.max(sMax, maxAbs(x, refStream.get(c)!));
    if (editDistance(greedy(w, c.features.frames), greedy(refWhole.get(c)!, c.features.frames)) === 0) wSame++;
    if (editDistance(greedy(x, c.features.frames), greedy(refStream.get(c)!, c.features.frames)) === 0) sSame++;
  }
  const wholeSec = median(t.whole), streamSec = median(t.stream);
  rows.push({
    precision: s.precision, threads: s.threads, graphOptimization: s.level,
    whole: { msPerAudioSec: round(1000 * wholeSec / timingSeconds), rtf: round(wholeSec / timingSeconds, 5), bestMsPerAudioSec: round(1000 * Math.min(...t.whole) / timingSeconds), runsSec: t.whole.map((x) => round(x, 4)) },
    stream: { msPerAudioSec: round(1000 * streamSec / timingSeconds), rtf: round(streamSec / timingSeconds, 5), bestMsPerAudioSec: round(1000 * Math.min(...t.stream) / timingSeconds), runsSec: t.stream.map((x) => round(x, 4)) },
    vsFloatAll: { wholeMaxAbs: round(wMax, 6), streamMaxAbs: round(sMax, 6), wholeGreedySameClips: wSame, streamGreedySameClips: sSame, clips: timing.length },
  });
}
console.log('\nsetting                     whole ms/s   stream ms/s   max|d| whole/stream vs float t1 all   greedy same (of ' + timing.length + ')');
for (const r of rows) {
  console.log(`${`${r.precision} threads=${r.threads} ${r.graphOptimization}`.padEnd(28)}${r.whole.msPerAudioSec.toFixed(2).padStart(10)}${r.stream.msPerAudioSec.toFixed(2).padStart(14)}   ${r.vsFloatAll.wholeMaxAbs.toExponential(2).padStart(10)} / ${r.vsFloatAll.streamMaxAbs.toExponential(2).padEnd(22)}${r.vsFloatAll.wholeGreedySameClips} / ${r.vsFloatAll.streamGreedySameClips}`);
}

// ---- Accuracy of the precisions (threads and levels do not change numerics beyond the table above).
const sets = ['synth', 'realVal', 'realDev'] as const;
const accuracy: Record<string, Record<string, unknown>> = {};
const parity: Record<string, Record<string, unknown>> = {};
for (const set of sets) {
  const inSet = clips.filter((c) => c.set === set);
  if (inSet.length === 0) continue;
  const hyps: Record<string, { labels: number[]; hyp: number[]; group: string }[]> = {};
  let wMaxP = 0, sMaxP = 0, wMax = 0, sMax = 0, wDiffUnits = 0, sDiffUnits = 0, wRefUnits = 0, sRefUnits = 0, wSame = 0, sSame = 0;
  const streamVsWholeMax = { float: 0, int8: 0 };
  for (const c of inSet) {
    const T = c.features.frames;
    const lp: Record<string, Float32Array> = {};
    for (const p of ['float', 'int8'] as const) {
      lp[`${p}.whole`] = await runWhole(`${p}/t1/all`, c);
      lp[`${p}.stream`] = await runStream(`${p}/t1/all`, c);
      for (const g of ['whole', 'stream']) (hyps[`${p}.${g}`] ??= []).push({ labels: c.labels, hyp: greedy(lp[`${p}.${g}`], T), group: set });
      streamVsWholeMax[p] = Math.max(streamVsWholeMax[p], maxAbs(lp[`${p}.stream`], lp[`${p}.whole`]));
    }
    wMax = Math.max(wMax, maxAbs(lp['int8.whole'], lp['float.whole']));
    sMax = Math.max(sMax, maxAbs(lp['int8.stream'], lp['float.stream']));
    wMaxP = Math.max(wMaxP, maxAbsProb(lp['int8.whole'], lp['float.whole']));
    sMaxP = Math.max(sMaxP, maxAbsProb(lp['int8.stream'], lp['float.stream']));
    const fw = greedy(lp['float.whole'], T), iw = greedy(lp['int8.whole'], T), fs = greedy(lp['float.stream'], T), is = greedy(lp['int8.stream'], T);
    wDiffUnits += editDistance(fw, iw); wRefUnits += fw.length; if (editDistance(fw, iw) === 0) wSame++;
    sDiffUnits += editDistance(fs, is); sRefUnits += fs.length; if (editDistance(fs, is) === 0) sSame++;
  }
  const pct = (x: number) => round(100 * x, 2);
  accuracy[set] = {
    clips: inSet.length, audioMinutes: round(inSet.reduce((a, c) => a + c.seconds, 0) / 60, 2),
    greedyPerPct: Object.fromEntries(Object.entries(hyps).map(([k, v]) => [k, pct(perReport(v).per)])),
  };
  parity[set] = {
    int8VsFloatMaxAbsLogProb: { whole: round(wMax, 5), stream: round(sMax, 5) },
    int8VsFloatMaxAbsProb: { whole: round(wMaxP, 5), stream: round(sMaxP, 5) },
    greedyUnitsDifferingPct: { whole: pct(wDiffUnits / Math.max(1, wRefUnits)), stream: pct(sDiffUnits / Math.max(1, sRefUnits)) },
    greedyIdenticalClips: { whole: wSame, stream: sSame, of: inSet.length },
    streamVsWholeMaxAbs: { float: round(streamVsWholeMax.float, 4), int8: round(streamVsWholeMax.int8, 4) },
  };
  console.log(`${set}: ${JSON.stringify(accuracy[set])} parity ${JSON.stringify(parity[set])}`);
}

const fastest = (graph: 'whole' | 'stream', precision: Precision) => rows.filter((r) => r.precision === precision)
  .reduce((a, b) => (b[graph].msPerAudioSec < a[graph].msPerAudioSec ? b : a));
const out = {
  model: { dir: floatPkg.dir, name: floatPkg.metadata.name, version: floatPkg.metadata.version },
  int8Package: values.int8 ? int8Dir : 'exported from the model into a temporary folder (hark export --int8)',
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, loadAverage1mStart: round(loadStart[0], 2), loadAverage1mEnd: round(loadavg()[0], 2), note: 'timings interleaved across settings; medians of the repetitions' },
  command: `node bin/run-ts.mjs bench/inference-cost.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  streaming: st, frameSec,
  timingSet: { clips: timing.length, audioSec: round(timingSeconds, 1), from: 'every synthesized held-out clip + the first real validation clips' },
  reps, settings: rows,
  fastest: {
    whole: { float: `${fastest('whole', 'float').threads} threads, ${fastest('whole', 'float').graphOptimization}`, int8: `${fastest('whole', 'int8').threads} threads, ${fastest('whole', 'int8').graphOptimization}` },
    stream: { float: `${fastest('stream', 'float').threads} threads, ${fastest('stream', 'float').graphOptimization}`, int8: `${fastest('stream', 'int8').threads} threads, ${fastest('stream', 'int8').graphOptimization}` },
  },
  accuracy, int8Parity: parity,
  sets: { synth: 'held-out synthesized voices (bench/eval-sets.ts sentenceSet)', realVal: 'real set: validation slice of the train speakers (for deciding)', realDev: 'real set: dev split (reported only)' },
};
mkdirSync(join(here, 'results'), { recursive: true });
const outPath = join(here, 'results', `${values.out ?? 'inference-cost'}.json`);
writeFileSync(outPath, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${outPath}`);
for (const s of sessions.values()) { await s.whole.release(); await s.stream.release(); }
if (tmp) await rm(tmp, { recursive: true, force: true });
