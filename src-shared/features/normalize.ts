import { baseDim, type FeatureConfig, type Normalization } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { SlidingCmn } from './sliding-cmn.ts';
import { validateNormalization } from './validate-config.ts';

/**
 * Returns x' = (x - mean[j]) / std[j] per column j; `base` has baseDim(cfg) columns and holds one
 * whole stream from its first frame. With cfg.cmn, the static columns first go through SlidingCmn
 * with norm.mean as its prior (StreamingNormalizer does the same two steps in the same order).
 */
export function normalize(base: FeatureMatrix, norm: Normalization, cfg: FeatureConfig): FeatureMatrix {
  const dim = baseDim(cfg);
  assertMatrix(base, 'normalize input', dim);
  validateNormalization(norm, cfg);
  const out = createMatrix(base.frames, dim);
  if (cfg.cmn) {
    new SlidingCmn(cfg, norm.mean).apply(base.data, out.data, base.frames, dim);
    normalizeInto(out.data, out.data, base.frames, norm.mean, norm.std);
  } else {
    normalizeInto(base.data, out.data, base.frames, norm.mean, norm.std);
  }
  return out;
}

/** In-place-safe kernel of the global normalization (src may equal dst); shared with the streaming path. */
export function normalizeInto(src: Float32Array, dst: Float32Array, frames: number, mean: readonly number[], std: readonly number[]): void {
  const dim = mean.length;
  for (let t = 0; t < frames; t++) {
    const o = t * dim;
    for (let j = 0; j < dim; j++) dst[o + j] = (src[o + j] - mean[j]) / std[j];
  }
}
