/**
 * In-place iterative radix-2 complex FFT and the FFT-based tools built on it: fast linear
 * convolution and zero-phase filtering of whole signals by a frequency-gain function.
 * ref: Cooley & Tukey (1965); decimation in time with bit-reversed input order.
 */

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    twiddleCache.set(n, t);
  }
  return t;
}

/** Smallest power of two >= n. */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Transforms (re, im) in place: X[k] = sum_n x[n] exp(-2 pi i k n / N) (or +i and divided by N when
 * `inverse`). N = re.length must be a power of two.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new Error(`fft: length must be a power of two and match, got ${n} and ${im.length}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const { cos, sin } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step];
        const wi = sign * sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
  }
}

/**
 * Full linear convolution of two real signals (length a + b - 1), using one complex FFT for
 * both inputs (a in the real part, b in the imaginary part) and one inverse FFT.
 */
export function convolve(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length === 0 || b.length === 0) throw new Error('convolve: empty input');
  const outLen = a.length + b.length - 1;
  const n = nextPow2(outLen);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(a);
  im.set(b);
  fft(re, im);
  // With Z = A + iB: A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i; product A[k] B[k].
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const m = (n - k) & (n - 1);
    const ar = (re[k] + re[m]) / 2, ai = (im[k] - im[m]) / 2;
    const br = (im[k] + im[m]) / 2, bi = -(re[k] - re[m]) / 2;
    pr[k] = ar * br - ai * bi;
    pi[k] = ar * bi + ai * br;
  }
  fft(pr, pi, true);
  const out = new Float32Array(outLen);
  for (let i = 0; i < outLen; i++) out[i] = pr[i];
  return out;
}

/**
 * Zero-phase filtering: multiplies the spectrum of x by gain(frequency in Hz) and transforms
 * back. The signal is zero-padded by `pad` samples to keep the circular wrap-around out of x.
 */
export function filterByGain(x: Float32Array, rate: number, gain: (hz: number) => number, pad = 2048): Float32Array {
  const n = nextPow2(x.length + pad);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(x);
  fft(re, im);
  for (let k = 0; k <= n / 2; k++) {
    const g = gain((k * rate) / n);
    re[k] *= g; im[k] *= g;
    if (k > 0 && k < n / 2) { re[n - k] *= g; im[n - k] *= g; }
  }
  fft(re, im, true);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = re[i];
  return out;
}

/** Raised-cosine edge: 0 below lo, 1 above hi, smooth in between (lo < hi). */
export function smoothStep(hz: number, lo: number, hi: number): number {
  if (hz <= lo) return 0;
  if (hz >= hi) return 1;
  return 0.5 - 0.5 * Math.cos((Math.PI * (hz - lo)) / (hi - lo));
}
