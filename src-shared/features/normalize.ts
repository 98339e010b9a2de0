import { baseDim, type FeatureConfig, type Normalization } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { validateNormalization } from './validate-config.ts';

/** Returns x' = (x - mean[j]) / std[j] per column j; `base` has baseDim(cfg) columns. */
export function normalize(base: FeatureMatrix, norm: Normalization, cfg: FeatureConfig): FeatureMatrix {
  const dim = baseDim(cfg);
  assertMatrix(base, 'normalize input', dim);
  validateNormalization(norm, cfg);
  const out = createMatrix(base.frames, dim);
  normalizeInto(base.data, out.data, base.frames, norm.mean, norm.std);
  return out;
}

/** In-place-safe kernel of normalize (src may equal dst); shared with the streaming path. */
export function normalizeInto(src: Float32Array, dst: Float32Array, frames: number, mean: readonly number[], std: readonly number[]): void {
  const dim = mean.length;
  for (let t = 0; t < frames; t++) {
    const o = t * dim;
    for (let j = 0; j < dim; j++) dst[o + j] = (src[o + j] - mean[j]) / std[j];
  }
}
