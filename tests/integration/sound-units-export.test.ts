// A tiny random-weight model grown by two sound units (expandOutputUnits) keeps its old columns
// exactly, exports (model.onnx, model.stream.onnx, model.json with 42 units), loads through the
// package check, and onnxruntime-node running the file agrees with tfjs on the same weights: same
// log-probabilities within 1e-4, the same ranking of the phoneme columns, and the phoneme columns
// equal to the unexpanded model's up to one per-frame renormalization constant. The recognizer
// then resolves `<sound:clap>` phrase items against the package's units.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { computeFeatures } from '../../src-shared/features/index.ts';
import { BLANK_ID, UNITS } from '../../src-shared/units/phonemes.ts';
import { loadModelPackage, loadStreamingGraph } from '../../src-main/model/model-package.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { INPUT_NAME, OUTPUT_NAME } from '../../src-main/model/graph-io-names.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesizeSound } from '../../src-main/train/data/synth-sounds.ts';
import { expandOutputUnits, expandUnitList, NEW_BIAS_MARGIN, soundClipLabels } from '../../src-main/train/sound-unit-training.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomWeights } from '../helpers/random-weights.ts';

const TOLERANCE = 1e-4;
const SOUNDS = ['<sound:clap>', '<sound:whistle>'];
const P = UNITS.length;
const models: AcousticModel[] = [];
let session: ort.InferenceSession | undefined;

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });
afterAll(async () => { for (const m of models) m.dispose(); await session?.release(); });

function tfjsLogProbs(weights: ReturnType<typeof randomWeights>, x: Float32Array, frames: number): Float32Array {
  const m = new AcousticModel(weights.spec);
  models.push(m);
  m.setWeights(weights);
  return m.logProbs(x, frames);
}

describe('sound units: expand, export, load, run', () => {
  const base = randomWeights(ENGINE_TEST_SPEC, 21);
  const expanded = expandOutputUnits(base, ENGINE_TEST_SPEC, SOUNDS, { units: UNITS, seed: 5 });
  const units = expandUnitList(UNITS, SOUNDS);

  it('keeps the old output columns and starts the new units far below the blank', () => {
    const U = P;
    const W = P + SOUNDS.length;
    expect(expanded.arch).toEqual({ ...ENGINE_TEST_SPEC, numUnits: W });
    expect(expanded.weights.spec).toEqual(expanded.arch);
    const D = 2 * ENGINE_TEST_SPEC.hidden;
    const k = expanded.weights.output.kernel;
    for (let d = 0; d < D; d++) {
      expect(Array.from(k.subarray(d * W, d * W + U))).toEqual(Array.from(base.output.kernel.subarray(d * U, (d + 1) * U)));
      const fresh = Array.from(k.subarray(d * W + U, (d + 1) * W));
      for (const v of fresh) expect(Math.abs(v)).toBeLessThan(0.5);
      expect(fresh[0]).not.toBe(fresh[1]);
    }
    const b = expanded.weights.output.bias;
    expect(Array.from(b.subarray(0, U))).toEqual(Array.from(base.output.bias));
    for (let j = U; j < W; j++) expect(b[j]).toBeLessThanOrEqual(base.output.bias[BLANK_ID] - NEW_BIAS_MARGIN);
    expect(expanded.weights.layers[0].forward.kernel).toEqual(base.layers[0].forward.kernel);
    expect(expanded.weights.layers[0].forward.kernel).not.toBe(base.layers[0].forward.kernel);
    expect(soundClipLabels(units, 'whistle')).toEqual([P + 1]);
    expect(() => expandOutputUnits(base, { ...ENGINE_TEST_SPEC, hidden: 9 }, SOUNDS)).toThrow(/hidden/);
    expect(() => expandOutputUnits(base, ENGINE_TEST_SPEC, ['<sound:clap>'], { units: [...UNITS, '<sound:clap>'] })).toThrow(/already has <sound:clap>/);
  });

  it('exports, loads, and onnxruntime agrees with tfjs; phoneme columns match the unexpanded model up to renormalization', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-sound-model-'));
    const md = { ...engineMetadata(expanded.arch, 'sound-test'), units };
    await exportOnnxModel(expanded.weights, md, dir);
    const pkg = await loadModelPackage(dir);
    expect(pkg.metadata.units).toEqual(units);
    expect(pkg.architecture.numUnits).toBe(P + 2);
    await loadStreamingGraph(pkg);
    expect(readAcousticWeights(pkg.onnx).spec).toEqual(expanded.arch);

    const pcm = synthesizeSound('clap', createRng(8));
    const feats = computeFeatures(pcm, pkg.features, pkg.normalization);
    const T = feats.frames;
    expect(T).toBeGreaterThan(20);
    const W = P + 2;
    const tf = tfjsLogProbs(expanded.weights, feats.data, T);
    const old = tfjsLogProbs(base, feats.data, T);
    session = await ort.InferenceSession.create(pkg.onnx);
    const out = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', feats.data, [1, T, pkg.architecture.inputDim]) });
    expect(out[OUTPUT_NAME].dims).toEqual([1, T, W]);
    const onnx = out[OUTPUT_NAME].data as Float32Array;

    let worst = 0;
    for (let i = 0; i < onnx.length; i++) worst = Math.max(worst, Math.abs(onnx[i] - tf[i]));
    expect(worst).toBeLessThan(TOLERANCE);

    let shiftSpread = 0;
    let maxNewProb = 0;
    for (let t = 0; t < T; t++) {
      // Phoneme-column ranking: tfjs's order is onnxruntime's order too (up to float rounding).
      const order = Array.from({ length: P }, (_, u) => u).sort((a, b) => tf[t * W + b] - tf[t * W + a]);
      for (let i = 1; i < P; i++) expect(onnx[t * W + order[i - 1]]).toBeGreaterThanOrEqual(onnx[t * W + order[i]] - 1e-5);
      // Old units: one shift per frame, <= 0, equal to -ln(1 + sum of the new units' odds).
      const shift = tf[t * W] - old[t * P];
      let newMass = 0;
      for (let j = P; j < W; j++) newMass += Math.exp(tf[t * W + j]);
      maxNewProb = Math.max(maxNewProb, newMass);
      expect(shift).toBeCloseTo(Math.log(1 - newMass), 4);
      for (let u = 0; u < P; u++) shiftSpread = Math.max(shiftSpread, Math.abs(tf[t * W + u] - old[t * P + u] - shift));
    }
    expect(shiftSpread).toBeLessThan(TOLERANCE);
    expect(maxNewProb).toBeLessThan(0.01);
  });

  it('the recognizer resolves <sound:clap> phrase items against the package units', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-sound-model-'));
    await exportOnnxModel(expanded.weights, { ...engineMetadata(expanded.arch, 'sound-test'), units }, dir);
    const mode = { kind: 'phrases' as const, items: ['next slide', '<sound:clap>'] };
    const rec = await OfflineRecognizer.create({ model: await loadModelPackage(dir), mode, vtln: false });
    const r = await rec.recognizePcm(synthesizeSound('clap', createRng(9)));
    // Random weights: no claim about the answer, only that it is one of the list or a rejection.
    expect([null, 'next slide', '<sound:clap>']).toContain(r.phrase);
    await rec.dispose();
    const plainDir = await mkdtemp(join(tmpdir(), 'hark-plain-model-'));
    await exportOnnxModel(base, engineMetadata(ENGINE_TEST_SPEC, 'plain'), plainDir);
    await expect(OfflineRecognizer.create({ model: await loadModelPackage(plainDir), mode, vtln: false }))
      .rejects.toThrow('this model has no sound <sound:clap>; retrain with recordings of it');
  });
});
