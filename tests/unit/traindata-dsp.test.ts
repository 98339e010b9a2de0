import { describe, expect, it } from 'vitest';
import { fft, convolve, filterByGain } from '../../src-main/train/data/augment/fft.ts';
import { resampleBy } from '../../src-main/audio/resample-by.ts';
import { timeStretch } from '../../src-main/audio/time-stretch.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { zeroCrossingHz } from './traindata-helpers.ts';

function tone(hz: number, sec: number, rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(sec * rate));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  return x;
}

describe('fft', () => {
  it('matches a naive DFT', () => {
    const rng = createRng(1);
    const n = 64;
    const re = new Float64Array(n).map(() => rng.gauss());
    const im = new Float64Array(n).map(() => rng.gauss());
    const [r0, i0] = [Float64Array.from(re), Float64Array.from(im)];
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let sr = 0, si = 0;
      for (let t = 0; t < n; t++) {
        const a = (-2 * Math.PI * k * t) / n;
        sr += r0[t] * Math.cos(a) - i0[t] * Math.sin(a);
        si += r0[t] * Math.sin(a) + i0[t] * Math.cos(a);
      }
      expect(re[k]).toBeCloseTo(sr, 9);
      expect(im[k]).toBeCloseTo(si, 9);
    }
    fft(re, im, true);
    for (let t = 0; t < n; t++) expect(re[t]).toBeCloseTo(r0[t], 12);
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/);
  });

  it('convolves like the direct sum', () => {
    const rng = createRng(2);
    const a = new Float32Array(37).map(() => rng.gauss());
    const b = new Float32Array(11).map(() => rng.gauss());
    const y = convolve(a, b);
    expect(y.length).toBe(47);
    for (let n = 0; n < y.length; n++) {
      let s = 0;
      for (let k = 0; k < b.length; k++) if (n - k >= 0 && n - k < a.length) s += a[n - k] * b[k];
      expect(y[n]).toBeCloseTo(s, 4);
    }
  });

  it('filterByGain with unit gain returns the input', () => {
    const x = tone(300, 0.1);
    const y = filterByGain(x, 16000, () => 1);
    for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(x[i], 5);
  });
});

describe('resampleBy and timeStretch', () => {
  it('reading at step f scales frequency by f and length by 1/f', () => {
    for (const f of [0.85, 0.9, 1.1, 1.15]) {
      const y = resampleBy(tone(1000, 1), f);
      expect(y.length / 16000).toBeCloseTo(1 / f, 3);
      expect(zeroCrossingHz(y.subarray(200, y.length - 200)) / 1000).toBeCloseTo(f, 3);
    }
  });

  it('WSOLA changes duration but not frequency', () => {
    for (const r of [0.8, 1.2]) {
      const y = timeStretch(tone(440, 1), r);
      expect(y.length).toBe(Math.round(16000 * r));
      expect(Math.abs(zeroCrossingHz(y.subarray(600, y.length - 600)) - 440)).toBeLessThan(440 * 0.01);
    }
  });
});
