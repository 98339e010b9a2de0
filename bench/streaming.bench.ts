/**
 * Streaming recognition against offline transcription on the same held-out clips:
 *  - word latency: for each word of a final, when it first showed in a partial (audioSec of
 *    that partial) minus when it ended in the audio (the final's word end, from the
 *    whole-utterance alignment); median and 95th percentile;
 *  - finals' WER against offline WER (dictation sentences, digit strings with --words);
 *  - stable prefixes: later partials that contradict an earlier stable prefix (must be 0),
 *    finals that revise the last stable prefix (the final is a second pass and may), the share of
 *    the finals' words that were stable before their final, and their stable latency (when the word
 *    at its place first showed as stable, minus its end in the audio);
 *  - compute per second of audio, streaming (all stages) against offline (whole path), one thread.
 * Clips are pushed in --push-ms pieces (50 ms by default, as the CLI and the desktop app send them).
 * Partials preview the frames not yet in a chunk (OnlineRecognizerOptions.partialPreview) unless
 * --no-preview asks for partials from the chunks alone (the recognizer before 2026-12-06);
 * --preview-every N previews every N model frames instead of PREVIEW_EVERY_FRAMES. --voices train
 * speaks the clips with training voices (CALIBRATION_VOICES: for choosing a setting; the default,
 * the held-out voices, is what is reported). --lm PATH: dictation's LM (default the shipped default).
 *   node bin/run-ts.mjs bench/streaming.bench.ts [--sentences 6] [--digits 6] [--push-ms 50] [--chunk-frames N --lookahead-frames N] [--no-preview] [--preview-every N] [--voices heldout|train] [--lm PATH] [--out FILE]
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer, PREVIEW_EVERY_FRAMES, type StreamEvent } from '../src-main/engine/online-recognizer.ts';
import { OfflineRecognizer, type RecognitionMode } from '../src-main/engine/offline-recognizer.ts';
import { normalizeText } from '../src-main/lexicon/normalize-text.ts';
import { editDistance } from '../src-main/math/edit-distance.ts';
import { CALIBRATION_VOICES, DIGIT_WORDS, HELDOUT_VOICES, digitSet, sentenceSet, type BenchClip } from './eval-sets.ts';

const { values } = parseArgs({ options: {
  model: { type: 'string' },
  sentences: { type: 'string', default: '6' },
  digits: { type: 'string', default: '6' },
  'push-ms': { type: 'string', default: '50' },
  'chunk-frames': { type: 'string' },
  'lookahead-frames': { type: 'string' },
  out: { type: 'string', default: 'bench/results/streaming.json' },
  'no-preview': { type: 'boolean', default: false },
  'preview-every': { type: 'string' },
  voices: { type: 'string', default: 'heldout' },
  lm: { type: 'string' },
} });
if (values.voices !== 'heldout' && values.voices !== 'train') throw new Error(`--voices must be heldout or train, got "${values.voices}"`);
const voices = values.voices === 'train' ? CALIBRATION_VOICES : HELDOUT_VOICES;
const previewEveryFrames = values['preview-every'] ? Number(values['preview-every']) : undefined;
const partialPreview = !values['no-preview'];
const model = await loadModelPackage(resolveModelDir(values.model));
const push = Math.round(Number(values['push-ms']) * 16);
const chunking = {
  ...(values['chunk-frames'] ? { chunkFrames: Number(values['chunk-frames']) } : {}),
  ...(values['lookahead-frames'] ? { lookaheadFrames: Number(values['lookahead-frames']) } : {}),
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

interface SetResult {
  name: string; clips: number; audioSec: number;
  werStream: number; werOffline: number;
  latencies: number[]; stableViolations: number; finalsRevisingStable: number; utterances: number;
  stableLatencies: number[]; finalWords: number;
  streamMsPerSec: number; offlineMsPerSec: number; stages: Record<string, number>;
}

async function runSet(name: string, clips: BenchClip[], mode: RecognitionMode): Promise<SetResult> {
  const lm = values.lm ? { lmPath: values.lm } : {};
  const rec = await OnlineRecognizer.create({ model, mode, ...chunking, threads: 1, partialPreview, ...lm, ...(previewEveryFrames ? { previewEveryFrames } : {}) });
  const off = await OfflineRecognizer.create({ model, mode, threads: 1, ...lm });
  // Warm both up so that first-call costs do not count.
  await off.recognizePcm(clips[0].pcm);
  await rec.reset();
  await rec.acceptPcm(clips[0].pcm);
  await rec.finish();
  const before = { ...rec.stats };
  let streamMs = 0, offMs = 0, audioSec = 0, errS = 0, errO = 0, words = 0, violations = 0, revised = 0, utterances = 0;
  const latencies: number[] = [];
  const stableLatencies: number[] = [];
  let finalWordCount = 0;
  for (const clip of clips) {
    await rec.reset();
    const evs: StreamEvent[] = [];
    const t0 = performance.now();
    for (let i = 0; i < clip.pcm.length; i += push) evs.push(...await rec.acceptPcm(clip.pcm.subarray(i, i + push)));
    evs.push(...await rec.finish());
    streamMs += performance.now() - t0;
    const t1 = performance.now();
    const o = await off.recognizePcm(clip.pcm);
    offMs += performance.now() - t1;
    audioSec += clip.pcm.length / 16000;
    // Per utterance: partials since the previous final.
    let partials: Extract<StreamEvent, { type: 'partial' }>[] = [];
    const finalWords: string[] = [];
    for (const e of evs) {
      if (e.type === 'partial') { partials.push(e); continue; }
      if (e.type !== 'final') continue;
      utterances++;
      for (let i = 0; i < partials.length; i++) {
        const st = partials[i].stable;
        for (const later of partials.slice(i + 1)) if (st && !`${later.text} `.startsWith(`${st} `)) violations++;
      }
      const lastStable = partials.length ? partials[partials.length - 1].stable : '';
      if (lastStable && !`${e.text} `.startsWith(`${lastStable} `)) revised++;
      e.words.forEach((w, i) => {
        const shown = partials.find((p) => p.text.split(' ')[i] === w.word);
        if (shown) latencies.push(shown.audioSec - w.end);
        const settled = partials.find((p) => p.stable.split(' ')[i] === w.word);
        if (settled) stableLatencies.push(settled.audioSec - w.end);
      });
      finalWordCount += e.words.length;
      finalWords.push(...e.words.map((w) => w.word));
      partials = [];
    }
    const ref = normalizeText(clip.expected ?? '');
    errS += editDistance(ref, finalWords);
    errO += editDistance(ref, o.text.split(' ').filter(Boolean));
    words += ref.length;
  }
  const s = rec.stats;
  const stages = Object.fromEntries((['frontEndMs', 'streamModelMs', 'keywordMs', 'partialMs', 'finalMs'] as const).map((k) => [k, Math.round(100 * (s[k] - before[k]) / audioSec) / 100]));
  await rec.dispose();
  await off.dispose();
  return {
    name, clips: clips.length, audioSec, werStream: errS / words, werOffline: errO / words, latencies,
    stableViolations: violations, finalsRevisingStable: revised, utterances, stableLatencies, finalWords: finalWordCount,
    streamMsPerSec: streamMs / audioSec, offlineMsPerSec: offMs / audioSec, stages,
  };
}

const sets = [
  await runSet('dictation sentences', await sentenceSet(voices, Number(values.sentences)), { kind: 'dictation' }),
  await runSet('digit strings (--words)', await digitSet(voices, Number(values.digits), 13), { kind: 'words', items: DIGIT_WORDS }),
];
const allLat = sets.flatMap((s) => s.latencies);
for (const s of sets) {
  console.log(`${s.name}: ${s.clips} clips, ${s.audioSec.toFixed(0)} s; WER finals ${(100 * s.werStream).toFixed(1)}% vs offline ${(100 * s.werOffline).toFixed(1)}%; latency median ${(1000 * quantile(s.latencies, 0.5)).toFixed(0)} ms p95 ${(1000 * quantile(s.latencies, 0.95)).toFixed(0)} ms (${s.latencies.length} words); stable violations ${s.stableViolations}, finals revising the stable prefix ${s.finalsRevisingStable}/${s.utterances}; stable before the final ${s.stableLatencies.length}/${s.finalWords} words, stable latency median ${(1000 * quantile(s.stableLatencies, 0.5)).toFixed(0)} ms p95 ${(1000 * quantile(s.stableLatencies, 0.95)).toFixed(0)} ms; compute ${s.streamMsPerSec.toFixed(1)} vs ${s.offlineMsPerSec.toFixed(1)} ms per audio s (${(s.streamMsPerSec / s.offlineMsPerSec).toFixed(2)}x) ${JSON.stringify(s.stages)}`);
}
console.log(`all words: latency median ${(1000 * quantile(allLat, 0.5)).toFixed(0)} ms, p95 ${(1000 * quantile(allLat, 0.95)).toFixed(0)} ms over ${allLat.length} words; chunking ${JSON.stringify(chunking)} push ${values['push-ms']} ms; partials ${partialPreview ? 'with the preview' : 'from chunks alone'}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(String(values.out), `${JSON.stringify({
  date: new Date().toISOString(), model: model.metadata.name, modelVersion: model.metadata.version, pushMs: Number(values['push-ms']), partialPreview: partialPreview, previewEveryFrames: previewEveryFrames ?? PREVIEW_EVERY_FRAMES, voices: values.voices, ...(values.lm ? { lm: values.lm } : {}),
  chunkFrames: chunking.chunkFrames ?? model.metadata.streaming?.chunkFrames, lookaheadFrames: chunking.lookaheadFrames ?? model.metadata.streaming?.lookaheadFrames,
  latencyMedianMs: 1000 * quantile(allLat, 0.5), latencyP95Ms: 1000 * quantile(allLat, 0.95), words: allLat.length,
  sets: sets.map((s) => ({
    ...s, latencies: undefined, stableLatencies: undefined, latencyMedianMs: 1000 * quantile(s.latencies, 0.5), latencyP95Ms: 1000 * quantile(s.latencies, 0.95),
    stableWords: s.stableLatencies.length, stableLatencyMedianMs: 1000 * quantile(s.stableLatencies, 0.5), stableLatencyP95Ms: 1000 * quantile(s.stableLatencies, 0.95),
  })),
}, null, 1)}\n`);
