import { baseDim, type FeatureConfig } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Regression deltas (HTK / Kaldi formula) over a range of frames, edges replicated:
 *   d[s] = sum_{n=1..N} n (x[min(s + n, last)] - x[max(s - n, 0)]) / (2 sum_{n=1..N} n^2).
 * `src` holds rows of `dim` values for frames [srcFirst, srcFirst + rows); `dst` receives frames
 * [from, to) starting at its row 0, columns [dstCol, dstCol + dim) of rows `dstStride` wide.
 * Every read index (clamped to [0, last]) must lie inside src. Whole-file and streaming both call
 * this, so they agree bit for bit.
 */
export function regressionDeltas(
  src: Float32Array, srcFirst: number, srcStride: number, srcCol: number, dim: number,
  dst: Float32Array, dstStride: number, dstCol: number,
  from: number, to: number, last: number, window: number,
): void {
  let denom = 0;
  for (let n = 1; n <= window; n++) denom += n * n;
  denom *= 2;
  for (let s = from; s < to; s++) {
    const o = (s - from) * dstStride + dstCol;
    for (let j = 0; j < dim; j++) {
      let acc = 0;
      for (let n = 1; n <= window; n++) {
        const ahead = (Math.min(s + n, last) - srcFirst) * srcStride + srcCol + j;
        const behind = (Math.max(s - n, 0) - srcFirst) * srcStride + srcCol + j;
        acc += n * (src[ahead] - src[behind]);
      }
      dst[o + j] = acc / denom;
    }
  }
}

/**
 * Appends deltas of orders 1..cfg.deltaOrder to MFCC frames: row t of the result is
 * [c_t, d1_t, d2_t, ...] (baseDim(cfg) values), where d(k) is regressionDeltas of d(k-1) over
 * the whole sequence with edges replicated.
 */
export function addDeltas(mfcc: FeatureMatrix, cfg: FeatureConfig): FeatureMatrix {
  validateFeatureConfig(cfg);
  assertMatrix(mfcc, 'addDeltas input', cfg.numMfcc);
  const dim = baseDim(cfg);
  const d = cfg.numMfcc;
  const out = createMatrix(mfcc.frames, dim);
  const t = mfcc.frames;
  for (let s = 0; s < t; s++) out.data.set(mfcc.data.subarray(s * d, (s + 1) * d), s * dim);
  if (t === 0) return out;
  for (let k = 1; k <= cfg.deltaOrder; k++) {
    // Source and destination share `out`: level k reads columns of level k - 1 only.
    regressionDeltas(out.data, 0, dim, (k - 1) * d, d, out.data, dim, k * d, 0, t, t - 1, cfg.deltaWindow);
  }
  return out;
}
