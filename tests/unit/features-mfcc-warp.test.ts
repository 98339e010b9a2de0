/**
 * The frequency-warped MFCC analysis (MfccKernel warp, used live by keyword spotting): warp 1 is
 * the plain analysis, and warping the filter bank by alpha approximates the MFCC of the signal with
 * every frequency scaled by alpha, checked against warping the waveform itself (spectralWarp).
 */
import { describe, expect, it } from 'vitest';
import { computeFeatures, computeMfcc, DEFAULT_FEATURE_CONFIG, StreamingMfcc } from '../../src-shared/features/index.ts';
import { MfccKernel } from '../../src-shared/features/mfcc-kernel.ts';
import { spectralWarp } from '../../src-main/audio/speed-perturb.ts';

const cfg = DEFAULT_FEATURE_CONFIG;
/** Seeded noise floor: a pure tone leaves most mel bands empty, where ln(E + 1) is dominated by window leakage. */
const hiss = (n: number, seed = 1) => {
  let v = seed;
  return Float32Array.from({ length: n }, () => { v = (v * 1103515245 + 12345) % 2147483648; return 0.001 * (v / 1073741824 - 1); });
};
const tone = (hz: number, sec = 0.5) => {
  const h = hiss(Math.round(sec * 16000));
  return Float32Array.from(h, (n, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16000) + n);
};
const meanRow = (m: { data: Float32Array; frames: number; dim: number }) => {
  const out = new Float64Array(m.dim);
  for (let t = 0; t < m.frames; t++) for (let d = 0; d < m.dim; d++) out[d] += m.data[t * m.dim + d] / m.frames;
  return out;
};
const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, i) => s + (v - b[i]) ** 2, 0));

describe('warped MFCC analysis', () => {
  it('warp 1 is the plain analysis, bit for bit', () => {
    const x = tone(440);
    expect(computeMfcc(x, cfg, 1).data).toEqual(computeMfcc(x, cfg).data);
  });

  it('matches warping the waveform (spectralWarp) far better than no warp does', () => {
    // A harmonic, vowel-like signal: 120 Hz pulse train through two resonances.
    const n = 16000;
    const x = hiss(n, 7);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let h = 1; h < 30; h++) {
        const f = 120 * h;
        const g = Math.exp(-(((f - 700) / 150) ** 2)) + 0.6 * Math.exp(-(((f - 1800) / 200) ** 2)) + 0.02;
        v += g * Math.sin((2 * Math.PI * f * i) / 16000);
      }
      x[i] += 0.05 * v;
    }
    const byWaveform = meanRow(computeMfcc(spectralWarp(x, 0.8), cfg));
    const byFilterBank = meanRow(computeMfcc(x, cfg, 0.8));
    const unwarped = meanRow(computeMfcc(x, cfg));
    expect(dist(byFilterBank, byWaveform)).toBeLessThan(0.75 * dist(unwarped, byWaveform));
    // and the opposite warp moves away from it
    expect(dist(meanRow(computeMfcc(x, cfg, 1.25)), byWaveform)).toBeGreaterThan(dist(unwarped, byWaveform));
  });

  it('streams like the whole-file analysis and rejects warps out of range', () => {
    const x = tone(600, 1);
    const s = new StreamingMfcc(cfg, 0.8);
    const parts = [s.push(x.subarray(0, 3001)), s.push(x.subarray(3001))];
    const whole = computeMfcc(x, cfg, 0.8);
    expect(Float32Array.from([...parts[0].data, ...parts[1].data])).toEqual(whole.data);
    expect(computeFeatures(x, cfg, undefined, 0.8).frames).toBe(computeFeatures(x, cfg).frames);
    expect(() => new MfccKernel(cfg, 0.3)).toThrow(/warp must be in/);
  });
});
