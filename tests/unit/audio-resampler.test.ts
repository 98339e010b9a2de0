import { describe, expect, it } from 'vitest';
import { resample, StreamingResampler } from '../../src-main/audio/resampler.ts';
import { db, fitSinusoid, rms, tone } from './audio-test-tools.ts';

/**
 * I0 by the integral I0(x) = (1/pi) int_0^pi exp(x cos t) dt, independent of the series in src.
 * The trapezoid rule converges geometrically here (smooth periodic integrand): 64 points give ~1e-15.
 */
function i0Integral(x: number): number {
  const n = 64;
  const h = Math.PI / n;
  let s = (Math.exp(x) + Math.exp(-x)) / 2;
  for (let k = 1; k < n; k++) s += Math.exp(x * Math.cos(k * h));
  return (s * h) / Math.PI;
}

/**
 * Direct (non-polyphase) evaluation of the documented design: y[n] = sum_k x[k] w(p - k) / sum_k w(p - k),
 * p = n * from / to, w = Kaiser-windowed sinc with cutoff (1 + passband)/2 and transition (1 - passband)
 * times min(from, to)/2, half-length from Kaiser's formula, beta = 0.1102 (A - 8.7).
 */
function referenceResample(x: Float64Array, from: number, to: number, passband = 0.9375, atten = 80): Float64Array {
  const nyq = Math.min(from, to) / 2;
  const fc = (nyq * (1 + passband)) / 2;
  const width = (atten - 7.95) / (2 * 2.285 * 2 * Math.PI * ((nyq * (1 - passband)) / from));
  const beta = 0.1102 * (atten - 8.7);
  const i0b = i0Integral(beta);
  const n = Math.ceil((x.length * to) / from);
  const y = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const p = (o * from) / to;
    let acc = 0, norm = 0;
    for (let k = Math.ceil(p - width); k <= Math.floor(p + width); k++) {
      const t = p - k;
      if (Math.abs(t) >= width) continue;
      const arg = (Math.PI * 2 * fc * t) / from;
      const w = (arg === 0 ? 1 : Math.sin(arg) / arg) * (i0Integral(beta * Math.sqrt(1 - (t / width) ** 2)) / i0b);
      norm += w;
      if (k >= 0 && k < x.length) acc += w * x[k];
    }
    y[o] = acc / norm;
  }
  return y;
}

function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

describe('resample', () => {
  it.each([44100, 48000, 8000, 22050, 11025, 32000])('keeps a 1 kHz sine at %i Hz -> 16 kHz: frequency, amplitude and phase', (rate) => {
    const x = tone(1000, rate, 1, 0.5, 0.3);
    const y = resample(x, rate, 16000);
    expect(y.length).toBe(16000);
    // Skip 0.1 s at each end, where the zero-padded edges are filtered.
    const fit = fitSinusoid(y, 1000, 16000, 1600, 14400);
    expect(Math.abs(fit.amplitude - 0.5)).toBeLessThan(1e-4);
    expect(Math.abs(fit.phase - 0.3)).toBeLessThan(1e-4); // zero delay: output n is at time n / 16000
    expect(fit.residualRms).toBeLessThan(1e-4); // anything but the 1 kHz sinusoid is below -74 dB
  });

  it('band-limits 48 kHz -> 16 kHz: 7.5 kHz passes, 9 kHz (which would alias to 7 kHz) is suppressed by > 60 dB', () => {
    const rate = 48000;
    const kept = resample(tone(7500, rate, 1, 0.5), rate, 16000);
    expect(Math.abs(db(fitSinusoid(kept, 7500, 16000, 1600, 14400).amplitude / 0.5))).toBeLessThan(0.01);
    const stopped = resample(tone(9000, rate, 1, 0.5), rate, 16000);
    const alias = fitSinusoid(stopped, 7000, 16000, 1600, 14400).amplitude;
    expect(db(alias / 0.5)).toBeLessThan(-60);
    expect(db(rms(stopped, 1600, 14400) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    // The measurement does detect aliasing: naive decimation (every third sample) puts it at full level.
    const x = tone(9000, rate, 1, 0.5);
    const naive = Float32Array.from({ length: 16000 }, (_, i) => x[3 * i]);
    expect(db(fitSinusoid(naive, 7000, 16000, 1600, 14400).amplitude / 0.5)).toBeGreaterThan(-1);
  });

  it('band-limits 44.1 kHz -> 16 kHz across the stopband (8 to 22 kHz below -70 dB)', () => {
    for (const f of [8000, 8500, 10000, 15000, 21000]) {
      const y = resample(tone(f, 44100, 0.5, 0.5), 44100, 16000);
      expect(db(rms(y, 800, 7200) / (0.5 / Math.SQRT2)), `${f} Hz`).toBeLessThan(-70);
    }
  });

  // Exact polyphase rows differ from the direct sum only by float32 coefficients; interpolated
  // rows (ratios that are not small rationals) add the error of interpolating between 512 phases.
  it.each([
    [44100, 16000, 1e-6],
    [11025, 16000, 1e-6],
    [8000, 16000, 1e-6],
    [16000, 16000 / 0.9, 1e-5], // speed perturbation
    [16000, 14545.45, 1e-5],
  ])('matches a direct windowed-sinc evaluation, %d -> %d', (from, to, tolerance) => {
    const x = noise(300, from);
    const y = resample(x, from, to);
    const ref = referenceResample(Float64Array.from(x), from, to);
    expect(y.length).toBe(ref.length);
    let maxErr = 0;
    for (let i = 0; i < y.length; i++) maxErr = Math.max(maxErr, Math.abs(y[i] - ref[i]));
    expect(maxErr).toBeLessThan(tolerance);
  });

  it.each([
    [44100, 16000],
    [16000, 17777.7],
  ])('streams %d -> %d in chunks with exactly the one-shot output', (from, to) => {
    const x = noise(20000, 7);
    const whole = resample(x, from, to);
    const r = new StreamingResampler(from, to);
    const parts: number[] = [];
    let at = 0;
    const sizes = [1, 2, 3, 500, 0, 7, 4096, 33];
    for (let k = 0; at < x.length; k++) {
      const n = sizes[k % sizes.length];
      for (const v of r.process(x.subarray(at, at + n))) parts.push(v);
      at += n;
    }
    for (const v of r.flush()) parts.push(v);
    expect(parts.length).toBe(whole.length);
    expect(Float32Array.from(parts)).toEqual(whole);
  });

  it('produces ceil(len * to / from) samples and unit DC gain', () => {
    for (const len of [0, 1, 2, 440, 441, 442]) {
      expect(resample(new Float32Array(len), 44100, 16000).length).toBe(Math.ceil((len * 16000) / 44100));
      expect(resample(new Float32Array(len), 8000, 16000).length).toBe(len * 2);
    }
    const dc = resample(new Float32Array(44100).fill(0.25), 44100, 16000);
    for (let i = 1000; i < 15000; i++) expect(Math.abs(dc[i] - 0.25)).toBeLessThan(1e-5);
  });

  it('returns a copy at equal rates and rejects bad rates naming the argument', () => {
    const x = noise(10, 1);
    const y = resample(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resample(x, 0, 16000)).toThrow(/fromRate/);
    expect(() => resample(x, 16000, Number.NaN)).toThrow(/toRate/);
    expect(() => resample(x, -8000, 16000)).toThrow(/fromRate/);
    expect(() => new StreamingResampler(16000, 8000, { passband: 1.5 })).toThrow(/passband/);
  });
});
