import type { FeatureConfig, Normalization } from './config.ts';
import { addDeltas } from './deltas.ts';
import type { FeatureMatrix } from './feature-matrix.ts';
import { computeMfcc } from './mfcc.ts';
import { normalize } from './normalize.ts';
import { stackAndSubsample } from './stack.ts';

/**
 * Un-normalized base features of a whole signal: MFCC plus deltas, baseDim(cfg) columns, one row
 * per analysis frame; no CMN (it needs the Normalization mean as its prior and is part of
 * normalize). The trainer derives Normalization statistics from these (normalizationForConfig).
 */
export function computeBaseFeatures(pcm: Float32Array, cfg: FeatureConfig, warp = 1): FeatureMatrix {
  return addDeltas(computeMfcc(pcm, cfg, warp), cfg);
}

/**
 * Model input frames of a whole signal (mono PCM at cfg.sampleRate, nominally [-1, 1]):
 * MFCC -> deltas -> when `norm` is given: sliding CMN of the statics (cfg.cmn only) and
 * (x - mean) / std -> stack + subsample. Row j is model
 * frame j (modelInputDim(cfg) columns); see framing.ts for frame counts and timing. `warp`: frequency
 * warp of the MFCC analysis (MfccKernel; 1 = none).
 */
export function computeFeatures(pcm: Float32Array, cfg: FeatureConfig, norm?: Normalization, warp = 1): FeatureMatrix {
  return computeFeaturesAndC0(pcm, cfg, norm, warp).features;
}

/**
 * computeFeatures, and the un-normalized c0 (first MFCC) of every analysis frame from the same
 * analysis: the energy the voice activity detector decides on (src-main/engine/energy-vad.ts),
 * without a second MFCC pass over the signal.
 */
export function computeFeaturesAndC0(pcm: Float32Array, cfg: FeatureConfig, norm?: Normalization, warp = 1): { features: FeatureMatrix; c0: Float32Array } {
  const base = computeBaseFeatures(pcm, cfg, warp);
  const c0 = new Float32Array(base.frames);
  for (let t = 0; t < base.frames; t++) c0[t] = base.data[t * base.dim];
  return { features: stackAndSubsample(norm ? normalize(base, norm, cfg) : base, cfg), c0 };
}
