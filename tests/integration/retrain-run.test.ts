/**
 * Fine-tuning end to end at a tiny scale: a random-weight package, a new word synthesized by the
 * training voices plus a replay sample, one epoch from the package's weights, and a new package
 * that loads, keeps the package's features and normalization, carries a retraining card, and
 * differs from the weights it started from; the same job folder resumes without synthesizing again.
 * The shipped wide model retrains with batches scaled to its width and gradients on worker threads.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { UserVocabulary } from '../../src-main/lexicon/user-vocabulary.ts';
import { batchFramesForNetwork, DEFAULT_RETRAIN_OPTIONS, gradientWorkersForNetwork, retrainTexts, runRetraining } from '../../src-main/train/retrain-run.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { encodeWav } from '../../src-main/audio/wav-writer.ts';
import { ANCHOR_IMPORTANCE_FILE, anchorVariableSizes, encodeAnchorImportance } from '../../src-main/train/anchor-importance.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-retrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retraining', () => {
  it('writes carrier texts for every item, deterministically', () => {
    const t = retrainTexts(['Zorblat', 'open kivvik'], 5, 1);
    expect(t).toHaveLength(10);
    expect(t.slice(0, 2)).toEqual(['zorblat', 'zorblat']);
    expect(t.slice(0, 5).every((s) => s.includes('zorblat'))).toBe(true);
    expect(t.slice(5).every((s) => s.includes('open kivvik'))).toBe(true);
    expect(retrainTexts(['Zorblat', 'open kivvik'], 5, 1)).toEqual(t);
    expect(() => retrainTexts(['!!'], 2, 1)).toThrow(/no words/);
  });

  it('fine-tunes a package on a new word and writes a new package with a retraining card', async () => {
    const base = await writeRandomModelPackage(5, { dir: join(dir, 'base'), name: 'tiny' });
    const vocab = UserVocabulary.load(join(dir, 'words.json'));
    vocab.add('zorblat', ['Z AO R B L AE T']);
    const opts = { modelDir: base.dir, items: ['zorblat'], userWords: vocab.list(), workDir: join(dir, 'job'), examplesPerItem: 3, replayClips: 3, epochs: 1, learningRate: 1e-3, maxBatchFrames: 2000, seed: 2, log: () => {} };
    const r = await runRetraining(opts);
    expect(r.clips).toBe(6);
    expect(r.steps).toBeGreaterThan(0);
    const pkg = await loadModelPackage(r.outDir);
    expect(pkg.metadata.training).toMatchObject({ retrainedFrom: `tiny ${base.metadata.version}`, retrain: { items: ['zorblat'], clips: 6 } });
    expect(pkg.metadata.version.startsWith(`${base.metadata.version}+`)).toBe(true);
    expect(pkg.normalization).toEqual(base.metadata.normalization);
    expect(pkg.features).toEqual(base.metadata.features);
    const before = readAcousticWeights(new Uint8Array(readFileSync(join(base.dir, 'model.onnx'))));
    const after = readAcousticWeights(pkg.onnx);
    const diff = after.output.bias.reduce((m, v, i) => Math.max(m, Math.abs(v - before.output.bias[i])), 0);
    expect(diff).toBeGreaterThan(1e-6);
    // Same job folder: the clips are reused (not synthesized again) and training resumes from its checkpoint.
    const manifest = statSync(join(dir, 'job', 'data', 'manifest.jsonl')).mtimeMs;
    const again = await runRetraining(opts);
    expect(statSync(join(dir, 'job', 'data', 'manifest.jsonl')).mtimeMs).toBe(manifest);
    expect(again.steps).toBe(r.steps);
  });

  it('mixes real utterances from a real set into the job when asked, and records how many', async () => {
    const base = await writeRandomModelPackage(5, { dir: join(dir, 'base-replay'), name: 'tiny' });
    const setDir = join(dir, 'real-set');
    mkdirSync(join(setDir, 'clips'), { recursive: true });
    const records = Array.from({ length: 6 }, (_, i) => ({
      id: `t.${i}`, text: 'open the door', originalText: 'Open the door', voice: 'real:t', file: `clips/${i}.wav`, samples: 16000, source: 't', speaker: `t:${i % 2}`, split: 'train',
    }));
    for (const r of records) writeFileSync(join(setDir, r.file), encodeWav(Float32Array.from({ length: 16000 }, (_, k) => 0.2 * Math.sin(k / (5 + Number(r.id.slice(2))))), 16000));
    writeFileSync(join(setDir, 'manifest.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const vocab = UserVocabulary.load(join(dir, 'words-replay.json'));
    vocab.add('zorblat', ['Z AO R B L AE T']);
    const opts = { modelDir: base.dir, items: ['zorblat'], userWords: vocab.list(), workDir: join(dir, 'job-replay'), examplesPerItem: 3, replayClips: 3, epochs: 1, learningRate: 1e-3, maxBatchFrames: 2000, seed: 2, log: () => {} };
    const r = await runRetraining({ ...opts, realReplay: { dir: setDir, clips: 2 } });
    expect(r.clips).toBe(8);
    expect((await loadModelPackage(r.outDir)).metadata.training).toMatchObject({ retrain: { clips: 8, replayClips: 3, realReplayClips: 2 } });
    await expect(runRetraining({ ...opts, workDir: join(dir, 'job-replay-none'), realReplay: { dir: join(dir, 'no-such-set'), clips: 2 } })).rejects.toThrow(/no real set/);
  });

  it('weighs the anchor by the package\'s importance file, carries the file to the new version, and refuses one made for another network', async () => {
    const base = await writeRandomModelPackage(7, { dir: join(dir, 'weighed-base'), name: 'tiny' });
    const sizes = anchorVariableSizes(base.weights);
    const file = join(base.dir, ANCHOR_IMPORTANCE_FILE);
    writeFileSync(file, encodeAnchorImportance({ values: sizes.map((n, i) => new Float32Array(n).fill(i + 1)), model: `tiny ${base.metadata.version}`, clips: 9 }));
    const vocab = UserVocabulary.load(join(dir, 'words-weighed.json'));
    vocab.add('zorblat', ['Z AO R B L AE T']);
    const lines: string[] = [];
    const opts = { modelDir: base.dir, items: ['zorblat'], userWords: vocab.list(), examplesPerItem: 2, replayClips: 2, epochs: 3, learningRate: 1e-3, maxBatchFrames: 2000, seed: 2, anchorStrength: 10, log: (l: string) => lines.push(l) };
    const r = await runRetraining({ ...opts, workDir: join(dir, 'job-weighed') });
    expect(lines).toContain(`anchor weighed by ${ANCHOR_IMPORTANCE_FILE} (tiny ${base.metadata.version}, 9 real utterances)`);
    const pkg = await loadModelPackage(r.outDir);
    expect(pkg.metadata.training).toMatchObject({ retrain: { anchorStrength: 10, anchorImportance: `${ANCHOR_IMPORTANCE_FILE} of tiny ${base.metadata.version} (9 real utterances)`, anchorUniformShare: 0 } });
    expect(readFileSync(join(r.outDir, ANCHOR_IMPORTANCE_FILE))).toEqual(readFileSync(file));
    // Turned off, the pull is uniform and the card says nothing of a weighting.
    const plain = await runRetraining({ ...opts, anchorImportance: false, workDir: join(dir, 'job-unweighed'), log: () => {} });
    expect((await loadModelPackage(plain.outDir)).metadata.training?.retrain).not.toHaveProperty('anchorImportance');
    expect(existsSync(join(plain.outDir, ANCHOR_IMPORTANCE_FILE))).toBe(false);
    // Same data and seed, only the weighting differs (1 to 14 by variable against 1 everywhere): so do the weights.
    const weighed = readAcousticWeights(pkg.onnx), uniform = readAcousticWeights((await loadModelPackage(plain.outDir)).onnx);
    expect(weighed.layers[0].forward.kernel.some((v, i) => v !== uniform.layers[0].forward.kernel[i])).toBe(true);
    // A file for another network stops the job before anything is synthesized or trained, with the reason.
    writeFileSync(file, encodeAnchorImportance({ values: [new Float32Array(5)], model: 'other', clips: 1 }));
    await expect(runRetraining({ ...opts, workDir: join(dir, 'job-mismatch') })).rejects.toThrow(/anchor-importance\.bin: made for another network/);
    expect(existsSync(join(dir, 'job-mismatch', 'data'))).toBe(false);
    await expect(runRetraining({ ...opts, anchorUniformShare: 2, workDir: join(dir, 'job-share') })).rejects.toThrow(/anchorUniformShare must be between 0 and 1, got 2/);
  }, 120_000);

  it('fine-tunes the shipped 4 x 256 model with smaller batches, its gradients on worker threads', async () => {
    // On one thread its tfjs WASM heap filled within the first steps of a default retraining (XNNPACK out of memory).
    const shipped = await loadModelPackage(DEFAULT_MODEL_DIR);
    expect(shipped.architecture.hidden).toBe(256);
    expect(shipped.architecture.layers).toBe(4);
    const vocab = UserVocabulary.load(join(dir, 'words-wide.json'));
    vocab.add('zorblat', ['Z AO R B L AE T']);
    const lines: string[] = [];
    const r = await runRetraining({
      ...DEFAULT_RETRAIN_OPTIONS, modelDir: DEFAULT_MODEL_DIR, items: ['zorblat'], userWords: vocab.list(), workDir: join(dir, 'job-wide'),
      examplesPerItem: 3, replayClips: 3, epochs: 1, log: (l) => lines.push(l),
    });
    expect(lines).toContain('batches of at most 1687 padded frames (4000 scaled to 4 x 256 units)');
    expect(lines).toContain('gradients on 2 worker threads (a 4 x 256 network; gradientWorkersForNetwork)');
    expect(r.steps).toBeGreaterThan(0);
    const pkg = await loadModelPackage(r.outDir);
    expect(pkg.architecture).toEqual(shipped.architecture);
    expect(pkg.metadata.training).toMatchObject({ retrainedFrom: `hark-en ${shipped.metadata.version}`, retrain: { items: ['zorblat'], clips: 6, anchorStrength: 10, topAnchorStrength: 10 } });
    expect(gradientWorkersForNetwork({ hidden: 192, layers: 3 })).toEqual({});
    expect(batchFramesForNetwork(4000, { hidden: 192, layers: 3 })).toBe(4000);
    // A deeper network (hark adapt --deepen) gets smaller batches and the workers too.
    expect(batchFramesForNetwork(4000, { hidden: 256, layers: 4 })).toBe(1687);
    expect(gradientWorkersForNetwork({ hidden: 192, layers: 4 })).toEqual({ gradientWorkers: 2, mainThreadShard: false });
    expect(batchFramesForNetwork(4000, { hidden: 128, layers: 2 })).toBe(4000);
  }, 300_000);

  it('fine-tunes an int8 package from its dequantized weights and writes an int8 package again', async () => {
    const base = await writeRandomModelPackage(6, { dir: join(dir, 'float-base'), name: 'tiny' });
    const int8Dir = join(dir, 'int8-base');
    await exportOnnxModel(base.weights, { ...base.metadata, quantization: { weights: 'int8', floatReference: 'tiny 0.0.0' } }, int8Dir);
    const vocab = UserVocabulary.load(join(dir, 'words-int8.json'));
    vocab.add('zorblat', ['Z AO R B L AE T']);
    const r = await runRetraining({ modelDir: int8Dir, items: ['zorblat'], userWords: vocab.list(), workDir: join(dir, 'job-int8'), examplesPerItem: 3, replayClips: 3, epochs: 1, learningRate: 1e-3, maxBatchFrames: 2000, seed: 2, log: () => {} });
    const pkg = await loadModelPackage(r.outDir);
    expect(pkg.metadata.quantization).toEqual({ weights: 'int8', floatReference: `none: fine-tuned from tiny ${base.metadata.version} (int8, dequantized), then quantized again` });
    expect(() => readAcousticWeights(pkg.onnx)).toThrow(/int8 package/);
    expect(readAcousticWeights(pkg.onnx, { dequantize: true }).spec).toEqual(base.weights.spec);
  });
});
