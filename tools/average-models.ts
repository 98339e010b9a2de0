// Weight averaging across a training trajectory: the element-wise mean of the weights of several model
// packages (their float graphs) and training checkpoints (a run's checkpoint/, best-epoch/ or
// epochs/epoch-N/ folders) of one architecture, exported as a float package whose card is CARD_DIR's
// with the sources recorded (training.adaptation.averagedFrom).
//   node bin/run-ts.mjs tools/average-models.ts OUT_DIR CARD_DIR SOURCE [SOURCE...]
// Candidates made this way go through the shipping rule like any other (tools/compare-validation.ts).
// Shipped first as 2026-12-06f: the mean of a run's starting weights (2026-12-06d) and its epochs 3
// and 4 (docs/DEVELOPERS.md, "Averaging across the run").
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { readAcousticWeights } from '../src-main/model/read-onnx-weights.ts';
import { exportOnnxModel } from '../src-main/model/write-model.ts';
import type { ArchitectureSpec, ModelMetadata } from '../src-shared/model/metadata.ts';
import { AcousticModel } from '../src-main/train/acoustic-model.ts';
import { loadCheckpoint, type NamedArray } from '../src-main/train/checkpoint.ts';
import { averageWeights } from '../src-main/train/epoch-average.ts';
import { initTrainingBackend } from '../src-main/train/tf-backend.ts';

/**
 * One source's weights in the model's variable order, named as the model names them, and a label for
 * the card: a package's name and version, a checkpoint's epoch count.
 */
async function sourceWeights(dir: string, arch: ArchitectureSpec, model: AcousticModel): Promise<{ label: string; weights: NamedArray[] }> {
  const vars = model.variables();
  const named = (data: readonly Float32Array[]) => vars.map((v, i) => ({ name: v.name, shape: v.shape, data: data[i] }));
  if (existsSync(join(dir, 'model.json'))) {
    const pkg = await loadModelPackage(dir);
    if (pkg.metadata.quantization) throw new Error(`${dir} holds int8 weights: average float packages (${pkg.metadata.quantization.floatReference})`);
    if (JSON.stringify(pkg.architecture) !== JSON.stringify(arch)) {
      throw new Error(`${dir}: architecture ${JSON.stringify(pkg.architecture)} differs from the card's ${JSON.stringify(arch)}`);
    }
    model.setWeights(readAcousticWeights(pkg.onnx));
    return { label: `${pkg.metadata.name} ${pkg.metadata.version}`, weights: named(vars.map((v) => (v.dataSync() as Float32Array).slice())) };
  }
  const c = await loadCheckpoint(dir);
  if (!c) throw new Error(`${dir} is neither a model package (model.json) nor a checkpoint (checkpoint.json)`);
  // A full checkpoint holds the weights, then the optimizer's slots; snapshots hold the weights only.
  if (c.weights.length !== vars.length) throw new Error(`${dir}: ${c.weights.length} weight tensors, the architecture has ${vars.length}`);
  c.weights.forEach((w, i) => {
    if (w.shape.join('x') !== vars[i].shape.join('x')) throw new Error(`${dir}: tensor ${i} (${w.name}) is [${w.shape.join(', ')}], the architecture's is [${vars[i].shape.join(', ')}]`);
  });
  return { label: `checkpoint after ${c.epoch} epochs${c.batchInEpoch ? ` and ${c.batchInEpoch} batches` : ''}`, weights: named(c.weights.map((w) => w.data)) };
}

/** Writes the mean of the sources' weights to outDir under cardDir's card; returns the new card. */
export async function averageModels(outDir: string, cardDir: string, sources: readonly string[]): Promise<ModelMetadata> {
  if (sources.length < 2) throw new Error(`average-models: at least two sources to average, got ${sources.length}`);
  await initTrainingBackend();
  const card = await loadModelPackage(cardDir);
  if (card.metadata.quantization) throw new Error(`${cardDir} holds int8 weights: take the card of a float package`);
  const model = new AcousticModel(card.architecture, 1);
  try {
    const read: { label: string; weights: NamedArray[] }[] = [];
    for (const s of sources) read.push(await sourceWeights(s, card.architecture, model));
    const mean = averageWeights(read.map((r) => r.weights));
    model.variables().forEach((v, i) => v.assign(tf.tensor(mean[i].data, v.shape)));
    const training = card.metadata.training ?? {};
    // The card's measurements of one epoch's weights (which epoch was exported, its validation PER with
    // and without VTLN) do not describe the mean: dropped, the sources recorded instead.
    const { exportedEpoch: _e, validationPerNoVtln: _n, validationPerVtln: _v, ...adaptation } = (training.adaptation ?? {}) as Record<string, unknown>;
    const metadata: ModelMetadata = { ...card.metadata, training: { ...training, adaptation: { ...adaptation, averagedFrom: read.map((r) => r.label) } } };
    await exportOnnxModel(model.getWeights(), metadata, resolve(outDir));
    return metadata;
  } finally {
    model.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, cardDir, ...sources] = process.argv.slice(2);
  if (!out || !cardDir || sources.length < 2) {
    console.error('usage: node bin/run-ts.mjs tools/average-models.ts OUT_DIR CARD_DIR SOURCE SOURCE [SOURCE...]');
    process.exit(2);
  }
  const m = await averageModels(out, cardDir, sources);
  console.log(`${out}: ${m.name} ${m.version}, the mean of ${sources.length} sources (${sources.join(', ')})`);
}
