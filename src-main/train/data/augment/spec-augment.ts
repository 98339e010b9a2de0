/**
 * SpecAugment time and frequency masking on model features (Park et al., Interspeech 2019).
 * Features are row-major [frames][dim]; masked cells are set to `maskValue` (0 = the mean
 * after normalization). When the frame is a stack of `groups` copies of one base feature
 * vector (frame stacking), a frequency mask hides the same coefficients in every copy.
 */
import type { Rng } from '../rng.ts';

export interface SpecAugmentOptions {
  timeMasks: number;
  /** Longest time mask in frames; also capped at maxTimeFraction of the utterance. */
  maxTimeWidth: number;
  maxTimeFraction: number;
  freqMasks: number;
  /** Widest frequency mask in coefficients of one group. */
  maxFreqWidth: number;
  /** dim = groups × group size; 1 when features are not stacked. */
  groups: number;
  maskValue: number;
}

export const DEFAULT_SPEC_AUGMENT: SpecAugmentOptions = {
  timeMasks: 2, maxTimeWidth: 5, maxTimeFraction: 0.2, freqMasks: 2, maxFreqWidth: 6, groups: 1, maskValue: 0,
};

/** Returns a masked copy of `features` (frames × dim). */
export function specAugment(features: Float32Array, frames: number, dim: number, rng: Rng, opts: Partial<SpecAugmentOptions> = {}): Float32Array {
  const o = { ...DEFAULT_SPEC_AUGMENT, ...opts };
  if (features.length !== frames * dim) throw new Error(`specAugment: features length ${features.length} != frames ${frames} × dim ${dim}`);
  if (!Number.isInteger(o.groups) || o.groups < 1 || dim % o.groups !== 0) throw new Error(`specAugment: groups ${o.groups} must divide dim ${dim}`);
  const out = new Float32Array(features);
  const groupDim = dim / o.groups;
  const maxT = Math.min(o.maxTimeWidth, Math.floor(frames * o.maxTimeFraction));
  for (let m = 0; m < o.timeMasks && maxT > 0; m++) {
    const width = rng.int(0, maxT);
    const start = rng.int(0, frames - width);
    out.fill(o.maskValue, start * dim, (start + width) * dim);
  }
  const maxF = Math.min(o.maxFreqWidth, groupDim);
  for (let m = 0; m < o.freqMasks && maxF > 0; m++) {
    const width = rng.int(0, maxF);
    const start = rng.int(0, groupDim - width);
    for (let t = 0; t < frames; t++) {
      for (let g = 0; g < o.groups; g++) {
        const base = t * dim + g * groupDim + start;
        out.fill(o.maskValue, base, base + width);
      }
    }
  }
  return out;
}
