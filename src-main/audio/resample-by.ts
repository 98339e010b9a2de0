/**
 * Arbitrary-ratio resampling with a windowed-sinc interpolator, used for speed perturbation
 * and spectral warping. `resampleBy(x, f)` reads x at positions 0, f, 2f, ...: the output is
 * 1/f as long and every frequency is scaled by f (f > 1 is faster and higher).
 * ref: J. O. Smith, "Digital Audio Resampling" (bandlimited interpolation, table-driven).
 */

const HALF_TAPS = 12;
const PHASES = 512;

/** Interpolation table for one cutoff (fraction of Nyquist): PHASES+1 rows of 2*HALF_TAPS Blackman-windowed sinc taps. */
function buildTable(cutoff: number): Float32Array {
  const width = 2 * HALF_TAPS;
  const table = new Float32Array((PHASES + 1) * width);
  for (let p = 0; p <= PHASES; p++) {
    const frac = p / PHASES;
    for (let j = 0; j < width; j++) {
      const t = j - HALF_TAPS + 1 - frac; // distance from the output point to tap j
      const x = Math.PI * cutoff * t;
      const sinc = t === 0 ? 1 : Math.sin(x) / x;
      const w = (t + HALF_TAPS) / (2 * HALF_TAPS); // 0..1 across the window
      const blackman = w <= 0 || w >= 1 ? 0 : 0.42 - 0.5 * Math.cos(2 * Math.PI * w) + 0.08 * Math.cos(4 * Math.PI * w);
      table[p * width + j] = cutoff * sinc * blackman;
    }
  }
  return table;
}

const tableCache = new Map<number, Float32Array>();

function tableFor(cutoff: number): Float32Array {
  const key = Math.round(cutoff * 1000) / 1000;
  let t = tableCache.get(key);
  if (!t) {
    t = buildTable(key);
    if (tableCache.size > 64) tableCache.clear();
    tableCache.set(key, t);
  }
  return t;
}

/** Resamples by reading at step `factor` (> 0); output length floor((n - 1) / factor) + 1. */
export function resampleBy(x: Float32Array, factor: number): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`resampleBy: factor must be a positive number, got ${factor}`);
  if (x.length === 0) return new Float32Array(0);
  // Reading faster than 1 compresses the spectrum upward: low-pass first at Nyquist / factor.
  const cutoff = 0.97 * Math.min(1, 1 / factor);
  const table = tableFor(cutoff);
  const width = 2 * HALF_TAPS;
  const n = x.length;
  const outLen = Math.floor((n - 1) / factor) + 1;
  const out = new Float32Array(outLen);
  for (let i = 0; i < outLen; i++) {
    const pos = i * factor;
    const base = Math.floor(pos);
    const row = Math.round((pos - base) * PHASES) * width;
    const first = base - HALF_TAPS + 1;
    let acc = 0;
    if (first >= 0 && first + width <= n) {
      for (let j = 0; j < width; j++) acc += x[first + j] * table[row + j];
    } else {
      for (let j = 0; j < width; j++) {
        const k = first + j;
        if (k >= 0 && k < n) acc += x[k] * table[row + j];
      }
    }
    out[i] = acc;
  }
  return out;
}
