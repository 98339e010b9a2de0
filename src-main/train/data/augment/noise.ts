/**
 * Noise sources for additive-noise augmentation and mixing at a chosen signal-to-noise ratio.
 * Colored noise is shaped in the frequency domain: pink has power ∝ 1/f, brown ∝ 1/f².
 */
import type { Rng } from '../rng.ts';
import { fft, nextPow2 } from './fft.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

export type NoiseKind = 'white' | 'pink' | 'brown' | 'babble' | 'hum' | 'clicks';
export const NOISE_KINDS: readonly NoiseKind[] = ['white', 'pink', 'brown', 'babble', 'hum', 'clicks'];

/** Gaussian white noise, unit variance. */
export function whiteNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.gauss();
  return out;
}

/** White noise with its amplitude spectrum multiplied by f^(-exponent/2) (exponent 1 pink, 2 brown), above 20 Hz. */
export function coloredNoise(n: number, exponent: number, rng: Rng, rate = SAMPLE_RATE): Float32Array {
  const size = nextPow2(n);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = rng.gauss();
  fft(re, im);
  for (let k = 0; k <= size / 2; k++) {
    const hz = Math.max(20, (k * rate) / size);
    const g = k === 0 ? 0 : Math.pow(hz / 1000, -exponent / 2);
    re[k] *= g; im[k] *= g;
    if (k > 0 && k < size / 2) { re[size - k] *= g; im[size - k] *= g; }
  }
  fft(re, im, true);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = re[i];
  return out;
}

/** Mains hum: fundamental 50 or 60 Hz with decaying odd and even harmonics and slight jitter. */
export function humNoise(n: number, rng: Rng, rate = SAMPLE_RATE): Float32Array {
  const f0 = rng.chance(0.5) ? 50 : 60;
  const out = new Float32Array(n);
  const harmonics = rng.int(3, 10);
  for (let h = 1; h <= harmonics; h++) {
    const amp = Math.pow(rng.uniform(0.3, 0.8), h - 1);
    const phase = rng.uniform(0, 2 * Math.PI);
    const w = (2 * Math.PI * f0 * h) / rate;
    for (let i = 0; i < n; i++) out[i] += amp * Math.sin(w * i + phase);
  }
  return out;
}

/** Sparse clicks and crackle: decaying impulses at random times, 2..30 per second. */
export function clickNoise(n: number, rng: Rng, rate = SAMPLE_RATE): Float32Array {
  const out = new Float32Array(n);
  const count = Math.max(1, Math.round((n / rate) * rng.uniform(2, 30)));
  for (let c = 0; c < count; c++) {
    const at = rng.int(0, n - 1);
    const amp = rng.uniform(0.2, 1) * (rng.chance(0.5) ? 1 : -1);
    const decay = rng.uniform(0.5, 0.95);
    let a = amp;
    for (let i = at; i < n && Math.abs(a) > 1e-3; i++) {
      out[i] += a * rng.gauss();
      a *= decay;
    }
  }
  return out;
}

/**
 * Babble: `talkers` (3..7 by default) clips from `pool` (other utterances) at random offsets, summed
 * and looped to n. Without a pool, a stand-in: pink noise amplitude-modulated at syllable rates (2..6 Hz).
 */
export function babbleNoise(n: number, rng: Rng, pool?: readonly Float32Array[], rate = SAMPLE_RATE, talkerRange: readonly [number, number] = [3, 7]): Float32Array {
  const out = new Float32Array(n);
  const usable = (pool ?? []).filter((c) => c.length > 0);
  if (usable.length > 0) {
    const talkers = rng.int(talkerRange[0], talkerRange[1]);
    for (let t = 0; t < talkers; t++) {
      const clip = rng.pick(usable);
      const offset = rng.int(0, clip.length - 1);
      const gain = rng.uniform(0.5, 1);
      for (let i = 0; i < n; i++) out[i] += gain * clip[(offset + i) % clip.length];
    }
    return out;
  }
  const base = coloredNoise(n, 1, rng, rate);
  const rateHz = rng.uniform(2, 6);
  const phase = rng.uniform(0, 2 * Math.PI);
  for (let i = 0; i < n; i++) out[i] = base[i] * (0.6 + 0.4 * Math.sin((2 * Math.PI * rateHz * i) / rate + phase));
  return out;
}

/** One noise signal of the given kind, n samples at `rate`. */
export function makeNoise(kind: NoiseKind, n: number, rng: Rng, pool?: readonly Float32Array[], rate = SAMPLE_RATE): Float32Array {
  switch (kind) {
    case 'white': return whiteNoise(n, rng);
    case 'pink': return coloredNoise(n, 1, rng, rate);
    case 'brown': return coloredNoise(n, 2, rng, rate);
    case 'babble': return babbleNoise(n, rng, pool, rate);
    case 'hum': return humNoise(n, rng, rate);
    case 'clicks': return clickNoise(n, rng, rate);
  }
}

/** Mean square of `x` (0 for an empty signal). */
export function power(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

/**
 * Returns x + g·noise with g chosen so that 10·log10(P(x) / P(g·noise)) = snrDb, powers being
 * mean squares over the whole clip. `noise` must be as long as x. A silent x is returned unchanged.
 */
export function mixAtSnr(x: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  if (noise.length !== x.length) throw new Error(`mixAtSnr: noise length ${noise.length} != signal length ${x.length}`);
  if (!Number.isFinite(snrDb)) throw new Error(`mixAtSnr: snrDb must be finite, got ${snrDb}`);
  const ps = power(x);
  const pn = power(noise);
  const out = new Float32Array(x);
  if (ps === 0 || pn === 0) return out;
  const g = Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10)));
  for (let i = 0; i < x.length; i++) out[i] += g * noise[i];
  return out;
}
