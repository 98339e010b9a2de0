import { cmnPriorFrames, type FeatureConfig } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Causal sliding-window cepstral mean normalization of the static MFCC columns (FeatureConfig.cmn),
 * one row at a time in stream order. For analysis frame t (0-based) and static coefficient j, with
 * W = windowFrames, P = priorFrames and g = the prior (the model's Normalization mean):
 *   n = min(t + 1, W)            frames in the window, the current one included
 *   S = sum of x_j over them
 *   p = min(P, W - n)            prior weight in frames: P at the start, 0 once the window is full
 *   m = (p * g_j + S) / (p + n)  local mean
 *   x'_j = x_j - m + g_j         (the global mean added back, so Normalization still centres x')
 * p shrinks to 0 continuously as the window fills, so the estimate never jumps. Columns past
 * numMfcc (the deltas, computed from the raw statics: a constant channel offset has zero delta
 * already) pass through unchanged. Sums are float64 and recomputed from the window every W frames,
 * so rounding cannot drift on long streams; whole-file and streaming callers feed the same rows in
 * the same order, so they agree bit for bit in any chunking.
 */
export class SlidingCmn {
  private readonly d: number;
  private readonly window: number;
  private readonly priorFrames: number;
  private readonly prior: Float64Array;
  /** The last `window` raw static rows; row t lives at ring[(t % window) * d]. */
  private readonly ring: Float32Array;
  private readonly sum: Float64Array;
  private frames = 0;

  /** `priorMean`: the global mean; its first numMfcc values (the statics) are used. */
  constructor(cfg: FeatureConfig, priorMean: ArrayLike<number>) {
    validateFeatureConfig(cfg);
    if (!cfg.cmn) throw new Error('SlidingCmn: the feature configuration has no cmn');
    this.d = cfg.numMfcc;
    this.window = cfg.cmn.windowFrames;
    this.priorFrames = cmnPriorFrames(cfg.cmn);
    if (priorMean.length < this.d) throw new Error(`SlidingCmn: the prior mean needs ${this.d} values, got ${priorMean.length}`);
    this.prior = Float64Array.from({ length: this.d }, (_, j) => priorMean[j]);
    for (let j = 0; j < this.d; j++) if (!Number.isFinite(this.prior[j])) throw new Error(`SlidingCmn: prior mean[${j}] is not finite`);
    this.ring = new Float32Array(this.window * this.d);
    this.sum = new Float64Array(this.d);
  }

  /** Analysis frames processed so far. */
  get framesSeen(): number {
    return this.frames;
  }

  /**
   * Normalizes `rows` rows of `stride` values (the statics in columns [0, numMfcc)) from src into
   * dst; src may equal dst. Other columns are copied when src !== dst.
   */
  apply(src: Float32Array, dst: Float32Array, rows: number, stride: number): void {
    const { d, window, prior, ring, sum } = this;
    for (let r = 0; r < rows; r++) {
      const o = r * stride;
      const slot = (this.frames % window) * d;
      const full = this.frames >= window;
      for (let j = 0; j < d; j++) {
        if (full) sum[j] -= ring[slot + j];
        ring[slot + j] = src[o + j];
        sum[j] += src[o + j];
      }
      this.frames++;
      if (this.frames % window === 0) {
        // Once per window length: exact sums from the ring (oldest to newest), bounding drift.
        sum.fill(0);
        for (let s = 0; s < window; s++) for (let j = 0; j < d; j++) sum[j] += ring[s * d + j];
      }
      const n = Math.min(this.frames, window);
      const p = Math.min(this.priorFrames, window - n);
      for (let j = 0; j < d; j++) {
        const m = (p * prior[j] + sum[j]) / (p + n);
        dst[o + j] = src[o + j] - m + prior[j];
      }
      if (src !== dst) for (let j = d; j < stride; j++) dst[o + j] = src[o + j];
    }
  }

  /** Forgets the window; the next row starts a new stream. */
  reset(): void {
    this.frames = 0;
    this.sum.fill(0);
  }
}

/**
 * CMN of a whole signal's base features (rows of baseDim or numMfcc values, the statics first):
 * a new matrix. Without cfg.cmn, a copy. The trainer accumulates Normalization statistics over
 * these when the model uses CMN (normalizationForConfig).
 */
export function applyCmn(base: FeatureMatrix, cfg: FeatureConfig, priorMean: ArrayLike<number>): FeatureMatrix {
  validateFeatureConfig(cfg);
  assertMatrix(base, 'applyCmn input');
  if (base.dim < cfg.numMfcc) throw new Error(`applyCmn: rows have ${base.dim} values, fewer than numMfcc = ${cfg.numMfcc}`);
  const out = createMatrix(base.frames, base.dim);
  if (!cfg.cmn) {
    out.data.set(base.data);
    return out;
  }
  new SlidingCmn(cfg, priorMean).apply(base.data, out.data, base.frames, base.dim);
  return out;
}
