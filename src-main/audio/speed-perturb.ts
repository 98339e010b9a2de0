/**
 * Speed perturbation and spectral warping.
 * - speedPerturb: play faster or slower like a tape (tempo, pitch and formants all scale by
 *   `factor`); the Kaldi recipe uses factors 0.9/1.0/1.1 (Ko et al., Interspeech 2015).
 * - spectralWarp: scale pitch and formants by `alpha` at unchanged duration (resample by alpha,
 *   then WSOLA back to the original length), a vocal-tract-length style perturbation in the
 *   spirit of VTLP (Jaitly & Hinton 2013), applied to the waveform rather than the filter bank.
 */
import { resampleBy } from './resample-by.ts';
import { timeStretch } from './time-stretch.ts';

/** Output duration is input / factor (factor 1.1 = 10% faster); frequencies scale by factor. */
export function speedPerturb(x: Float32Array, factor: number): Float32Array {
  if (!(factor >= 0.5 && factor <= 2)) throw new Error(`speedPerturb: factor must be in [0.5, 2], got ${factor}`);
  return resampleBy(x, factor);
}

/** Frequencies (pitch and formants) scale by alpha; duration stays x.length samples. */
export function spectralWarp(x: Float32Array, alpha: number): Float32Array {
  if (!(alpha >= 0.5 && alpha <= 2)) throw new Error(`spectralWarp: alpha must be in [0.5, 2], got ${alpha}`);
  const y = resampleBy(x, alpha);
  const z = timeStretch(y, x.length / Math.max(1, y.length));
  if (z.length === x.length) return z;
  const out = new Float32Array(x.length);
  out.set(z.subarray(0, x.length));
  return out;
}
