import type { FeatureConfig } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { numModelFrames } from './framing.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Model frames from (normalized) base frames: model frame j = [x[j*S], x[j*S + 1], ...,
 * x[j*S + K - 1]] with K = cfg.stack, S = cfg.subsample; no padding (see numModelFrames).
 * The input may have any dim; the output has dim * K columns.
 */
export function stackAndSubsample(base: FeatureMatrix, cfg: FeatureConfig): FeatureMatrix {
  validateFeatureConfig(cfg);
  assertMatrix(base, 'stackAndSubsample input');
  const frames = numModelFrames(base.frames, cfg);
  const rowLen = base.dim * cfg.stack;
  const out = createMatrix(frames, rowLen);
  for (let j = 0; j < frames; j++) {
    const start = j * cfg.subsample * base.dim;
    out.data.set(base.data.subarray(start, start + rowLen), j * rowLen);
  }
  return out;
}
