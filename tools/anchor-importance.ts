// The retraining anchor's per-weight importance for a model package (src-main/train/anchor-importance.ts):
// the diagonal empirical Fisher of the package's weights (an int8 package's dequantized ones, which
// retraining starts from) on real utterances of the real set's train speakers, outside the validation
// slice, taken round-robin over the speakers (so the two big voices do not dominate), one at a time.
// Written into the package as anchor-importance.bin; `hark retrain` and the app's retraining use it.
//   node bin/run-ts.mjs tools/anchor-importance.ts PACKAGE_DIR [--set data/real] [--clips 600] [--max-sec 4.5] [--seed 1]
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { readAcousticWeights } from '../src-main/model/read-onnx-weights.ts';
import { AcousticModel } from '../src-main/train/acoustic-model.ts';
import { readRealTrainClips } from '../src-main/train/adapt-run.ts';
import { ANCHOR_IMPORTANCE_FILE, encodeAnchorImportance, fisherImportance } from '../src-main/train/anchor-importance.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { textToUnitIds } from '../src-main/train/text-labels.ts';
import { initTrainingBackend } from '../src-main/train/tf-backend.ts';
import { computeFeatures } from '../src-shared/features/compute-features.ts';
import { SAMPLE_RATE } from '../src-shared/features/config.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { set: { type: 'string', default: 'data/real' }, clips: { type: 'string', default: '600' }, 'max-sec': { type: 'string', default: '4.5' }, seed: { type: 'string', default: '1' } },
});
if (positionals.length !== 1) throw new Error('usage: tools/anchor-importance.ts PACKAGE_DIR [--set data/real] [--clips 600] [--max-sec 4.5] [--seed 1]');
const dir = resolve(positionals[0]);
const want = Number(values.clips), maxSamples = Number(values['max-sec']) * SAMPLE_RATE;
console.log(`tfjs backend: ${await initTrainingBackend()}`);
const pkg = await loadModelPackage(dir);
const weights = readAcousticWeights(pkg.onnx, { dequantize: pkg.metadata.quantization?.weights === 'int8' });
const model = new AcousticModel(pkg.architecture, 1);
model.setWeights(weights);

// Round-robin over the speakers, each speaker's clips in a seeded random order.
const { train } = await readRealTrainClips(resolve(values.set));
const rng = createRng(Number(values.seed));
const bySpeaker = new Map<string, typeof train>();
for (const c of train.filter((c) => c.samples <= maxSamples)) bySpeaker.set(c.speaker, [...(bySpeaker.get(c.speaker) ?? []), c]);
const queues = [...bySpeaker.keys()].sort().map((s) => {
  const q = [...bySpeaker.get(s)!];
  for (let i = q.length - 1; i > 0; i--) { const j = rng.int(0, i); [q[i], q[j]] = [q[j], q[i]]; }
  return q;
});
const picked: typeof train = [];
for (let round = 0; picked.length < want && queues.some((q) => q.length > round); round++) {
  for (const q of queues) if (round < q.length && picked.length < want) picked.push(q[round]);
}
const lexicon = new Lexicon();
const examples = await Promise.all(picked.map(async (c) => {
  const f = computeFeatures((await decodeAudioFile(join(resolve(values.set), c.file))).samples, pkg.features, pkg.normalization);
  return { features: f.data, frames: f.frames, labels: textToUnitIds(c.text, lexicon, pkg.metadata.units), id: c.id };
}));
console.log(`${examples.length} clips of ${bySpeaker.size} speakers (${(picked.reduce((a, c) => a + c.samples, 0) / SAMPLE_RATE / 60).toFixed(1)} min)`);
const t0 = performance.now();
const { values: imp, clips } = fisherImportance(model, examples, pkg.architecture.inputDim, (k) => {
  if (k % 50 === 0) console.log(`  ${k}/${examples.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
});
model.dispose();
const all = imp.flatMap((v) => Array.from(v)).sort((a, b) => a - b);
const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))].toExponential(2);
console.log(`importance quantiles (mean 1): 1% ${q(0.01)}, 10% ${q(0.1)}, 50% ${q(0.5)}, 90% ${q(0.9)}, 99% ${q(0.99)}, 99.9% ${q(0.999)}`);
await writeFile(join(dir, ANCHOR_IMPORTANCE_FILE), encodeAnchorImportance({ values: imp, model: `${pkg.metadata.name} ${pkg.metadata.version}`, clips }));
console.log(`${join(dir, ANCHOR_IMPORTANCE_FILE)}: ${clips} clips`);
