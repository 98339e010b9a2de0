/** The feature front-end: one implementation for the renderer, file transcription and training. */
export { DEFAULT_FEATURE_CONFIG, baseDim, modelInputDim, modelFrameSec } from './config.ts';
export type { FeatureConfig, Normalization } from './config.ts';
export type { FeatureMatrix } from './feature-matrix.ts';
export { createMatrix, concatFrames } from './feature-matrix.ts';
export { validateFeatureConfig, validateNormalization } from './validate-config.ts';
export { numAnalysisFrames, numModelFrames, modelFramesForSamples, modelFrameCenterSec } from './framing.ts';
export { PCM_SCALE } from './mfcc-kernel.ts';
export { computeMfcc, computeMfccWithMeydaExtract } from './mfcc.ts';
export { addDeltas } from './deltas.ts';
export { normalize } from './normalize.ts';
export { NormalizationAccumulator, computeNormalization, STD_FLOOR } from './normalization-stats.ts';
export { stackAndSubsample } from './stack.ts';
export { computeBaseFeatures, computeFeatures } from './compute-features.ts';
export { StreamingMfcc } from './streaming-mfcc.ts';
export { StreamingDeltas } from './streaming-deltas.ts';
export { StreamingFrameStacker } from './streaming-frame-stacker.ts';
export { StreamingFeatureExtractor } from './streaming-feature-extractor.ts';
