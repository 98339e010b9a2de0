/**
 * Dropout between the recurrent layers and before the output layer (the non-recurrent
 * connections: Zaremba et al. 2014, "Recurrent neural network regularization"), inverted: a kept
 * activation is scaled by 1 / (1 - rate), so inference uses the network unchanged.
 *
 * Masks come from per-sequence seeds, not from a shard's or a thread's random state: sequence b of
 * a batch gets the same masks whichever shard computes it, so data-parallel training, a shard
 * split after a worker's failure, and a resumed run all see the same noise. A mask is drawn frame
 * by frame from the sequence's first frame, so padding to a longer batch does not change it.
 */
import { createRng } from './data/rng.ts';

export interface DropoutSpec {
  /** Share of activations dropped, in [0, 1). */
  rate: number;
  /** One seed per sequence of the batch, in batch order. */
  seeds: readonly number[];
}

/** Refuses a rate outside [0, 0.9] (at 0.9 and above, almost nothing would reach the next layer). */
export function validateDropoutRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 0.9) throw new Error(`dropout rate must be from 0 to 0.9, got ${rate}`);
  return rate;
}

/**
 * The seed of sequence `index` of the batch at optimizer step `step` of a run seeded `runSeed`
 * (a 32-bit hash of the three, so neighbouring steps and sequences get unrelated masks).
 */
export function sequenceSeed(runSeed: number, step: number, index: number): number {
  let h = 0x811c9dc5;
  for (const v of [runSeed, step, index]) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h ^ (h >>> 12)) >>> 0;
  }
  return h;
}

/**
 * The mask [T, B, width] (time-major, as the layers' activations) for the activations feeding
 * layer `site` (1..layers-1: the input of a recurrent layer above the first; layers: the output
 * layer's input): 0 for a dropped value, 1 / (1 - rate) for a kept one.
 */
export function dropoutMask(spec: DropoutSpec, site: number, T: number, width: number): Float32Array {
  validateDropoutRate(spec.rate);
  const B = spec.seeds.length;
  const keep = 1 / (1 - spec.rate);
  const mask = new Float32Array(T * B * width);
  spec.seeds.forEach((seed, b) => {
    const rng = createRng(sequenceSeed(seed, site, 0x5eed));
    for (let t = 0; t < T; t++) {
      const row = (t * B + b) * width;
      for (let d = 0; d < width; d++) mask[row + d] = rng.next() < spec.rate ? 0 : keep;
    }
  });
  return mask;
}
