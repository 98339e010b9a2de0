// Feature front-end benchmark: 60 s of speech through computeFeatures on one core.
// Run: node bin/run-ts.mjs bench/features.bench.ts   Writes bench/results/features.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseDim, DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../src-shared/features/config.ts';
import { addDeltas } from '../src-shared/features/deltas.ts';
import { computeFeatures } from '../src-shared/features/compute-features.ts';
import { computeMfcc, computeMfccWithMeydaExtract } from '../src-shared/features/mfcc.ts';
import { normalize } from '../src-shared/features/normalize.ts';
import { computeNormalization } from '../src-shared/features/normalization-stats.ts';
import { stackAndSubsample } from '../src-shared/features/stack.ts';
import { StreamingFeatureExtractor } from '../src-shared/features/streaming-feature-extractor.ts';

const SECONDS = 60;
const REPEATS = 7;
const cfg: FeatureConfig = DEFAULT_FEATURE_CONFIG;

/** 16-bit mono WAV data chunk -> floats; enough for what espeak-ng + sox write. */
function wavSamples(bytes: Buffer): Float32Array {
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = Math.min(bytes.readUInt32LE(offset + 4), bytes.length - offset - 8);
    if (id === 'data') {
      const out = new Float32Array(size >> 1);
      for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(offset + 8 + 2 * i) / 32768;
      return out;
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

/** Synthesized speech (espeak-ng, resampled with sox) tiled to SECONDS, plus light noise; a synthetic voiced signal if the tools are missing. */
function speechLike(): { pcm: Float32Array; source: string } {
  const n = SECONDS * cfg.sampleRate;
  const pcm = new Float32Array(n);
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.004;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'hark-bench-'));
    const text = 'The quick brown fox jumps over the lazy dog. Open the file menu and save the document. '
      + 'Speech recognition turns sound into words, one frame at a time.';
    execFileSync('espeak-ng', ['-w', join(dir, 'raw.wav'), text]);
    execFileSync('sox', [join(dir, 'raw.wav'), '-D', '-r', String(cfg.sampleRate), '-c', '1', '-b', '16', join(dir, 's.wav')]);
    const clip = wavSamples(readFileSync(join(dir, 's.wav')));
    for (let i = 0; i < n; i++) pcm[i] = clip[i % clip.length] + noise();
    return { pcm, source: `espeak-ng clip of ${(clip.length / cfg.sampleRate).toFixed(1)} s tiled` };
  } catch {
    for (let i = 0; i < n; i++) {
      const t = i / cfg.sampleRate;
      const f0 = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
      const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
      let v = 0;
      for (let h = 1; h <= 20; h++) v += Math.sin(2 * Math.PI * h * f0 * t) / h;
      pcm[i] = 0.1 * env * v + noise();
    }
    return { pcm, source: 'synthetic harmonic signal (espeak-ng or sox unavailable)' };
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of `fn` over REPEATS runs, after one warm-up run. */
function time<T>(fn: () => T): { ms: number; result: T } {
  let result = fn();
  const runs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    result = fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), result };
}

const { pcm, source } = speechLike();
const audioMs = SECONDS * 1000;
const mfcc = time(() => computeMfcc(pcm, cfg));
const deltas = time(() => addDeltas(mfcc.result, cfg));
const norm = computeNormalization([deltas.result]);
const normalized = time(() => normalize(deltas.result, norm, cfg));
const stacked = time(() => stackAndSubsample(normalized.result, cfg));
const total = time(() => computeFeatures(pcm, cfg, norm));
const streaming = time(() => {
  const ex = new StreamingFeatureExtractor(cfg, norm);
  const chunk = cfg.sampleRate / 10;
  let frames = 0;
  for (let at = 0; at < pcm.length; at += chunk) frames += ex.push(pcm.subarray(at, at + chunk)).frames;
  return frames + ex.flush().frames;
});
const meydaStart = performance.now();
computeMfccWithMeydaExtract(pcm, cfg);
const meydaExtractMs = performance.now() - meydaStart;
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

if (streaming.result !== total.result.frames) throw new Error(`streaming gave ${streaming.result} frames, whole-file ${total.result.frames}`);

const results = {
  benchmark: 'features',
  audioSec: SECONDS,
  source,
  config: cfg,
  baseDim: baseDim(cfg),
  analysisFrames: mfcc.result.frames,
  modelFrames: total.result.frames,
  repeats: REPEATS,
  stageMs: {
    mfcc: mfcc.ms,
    deltas: deltas.ms,
    normalize: normalized.ms,
    stackAndSubsample: stacked.ms,
  },
  computeFeaturesMs: total.ms,
  realTimeFactor: audioMs / total.ms,
  streaming100msChunksMs: streaming.ms,
  streamingRealTimeFactor: audioMs / streaming.ms,
  meydaExtractMfccMs: meydaExtractMs,
  meydaExtractRealTimeFactor: audioMs / meydaExtractMs,
  heapUsedMb: heapMb,
  node: process.version,
  date: new Date().toISOString(),
};

console.log(`features: ${SECONDS} s of audio (${source}), ${results.analysisFrames} analysis frames -> ${results.modelFrames} model frames`);
for (const [stage, ms] of Object.entries(results.stageMs)) console.log(`  ${stage.padEnd(18)} ${ms.toFixed(1).padStart(8)} ms`);
console.log(`  computeFeatures    ${total.ms.toFixed(1).padStart(8)} ms  = ${results.realTimeFactor.toFixed(0)}x real time`);
console.log(`  streaming (100 ms) ${streaming.ms.toFixed(1).padStart(8)} ms  = ${results.streamingRealTimeFactor.toFixed(0)}x real time`);
console.log(`  Meyda.extract MFCC ${meydaExtractMs.toFixed(1).padStart(8)} ms  = ${results.meydaExtractRealTimeFactor.toFixed(0)}x real time (reference path)`);
if (results.realTimeFactor < 200) console.warn(`WARNING: computeFeatures is below the 200x real-time target (${results.realTimeFactor.toFixed(0)}x)`);

const outPath = join(dirname(fileURLToPath(import.meta.url)), 'results', 'features.json');
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${outPath}`);
