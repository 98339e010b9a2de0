// Sliding-window CMN (FeatureConfig.cmn): the formula against a plain reference, streaming == whole
// file bit for bit in any chunking, a fixed channel (spectral tilt) removed once the window fills,
// deltas untouched, configuration checks, and the normalization statistics a CMN model stores.
import { describe, expect, it } from 'vitest';
import { baseDim, DEFAULT_FEATURE_CONFIG, withCmnWindow, type FeatureConfig, type Normalization } from '../../src-shared/features/config.ts';
import { computeBaseFeatures, computeFeatures } from '../../src-shared/features/compute-features.ts';
import { createMatrix, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { computeNormalization, normalizationForConfig } from '../../src-shared/features/normalization-stats.ts';
import { normalize } from '../../src-shared/features/normalize.ts';
import { applyCmn, SlidingCmn } from '../../src-shared/features/sliding-cmn.ts';
import { StreamingFeatureExtractor } from '../../src-shared/features/streaming-feature-extractor.ts';
import { StreamingNormalizer } from '../../src-shared/features/streaming-normalizer.ts';
import { MAX_CMN_WINDOW_FRAMES, validateFeatureConfig } from '../../src-shared/features/validate-config.ts';
import { cmnWindowOption } from '../../src-main/cli/cmn-window-option.ts';
import { UsageError } from '../../src-main/cli/cli-args.ts';
import { chunkSizes, firstDifference, speechNoiseSines, streamAll } from './features-test-audio.ts';

const plain = DEFAULT_FEATURE_CONFIG;
const cmnCfg = (windowFrames: number, priorFrames?: number): FeatureConfig => ({ ...plain, cmn: priorFrames === undefined ? { windowFrames } : { windowFrames, priorFrames } });

/** A normalization shaped like real MFCC statistics (c0 large), deterministic. */
function normFor(c: FeatureConfig): Normalization {
  const d = baseDim(c);
  return { mean: Array.from({ length: d }, (_, j) => (j === 0 ? 60 : j < c.numMfcc ? (j % 5) - 2 : 0)), std: Array.from({ length: d }, (_, j) => (j < c.numMfcc ? 8 : 1 + (j % 3))) };
}

/** First-order pre-emphasis y[n] = x[n] - a x[n-1]: a fixed spectral tilt, like another microphone. */
function tilt(x: Float32Array, a: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] - a * (i > 0 ? x[i - 1] : 0);
  return y;
}

/** The CMN formula of sliding-cmn.ts computed directly per frame in float64 (no running sums). */
function referenceCmn(base: FeatureMatrix, d: number, w: number, p0: number, g: readonly number[]): Float64Array {
  const out = new Float64Array(base.frames * d);
  for (let t = 0; t < base.frames; t++) {
    const n = Math.min(t + 1, w);
    const p = Math.min(p0, w - n);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let u = t - n + 1; u <= t; u++) s += base.data[u * base.dim + j];
      out[t * d + j] = base.data[t * base.dim + j] - (p * g[j] + s) / (p + n) + g[j];
    }
  }
  return out;
}

/** Mean absolute difference of the static columns of two normalized base matrices, from frame `from` on. */
function staticGap(a: FeatureMatrix, b: FeatureMatrix, d: number, from: number): number {
  let s = 0;
  let n = 0;
  for (let t = from; t < a.frames; t++) for (let j = 0; j < d; j++, n++) s += Math.abs(a.data[t * a.dim + j] - b.data[t * b.dim + j]);
  return s / n;
}

describe('SlidingCmn', () => {
  const speech = speechNoiseSines(5);

  it('follows the formula: prior blended in while the window fills, then the plain window mean', () => {
    // Hand-computed case: W = 3, P = 2, one coefficient, prior g = 10, rows 1, 2, 3, 4.
    const cfg: FeatureConfig = { ...plain, numMfcc: 1, melBands: 1, deltaOrder: 0, cmn: { windowFrames: 3, priorFrames: 2 } };
    const x = new Float32Array([1, 2, 3, 4]);
    const out = new Float32Array(4);
    new SlidingCmn(cfg, [10]).apply(x, out, 4, 1);
    // t=0: n=1, p=min(2,2)=2, m=(20+1)/3=7; t=1: n=2, p=1, m=(10+3)/3; t=2: n=3, p=0, m=2; t=3: m=3.
    expect(Array.from(out)).toEqual([1 - 7 + 10, 2 - 13 / 3 + 10, 3 - 2 + 10, 4 - 3 + 10].map(Math.fround));
    // No prior: the first frame is its own mean, so it lands on g exactly.
    new SlidingCmn({ ...cfg, cmn: { windowFrames: 3, priorFrames: 0 } }, [10]).apply(x, out, 4, 1);
    expect(out[0]).toBe(10);
  });

  it('matches a direct per-frame computation over long streams (running sums do not drift)', () => {
    const base = computeBaseFeatures(speech, plain);
    const g = normFor(plain).mean;
    for (const [w, p] of [[7, 3], [50, 50], [120, undefined], [300, 100], [5000, 100]] as [number, number | undefined][]) {
      const cfg = cmnCfg(w, p);
      const got = applyCmn(base, cfg, g);
      const want = referenceCmn(base, 13, w, p ?? Math.min(w, 100), g);
      let worst = 0;
      for (let t = 0; t < base.frames; t++) for (let j = 0; j < 13; j++) worst = Math.max(worst, Math.abs(got.data[t * 39 + j] - want[t * 13 + j]));
      expect(worst, `W=${w}`).toBeLessThan(1e-4);
      // Delta columns pass through untouched.
      for (let t = 0; t < base.frames; t++) for (let j = 13; j < 39; j++) expect(got.data[t * 39 + j]).toBe(base.data[t * 39 + j]);
    }
  });

  it('reset() starts a new stream', () => {
    const base = computeBaseFeatures(speech.subarray(0, 20000), plain);
    const cfg = cmnCfg(40);
    const cmn = new SlidingCmn(cfg, normFor(cfg).mean);
    const a = new Float32Array(base.data);
    cmn.apply(a, a, base.frames, 39);
    cmn.reset();
    const b = new Float32Array(base.data);
    cmn.apply(b, b, base.frames, 39);
    expect(firstDifference(a, b)).toBe(-1);
    expect(cmn.framesSeen).toBe(base.frames);
  });
});

describe('CMN in the front end', () => {
  const speech = speechNoiseSines(13);

  it('streaming equals whole file bit for bit, for several windows, lengths and chunkings', () => {
    const lengths = [0, 512, 1473, 9999, 40000, speech.length];
    const chunkings = [1, 160, 333, 1600, -700, -5000];
    let checked = 0;
    for (const cfg of [cmnCfg(3, 0), cmnCfg(30), cmnCfg(100, 40), cmnCfg(300)]) {
      const norm = normFor(cfg);
      for (const n of lengths) {
        const pcm = speech.subarray(0, n);
        const whole = computeFeatures(pcm, cfg, norm);
        for (const [i, size] of chunkings.entries()) {
          if (size === 1 && n > 10000) continue;
          const got = streamAll(new StreamingFeatureExtractor(cfg, norm), pcm, chunkSizes(n, size, n + i));
          expect(got.frames, `W=${cfg.cmn!.windowFrames} n=${n} chunk=${size}`).toBe(whole.frames);
          expect(firstDifference(got.data, whole.data), `W=${cfg.cmn!.windowFrames} n=${n} chunk=${size}`).toBe(-1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('StreamingNormalizer fed base rows in pieces equals normalize() of the whole matrix, and restarts after reset()', () => {
    const cfg = cmnCfg(64);
    const norm = normFor(cfg);
    const base = computeBaseFeatures(speech, cfg);
    const whole = normalize(base, norm, cfg);
    const sn = new StreamingNormalizer(cfg, norm);
    for (let round = 0; round < 2; round++) {
      const out = new Float32Array(base.data);
      let at = 0;
      for (const rows of chunkSizes(base.frames, -37, round)) {
        sn.apply({ data: out.subarray(at * 39, (at + rows) * 39), frames: rows, dim: 39 });
        at += rows;
      }
      expect(firstDifference(out, whole.data)).toBe(-1);
      sn.reset();
    }
  });

  it('leaves deltas as they were and changes nothing without cmn', () => {
    const norm = normFor(plain);
    const base = computeBaseFeatures(speech, plain);
    const off = normalize(base, norm, plain);
    const on = normalize(base, norm, cmnCfg(100));
    let staticsDiffer = false;
    for (let t = 0; t < base.frames; t++) {
      for (let j = 13; j < 39; j++) expect(on.data[t * 39 + j]).toBe(off.data[t * 39 + j]);
      for (let j = 0; j < 13; j++) if (on.data[t * 39 + j] !== off.data[t * 39 + j]) staticsDiffer = true;
    }
    expect(staticsDiffer).toBe(true);
    // An explicit `cmn: undefined` is the same as no field.
    expect(firstDifference(normalize(base, norm, { ...plain, cmn: undefined }).data, off.data)).toBe(-1);
    expect(firstDifference(computeFeatures(speech, { ...plain, cmn: undefined }, norm).data, computeFeatures(speech, plain, norm).data)).toBe(-1);
  });

  it('removes a fixed channel (first-order spectral tilt) once the window has filled', () => {
    // Two passes of the utterance so there is audio well past the window.
    const pcm = new Float32Array(2 * speech.length);
    pcm.set(speech);
    pcm.set(speech, speech.length);
    const tilted = tilt(pcm, 0.9);
    const window = 150;
    const gap = (cfg: FeatureConfig): number => {
      const norm = normFor(cfg);
      const a = normalize(computeBaseFeatures(pcm, cfg), norm, cfg);
      const b = normalize(computeBaseFeatures(tilted, cfg), norm, cfg);
      return staticGap(a, b, 13, window);
    };
    const without = gap(plain);
    const withCmn = gap(cmnCfg(window));
    // The tilt moves the normalized statics a lot without CMN; with it most of the offset is gone.
    expect(without).toBeGreaterThan(0.3);
    expect(withCmn).toBeLessThan(0.1 * without);
  });

  it('starts near the global mean: the prior keeps the first frames from being normalized wildly', () => {
    const norm = normFor(plain);
    const base = computeBaseFeatures(speech.subarray(8000, 24000), plain);
    const noPrior = normalize(base, norm, cmnCfg(300, 0));
    const withPrior = normalize(base, norm, cmnCfg(300, 100));
    // With no prior the first frame's statics are exactly the global mean (normalized 0), whatever
    // the audio; with the prior, the first frames keep most of their deviation from the global mean.
    for (let j = 0; j < 13; j++) expect(noPrior.data[j]).toBe(0);
    const raw = normalize(base, norm, plain);
    let keep = 0;
    for (let j = 0; j < 13; j++) keep += Math.abs(withPrior.data[j]) / Math.max(1e-9, Math.abs(raw.data[j]));
    expect(keep / 13).toBeGreaterThan(0.9);
  });
});

describe('normalizationForConfig', () => {
  it('equals computeNormalization without cmn; with cmn it centres the CMN\'d features and shrinks channel spread', () => {
    const speech = speechNoiseSines(2);
    const clips = [speech, tilt(speech, 0.95), tilt(speech, -0.5)].map((x) => computeBaseFeatures(x, plain));
    const raw = normalizationForConfig(clips, plain);
    expect(raw).toEqual(computeNormalization(clips));
    const cfg = cmnCfg(100);
    const n = normalizationForConfig(clips, cfg);
    // The stored mean is the statistics of what the normalizer sees with it as the prior: close to centred.
    const normalized = clips.map((b) => normalize(b, n, cfg));
    const check = computeNormalization(normalized);
    for (let j = 0; j < 13; j++) expect(Math.abs(check.mean[j])).toBeLessThan(0.15);
    // Different channels per clip: CMN removes that spread from the statics.
    let rawStd = 0, cmnStd = 0;
    for (let j = 0; j < 13; j++) { rawStd += raw.std[j]; cmnStd += n.std[j]; }
    expect(cmnStd).toBeLessThan(rawStd);
    // Deltas do not depend on CMN.
    for (let j = 13; j < 39; j++) expect(n.std[j]).toBe(raw.std[j]);
  });
});

describe('CMN configuration', () => {
  it('accepts valid settings and refuses bad ones, naming the field', () => {
    for (const cmn of [{ windowFrames: 2 }, { windowFrames: 300 }, { windowFrames: 300, priorFrames: 0 }, { windowFrames: 300, priorFrames: 300 }, { windowFrames: MAX_CMN_WINDOW_FRAMES }]) {
      expect(() => validateFeatureConfig({ ...plain, cmn })).not.toThrow();
    }
    const bad: [unknown, RegExp][] = [
      [{ windowFrames: 0 }, /cmn\.windowFrames must be an integer in \[2, /],
      [{ windowFrames: 1 }, /cmn\.windowFrames/],
      [{ windowFrames: -300 }, /cmn\.windowFrames/],
      [{ windowFrames: 2.5 }, /cmn\.windowFrames/],
      [{ windowFrames: '300' }, /cmn\.windowFrames/],
      [{ windowFrames: MAX_CMN_WINDOW_FRAMES + 1 }, /cmn\.windowFrames/],
      [{}, /cmn\.windowFrames/],
      [{ windowFrames: 300, priorFrames: -1 }, /cmn\.priorFrames must be an integer in \[0, windowFrames = 300\]/],
      [{ windowFrames: 300, priorFrames: 301 }, /cmn\.priorFrames/],
      [{ windowFrames: 300, priorFrames: 1.5 }, /cmn\.priorFrames/],
      [{ windowFrames: 300, variance: true }, /cmn\.variance is not a field/],
      [null, /cmn must be an object/],
      [300, /cmn must be an object/],
      [[300], /cmn must be an object/],
    ];
    for (const [cmn, re] of bad) expect(() => validateFeatureConfig({ ...plain, cmn } as unknown as FeatureConfig), JSON.stringify(cmn)).toThrow(re);
    expect(() => validateFeatureConfig({ ...plain, cepstralMean: true } as unknown as FeatureConfig)).toThrow(/FeatureConfig\.cepstralMean is not a field/);
    // Every entry point refuses it.
    expect(() => computeFeatures(new Float32Array(1000), cmnCfg(1))).toThrow(/windowFrames/);
    expect(() => new StreamingFeatureExtractor(cmnCfg(0), normFor(plain))).toThrow(/windowFrames/);
    expect(() => new SlidingCmn(plain, [])).toThrow(/no cmn/);
    expect(() => new SlidingCmn(cmnCfg(10), [1, 2])).toThrow(/13 values/);
    expect(() => new SlidingCmn(cmnCfg(10), Array.from({ length: 13 }, (_, j) => (j === 4 ? NaN : 0)))).toThrow(/mean\[4\]/);
  });

  it('withCmnWindow writes the prior out or removes cmn; --cmn-window is checked the same way', () => {
    expect(withCmnWindow(plain, 300).cmn).toEqual({ windowFrames: 300, priorFrames: 100 });
    expect(withCmnWindow(plain, 40).cmn).toEqual({ windowFrames: 40, priorFrames: 40 });
    expect(withCmnWindow(plain, 0)).toEqual(plain);
    expect('cmn' in withCmnWindow(cmnCfg(300), 0)).toBe(false);
    expect(withCmnWindow(cmnCfg(300, 7), 200).cmn).toEqual({ windowFrames: 200, priorFrames: 100 });
    expect(cmnWindowOption('adapt', undefined)).toBeUndefined();
    expect(cmnWindowOption('adapt', 0)).toBe(0);
    expect(cmnWindowOption('adapt', 300)).toBe(300);
    for (const v of [1, -5, 2.5, MAX_CMN_WINDOW_FRAMES + 1]) {
      expect(() => cmnWindowOption('adapt', v)).toThrow(UsageError);
      expect(() => cmnWindowOption('adapt', v)).toThrow(/^adapt: --cmn-window: the window must be an integer in \[2, \d+\], got .* \(0 = off\)$/);
    }
  });

  it('an empty stream is fine', () => {
    const cfg = cmnCfg(10);
    expect(normalize(createMatrix(0, 39), normFor(cfg), cfg).frames).toBe(0);
    expect(computeFeatures(new Float32Array(0), cfg, normFor(cfg)).frames).toBe(0);
  });
});
