/**
 * G.711 companding (ITU-T G.711): 8-bit mu-law and A-law at 8 kHz. `g711RoundTrip` sends
 * 16 kHz audio through a telephone codec: band-limit below 3.8 kHz, take every second sample,
 * quantize to 8-bit code words and back, and interpolate to 16 kHz again.
 * Uses the continuous companding laws (mu = 255, A = 87.6) quantized to 8 bits, which track
 * the standard's segmented approximation closely.
 */
import { filterByGain, smoothStep } from './fft.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

export type G711Law = 'mu' | 'a';

const MU = 255;
const A = 87.6;

/** Compressed value in [-1, 1] for x in [-1, 1]. */
function compress(x: number, law: G711Law): number {
  const s = x < 0 ? -1 : 1;
  const v = Math.min(1, Math.abs(x));
  if (law === 'mu') return (s * Math.log1p(MU * v)) / Math.log1p(MU);
  const y = v < 1 / A ? (A * v) / (1 + Math.log(A)) : (1 + Math.log(A * v)) / (1 + Math.log(A));
  return s * y;
}

function expand(y: number, law: G711Law): number {
  const s = y < 0 ? -1 : 1;
  const v = Math.abs(y);
  if (law === 'mu') return (s * Math.expm1(v * Math.log1p(MU))) / MU;
  const x = v < 1 / (1 + Math.log(A)) ? (v * (1 + Math.log(A))) / A : Math.exp(v * (1 + Math.log(A)) - 1) / A;
  return s * x;
}

/** 8-bit companding of each sample (sign + 7 bits of compressed magnitude), no resampling. */
export function g711Quantize(x: Float32Array, law: G711Law): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const y = compress(x[i], law);
    const q = (Math.min(127, Math.floor(Math.abs(y) * 128)) + 0.5) / 128; // mid-rise levels
    out[i] = expand(y < 0 ? -q : q, law);
  }
  return out;
}

/** 16 kHz -> 8 kHz G.711 (mu-law or A-law) -> 16 kHz. Output length equals input length. */
export function g711RoundTrip(x: Float32Array, law: G711Law): Float32Array {
  const band = (hz: number): number => 1 - smoothStep(hz, 3600, 3950);
  const limited = filterByGain(x, SAMPLE_RATE, band);
  const half = new Float32Array(Math.ceil(x.length / 2));
  for (let i = 0; i < half.length; i++) half[i] = limited[2 * i];
  const coded = g711Quantize(half, law);
  const up = new Float32Array(x.length);
  for (let i = 0; i < half.length; i++) up[2 * i] = 2 * coded[i]; // zero-stuffing; gain 2 restores level
  return filterByGain(up, SAMPLE_RATE, band);
}
