/**
 * A new version of an existing model package, as retraining without changing the front-end would
 * make it: the weights read back from its model.onnx, exported again (both graphs, metadata
 * embedded) with the same features, normalization and streaming chunking and another `version`.
 * The network is the same, so recognition results are too; only the name in finals differs. An
 * int8 package (the shipped one) is read dequantized and written int8 again, which gives back the
 * same int8 weights (each column's largest value sets its scale again).
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { ONNX_FILE } from '../../src-main/model/package-files.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';

/** Writes `source` again as `version` into `dir` (default: a new temporary folder) and loads it. */
export async function writeModelVersionCopy(source: ModelPackage, version: string, dir?: string): Promise<ModelPackage> {
  const out = dir ?? await mkdtemp(join(tmpdir(), 'hark-model-version-'));
  const weights = readAcousticWeights(new Uint8Array(await readFile(join(source.dir, ONNX_FILE))), { dequantize: true });
  await exportOnnxModel(weights, { ...source.metadata, version }, out);
  return loadModelPackage(out);
}
