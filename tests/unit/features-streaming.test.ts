// Streaming front-end == whole-file front-end, bit for bit, for many chunkings and lengths.
import { describe, expect, it } from 'vitest';
import { baseDim, DEFAULT_FEATURE_CONFIG, modelInputDim, type FeatureConfig, type Normalization } from '../../src-shared/features/config.ts';
import { computeFeatures } from '../../src-shared/features/compute-features.ts';
import { addDeltas } from '../../src-shared/features/deltas.ts';
import { concatFrames, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { computeMfcc } from '../../src-shared/features/mfcc.ts';
import { stackAndSubsample } from '../../src-shared/features/stack.ts';
import { StreamingDeltas } from '../../src-shared/features/streaming-deltas.ts';
import { StreamingFeatureExtractor } from '../../src-shared/features/streaming-feature-extractor.ts';
import { StreamingFrameStacker } from '../../src-shared/features/streaming-frame-stacker.ts';
import { StreamingMfcc } from '../../src-shared/features/streaming-mfcc.ts';
import { chunkSizes, firstDifference, speechNoiseSines, streamAll } from './features-test-audio.ts';

const cfg = DEFAULT_FEATURE_CONFIG;

function normFor(c: FeatureConfig): Normalization {
  const d = baseDim(c);
  return { mean: Array.from({ length: d }, (_, j) => (j % 7) - 3), std: Array.from({ length: d }, (_, j) => 1 + (j % 5)) };
}

describe('StreamingFeatureExtractor', () => {
  const speech = speechNoiseSines(21);

  it('equals computeFeatures for many chunkings and signal lengths', () => {
    const lengths = [0, 1, 511, 512, 513, 672, 831, 832, 1311, 1312, 1471, 1472, 1473, 1800, 4000, 9999, 24000];
    const chunkings = [1, 37, 160, 512, 4000, -50, -700, -5000];
    let checked = 0;
    for (const n of lengths) {
      const pcm = speech.subarray(3000, 3000 + n);
      for (const norm of [undefined, normFor(cfg)]) {
        const whole = computeFeatures(pcm, cfg, norm);
        for (const [i, size] of chunkings.entries()) {
          if (size === 1 && n > 4000) continue; // one-sample pushes are covered by the shorter signals
          const got = streamAll(new StreamingFeatureExtractor(cfg, norm), pcm, chunkSizes(n, size, n + i));
          expect(got.frames, `n=${n} chunk=${size}`).toBe(whole.frames);
          expect(firstDifference(got.data, whole.data), `n=${n} chunk=${size}`).toBe(-1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('handles silence, and configurations with other delta orders, stacks and subsampling', () => {
    const silence = new Float32Array(5000);
    const configs: FeatureConfig[] = [
      cfg,
      { ...cfg, deltaOrder: 0 },
      { ...cfg, deltaOrder: 1, deltaWindow: 3 },
      { ...cfg, stack: 1, subsample: 1 },
      { ...cfg, stack: 5, subsample: 2, deltaOrder: 3, deltaWindow: 1 },
      { ...cfg, frameLength: 256, hopLength: 100, melBands: 26, numMfcc: 12 },
    ];
    for (const [ci, c] of configs.entries()) {
      for (const pcm of [silence, speech.subarray(10000, 17000)]) {
        const whole = computeFeatures(pcm, c, normFor(c));
        expect(whole.dim).toBe(modelInputDim(c));
        for (const size of [1, 97, -900]) {
          const got = streamAll(new StreamingFeatureExtractor(c, normFor(c)), pcm, chunkSizes(pcm.length, size, ci));
          expect(firstDifference(got.data, whole.data), `config ${ci} chunk ${size}`).toBe(-1);
          expect(got.frames).toBe(whole.frames);
        }
      }
    }
  });

  it('emits frames with bounded lag, counts them, and restarts cleanly after reset()', () => {
    const pcm = speech.subarray(0, 32000);
    const whole = computeFeatures(pcm, cfg);
    const ex = new StreamingFeatureExtractor(cfg);
    let emitted = 0;
    for (let at = 0; at < pcm.length; at += 1600) {
      emitted += ex.push(pcm.subarray(at, at + 1600)).frames;
      const fed = Math.min(at + 1600, pcm.length);
      // Ready once its last stacked window (+ 2 * deltaWindow frames of look-ahead) has arrived.
      const analysis = Math.floor((fed - cfg.frameLength) / cfg.hopLength) + 1;
      const expectedReady = Math.max(0, Math.floor((analysis - 4 - cfg.stack) / cfg.subsample) + 1);
      expect(emitted).toBe(expectedReady);
      expect(ex.framesEmitted).toBe(emitted);
    }
    emitted += ex.flush().frames;
    expect(emitted).toBe(whole.frames);
    expect(ex.flush().frames).toBe(0);
    ex.reset();
    const again = streamAll(ex, pcm, chunkSizes(pcm.length, -3000, 5));
    expect(firstDifference(again.data, whole.data)).toBe(-1);
  });

  it('keeps memory bounded on a long stream', () => {
    const ex = new StreamingFeatureExtractor(cfg);
    const chunk = speech.subarray(0, 1600);
    for (let i = 0; i < 2000; i++) ex.push(chunk); // 200 s
    const inner = ex as unknown as { mfcc: { pending: Float32Array }; deltas: { buf: { data: Float32Array } }; stacker: { buf: { data: Float32Array } } };
    expect(inner.mfcc.pending.length).toBeLessThan(8 * 1600);
    expect(inner.deltas.buf.data.length).toBeLessThan(200 * baseDim(cfg));
    expect(inner.stacker.buf.data.length).toBeLessThan(200 * baseDim(cfg));
  });

  it('rejects bad input and a mismatched normalization', () => {
    expect(() => new StreamingFeatureExtractor(cfg, { mean: [0], std: [1] })).toThrow(/baseDim/);
    expect(() => new StreamingFeatureExtractor({ ...cfg, stack: 0 })).toThrow(/stack/);
    expect(() => new StreamingFeatureExtractor(cfg).push(new Float32Array([0, Infinity]))).toThrow(/sample 1/);
  });
});

describe('streaming stages used separately', () => {
  it('StreamingMfcc -> StreamingDeltas -> StreamingFrameStacker equal their whole-file counterparts', () => {
    const pcm = speechNoiseSines(3).subarray(0, 20000);
    const mfccWhole = computeMfcc(pcm, cfg);
    const deltasWhole = addDeltas(mfccWhole, cfg);
    const stackedWhole = stackAndSubsample(deltasWhole, cfg);
    const mfcc = new StreamingMfcc(cfg);
    const deltas = new StreamingDeltas(cfg);
    const stacker = new StreamingFrameStacker(cfg, baseDim(cfg));
    const [m, d, s]: FeatureMatrix[][] = [[], [], []];
    let at = 0;
    for (const size of chunkSizes(pcm.length, -2500, 9)) {
      m.push(mfcc.push(pcm.subarray(at, at + size)));
      d.push(deltas.push(m[m.length - 1]));
      s.push(stacker.push(d[d.length - 1]));
      at += size;
    }
    m.push(mfcc.flush());
    d.push(deltas.push(m[m.length - 1]), deltas.flush());
    s.push(stacker.push(d[d.length - 2]), stacker.push(d[d.length - 1]), stacker.flush());
    expect(firstDifference(concatFrames(m, 13).data, mfccWhole.data)).toBe(-1);
    expect(firstDifference(concatFrames(d, 39).data, deltasWhole.data)).toBe(-1);
    expect(firstDifference(concatFrames(s, 117).data, stackedWhole.data)).toBe(-1);
    expect(mfcc.framesEmitted).toBe(mfccWhole.frames);
    expect(deltas.framesEmitted).toBe(deltasWhole.frames);
    expect(() => deltas.push(m[0])).toThrow(/after flush/);
  });
});
