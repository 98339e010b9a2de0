/**
 * Turns one clean clip into a training example: waveform augmentation, the shared feature
 * front-end (MFCC + deltas), normalization, stacking, SpecAugment. Runs in the data worker.
 */
import { computeBaseFeatures, normalize, stackAndSubsample, type FeatureConfig, type FeatureMatrix, type Normalization } from '../../src-shared/features/index.ts';
import { augment, type AugmentOptions } from './data/augment/augment.ts';
import { specAugment } from './data/augment/spec-augment.ts';
import type { Rng } from './data/rng.ts';

export interface ExampleOptions {
  features: FeatureConfig;
  normalization: Normalization;
  /** Waveform augmentation on/off (off for evaluation). */
  augment: boolean;
  /** What the waveform augmentation changes from DEFAULT_AUGMENT_OPTIONS (a plain object: it goes to the data worker). */
  augmentOptions?: Partial<AugmentOptions>;
  specAugment: boolean;
}

/** Model frames of a clip, optionally augmented. */
export function buildFeatures(pcm: Float32Array, opts: ExampleOptions, rng: Rng): FeatureMatrix {
  const wave = opts.augment ? augment(pcm, rng, opts.augmentOptions) : pcm;
  const base = computeBaseFeatures(wave, opts.features);
  const model = stackAndSubsample(normalize(base, opts.normalization, opts.features), opts.features);
  if (opts.specAugment && model.frames > 0) {
    model.data = specAugment(model.data, model.frames, model.dim, rng, { groups: opts.features.stack });
  }
  return model;
}
