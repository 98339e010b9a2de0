/**
 * Synthetic room reverberation. The impulse response is a direct path, a few early reflections
 * (3..40 ms) and a late tail of Gaussian noise whose energy decays by 60 dB over RT60 seconds:
 * amplitude envelope exp(-ln(1000) · t / RT60). Applied by FFT convolution.
 * ref: Sabine's RT60; the exponential-noise late-reverb model of Moorer, "About this reverberation business" (1979).
 */
import type { Rng } from '../rng.ts';
import { convolve } from './fft.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

export interface RoomOptions {
  /** Reverberation time in seconds (60 dB energy decay). */
  rt60: number;
  /** Late-tail energy relative to the direct path, dB (negative = drier). */
  reverbToDirectDb: number;
}

/** A random room impulse response at `rate` Hz, length RT60 + 50 ms, direct path at sample 0 with amplitude 1. */
export function roomImpulse(opts: RoomOptions, rng: Rng, rate = SAMPLE_RATE): Float32Array {
  const { rt60, reverbToDirectDb } = opts;
  if (!(rt60 >= 0.05 && rt60 <= 3)) throw new Error(`roomImpulse: rt60 must be in [0.05, 3] s, got ${rt60}`);
  const n = Math.round((rt60 + 0.05) * rate);
  const h = new Float32Array(n);
  h[0] = 1;
  const onset = Math.round(rng.uniform(0.002, 0.01) * rate);
  const decayPerSample = Math.log(1000) / (rt60 * rate);
  const tail = new Float32Array(n);
  let energy = 0;
  for (let i = onset; i < n; i++) {
    tail[i] = rng.gauss() * Math.exp(-decayPerSample * i);
    energy += tail[i] * tail[i];
  }
  const g = Math.sqrt(Math.pow(10, reverbToDirectDb / 10) / Math.max(energy, 1e-12));
  for (let i = onset; i < n; i++) h[i] += g * tail[i];
  // Early reflections: discrete taps 1.5..5 times the local RMS of the tail, so they follow
  // the same exponential decay and leave the RT60 unchanged.
  const reflections = rng.int(3, 10);
  for (let r = 0; r < reflections; r++) {
    const i = Math.round(rng.uniform(0.003, 0.04) * rate);
    h[i] += (rng.chance(0.5) ? 1 : -1) * rng.uniform(1.5, 5) * g * Math.exp(-decayPerSample * i);
  }
  return h;
}

/** Convolves x with h, keeps the first x.length samples and restores the input's peak level. */
export function reverberate(x: Float32Array, h: Float32Array): Float32Array {
  if (x.length === 0) return new Float32Array(0);
  const y = convolve(x, h).subarray(0, x.length);
  let px = 0, py = 0;
  for (let i = 0; i < x.length; i++) { px = Math.max(px, Math.abs(x[i])); py = Math.max(py, Math.abs(y[i])); }
  const g = py > 0 ? px / py : 1;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = y[i] * g;
  return out;
}

/**
 * RT60 of an impulse response by Schroeder backward integration: fits a line to the energy
 * decay curve between -5 and -25 dB and extrapolates to -60 dB (T20 · 3). Seconds.
 * ref: M. R. Schroeder, "New method of measuring reverberation time", JASA 1965; ISO 3382.
 */
export function measureRt60(h: Float32Array, rate = SAMPLE_RATE): number {
  const edc = new Float64Array(h.length);
  let acc = 0;
  for (let i = h.length - 1; i >= 0; i--) { acc += h[i] * h[i]; edc[i] = acc; }
  if (acc === 0) throw new Error('measureRt60: silent impulse response');
  let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (let i = 0; i < h.length; i++) {
    const db = 10 * Math.log10(edc[i] / acc);
    if (db > -5) continue;
    if (db < -25) break;
    const t = i / rate;
    sx += t; sy += db; sxx += t * t; sxy += t * db; m++;
  }
  if (m < 2) throw new Error('measureRt60: decay range -5..-25 dB not covered');
  const slope = (m * sxy - sx * sy) / (m * sxx - sx * sx); // dB per second
  return -60 / slope;
}
