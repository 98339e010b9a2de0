/**
 * Keyword spotting and the one-hour stream.
 *  1. Calibration on training voices, a diagnostic since 2026-12-06 (the shipped defaults are
 *     chosen on real speech: DEFAULT_KEYWORD_OPTIONS): a 20-minute stream of CALIBRATION_VOICES goes
 *     through the streaming recognizer once; its streaming posteriors (every keyword warp) are kept
 *     and the spotter's options are swept on them. Reported: the highest recall with at most
 *     MAX_CAL_FA_PER_HOUR false alarms per hour (a margin under the target's 5), ties to fewer false alarms.
 *  2. The held-out 60-minute stream (bench/stream-set.ts: voices never used in training, keywords
 *     alone and in sentences, pauses, loud noise bursts, music) streamed in 100 ms pushes with
 *     the shipped defaults: recall, false alarms per hour, RSS at start and end, frames
 *     processed against frames expected (no dropped audio), slowest push against its duration.
 *  3. The same file in file mode (OfflineRecognizer with keywords).
 *  4. PocketSphinx's -kws mode on the same stream, swept over thresholds (bench/pocketsphinx-kws.ts).
 * Writes bench/results/keywords.json.
 *   node bin/run-ts.mjs bench/keywords.bench.ts [--minutes 60] [--cal-minutes 20] [--ps-thresholds 1e-30,1e-25,1e-20,1e-15,1e-10]
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { DEFAULT_KEYWORD_OPTIONS, KeywordSpotter, type KeywordSpotterOptions } from '../src-main/decode/keyword-spotter.ts';
import { keywordOptionsForModel } from '../src-main/engine/recognition-decoders.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { DEFAULT_KEYWORD_WARPS } from '../src-main/engine/keyword-warp-bank.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { frameTimeOffsetSec } from '../src-main/engine/word-times.ts';
import { modelFramesForSamples } from '../src-shared/features/framing.ts';
import { CALIBRATION_VOICES, COMMANDS_20 } from './eval-sets.ts';
import { scoreKeywordHits, type KeywordHit } from './keyword-scoring.ts';
import { sweepPocketsphinxKws } from './pocketsphinx-kws.ts';
import { buildKeywordStream, STREAM_KEYWORDS } from './stream-set.ts';

const { values } = parseArgs({ options: {
  model: { type: 'string' },
  minutes: { type: 'string', default: '60' },
  'cal-minutes': { type: 'string', default: '20' },
  'ps-thresholds': { type: 'string', default: '1e-30,1e-25,1e-20,1e-15,1e-10' },
} });
const MAX_CAL_FA_PER_HOUR = 2;
const keywords = STREAM_KEYWORDS.map((text) => ({ text }));
const model = await loadModelPackage(resolveModelDir(values.model));
// The spotter settings the model ships with: its own threshold (decoding.keywords) where it has one.
const SHIPPED = { ...DEFAULT_KEYWORD_OPTIONS, ...keywordOptionsForModel(undefined, model.metadata.decoding) };
const mode = { kind: 'phrases' as const, items: COMMANDS_20 };
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

/** Streams a WAV in 100 ms pushes; returns keyword hits and run figures. */
async function streamWav(wavPath: string, opts: Partial<KeywordSpotterOptions>, capture?: (rows: Float32Array, warp: number) => void) {
  const audio = await decodeAudioFile(wavPath);
  const rec = await OnlineRecognizer.create({ model, mode, keywords, keyword: opts, ...(capture ? { onPosteriors: (r: Float32Array, _f: number, _u: number, warp: number) => capture(r, warp) } : {}) });
  await rec.reset();
  const step = 1600;
  const hits: KeywordHit[] = [];
  let finals = 0;
  let slowestMs = 0;
  const rssStart = mb();
  const t0 = performance.now();
  const take = (evs: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => {
    for (const e of evs) {
      if (e.type === 'keyword') hits.push({ keyword: e.keyword, start: e.start, end: e.end });
      if (e.type === 'final') finals++;
    }
  };
  // RSS every 5 minutes of audio: the whole WAV is decoded up front, so growth, not level, is the signal.
  const rssEvery = 5 * 60 * 16000;
  const rssSamples: { audioMin: number; rssMb: number; heapMb: number }[] = [];
  for (let i = 0; i < audio.samples.length; i += step) {
    const p0 = performance.now();
    take(await rec.acceptPcm(audio.samples.subarray(i, i + step)));
    slowestMs = Math.max(slowestMs, performance.now() - p0);
    if ((i + step) % rssEvery < step) rssSamples.push({ audioMin: Math.round((i + step) / 16000 / 60), rssMb: mb(), heapMb: Math.round(process.memoryUsage().heapUsed / 1e6) });
  }
  take(await rec.finish());
  const wallSec = (performance.now() - t0) / 1000;
  const expectedFrames = modelFramesForSamples(audio.samples.length, model.features);
  const processed = rec.stats.framesProcessed;
  const result = {
    audioSec: audio.samples.length / 16000, wallSec, realTimeFactor: audio.samples.length / 16000 / wallSec,
    rssStartMb: rssStart, rssEndMb: mb(), expectedFrames, processedFrames: processed, finals,
    slowestPushMs: Math.round(slowestMs), pushMs: 100, stats: { ...rec.stats }, rssSamples,
  };
  await rec.dispose();
  return { hits, result };
}

// 1. Calibration on training voices: the streaming posteriors under every keyword warp are kept,
// and the spotter is run on them per warp with hits fused as the recognizer fuses them.
const cal = await buildKeywordStream({ minutes: Number(values['cal-minutes']), seed: 11, voices: CALIBRATION_VOICES, tag: 'cal' });
const rowsByWarp = new Map<number, Float32Array[]>();
await streamWav(cal.wavPath, {}, (r, warp) => {
  if (!rowsByWarp.has(warp)) rowsByWarp.set(warp, []);
  rowsByWarp.get(warp)!.push(Float32Array.from(r));
});
const U = model.architecture.numUnits;
const postsByWarp = [...rowsByWarp.entries()].map(([warp, rows]) => {
  const all = new Float32Array(rows.length * U);
  rows.forEach((r, i) => all.set(r, i * U));
  return { warp, all, frames: rows.length };
});
const lexicon = new Lexicon();
const offset = frameTimeOffsetSec(model.features);
const spot = (opts: Partial<KeywordSpotterOptions>): KeywordHit[] => {
  const hits: KeywordHit[] = [];
  for (const p of postsByWarp) {
    const sp = new KeywordSpotter(keywords, lexicon, opts);
    const st = sp.init();
    for (const h of [...sp.advance(st, p.all, p.frames, U, model.frameSec), ...sp.flush(st, model.frameSec)]) {
      const hit = { keyword: h.keyword, start: h.start + offset, end: h.end + offset };
      if (!hits.some((o) => o.keyword === hit.keyword && o.start < hit.end && hit.start < o.end)) hits.push(hit);
    }
  }
  return hits;
};
const grid: { opts: Partial<KeywordSpotterOptions>; recall: number; faPerHour: number }[] = [];
for (const llrThreshold of [-0.25, -0.4, -0.55, -0.7, -0.85, -1.0, -1.2, -1.4, -1.7, -2.0]) {
  for (const minCertainty of [0.3, 0.5]) {
    const s = scoreKeywordHits(cal.truth, spot({ llrThreshold, minCertainty }));
    grid.push({ opts: { llrThreshold, minCertainty }, recall: s.recall.recall, faPerHour: s.falseAlarms.perHour });
  }
}
// Rule (fixed before looking at held-out results): among settings within the false-alarm margin,
// the best recall; among those, the fewest false alarms; if several remain (a plateau), its middle
// in grid order (strict to lenient), as the phrase threshold was chosen in bench/accuracy.bench.ts.
const ok = grid.filter((g) => g.faPerHour <= MAX_CAL_FA_PER_HOUR);
const bestRecall = Math.max(...ok.map((g) => g.recall));
const fewestFa = Math.min(...ok.filter((g) => g.recall === bestRecall).map((g) => g.faPerHour));
const plateau = ok.filter((g) => g.recall === bestRecall && g.faPerHour === fewestFa);
const chosen = plateau.length ? plateau[Math.floor((plateau.length - 1) / 2)] : [...grid].sort((a, b) => a.faPerHour - b.faPerHour)[0];
console.log(`calibration diagnostic (${CALIBRATION_VOICES.length} training voices, ${(cal.truth.durationSec / 60).toFixed(1)} min): plateau of ${plateau.length} settings, would choose ${JSON.stringify(chosen.opts)} recall ${(100 * chosen.recall).toFixed(1)}% FA/h ${chosen.faPerHour.toFixed(1)} (shipped ${JSON.stringify({ llrThreshold: SHIPPED.llrThreshold, minCertainty: SHIPPED.minCertainty })})`);

// 2. Held-out stream, streaming.
const test = await buildKeywordStream({ minutes: Number(values.minutes), seed: 1 });
const streamed = await streamWav(test.wavPath, {});
const sScore = scoreKeywordHits(test.truth, streamed.hits);
const r = streamed.result;
console.log(`held-out ${(r.audioSec / 60).toFixed(1)} min streamed: recall ${sScore.recall.found}/${sScore.recall.total} (${(100 * sScore.recall.recall).toFixed(1)}%; alone ${sScore.byContext.alone.found}/${sScore.byContext.alone.total}, in sentences ${sScore.byContext['in-sentence'].found}/${sScore.byContext['in-sentence'].total}), false alarms ${sScore.falseAlarms.count} = ${sScore.falseAlarms.perHour.toFixed(1)}/h ${JSON.stringify(sScore.falseAlarms.byWhere)}`);
console.log(`  RSS / heap every 5 min of audio: ${r.rssSamples.map((x) => `${x.audioMin} min ${x.rssMb}/${x.heapMb} MB`).join(', ')}`);
console.log(`  ${r.realTimeFactor.toFixed(0)}x real time, RSS ${r.rssStartMb} -> ${r.rssEndMb} MB, frames ${r.processedFrames}/${r.expectedFrames}, slowest 100 ms push ${r.slowestPushMs} ms, finals ${r.finals}`);
console.log('  by voice', JSON.stringify(Object.fromEntries(Object.entries(sScore.byVoice).map(([k, v]) => [k, `${v.found}/${v.total}`]))));

// 3. File mode.
const off = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: [...STREAM_KEYWORDS] }, keywords });
const t0 = performance.now();
const fileRes = await off.recognizeFile(test.wavPath);
const fileSec = (performance.now() - t0) / 1000;
await off.dispose();
const fScore = scoreKeywordHits(test.truth, fileRes.keywords ?? []);
console.log(`held-out file mode: recall ${fScore.recall.found}/${fScore.recall.total} (${(100 * fScore.recall.recall).toFixed(1)}%), false alarms ${fScore.falseAlarms.count} = ${fScore.falseAlarms.perHour.toFixed(1)}/h, ${fileSec.toFixed(1)} s`);

// 4. PocketSphinx.
const thresholds = String(values['ps-thresholds']).split(',').map(Number);
const ps = await sweepPocketsphinxKws(test.wavPath, test.truth, { thresholds });
for (const row of ps.rows) console.log(`pocketsphinx -kws ${row.threshold.toExponential(0)}: recall ${(100 * row.score.recall.recall).toFixed(1)}% FA/h ${row.score.falseAlarms.perHour.toFixed(1)} (${row.wallSec.toFixed(0)} s)`);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/keywords.json', `${JSON.stringify({
  date: new Date().toISOString(), model: model.metadata.name, modelVersion: model.metadata.version, keywords: STREAM_KEYWORDS,
  shippedOptions: SHIPPED, shippedWarps: [...DEFAULT_KEYWORD_WARPS],
  calibration: { voices: CALIBRATION_VOICES, minutes: cal.truth.durationSec / 60, grid, chosen, maxFaPerHour: MAX_CAL_FA_PER_HOUR },
  heldout: { minutes: test.truth.durationSec / 60, occurrences: test.truth.occurrences.length, streaming: { score: { ...sScore, matched: undefined, unmatchedHits: sScore.unmatchedHits }, run: r }, file: { score: { ...fScore, matched: undefined }, wallSec: fileSec } },
  pocketsphinx: ps.rows.map((row) => ({ threshold: row.threshold, recall: row.score.recall.recall, faPerHour: row.score.falseAlarms.perHour, byContext: row.score.byContext, wallSec: row.wallSec })),
}, null, 1)}\n`);
