/**
 * Level and framing effects: gain with soft clipping, DC offset, leading/trailing padding,
 * and the final guard that keeps samples finite and within [-1, 1].
 */
import type { Rng } from '../rng.ts';

/**
 * Multiplies by 10^(gainDb/20); when `softClip`, passes the result through tanh so loud
 * input saturates smoothly like an overdriven preamp instead of wrapping.
 */
export function applyGain(x: Float32Array, gainDb: number, softClip: boolean): Float32Array {
  if (!Number.isFinite(gainDb)) throw new Error(`applyGain: gainDb must be finite, got ${gainDb}`);
  const g = Math.pow(10, gainDb / 20);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = softClip ? Math.tanh(x[i] * g) : x[i] * g;
  return out;
}

/** Adds a constant offset. */
export function addDcOffset(x: Float32Array, offset: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + offset;
  return out;
}

/** Adds `lead` and `trail` samples of low-level noise (amplitude `floor`, may be 0) around x. */
export function pad(x: Float32Array, lead: number, trail: number, floor: number, rng: Rng): Float32Array {
  if (!Number.isInteger(lead) || !Number.isInteger(trail) || lead < 0 || trail < 0) throw new Error(`pad: lead/trail must be non-negative integers, got ${lead}/${trail}`);
  const out = new Float32Array(lead + x.length + trail);
  out.set(x, lead);
  if (floor > 0) {
    for (let i = 0; i < lead; i++) out[i] = floor * rng.gauss();
    for (let i = lead + x.length; i < out.length; i++) out[i] = floor * rng.gauss();
  }
  return out;
}

/** Peak absolute value. */
export function peak(x: Float32Array): number {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  return p;
}

/** Replaces non-finite samples by 0 and scales down so the peak is at most `limit` (never scales up). */
export function limitPeak(x: Float32Array, limit = 0.999): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Number.isFinite(x[i]) ? x[i] : 0;
  const p = peak(out);
  if (p > limit) for (let i = 0; i < out.length; i++) out[i] *= limit / p;
  return out;
}
