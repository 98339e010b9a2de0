/**
 * A new version of an existing model package, as retraining without changing the front-end would
 * make it: the weights read back from its model.onnx, exported again (both graphs, metadata
 * embedded) with the same features, normalization and streaming chunking and another `version`.
 * The network is the same, so recognition results are too; only the name in finals differs. An
 * int8 package (the shipped one) is read dequantized and written int8 again, which gives back the
 * same int8 weights (each column's largest value sets its scale again).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewriteModelPackage } from '../../src-main/model/write-model.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';

/** Writes `source` again as `version` into `dir` (default: a new temporary folder) and loads it. */
export async function writeModelVersionCopy(source: ModelPackage, version: string, dir?: string): Promise<ModelPackage> {
  const out = dir ?? await mkdtemp(join(tmpdir(), 'hark-model-version-'));
  await rewriteModelPackage(source, { ...source.metadata, version }, out);
  return loadModelPackage(out);
}
