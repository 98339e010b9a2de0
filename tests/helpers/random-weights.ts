/**
 * Deterministic random AcousticModelWeights (and inputs) for tiny-model tests.
 */
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { gatesOf, type AcousticModelWeights, type DirectionWeights } from '../../src-main/model/weights.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

/** mulberry32: a small seeded PRNG giving floats in [0, 1) (the training data's Rng). */
export function seededRandom(seed: number): () => number {
  return createRng(seed).next;
}

/** `n` values uniform in [-scale, scale). */
export function randomArray(n: number, rand: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (2 * rand() - 1) * scale);
}

/** Weights matching `spec`, uniform in [-scale, scale) (biases too, so gate order matters). */
export function randomWeights(spec: ArchitectureSpec, seed: number, scale = 0.6): AcousticModelWeights {
  const rand = seededRandom(seed);
  const gh = gatesOf(spec.cell) * spec.hidden;
  const dirs = spec.bidirectional ? 2 : 1;
  const direction = (inputSize: number): DirectionWeights => ({
    kernel: randomArray(inputSize * gh, rand, scale),
    recurrent: randomArray(spec.hidden * gh, rand, scale),
    bias: randomArray(gh, rand, scale),
  });
  const layers = Array.from({ length: spec.layers }, (_, l) => {
    const inputSize = l === 0 ? spec.inputDim : dirs * spec.hidden;
    const forward = direction(inputSize);
    return spec.bidirectional ? { inputSize, forward, backward: direction(inputSize) } : { inputSize, forward };
  });
  return {
    spec: { ...spec },
    layers,
    output: {
      kernel: randomArray(dirs * spec.hidden * spec.numUnits, rand, 1.5),
      bias: randomArray(spec.numUnits, rand, 0.5),
    },
  };
}
