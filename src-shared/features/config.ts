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
  /** Sliding-window cepstral mean normalization of the static MFCC (sliding-cmn.ts); absent = off. */
  cmn?: CmnConfig;
}

/**
 * Causal sliding-window cepstral mean normalization (SlidingCmn). Applied after the deltas (which
 * are computed from the raw statics) and before the global normalization, to the static MFCC
 * columns only: x' = x - localMean + globalMean, where localMean covers the last `windowFrames`
 * analysis frames including the current one, and globalMean is the model's Normalization mean.
 */
export interface CmnConfig {
  /** Analysis frames in the window (300 = 3 s at a 10 ms hop). */
  windowFrames: number;
  /**
   * Weight of the prior (the global mean) in frames while the window is filling; it shrinks to 0
   * as the window fills. Absent: DEFAULT_CMN_PRIOR_FRAMES, at most windowFrames.
   */
  priorFrames?: number;
}

export const DEFAULT_CMN_PRIOR_FRAMES = 100;

/** The prior weight in frames of a CMN configuration, its default resolved. */
export function cmnPriorFrames(cmn: CmnConfig): number {
  return cmn.priorFrames ?? Math.min(cmn.windowFrames, DEFAULT_CMN_PRIOR_FRAMES);
}

/**
 * The one sample rate of Hark's audio: decoded files, the renderer's capture, synthesized training
 * speech, recordings and the front end all run at it.
 */
export const SAMPLE_RATE = 16000;

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  sampleRate: SAMPLE_RATE,
  frameLength: 512,
  hopLength: 160,
  numMfcc: 13,
  melBands: 40,
  deltaOrder: 2,
  deltaWindow: 2,
  stack: 3,
  subsample: 3,
};

/**
 * `cfg` with CMN over `windowFrames` analysis frames, its prior weight written out (so the model's
 * metadata does not depend on this build's default); 0 = without CMN. Validate the result.
 */
export function withCmnWindow(cfg: FeatureConfig, windowFrames: number): FeatureConfig {
  const { cmn: _old, ...rest } = cfg;
  if (windowFrames === 0) return rest;
  const cmn: CmnConfig = { windowFrames };
  return { ...rest, cmn: { windowFrames, priorFrames: cmnPriorFrames(cmn) } };
}

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

/**
 * Per-dimension statistics applied before stacking: x' = (x - mean) / std. Length = baseDim. With
 * FeatureConfig.cmn, mean is also the CMN prior and add-back of the static columns, and both are
 * statistics of CMN'd features (normalizationForConfig).
 */
export interface Normalization {
  mean: number[];
  std: number[];
}
