/**
 * A tiny random-weight model package with the real front-end contract (DEFAULT_FEATURE_CONFIG,
 * the phoneme UNITS), for engine and CLI tests that must not depend on a trained model.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FEATURE_CONFIG, baseDim, modelInputDim } from '../../src-shared/features/config.ts';
import { MODEL_FORMAT_VERSION, type ArchitectureSpec, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { randomWeights } from './random-weights.ts';

export const ENGINE_TEST_SPEC: ArchitectureSpec = {
  cell: 'lstm', bidirectional: true, layers: 1, hidden: 8, inputDim: modelInputDim(DEFAULT_FEATURE_CONFIG), numUnits: UNITS.length,
};

/** Metadata for `spec` with the default features; normalization roughly scaled to MFCC ranges. */
export function engineMetadata(spec: ArchitectureSpec = ENGINE_TEST_SPEC, name = 'random-test'): ModelMetadata {
  const d = baseDim(DEFAULT_FEATURE_CONFIG);
  return {
    formatVersion: MODEL_FORMAT_VERSION,
    name,
    version: '0.0.0',
    createdAt: '2024-01-01T00:00:00.000Z',
    units: [...UNITS],
    features: { ...DEFAULT_FEATURE_CONFIG },
    normalization: { mean: Array.from({ length: d }, () => 0), std: Array.from({ length: d }, (_, i) => (i < 13 ? 10 : 2)) },
    architecture: { ...spec },
    streaming: { chunkFrames: 16, lookaheadFrames: 8 },
  };
}

/** Writes a random-weight package into a new temporary folder (or `dir`) and returns where and what. */
export async function writeRandomModelPackage(
  seed = 1, opts: { dir?: string; name?: string } = {},
): Promise<{ dir: string; weights: AcousticModelWeights; metadata: ModelMetadata }> {
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'hark-model-'));
  const weights = randomWeights(ENGINE_TEST_SPEC, seed);
  const metadata = engineMetadata(ENGINE_TEST_SPEC, opts.name);
  await exportOnnxModel(weights, metadata, dir);
  return { dir, weights, metadata };
}
