import { baseDim, type FeatureConfig, type Normalization } from './config.ts';
import { assertMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { normalizeInto } from './normalize.ts';
import { SlidingCmn } from './sliding-cmn.ts';
import { validateFeatureConfig, validateNormalization } from './validate-config.ts';

/**
 * Streaming normalize: base rows (baseDim) in stream order, normalized in place. With cfg.cmn the
 * static columns go through SlidingCmn first, whose window carries over from push to push, so the
 * rows equal normalize() of the whole stream bit for bit in any chunking.
 */
export class StreamingNormalizer {
  private readonly mean: number[];
  private readonly std: number[];
  private readonly dim: number;
  private readonly cmn: SlidingCmn | null;

  constructor(cfg: FeatureConfig, norm: Normalization) {
    validateFeatureConfig(cfg);
    validateNormalization(norm, cfg);
    this.dim = baseDim(cfg);
    this.mean = [...norm.mean];
    this.std = [...norm.std];
    this.cmn = cfg.cmn ? new SlidingCmn(cfg, this.mean) : null;
  }

  /** Normalizes the rows of `base` in place. */
  apply(base: FeatureMatrix): void {
    assertMatrix(base, 'StreamingNormalizer.apply input', this.dim);
    this.cmn?.apply(base.data, base.data, base.frames, this.dim);
    normalizeInto(base.data, base.data, base.frames, this.mean, this.std);
  }

  /** Forgets the CMN window; the next row starts a new stream. */
  reset(): void {
    this.cmn?.reset();
  }
}
