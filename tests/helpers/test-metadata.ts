/**
 * ModelMetadata consistent with a small ArchitectureSpec: the feature configuration is chosen
 * so that modelInputDim(features) == spec.inputDim (numMfcc = inputDim, no deltas, no stacking).
 */
import { MODEL_FORMAT_VERSION, type ArchitectureSpec, type ModelMetadata } from '../../src-shared/model/metadata.ts';

export function testMetadata(spec: ArchitectureSpec): ModelMetadata {
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    name: 'tiny-test',
    version: '0.0.1',
    createdAt: '2024-01-02T03:04:05.000Z',
    units: Array.from({ length: spec.numUnits }, (_, i) => `u${i}`),
    features: {
      sampleRate: 16000, frameLength: 512, hopLength: 160, numMfcc: spec.inputDim,
      melBands: 40, deltaOrder: 0, deltaWindow: 2, stack: 1, subsample: 1,
    },
    normalization: {
      mean: Array.from({ length: spec.inputDim }, (_, i) => i * 0.25 - 1),
      std: Array.from({ length: spec.inputDim }, (_, i) => 1 + i * 0.5),
    },
    architecture: { ...spec },
    streaming: { chunkFrames: 20, lookaheadFrames: 10 },
    training: { note: 'random weights', unicode: 'é ✓' },
  };
}
