/**
 * Power spectrum of a real frame of power-of-two length N: |X[k]|^2 for k in [0, N / 2), where
 * X[k] = sum_n x[n] e^{-2 pi i k n / N} (unnormalized, the convention of Meyda's fftjs).
 * Computed as one complex FFT of length N / 2 on z[n] = x[2n] + i x[2n + 1], then split:
 * X[k] = (Z[k] + conj Z[M - k]) / 2 - i e^{-2 pi i k / N} (Z[k] - conj Z[M - k]) / 2, M = N / 2.
 * ref: any DSP text on "FFT of real sequences via a half-length complex FFT". Buffers are
 * preallocated; one instance is not re-entrant.
 */
export class RealPowerSpectrum {
  readonly size: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  /** Twiddles of the half-length FFT: cos / sin(2 pi k / M), k < M / 2. */
  private readonly twCos: Float64Array;
  private readonly twSin: Float64Array;
  /** Split twiddles: cos / sin(2 pi k / N), k < M. */
  private readonly spCos: Float64Array;
  private readonly spSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new Error(`RealPowerSpectrum: size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    const m = size / 2;
    this.half = m;
    const bits = Math.log2(m);
    this.bitrev = new Uint32Array(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    this.twCos = new Float64Array(Math.max(1, m / 2));
    this.twSin = new Float64Array(Math.max(1, m / 2));
    for (let k = 0; k < m / 2; k++) {
      this.twCos[k] = Math.cos((2 * Math.PI * k) / m);
      this.twSin[k] = Math.sin((2 * Math.PI * k) / m);
    }
    this.spCos = new Float64Array(m);
    this.spSin = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      this.spCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.spSin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
  }

  /** Writes |X[k]|^2, k in [0, size / 2), of `frame` (length `size`) into `out`. */
  power(frame: ArrayLike<number>, out: Float64Array): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const bitrev = this.bitrev;
    for (let i = 0; i < m; i++) {
      const j = bitrev[i];
      re[j] = frame[2 * i];
      im[j] = frame[2 * i + 1];
    }
    // Iterative radix-2 decimation-in-time butterflies, forward transform (e^{-i...}).
    for (let len = 2; len <= m; len <<= 1) {
      const halfLen = len >> 1;
      const step = m / len;
      for (let start = 0; start < m; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = this.twCos[k * step];
          const wi = -this.twSin[k * step];
          const a = start + k;
          const b = a + halfLen;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    for (let k = 0; k < m; k++) {
      const k2 = k === 0 ? 0 : m - k;
      const zr = re[k];
      const zi = im[k];
      const cr = re[k2];
      const ci = -im[k2];
      // E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / (2i)
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      // X[k] = E + e^{-2 pi i k / N} O
      const wr = this.spCos[k];
      const wi = -this.spSin[k];
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }
}
