/**
 * Training smoke test: a tiny BiLSTM trained for a few steps on real synthesized speech with the
 * real feature front-end and CTC loss; the loss falls, a checkpoint resumes, and the exported ONNX
 * model gives the tfjs model's outputs in onnxruntime.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MODEL_FORMAT_VERSION, type ArchitectureSpec, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { train } from '../../src-main/train/trainer.ts';
import { fixedBatches, synthExamples } from '../helpers/synth-examples.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { readFile } from 'node:fs/promises';

describe('training smoke test', () => {
  it('loss falls, checkpoints resume, and the export matches tfjs in onnxruntime', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const rng = createRng(3);
    const { features, normalization, inputDim, examples } = await synthExamples(
      ['next slide', 'open the browser', 'three seven nine', 'mute the microphone', 'scroll down', 'zoom in'], ['espeak:en-us+m3', 'espeak:en-gb+f2', 'flite:kal'], rng,
    );
    const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 1, hidden: 24, inputDim, numUnits: UNITS.length };
    const source = fixedBatches([examples.slice(0, 9), examples.slice(9)], arch.inputDim);
    const dir = mkdtempSync(join(tmpdir(), 'hark-smoke-'));
    const cfg = { arch, epochs: 6, learningRate: 0.01, lrDecay: 1, clipNorm: 5, seed: 1, checkpointDir: join(dir, 'ckpt'), checkpointEverySec: 1e9 };
    const losses: number[] = [];
    const first = await train({ ...cfg, epochs: 3 }, source, { onStep: (r) => losses.push(r.loss) });
    expect(first.history).toHaveLength(3);
    // Resume from the checkpoint written at the end of epoch 3 and continue to epoch 6.
    const second = await train(cfg, source, { onStep: (r) => losses.push(r.loss) });
    expect(second.steps).toBe(12);
    expect(second.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    const meanFirst = (losses[0] + losses[1]) / 2, meanLast = (losses[10] + losses[11]) / 2;
    expect(meanLast).toBeLessThan(0.8 * meanFirst);

    const metadata: ModelMetadata = {
      formatVersion: MODEL_FORMAT_VERSION, name: 'smoke', version: '0', createdAt: new Date(0).toISOString(),
      units: [...UNITS], features, normalization, architecture: arch,
    };
    const out = join(dir, 'model');
    await exportOnnxModel(second.model.getWeights(), metadata, out);
    const session = await ort.InferenceSession.create(await readFile(join(out, 'model.onnx')));
    const ex = examples[4];
    const res = await session.run({ features: new ort.Tensor('float32', ex.features, [1, ex.frames, arch.inputDim]) });
    const onnx = res.logprobs.data as Float32Array;
    const tfOut = second.model.logProbs(ex.features, ex.frames);
    let maxDiff = 0;
    for (let i = 0; i < tfOut.length; i++) maxDiff = Math.max(maxDiff, Math.abs(tfOut[i] - onnx[i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
