// Keywords in REAL speech: the dev clips of the real set (hark real-set) joined into one stream
// (shuffled, 0.4-2 s pauses, a quiet noise bed), keywords chosen by a fixed rule from the dev
// texts (the five most frequent words of 5+ letters that occur in at least 4 clips), spotted by
// the streaming recognizer with the shipped spotter options, and by PocketSphinx -kws on the same WAV.
// An occurrence spans its whole clip; a hit overlapping it (0.3 s tolerance) finds it.
// Beside the shipped setting, the operating curve: the streaming posteriors of that run (every
// keyword warp) are kept and the spotter is run over them again at each per-phoneme threshold
// (--thresholds, sensitivity 0.5), exactly as the recognizer would run at that setting; each point
// gives recall and false alarms per hour, and the best recall within 1, 5, 10, 20 and 50 false alarms
// per hour. (Result files before 2026-12-06 kept a lenient run's hits from a rising score upwards
// instead, an approximation: their points have minScore where these have llrThreshold.) --warps sets
// the keyword warps (default: the recognizer's). --split val builds the stream from the validation
// slice of the train speakers instead (adapt-run.ts: never trained on), for choosing settings without
// the dev set; --keywords a,b,c spots those words instead of the rule's (occurrences: clips whose text
// has the word). --chunk-frames / --lookahead-frames stream with another chunking than the model's.
// --file-mode spots in the stream's WAV as `hark transcribe --keywords` does (whole-utterance
// posteriors of each pause-cut segment: no look-ahead limit), once per threshold, instead of streaming.
// --no-verify streams with the one-stage spotter (the recognizer before 2026-12-06).
// Run: node bin/run-ts.mjs bench/real-keywords.bench.ts [--model DIR] [--set data/real] [--split dev|val] [--keywords LIST] [--warps 1,0.8] [--thresholds=-0.5,-1] [--chunk-frames N --lookahead-frames N] [--file-mode] [--no-verify] [--out NAME]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudioFile, encodeWav } from '../src-main/audio/index.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { DEFAULT_KEYWORD_WARPS, extraKeywordWarps, KeywordWarpBank } from '../src-main/engine/keyword-warp-bank.ts';
import { DEFAULT_KEYWORD_OPTIONS, KeywordSpotter } from '../src-main/decode/keyword-spotter.ts';
import { keywordOptionsForModel } from '../src-main/engine/recognition-decoders.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { makeNoise } from '../src-main/train/data/augment/noise.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { isValidationClip } from '../src-main/train/data/real/real-split.ts';
import { scoreKeywordHits, type KeywordHit } from './keyword-scoring.ts';
import { sweepPocketsphinxKws } from './pocketsphinx-kws.ts';
import { COMMANDS_20 } from './eval-sets.ts';
import type { KeywordOccurrence, StreamSegment, StreamTruth } from './stream-set.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { model: { type: 'string' }, set: { type: 'string', default: 'data/real' }, split: { type: 'string', default: 'dev' }, keywords: { type: 'string' }, warps: { type: 'string' }, thresholds: { type: 'string' }, out: { type: 'string' }, 'no-pocketsphinx': { type: 'boolean' }, 'chunk-frames': { type: 'string' }, 'lookahead-frames': { type: 'string' }, 'file-mode': { type: 'boolean' }, 'no-verify': { type: 'boolean' } } });
const setDir = resolve(values.set!);
if (values.split !== 'dev' && values.split !== 'val') throw new Error(`--split must be dev or val, not ${values.split}`);
const all = await readRealManifest(setDir);
const dev = values.split === 'val' ? all.filter((r) => r.split === 'train' && isValidationClip(r.id)) : all.filter((r) => r.split === 'dev');

// Keywords by the fixed rule.
const clipCount = new Map<string, number>();
for (const c of dev) for (const w of new Set(c.text.split(' '))) if (w.length >= 5) clipCount.set(w, (clipCount.get(w) ?? 0) + 1);
const keywordList = values.keywords
  ? values.keywords.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean)
  : [...clipCount].filter(([, n]) => n >= 4).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([w]) => w);
if (keywordList.length === 0) throw new Error('--keywords: no keywords given');

// The stream.
const RATE = 16000;
const rng = createRng(21);
const order = dev.map((c) => c);
for (let i = order.length - 1; i > 0; i--) { const j = rng.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
const parts: Float32Array[] = [];
const segments: StreamSegment[] = [];
const occurrences: KeywordOccurrence[] = [];
let t = 0;
const pause = (sec: number) => { const n = Math.round(sec * RATE); parts.push(new Float32Array(n)); segments.push({ kind: 'pause', start: t, end: t + n / RATE }); t += n / RATE; };
for (const c of order) {
  pause(rng.uniform(0.4, 2));
  const pcm = (await decodeAudioFile(join(setDir, c.file))).samples;
  const start = t, end = t + pcm.length / RATE;
  const words = c.text.split(' ');
  const kws = keywordList.filter((k) => words.includes(k));
  segments.push({ kind: kws.length ? (words.length === 1 ? 'keyword-alone' : 'keyword-in-sentence') : 'sentence', text: c.text, voice: c.speaker, start, end });
  for (const k of kws) occurrences.push({ keyword: k, start, end, voice: c.speaker, context: words.length === 1 ? 'alone' : 'in-sentence' });
  parts.push(pcm);
  t = end;
}
pause(1);
const total = parts.reduce((s, p) => s + p.length, 0);
const stream = new Float32Array(total);
let at = 0;
for (const p of parts) { stream.set(p, at); at += p.length; }
const bed = makeNoise('pink', total, rng);
let e = 0;
for (let i = 0; i < total; i++) e += bed[i] * bed[i];
const gain = 10 ** (-55 / 20) / Math.sqrt(e / total);
for (let i = 0; i < total; i++) stream[i] += gain * bed[i];
const truth: StreamTruth = { sampleRate: 16000, durationSec: total / RATE, keywords: keywordList, minutes: total / RATE / 60, seed: 21, formatVersion: 1, segments, occurrences };
const wavPath = join(setDir, `${values.split}-keyword-stream.wav`);
writeFileSync(wavPath, encodeWav(stream, RATE));

const model = await loadModelPackage(resolveModelDir(values.model));
// The spotter settings the model ships with: its own threshold (decoding.keywords) where it has one.
const SHIPPED = { ...DEFAULT_KEYWORD_OPTIONS, ...keywordOptionsForModel(undefined, model.metadata.decoding) };
const outName = values.out ?? `real-keywords${values.split === 'dev' ? '' : `-${values.split}`}${values['file-mode'] ? '-file' : ''}`;
const defaultThresholds = '-0.2,-0.3,-0.4,-0.5,-0.6,-0.7,-0.8,-0.9,-1.0,-1.1,-1.2,-1.4,-1.6,-2.0';
/** Each is a whole streaming run when candidates are verified: fewer points. */
const verifiedThresholds = '-0.5,-0.6,-0.7,-0.8,-0.9,-1.0,-1.2';
const bestWithinOf = (curve: { recall: number; faPerHour: number }[]) => Object.fromEntries([1, 5, 10, 20, 50].map((fa) => {
  const ok = curve.filter((p) => p.faPerHour <= fa);
  return [`${fa}`, ok.length ? ok.reduce((a, b) => (b.recall > a.recall ? b : a)) : null];
}));

if (values['file-mode']) {
  // File mode: one recognition of the WAV per threshold (the spotter runs on whole-segment posteriors).
  const curve = [];
  for (const llrThreshold of (values.thresholds ?? defaultThresholds).split(',').map(Number)) {
    const off = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: COMMANDS_20 }, keywords: keywordList.map((text) => ({ text })), keyword: { ...SHIPPED, llrThreshold } });
    const r = await off.recognizeFile(wavPath);
    await off.dispose();
    const sc = scoreKeywordHits(truth, r.keywords ?? []);
    curve.push({ llrThreshold, recall: Number((100 * sc.recall.recall).toFixed(1)), faPerHour: Number(sc.falseAlarms.perHour.toFixed(1)), falseAlarms: sc.falseAlarms.count });
    console.log(`file mode, threshold ${llrThreshold}: recall ${sc.recall.found}/${sc.recall.total}, ${sc.falseAlarms.count} false alarms (${sc.falseAlarms.perHour.toFixed(1)}/h)`);
  }
  const bestWithin = bestWithinOf(curve);
  console.log('file mode: best recall within N false alarms/h:', JSON.stringify(bestWithin));
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${outName}.json`), JSON.stringify({
    model: { name: model.metadata.name, version: model.metadata.version }, split: values.split, mode: 'file', keywords: keywordList, minutes: Number(truth.minutes.toFixed(1)), occurrences: occurrences.length,
    harkFileCurve: { defaultLlrThreshold: SHIPPED.llrThreshold, bestRecallWithinFaPerHour: bestWithin, points: curve },
  }, null, 2) + '\n');
  process.exit(0);
}

// Hark, streaming in 100 ms pushes with the shipped spotter options (or --warps), with the second
// stage that verifies each candidate on whole-utterance posteriors (keyword-verifier.ts) unless
// --no-verify. Without it the streaming posteriors of every keyword warp are kept for the operating
// curve (the spotter replayed over them at each threshold); with it each threshold is streamed again.
const verify = !values['no-verify'];
const warps = values.warps ? values.warps.split(',').map(Number) : [...DEFAULT_KEYWORD_WARPS];
const posteriors = new Map<number, Float32Array[]>();
/** The stream's keyword hits at `llrThreshold`, and for each the audio pushed when it was reported minus its end (seconds). */
async function streamHits(llrThreshold: number, keep: boolean): Promise<{ hits: (KeywordHit & { score: number })[]; delays: number[] }> {
  const rec = await OnlineRecognizer.create({
    model, mode: { kind: 'phrases', items: COMMANDS_20 }, keywords: keywordList.map((text) => ({ text })), keywordWarps: warps,
    keyword: { ...SHIPPED, llrThreshold }, keywordVerify: verify,
    ...(values['chunk-frames'] ? { chunkFrames: Number(values['chunk-frames']) } : {}),
    ...(values['lookahead-frames'] ? { lookaheadFrames: Number(values['lookahead-frames']) } : {}),
    ...(keep ? { onPosteriors: (row: Float32Array, _frames: number, _units: number, warp: number) => { if (!posteriors.has(warp)) posteriors.set(warp, []); posteriors.get(warp)!.push(Float32Array.from(row)); } } : {}),
  });
  await rec.reset();
  const hits: (KeywordHit & { score: number })[] = [];
  const delays: number[] = [];
  const take = (evs: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => {
    for (const ev of evs) if (ev.type === 'keyword') { hits.push({ keyword: ev.keyword, start: ev.start, end: ev.end, score: ev.score }); delays.push(ev.audioSec - ev.end); }
  };
  for (let i = 0; i < stream.length; i += 1600) take(await rec.acceptPcm(stream.subarray(i, i + 1600)));
  take(await rec.finish());
  await rec.dispose();
  return { hits, delays };
}
const first = await streamHits(SHIPPED.llrThreshold, !verify);
const hits = first.hits;
const delays = [...first.delays].sort((a, b) => a - b);
const delayAt = (q: number) => (delays.length ? Math.round(1000 * delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]) : null);
const reportDelayMs = { median: delayAt(0.5), p95: delayAt(0.95), hits: delays.length };
console.log(`keyword report delay (audio pushed when reported minus the keyword's end): median ${reportDelayMs.median} ms, 95th percentile ${reportDelayMs.p95} ms over ${reportDelayMs.hits} reports (100 ms pushes)`);
const score = scoreKeywordHits(truth, hits);
console.log(`keywords ${JSON.stringify(keywordList)} in ${(truth.durationSec / 60).toFixed(1)} min of real ${values.split} speech (${occurrences.length} occurrences)${verify ? ', verified' : ''}: recall ${score.recall.found}/${score.recall.total} (${(100 * score.recall.recall).toFixed(1)}%), false alarms ${score.falseAlarms.count} = ${score.falseAlarms.perHour.toFixed(1)}/h`);

// The operating curve, exact: without verification the spotter run again over the kept posteriors
// at each per-phoneme threshold (sensitivity 0.5), through the recognizer's own KeywordWarpBank
// (warps fused as live); with it, the stream recognized again at each threshold.
const U = model.architecture.numUnits;
const lexicon = new Lexicon();
const extraWarps = extraKeywordWarps(warps);
function spotAt(llrThreshold: number): KeywordHit[] {
  const spotter = new KeywordSpotter(keywordList.map((text) => ({ text })), lexicon, { ...SHIPPED, llrThreshold }, model.metadata.units);
  const bank = new KeywordWarpBank(model.features, extraWarps, spotter);
  const out: KeywordHit[] = [];
  const frames = Math.min(...[1, ...extraWarps].map((w) => posteriors.get(w)!.length));
  for (let f = 0; f < frames; f++) out.push(...bank.spotFrame(posteriors.get(1)![f], extraWarps.map((w) => posteriors.get(w)![f]), 0, U));
  out.push(...bank.flush());
  return out;
}
const thresholds = (values.thresholds ?? (verify ? verifiedThresholds : defaultThresholds)).split(',').map(Number);
const curve = [];
for (const llrThreshold of thresholds) {
  const s = scoreKeywordHits(truth, verify ? (llrThreshold === SHIPPED.llrThreshold ? hits : (await streamHits(llrThreshold, false)).hits) : spotAt(llrThreshold));
  curve.push({ llrThreshold, recall: Number((100 * s.recall.recall).toFixed(1)), faPerHour: Number(s.falseAlarms.perHour.toFixed(1)) });
  if (verify) console.log(`threshold ${llrThreshold}: recall ${s.recall.found}/${s.recall.total}, ${s.falseAlarms.count} false alarms`);
}
if (!verify) {
  // The replay at the default threshold must give the streamed run's figures.
  const replayed = scoreKeywordHits(truth, spotAt(SHIPPED.llrThreshold));
  if (replayed.recall.found !== score.recall.found || replayed.falseAlarms.count !== score.falseAlarms.count) {
    throw new Error(`the replay at the default threshold gives ${replayed.recall.found} found / ${replayed.falseAlarms.count} false alarms, the streamed run ${score.recall.found} / ${score.falseAlarms.count}`);
  }
}
const bestWithin = bestWithinOf(curve);
console.log('best recall within N false alarms/h (each threshold run exactly):', JSON.stringify(bestWithin));

let ps: unknown = null;
if (!values['no-pocketsphinx']) {
  const sweep = await sweepPocketsphinxKws(wavPath, truth, { thresholds: [1e-30, 1e-20, 1e-10] });
  ps = sweep.rows.map((row) => ({ threshold: row.threshold, recall: Number((100 * row.score.recall.recall).toFixed(1)), faPerHour: Number(row.score.falseAlarms.perHour.toFixed(1)) }));
  console.log('pocketsphinx -kws', JSON.stringify(ps));
}
const result = {
  model: { name: model.metadata.name, version: model.metadata.version }, split: values.split, keywords: keywordList, minutes: Number(truth.minutes.toFixed(1)), occurrences: occurrences.length,
  hark: { verified: verify, reportDelayMs, recall: Number((100 * score.recall.recall).toFixed(1)), found: score.recall.found, faPerHour: Number(score.falseAlarms.perHour.toFixed(1)), falseAlarms: score.falseAlarms.count, byKeyword: score.byKeyword },
  harkCurve: { method: verify ? 'streamed at each threshold, verified' : 'exact', verified: verify, warps, defaultLlrThreshold: SHIPPED.llrThreshold, bestRecallWithinFaPerHour: bestWithin, points: curve },
  pocketsphinx: ps,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${outName}.json`), JSON.stringify(result, null, 2) + '\n');
