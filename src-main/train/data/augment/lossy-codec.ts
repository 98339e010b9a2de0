/**
 * A cheap stand-in for low-bitrate perceptual codecs (MP3/AAC artifacts): short-time Fourier
 * analysis with a sine window (50% overlap, perfect reconstruction), per-band uniform
 * quantization of the coefficients with a dead zone (weak coefficients vanish: "spectral
 * holes" and warbling), and a hard bandwidth cut as encoders apply at low bitrates.
 * ref: Princen-Bradley window condition sin²+cos² = 1 for weighted overlap-add.
 */
import { fft } from './fft.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

const N = 512;
const HOP = N / 2;
/** Band edges in FFT bins (~31 Hz each at 16 kHz): narrow at low frequencies, wide at high. */
const BAND_EDGES = [0, 4, 8, 12, 16, 20, 25, 30, 36, 43, 51, 60, 71, 84, 99, 117, 138, 163, 193, 225, 257];

let sine: Float64Array | null = null;

function sineWindow(): Float64Array {
  if (!sine) {
    sine = new Float64Array(N);
    for (let i = 0; i < N; i++) sine[i] = Math.sin((Math.PI * (i + 0.5)) / N);
  }
  return sine;
}

export interface LossyCodecOptions {
  /** Everything above this frequency is removed (Hz). */
  cutoffHz: number;
  /** Signal-to-quantization-noise ratio per band, dB (6..20 sounds like 16..48 kbps MP3). */
  bandSnrDb: number;
}

/** Degrades 16 kHz audio like a low-bitrate transform codec. Output length equals input length. */
export function lossyCodec(x: Float32Array, opts: LossyCodecOptions, rate = SAMPLE_RATE): Float32Array {
  const { cutoffHz, bandSnrDb } = opts;
  if (!(cutoffHz > 0 && cutoffHz <= rate / 2)) throw new Error(`lossyCodec: cutoffHz must be in (0, ${rate / 2}], got ${cutoffHz}`);
  if (!Number.isFinite(bandSnrDb)) throw new Error(`lossyCodec: bandSnrDb must be finite, got ${bandSnrDb}`);
  const w = sineWindow();
  const cutBin = Math.round((cutoffHz / rate) * N);
  const rel = Math.pow(10, -bandSnrDb / 20) * Math.sqrt(12);
  const padded = x.length + 2 * N;
  const out = new Float64Array(padded);
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  // Frames start HOP*k - HOP relative to x, so every sample of x is covered by two frames.
  for (let start = -HOP; start < x.length; start += HOP) {
    for (let i = 0; i < N; i++) {
      const j = start + i;
      re[i] = j >= 0 && j < x.length ? x[j] * w[i] : 0;
      im[i] = 0;
    }
    fft(re, im);
    for (let b = 0; b + 1 < BAND_EDGES.length; b++) {
      const lo = BAND_EDGES[b], hi = Math.min(BAND_EDGES[b + 1], N / 2 + 1);
      let e = 0;
      for (let k = lo; k < hi; k++) e += re[k] * re[k] + im[k] * im[k];
      const step = Math.sqrt(e / (2 * (hi - lo))) * rel;
      for (let k = lo; k < hi; k++) {
        if (k >= cutBin || step === 0) { re[k] = 0; im[k] = 0; continue; }
        re[k] = Math.round(re[k] / step) * step;
        im[k] = Math.round(im[k] / step) * step;
      }
    }
    for (let k = 1; k < N / 2; k++) { re[N - k] = re[k]; im[N - k] = -im[k]; }
    im[0] = 0; im[N / 2] = 0;
    fft(re, im, true);
    for (let i = 0; i < N; i++) out[start + HOP + i] += re[i] * w[i];
  }
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = out[i + HOP];
  return y;
}
