import { baseDim, type FeatureConfig, type Normalization } from './config.ts';
import { assertMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { applyCmn } from './sliding-cmn.ts';
import { validateFeatureConfig } from './validate-config.ts';

/** Smallest std written to a Normalization, so a constant column cannot divide by ~0. */
export const STD_FLOOR = 1e-3;

/**
 * Per-column mean and population standard deviation over any number of feature matrices, in
 * float64. Each add() computes the matrix's own mean and centred sum of squares in two passes and
 * merges them with Chan et al.'s pairwise update (numerically stable for long corpora).
 */
export class NormalizationAccumulator {
  readonly dim: number;
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`NormalizationAccumulator: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  /** Frames accumulated so far. */
  get frames(): number {
    return this.count;
  }

  /** Adds every row of `m` (dim must match). */
  add(m: FeatureMatrix): void {
    assertMatrix(m, 'NormalizationAccumulator.add', this.dim);
    const nb = m.frames;
    if (nb === 0) return;
    const dim = this.dim;
    const meanB = new Float64Array(dim);
    const m2B = new Float64Array(dim);
    for (let t = 0; t < nb; t++) for (let j = 0; j < dim; j++) meanB[j] += m.data[t * dim + j];
    for (let j = 0; j < dim; j++) meanB[j] /= nb;
    for (let t = 0; t < nb; t++) {
      for (let j = 0; j < dim; j++) {
        const dev = m.data[t * dim + j] - meanB[j];
        m2B[j] += dev * dev;
      }
    }
    const na = this.count;
    const n = na + nb;
    for (let j = 0; j < dim; j++) {
      const delta = meanB[j] - this.mean[j];
      this.mean[j] += (delta * nb) / n;
      this.m2[j] += m2B[j] + (delta * delta * na * nb) / n;
    }
    this.count = n;
  }

  /** The statistics so far; std is floored at STD_FLOOR. Throws when nothing was added. */
  result(): Normalization {
    if (this.count === 0) throw new Error('NormalizationAccumulator.result: no frames were added');
    const mean = Array.from(this.mean);
    const std = Array.from(this.m2, (v) => Math.max(Math.sqrt(v / this.count), STD_FLOOR));
    return { mean, std };
  }
}

/** Normalization statistics of the rows of all `matrices` (un-normalized base features, same dim). */
export function computeNormalization(matrices: readonly FeatureMatrix[]): Normalization {
  if (!Array.isArray(matrices) || matrices.length === 0) throw new Error('computeNormalization: matrices must be a non-empty array');
  const acc = new NormalizationAccumulator(matrices[0].dim);
  for (const m of matrices) acc.add(m);
  return acc.result();
}

/**
 * The Normalization a model with front end `cfg` stores, from the un-normalized base features
 * (computeBaseFeatures) of whole clips. Without cfg.cmn: computeNormalization. With it, two passes:
 * the raw mean serves as the CMN prior, then mean and std are taken over the CMN'd features, so the
 * stored mean (the runtime's prior and add-back) centres what the model sees.
 */
export function normalizationForConfig(bases: readonly FeatureMatrix[], cfg: FeatureConfig): Normalization {
  validateFeatureConfig(cfg);
  for (const b of bases) assertMatrix(b, 'normalizationForConfig', baseDim(cfg));
  const raw = computeNormalization(bases);
  if (!cfg.cmn) return raw;
  return computeNormalization(bases.map((b) => applyCmn(b, cfg, raw.mean)));
}
