// `hark eval` scores against an independent computation from `hark transcribe` output, and
// `hark export` rebuilds a model package from a checkpoint that runs like the reference forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createMatrix } from '../../src-shared/features/feature-matrix.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { OnlineAcousticSession } from '../../src-main/engine/online-acoustic-session.ts';
import { saveCheckpoint, type NamedArray } from '../../src-main/train/checkpoint.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';
import { engineMetadata, ENGINE_TEST_SPEC, writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { makeCliFixture, runHark, type CliFixture } from './cli-fixtures.ts';

let fx: CliFixture;
beforeAll(async () => { fx = await makeCliFixture(); });
afterAll(async () => { await fx.cleanup(); });

/** Word-level Levenshtein distance, written independently of src-main. */
function wordErrors(ref: string[], hyp: string[]): number {
  const d = Array.from({ length: ref.length + 1 }, (_, i) => Array.from({ length: hyp.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= hyp.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
  }
  return d[ref.length][hyp.length];
}

describe('hark eval', () => {
  it('words mode: WER equals the edit distance of transcribe\'s output against the references', async () => {
    const refs = join(fx.dir, 'refs.tsv');
    await writeFile(refs, `# clip\treference\n${basename(fx.clipA)}\tOpen the file.\n${basename(fx.clipB)}\tnext slide\n\n${basename(fx.silence)}\t-\n`);
    const common = ['--model', fx.modelDir, '--words', fx.wordsList];
    const ev = await runHark(['eval', fx.dir, '--refs', refs, '--json', ...common]);
    expect(ev.stderr).toBe('');
    expect(ev.code).toBe(0);
    const res = JSON.parse(ev.stdout);
    const tr = await runHark(['transcribe', fx.clipA, fx.clipB, fx.silence, '--format', 'json', ...common]);
    const hyps = tr.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l).text as string).split(' ').filter(Boolean));
    const refWords = [['open', 'the', 'file'], ['next', 'slide'], []];
    const errors = refWords.reduce((s, r, i) => s + wordErrors(r, hyps[i]), 0);
    expect(res).toMatchObject({ clips: 3, scored: 3, failed: 0, wordErrors: errors, refWords: 5 });
    expect(res.wer).toBeCloseTo(errors / 5, 12);
    expect(res.items.map((x: { hyp: string }) => x.hyp)).toEqual(hyps.map((h) => h.join(' ')));
    expect(res.phrase).toBeUndefined();

    const text = await runHark(['eval', fx.dir, '--refs', refs, ...common]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`WER ${(100 * errors / 5).toFixed(1)}% (${errors} errors / 5 reference words)`);
  });

  it('phrase mode: accuracy counts correct accepts and rejections; a missing clip fails (exit 1) without stopping the run', async () => {
    const refs = join(fx.dir, 'refs-phrases.tsv');
    await writeFile(refs, `${basename(fx.clipA)}\topen the file\n${basename(fx.clipB)}\tnext slide\n${basename(fx.silence)}\t\nmissing.wav\tnext slide\n`);
    const common = ['--model', fx.modelDir, '--phrases', fx.phrasesList];
    const ev = await runHark(['eval', fx.dir, '--refs', refs, '--json', ...common]);
    expect(ev.code).toBe(1);
    const res = JSON.parse(ev.stdout);
    expect(res.errors).toEqual([{ file: 'missing.wav', error: 'cannot read: no such file' }]);
    const tr = await runHark(['transcribe', fx.clipA, fx.clipB, fx.silence, '--format', 'json', ...common]);
    const got = tr.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).phrase as string | null);
    const expected = ['open the file', 'next slide', null];
    const tally = { correctAccepts: 0, correctRejections: 0, falseAccepts: 0, falseRejects: 0, confusions: 0 };
    expected.forEach((e, i) => {
      const g = got[i] === null ? null : got[i]!.toLowerCase();
      if (e === null) tally[g === null ? 'correctRejections' : 'falseAccepts']++;
      else if (g === null) tally.falseRejects++;
      else tally[g === e ? 'correctAccepts' : 'confusions']++;
    });
    expect(res.phrase).toEqual({ accuracy: (tally.correctAccepts + tally.correctRejections) / 3, ...tally });
    expect(res).toMatchObject({ clips: 4, scored: 3, failed: 1 });
  });

  it('usage errors exit 2', async () => {
    const noRefs = await runHark(['eval', fx.dir, '--model', fx.modelDir]);
    expect(noRefs.code).toBe(2);
    expect(noRefs.stderr).toContain('--refs FILE is required');
    const noFolder = await runHark(['eval', '--refs', 'x.tsv']);
    expect(noFolder.code).toBe(2);
    const badRefs = await runHark(['eval', fx.dir, '--refs', join(fx.dir, 'nope.tsv'), '--model', fx.modelDir]);
    expect(badRefs.code).toBe(2);
    expect(badRefs.stderr).toContain(`cannot read --refs ${join(fx.dir, 'nope.tsv')}`);
  });
});

/** Checkpoint tensors in AcousticModel.variables() order. */
function checkpointTensors(w: AcousticModelWeights): NamedArray[] {
  const arrays: Float32Array[] = [];
  for (const l of w.layers) for (const d of [l.forward, l.backward]) if (d) arrays.push(d.kernel, d.recurrent, d.bias);
  arrays.push(w.output.kernel, w.output.bias);
  return arrays.map((data, i) => ({ name: `w${i}`, shape: [data.length], data }));
}

describe('hark export', () => {
  it('re-exports a checkpoint with the metadata next to it; the result loads and matches the reference forward', async () => {
    const root = join(fx.dir, 'run');
    const weights = randomWeights(ENGINE_TEST_SPEC, 42);
    await saveCheckpoint(join(root, 'checkpoint'), {
      step: 17, epoch: 2, batchInEpoch: 5, config: { arch: ENGINE_TEST_SPEC }, history: [], weights: checkpointTensors(weights), optimizer: [],
    });
    await writeFile(join(root, 'model.json'), JSON.stringify(engineMetadata()));
    const out = join(fx.dir, 'exported');
    const r = await runHark(['export', '--checkpoint', join(root, 'checkpoint'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pkg = await loadModelPackage(out);
    expect(pkg.metadata.training).toEqual({ exportedFromCheckpoint: { step: 17, epoch: 2, batchInEpoch: 5 } });
    expect(pkg.metadata.normalization).toEqual(engineMetadata().normalization);
    const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
    const T = 9;
    const x = createMatrix(T, 117);
    x.data.set(randomArray(T * 117, seededRandom(2), 2));
    const lp = await session.run(x);
    const ref = referenceForward(weights, x.data, T);
    for (let i = 0; i < lp.length; i++) expect(Math.abs(lp[i] - ref[i])).toBeLessThan(1e-4);
    await session.release();

    const other = join(fx.dir, 'other-meta.json');
    await writeFile(other, JSON.stringify(engineMetadata({ ...ENGINE_TEST_SPEC, hidden: 9 })));
    const mismatch = await runHark(['export', '--checkpoint', join(root, 'checkpoint'), '--out', out, '--metadata', other]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('(differing: hidden)');
    const missing = await runHark(['export', '--checkpoint', join(fx.dir, 'nothing'), '--out', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no checkpoint in ${join(fx.dir, 'nothing')}`);
    expect((await runHark(['export', '--checkpoint', root])).code).toBe(2);
  });

  it('re-exports a package (--model) with new streaming chunking; the streaming graph follows the weights', async () => {
    const src = (await writeRandomModelPackage(8)).dir;
    const out = join(fx.dir, 'rechunked');
    const r = await runHark(['export', '--model', src, '--out', out, '--chunk-frames', '6', '--lookahead-frames', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('chunks of 6 frames, look-ahead 2');
    const before = await loadModelPackage(src);
    const pkg = await loadModelPackage(out);
    expect(pkg.metadata.streaming).toEqual({ chunkFrames: 6, lookaheadFrames: 2 });
    expect({ ...pkg.metadata, streaming: undefined }).toEqual({ ...before.metadata, streaming: undefined });
    // Same weights: the whole-utterance graphs agree, and the streaming graph with a look-ahead
    // reaching the end reproduces them.
    const T = 10;
    const x = createMatrix(T, 117);
    x.data.set(randomArray(T * 117, seededRandom(5), 2));
    const a = await OfflineAcousticSession.create(before, { threads: 1 });
    const b = await OfflineAcousticSession.create(pkg, { threads: 1 });
    const s = await OnlineAcousticSession.create(pkg, { threads: 1 });
    const lpA = await a.run(x);
    const lpB = await b.run(x);
    const st = await s.runChunk(x.data.subarray(0, 6 * 117), x.data.subarray(6 * 117), s.initialState());
    for (let i = 0; i < lpA.length; i++) {
      expect(Math.abs(lpA[i] - lpB[i])).toBeLessThan(1e-5);
      expect(Math.abs(st.logprobs[i] - lpA[i])).toBeLessThan(1e-4);
    }
    await Promise.all([a.release(), b.release(), s.release()]);
    expect((await runHark(['export', '--model', src, '--checkpoint', src, '--out', out])).code).toBe(2);
    expect((await runHark(['export', '--model', src, '--out', out, '--chunk-frames', '0'])).code).toBe(2);
  });

  it('--int8 writes an int8 package whose card says so; an int8 package is not a source', async () => {
    const src = await writeRandomModelPackage(9);
    const out = join(fx.dir, 'int8');
    const r = await runHark(['export', '--model', src.dir, '--out', out, '--int8']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('int8 weights');
    const pkg = await loadModelPackage(out);
    expect(pkg.metadata.quantization).toEqual({ weights: 'int8', floatReference: `${src.metadata.name} ${src.metadata.version}` });
    expect({ ...pkg.metadata, quantization: undefined }).toEqual({ ...src.metadata, quantization: undefined });
    const again = await runHark(['export', '--model', out, '--out', join(fx.dir, 'int8-again')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/int8 package .*float reference/);
    expect((await runHark(['export', '--help'])).stdout).toMatch(/--int8\s+Write int8 weights/);
  });
});
