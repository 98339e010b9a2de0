// The shipped model's float reference (models-float/hark-en; the shipped int8 graphs are its int8
// export, tests/integration/int8-shipped-parity.test.ts): its weights read back from model.onnx
// (readAcousticWeights), loaded into the tfjs AcousticModel, compute the same log-probabilities as
// onnxruntime-node running the file itself, on a synthesized clip: the fine-tuning path starts from
// exactly that network. A missing folder fails the test (it is not skipped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { computeFeatures } from '../../src-shared/features/index.ts';
import { FLOAT_REFERENCE_DIR } from '../../src-main/model/package-paths.ts';
import { INPUT_NAME, OUTPUT_NAME } from '../../src-main/model/graph-io-names.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { readOnnxMetadata } from '../../src-main/model/write-model.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

const TOLERANCE = 1e-4;
const onnxPath = join(FLOAT_REFERENCE_DIR, 'model.onnx');
let session: ort.InferenceSession | undefined;
let model: AcousticModel | undefined;

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });
afterAll(async () => { model?.dispose(); await session?.release(); });

describe('shipped model: weights read from model.onnx in tfjs vs onnxruntime', () => {
  it('gives the same log-probabilities on a synthesized command', async () => {
    expect(existsSync(onnxPath), `${onnxPath} is missing: the shipped model's float reference belongs in the repository`).toBe(true);
    const bytes = new Uint8Array(readFileSync(onnxPath));
    const metadata = readOnnxMetadata(bytes);
    if (!metadata) throw new Error(`${onnxPath} carries no Hark metadata`);
    const weights = readAcousticWeights(bytes);
    expect(weights.spec).toEqual(metadata.architecture);

    model = new AcousticModel(weights.spec);
    model.setWeights(weights);
    const pcm = await synthesize('open the browser', 'flite:slt', createRng(1));
    const features = computeFeatures(pcm, metadata.features, metadata.normalization);
    const { frames } = features;
    expect(frames).toBeGreaterThan(20);
    const tfjs = model.logProbs(features.data, frames);

    session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', features.data, [1, frames, weights.spec.inputDim]) });
    const onnx = out[OUTPUT_NAME];
    expect(onnx.dims).toEqual([1, frames, weights.spec.numUnits]);
    const onnxData = onnx.data as Float32Array;
    expect(tfjs.length).toBe(onnxData.length);
    let worst = 0;
    for (let i = 0; i < tfjs.length; i++) worst = Math.max(worst, Math.abs(tfjs[i] - onnxData[i]));
    console.log(`${onnxPath}: ${frames} frames, max |tfjs - onnxruntime| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(TOLERANCE);
  });
});
