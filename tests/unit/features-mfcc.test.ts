// MFCC against (1) an independent naive reference written here from Meyda's documented recipe
// (Hann window rounded to float32, |DFT|^2 of the first N/2 bins, triangular mel bank with 1125 ln(1 + f / 700) and
// floor((N + 1) f / rate) bin edges, ln(E + 1), DCT-II with scale 2) and (2) Meyda.extract itself.
import Meyda from 'meyda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../../src-shared/features/config.ts';
import { numAnalysisFrames } from '../../src-shared/features/framing.ts';
import { PCM_SCALE } from '../../src-shared/features/mfcc-kernel.ts';
import { computeMfcc, computeMfccWithMeydaExtract } from '../../src-shared/features/mfcc.ts';
import { rng, speechNoiseSines, synthSpeech16k } from './features-test-audio.ts';

function naiveMelBank(cfg: FeatureConfig): number[][] {
  const n = cfg.frameLength;
  const m = cfg.melBands;
  const toMel = (f: number) => 1125 * Math.log(1 + f / 700);
  const toHz = (mel: number) => 700 * (Math.exp(mel / 1125) - 1);
  const top = toMel(cfg.sampleRate / 2);
  const edges: number[] = [];
  for (let i = 0; i < m + 2; i++) edges.push(Math.floor(((n + 1) * toHz((i * top) / (m + 1))) / cfg.sampleRate));
  const bank: number[][] = [];
  for (let j = 0; j < m; j++) {
    const row = new Array<number>(n / 2).fill(0);
    const [lo, mid, hi] = [edges[j], edges[j + 1], edges[j + 2]];
    for (let k = 0; k < n / 2; k++) {
      if (k >= lo && k < mid) row[k] = (k - lo) / (mid - lo);
      else if (k >= mid && k < hi) row[k] = (hi - k) / (hi - mid);
    }
    bank.push(row);
  }
  return bank;
}

/** O(N^2) DFT MFCC of every frame, float64 throughout. */
function naiveMfcc(pcm: Float32Array, cfg: FeatureConfig): number[][] {
  const n = cfg.frameLength;
  const bank = naiveMelBank(cfg);
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  const frames: number[][] = [];
  for (let start = 0; start + n <= pcm.length; start += cfg.hopLength) {
    const x: number[] = [];
    // Meyda stores its Hann window in a Float32Array; the rounding matters in near-empty bands.
    for (let i = 0; i < n; i++) x.push(pcm[start + i] * PCM_SCALE * Math.fround(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1))));
    const power: number[] = [];
    for (let k = 0; k < n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        re += x[i] * cos[(k * i) % n];
        im -= x[i] * sin[(k * i) % n];
      }
      power.push(re * re + im * im);
    }
    const logMel = bank.map((row) => Math.log(row.reduce((s, w, k) => s + w * power[k], 0) + 1));
    const c: number[] = [];
    for (let q = 0; q < cfg.numMfcc; q++) {
      let s = 0;
      for (let b = 0; b < logMel.length; b++) s += logMel[b] * Math.cos((Math.PI * q * (b + 0.5)) / logMel.length);
      c.push(2 * s);
    }
    frames.push(c);
  }
  return frames;
}

/** Largest |a - b| / (1 + |b|) over all coefficients. */
function maxRelError(actual: Float32Array, expected: number[][]): number {
  let worst = 0;
  expected.forEach((row, t) => row.forEach((v, q) => {
    worst = Math.max(worst, Math.abs(actual[t * row.length + q] - v) / (1 + Math.abs(v)));
  }));
  return worst;
}

describe('computeMfcc', () => {
  const cfg = DEFAULT_FEATURE_CONFIG;

  it('matches a naive DFT / mel / DCT reference on synthesized speech with noise and sines', () => {
    const pcm = speechNoiseSines(7).subarray(8000, 8000 + 16000 * 0.5);
    const got = computeMfcc(pcm, cfg);
    const ref = naiveMfcc(pcm, cfg);
    expect(got.frames).toBe(ref.length);
    expect(got.dim).toBe(13);
    expect(maxRelError(got.data, ref)).toBeLessThan(1e-5);
  });

  it('matches the naive reference for another configuration (8 kHz, 256 samples, 23 bands, 20 coefficients)', () => {
    const other: FeatureConfig = { ...cfg, sampleRate: 8000, frameLength: 256, hopLength: 80, melBands: 23, numMfcc: 20 };
    const r = rng(3);
    const pcm = Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin(i * 0.37) + 0.1 * (r() - 0.5));
    expect(maxRelError(computeMfcc(pcm, other).data, naiveMfcc(pcm, other))).toBeLessThan(1e-5);
  });

  it('matches Meyda.extract frame by frame on speech', () => {
    const pcm = synthSpeech16k();
    const fast = computeMfcc(pcm, cfg);
    const meyda = computeMfccWithMeydaExtract(pcm, cfg);
    expect(fast.frames).toBe(numAnalysisFrames(pcm.length, cfg));
    expect(fast.frames).toBeGreaterThan(100);
    let worst = 0;
    for (let i = 0; i < fast.data.length; i++) worst = Math.max(worst, Math.abs(fast.data[i] - meyda.data[i]) / (1 + Math.abs(meyda.data[i])));
    // Meyda rounds its spectra, mel sums and log energies to float32.
    expect(worst).toBeLessThan(5e-5);
  });

  it('gives exactly 0 for digital silence and finite values for tiny signals', () => {
    const silence = computeMfcc(new Float32Array(2000), cfg);
    expect(silence.frames).toBe(numAnalysisFrames(2000, cfg));
    expect(Array.from(silence.data).every((v) => v === 0)).toBe(true);
    const tiny = computeMfcc(Float32Array.from({ length: 2000 }, (_, i) => (i % 2 ? 1e-30 : -1e-30)), cfg);
    expect(Array.from(tiny.data).every(Number.isFinite)).toBe(true);
  });

  it('frames: floor((n - frameLength) / hop) + 1, none below one frame', () => {
    for (const n of [0, 1, 511, 512, 671, 672, 673, 16000]) {
      const expected = n < 512 ? 0 : Math.floor((n - 512) / 160) + 1;
      expect(computeMfcc(new Float32Array(n), cfg).frames).toBe(expected);
    }
  });

  it('keeps configurations apart and leaves the global Meyda object alone', () => {
    const meyda = Meyda as unknown as { bufferSize: number; sampleRate: number; melBands: number };
    const before = { bufferSize: meyda.bufferSize, sampleRate: meyda.sampleRate, melBands: meyda.melBands };
    const pcm = speechNoiseSines(11).subarray(0, 8000);
    const small: FeatureConfig = { ...cfg, frameLength: 256 };
    const a1 = computeMfccWithMeydaExtract(pcm, cfg);
    const b = computeMfccWithMeydaExtract(pcm, small);
    const a2 = computeMfccWithMeydaExtract(pcm, cfg);
    expect(Array.from(a2.data)).toEqual(Array.from(a1.data));
    expect(maxRelError(b.data, naiveMfcc(pcm, small))).toBeLessThan(1e-5);
    expect(maxRelError(computeMfcc(pcm, small).data, naiveMfcc(pcm, small))).toBeLessThan(1e-5);
    expect({ bufferSize: meyda.bufferSize, sampleRate: meyda.sampleRate, melBands: meyda.melBands }).toEqual(before);
  });

  it('rejects bad input with an error naming it', () => {
    expect(() => computeMfcc(new Float32Array(600), { ...cfg, frameLength: 500 })).toThrow(/frameLength/);
    expect(() => computeMfcc(new Float32Array(600), { ...cfg, numMfcc: 41, melBands: 41 })).toThrow(/numMfcc/);
    expect(() => computeMfcc(new Float32Array(600), { ...cfg, numMfcc: 20, melBands: 10 })).toThrow(/numMfcc/);
    expect(() => computeMfcc(new Float32Array(600), { ...cfg, hopLength: 0 })).toThrow(/hopLength/);
    expect(() => computeMfcc([0.1, 0.2] as unknown as Float32Array, cfg)).toThrow(/Float32Array/);
    const bad = new Float32Array(600);
    bad[300] = NaN;
    expect(() => computeMfcc(bad, cfg)).toThrow(/sample 300/);
  });
});
