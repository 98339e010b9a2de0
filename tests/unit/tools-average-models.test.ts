import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { averageModels } from '../../tools/average-models.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { saveCheckpoint, type NamedArray } from '../../src-main/train/checkpoint.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomWeights } from '../helpers/random-weights.ts';

let root: string;
beforeAll(async () => {
  await initTrainingBackend();
  root = await mkdtemp(join(tmpdir(), 'hark-average-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The weights as checkpoint tensors, in the model's variable order with its shapes. */
function asCheckpointTensors(w: AcousticModelWeights): NamedArray[] {
  const m = new AcousticModel(ENGINE_TEST_SPEC, 1);
  m.setWeights(w);
  const out = m.variables().map((v) => ({ name: `train/${v.name}`, shape: v.shape, data: (v.dataSync() as Float32Array).slice() }));
  m.dispose();
  return out;
}

/** Every weight array of a set, in a fixed order. */
function flat(w: AcousticModelWeights): Float32Array[] {
  const arrays: Float32Array[] = [];
  for (const l of w.layers) for (const d of [l.forward, l.backward]) if (d) arrays.push(d.kernel, d.recurrent, d.bias);
  arrays.push(w.output.kernel, w.output.bias);
  return arrays;
}

describe('weight averaging (tools/average-models.ts)', () => {
  it('exports the element-wise mean of a package and two checkpoints under the card, recording its sources', async () => {
    const a = randomWeights(ENGINE_TEST_SPEC, 1), b = randomWeights(ENGINE_TEST_SPEC, 2), c = randomWeights(ENGINE_TEST_SPEC, 3);
    const card = { ...engineMetadata(), training: { adaptation: { epochs: 4, exportedEpoch: 3, validationPerNoVtln: 0.29, realClips: 10 } } };
    await exportOnnxModel(a, card, join(root, 'start'));
    await saveCheckpoint(join(root, 'best-epoch'), { step: 0, epoch: 3, batchInEpoch: 0, config: {}, history: [], weights: asCheckpointTensors(b), optimizer: [] });
    const withAdam = asCheckpointTensors(c);
    await saveCheckpoint(join(root, 'checkpoint'), {
      step: 40, epoch: 4, batchInEpoch: 0, config: {}, history: [], weights: withAdam, optimizer: withAdam.map((t) => ({ ...t, name: `${t.name}/m`, data: t.data.map((x) => 100 * x) })),
    });
    const out = join(root, 'mean');
    await averageModels(out, join(root, 'start'), [join(root, 'start'), join(root, 'best-epoch'), join(root, 'checkpoint')]);
    const pkg = await loadModelPackage(out);
    const got = flat(readAcousticWeights(pkg.onnx)), fa = flat(a), fb = flat(b), fc = flat(c);
    expect(got.length).toBe(fa.length);
    let checked = 0;
    got.forEach((g, i) => {
      for (let k = 0; k < g.length; k++) {
        expect(Math.abs(g[k] - (fa[i][k] + fb[i][k] + fc[i][k]) / 3)).toBeLessThan(1e-7);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1000);
    const adaptation = pkg.metadata.training!.adaptation as Record<string, unknown>;
    expect(adaptation.averagedFrom).toEqual(['random-test 0.0.0', 'checkpoint after 3 epochs', 'checkpoint after 4 epochs']);
    expect(adaptation.realClips).toBe(10);
    expect(adaptation.exportedEpoch).toBeUndefined();
    expect(adaptation.validationPerNoVtln).toBeUndefined();
    expect(pkg.metadata.architecture).toEqual(ENGINE_TEST_SPEC);
  });

  it('refuses fewer than two sources, another architecture, and a folder that is neither package nor checkpoint', async () => {
    await exportOnnxModel(randomWeights(ENGINE_TEST_SPEC, 4), engineMetadata(), join(root, 'p4'));
    const wider = { ...ENGINE_TEST_SPEC, hidden: 9 };
    await exportOnnxModel(randomWeights(wider, 5), engineMetadata(wider), join(root, 'p9'));
    await expect(averageModels(join(root, 'x1'), join(root, 'p4'), [join(root, 'p4')])).rejects.toThrow(/at least two sources/);
    await expect(averageModels(join(root, 'x2'), join(root, 'p4'), [join(root, 'p4'), join(root, 'p9')])).rejects.toThrow(/architecture .* differs/);
    await writeFile(join(root, 'notes.txt'), 'x');
    await expect(averageModels(join(root, 'x3'), join(root, 'p4'), [join(root, 'p4'), root])).rejects.toThrow(/neither a model package .* nor a checkpoint/);
    const short = asCheckpointTensors(randomWeights(ENGINE_TEST_SPEC, 6)).slice(1);
    await saveCheckpoint(join(root, 'short'), { step: 0, epoch: 1, batchInEpoch: 0, config: {}, history: [], weights: short, optimizer: [] });
    await expect(averageModels(join(root, 'x4'), join(root, 'p4'), [join(root, 'p4'), join(root, 'short')])).rejects.toThrow(/weight tensors, the architecture has/);
  });
});
