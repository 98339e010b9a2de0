/**
 * Feature front-end configuration. One object describes the features a model was trained on;
 * it is stored in the model's metadata and the runtime refuses a model whose configuration
 * differs from what its front-end produces.
 */
export interface FeatureConfig {
  /** Input PCM rate in Hz; everything upstream resamples to it. */
  sampleRate: number;
  /** Analysis window in samples; a power of two (Meyda's requirement). */
  frameLength: number;
  /** Hop between analysis frames in samples (160 = 10 ms at 16 kHz). */
  hopLength: number;
  /** MFCC coefficients per frame (Meyda numberOfMFCCCoefficients). */
  numMfcc: number;
  /** Mel filter bank size (Meyda melBands). */
  melBands: number;
  /** 0: MFCC only, 1: + deltas, 2: + deltas + delta-deltas. */
  deltaOrder: number;
  /** Half-width N of the regression window used for deltas. */
  deltaWindow: number;
  /** Number of consecutive normalized frames concatenated into one model frame. */
  stack: number;
  /** Keep one stacked frame out of every `subsample` (model frame rate = 100 / subsample Hz). */
  subsample: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  sampleRate: 16000,
  frameLength: 512,
  hopLength: 160,
  numMfcc: 13,
  melBands: 40,
  deltaOrder: 2,
  deltaWindow: 2,
  stack: 3,
  subsample: 3,
};

/** Dimension of one analysis frame before stacking: MFCC plus its deltas. */
export function baseDim(cfg: FeatureConfig): number {
  return cfg.numMfcc * (1 + cfg.deltaOrder);
}

/** Dimension of one model input frame (after stacking). */
export function modelInputDim(cfg: FeatureConfig): number {
  return baseDim(cfg) * cfg.stack;
}

/** Seconds of audio between two consecutive model frames. */
export function modelFrameSec(cfg: FeatureConfig): number {
  return (cfg.hopLength * cfg.subsample) / cfg.sampleRate;
}

/** Per-dimension statistics applied before stacking: x' = (x - mean) / std. Length = baseDim. */
export interface Normalization {
  mean: number[];
  std: number[];
}
