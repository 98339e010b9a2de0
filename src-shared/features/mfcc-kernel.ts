import type { FeatureConfig } from './config.ts';
import { meydaTables } from './meyda-instance.ts';
import { RealPowerSpectrum } from './real-fft.ts';

/**
 * PCM in [-1, 1] is multiplied by this before analysis, i.e. analysed in 16-bit integer units.
 * Meyda's log mel energy is ln(E + 1) (see meyda/src/extractors/melBands.ts): on [-1, 1] input the
 * +1 would swamp quiet bands (E of a -40 dBFS band is ~1e-3, so ln(E + 1) ~ E, not a log); in
 * int16 units the +1 is an energy floor near one LSB, ln(E + 1) ~ ln E for audible sound, and
 * digital silence gives exactly 0 (finite) in every band, so no dither is needed.
 */
export const PCM_SCALE = 32768;

/**
 * Meyda's MFCC (Meyda.extract('mfcc')) for one frame, with buffers and tables built once:
 *   w = hann(N) (Meyda's), P[k] = |FFT(PCM_SCALE * x * w)[k]|^2 for k < N / 2,
 *   E[m] = sum_k H[m][k] P[k] with Meyda's mel filter bank H (1125 ln(1 + f / 700) mel scale,
 *   triangles with unit peaks on floor((N + 1) f / rate) bins), L[m] = ln(E[m] + 1),
 *   c[q] = 2 sum_m L[m] cos(pi q (m + 0.5) / M) for q < numMfcc (the `dct` package, scale 2).
 * The window and filter bank come from Meyda; the per-frame arithmetic runs here in float64
 * (Meyda rounds its spectra to float32 and allocates per frame, ~10x slower). It matches
 * Meyda.extract within float32 rounding (tests/unit/features-mfcc.test.ts).
 */
export class MfccKernel {
  readonly frameLength: number;
  readonly numMfcc: number;
  private readonly window: Float64Array;
  private readonly fft: RealPowerSpectrum;
  /** Sparse filter bank: filter m has weights bankW[bankStart[m] ... bankStart[m + 1]) on bins bankBin[...]. */
  private readonly bankStart: Uint32Array;
  private readonly bankBin: Uint32Array;
  private readonly bankW: Float64Array;
  /** DCT-II matrix [numMfcc][melBands], scale 2 included. */
  private readonly dct: Float64Array;
  private readonly melBands: number;
  private readonly frame: Float64Array;
  private readonly power: Float64Array;
  private readonly logMel: Float64Array;

  /**
   * `warp`: vocal tract length warp alpha (1 = none). The filter bank is applied to the power
   * spectrum with its frequency axis scaled, E[m] = sum_k H[m][k] P(k / alpha) (P linearly
   * interpolated between bins, 0 beyond Nyquist): the MFCC of the input with every frequency
   * multiplied by alpha, as spectralWarp (train/data/augment) does to the waveform, computed
   * frame by frame so that a stream can be warped live. Folded into the sparse bank once.
   */
  constructor(cfg: FeatureConfig, warp = 1) {
    if (!(warp >= 0.5 && warp <= 2)) throw new Error(`MFCC warp must be in [0.5, 2], got ${warp}`);
    const n = cfg.frameLength;
    this.frameLength = n;
    this.numMfcc = cfg.numMfcc;
    const tables = meydaTables(cfg);
    this.window = tables.window;
    this.fft = new RealPowerSpectrum(n);
    // Meyda sizes its bank as max(melBands, numMfcc); validation guarantees numMfcc <= melBands.
    const bank = warp === 1 ? tables.melFilterBank : warpFilterBank(tables.melFilterBank, warp, n / 2);
    this.melBands = bank.length;
    const starts: number[] = [0];
    const bins: number[] = [];
    const weights: number[] = [];
    for (const row of bank) {
      for (let k = 0; k < row.length; k++) {
        if (row[k] !== 0) {
          bins.push(k);
          weights.push(row[k]);
        }
      }
      starts.push(bins.length);
    }
    this.bankStart = Uint32Array.from(starts);
    this.bankBin = Uint32Array.from(bins);
    this.bankW = Float64Array.from(weights);
    const m = this.melBands;
    this.dct = new Float64Array(this.numMfcc * m);
    for (let q = 0; q < this.numMfcc; q++) {
      for (let b = 0; b < m; b++) this.dct[q * m + b] = 2 * Math.cos((Math.PI / m) * (b + 0.5) * q);
    }
    this.frame = new Float64Array(n);
    this.power = new Float64Array(n / 2);
    this.logMel = new Float64Array(m);
  }

  /** MFCC of pcm[offset, offset + frameLength) written to out[outOffset, outOffset + numMfcc). */
  compute(pcm: Float32Array, offset: number, out: Float32Array, outOffset: number): void {
    const n = this.frameLength;
    const frame = this.frame;
    const window = this.window;
    for (let i = 0; i < n; i++) frame[i] = pcm[offset + i] * PCM_SCALE * window[i];
    this.fft.power(frame, this.power);
    const power = this.power;
    const m = this.melBands;
    for (let b = 0; b < m; b++) {
      let e = 0;
      for (let p = this.bankStart[b]; p < this.bankStart[b + 1]; p++) e += this.bankW[p] * power[this.bankBin[p]];
      this.logMel[b] = Math.log(e + 1);
    }
    for (let q = 0; q < this.numMfcc; q++) {
      let c = 0;
      const row = q * m;
      for (let b = 0; b < m; b++) c += this.dct[row + b] * this.logMel[b];
      out[outOffset + q] = c;
    }
  }
}

/** H'[m][j] = sum_k H[m][k] * (weight of bin j in P(k / alpha), linear interpolation); bins >= `bins` dropped. */
function warpFilterBank(bank: readonly ArrayLike<number>[], alpha: number, bins: number): number[][] {
  return bank.map((row) => {
    const out = new Array<number>(row.length).fill(0);
    for (let k = 0; k < row.length; k++) {
      if (row[k] === 0) continue;
      const src = k / alpha;
      const i = Math.floor(src);
      const f = src - i;
      if (i < bins) out[i] += row[k] * (1 - f);
      if (f > 0 && i + 1 < bins) out[i + 1] += row[k] * f;
    }
    return out;
  });
}

const kernelCache = new Map<string, MfccKernel>();
const MAX_CACHED_KERNELS = 8;

/**
 * The kernel for `cfg` and `warp`, one per distinct (sampleRate, frameLength, melBands, numMfcc, warp). Kernels
 * hold scratch buffers, so share one only within a single synchronous call (as here).
 */
export function mfccKernelFor(cfg: FeatureConfig, warp = 1): MfccKernel {
  const key = `${cfg.sampleRate}/${cfg.frameLength}/${cfg.melBands}/${cfg.numMfcc}/${warp}`;
  let kernel = kernelCache.get(key);
  if (!kernel) {
    if (kernelCache.size >= MAX_CACHED_KERNELS) kernelCache.clear();
    kernel = new MfccKernel(cfg, warp);
    kernelCache.set(key, kernel);
  }
  return kernel;
}
