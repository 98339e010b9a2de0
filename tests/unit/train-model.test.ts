/**
 * The tfjs acoustic model against the exporter's independent Float64 reference forward, and
 * against onnxruntime running the exported graph, for every cell type and direction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ArchitectureSpec, CellType } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { encodeAcousticModel } from '../../src-main/model/write-model.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';
import { testMetadata } from '../helpers/test-metadata.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const cells: CellType[] = ['lstm', 'gru', 'rnn'];

describe('tfjs acoustic model', () => {
  beforeAll(async () => {
    // The wasm backend with Hark's kernel fixes is what training uses.
    await initTrainingBackend({ prefer: 'wasm' });
  });

  for (const cell of cells) {
    for (const bidirectional of [false, true]) {
      const spec: ArchitectureSpec = { cell, bidirectional, layers: 2, hidden: 6, inputDim: 5, numUnits: 7 };
      it(`${cell} ${bidirectional ? 'bi' : 'uni'}: tfjs == reference forward == onnxruntime (1e-4)`, async () => {
        const model = new AcousticModel(spec, 3);
        model.setWeights(randomWeights(spec, 11));
        const T = 9;
        const x = randomArray(T * spec.inputDim, seededRandom(5));
        const tfOut = model.logProbs(x, T);
        const refOut = referenceForward(model.getWeights(), x, T);
        expect(maxAbsDiff(tfOut, refOut)).toBeLessThan(1e-4);
        const session = await ort.InferenceSession.create(encodeAcousticModel(model.getWeights(), testMetadata(spec)));
        const res = await session.run({ features: new ort.Tensor('float32', x, [1, T, spec.inputDim]) });
        expect(maxAbsDiff(res.logprobs.data as Float32Array, tfOut)).toBeLessThan(1e-4);
        model.dispose();
      });
    }
  }

  it('a padded batch gives each sequence the output it has alone (backward direction starts at its own end)', () => {
    const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 4, inputDim: 3, numUnits: 5 };
    const model = new AcousticModel(spec, 9);
    const lengths = [7, 4, 6];
    const rand = seededRandom(2);
    const seqs = lengths.map((n) => randomArray(n * spec.inputDim, rand));
    const T = 7, B = 3, D = spec.inputDim;
    const x = new Float32Array(T * B * D).fill(3); // padding with large values must not leak
    seqs.forEach((s, b) => { for (let t = 0; t < lengths[b]; t++) x.set(s.subarray(t * D, (t + 1) * D), (t * B + b) * D); });
    const out = tf.tidy(() => tf.logSoftmax(model.forward(tf.tensor3d(x, [T, B, D]), lengths)).dataSync());
    seqs.forEach((s, b) => {
      const alone = model.logProbs(s, lengths[b]);
      const mine = new Float32Array(lengths[b] * spec.numUnits);
      for (let t = 0; t < lengths[b]; t++) mine.set(out.subarray((t * B + b) * spec.numUnits, (t * B + b + 1) * spec.numUnits), t * spec.numUnits);
      expect(maxAbsDiff(mine, alone)).toBeLessThan(1e-5);
    });
    model.dispose();
  });

  it('getWeights/setWeights round-trip and refuse another architecture', () => {
    const spec: ArchitectureSpec = { cell: 'gru', bidirectional: true, layers: 1, hidden: 3, inputDim: 2, numUnits: 4 };
    const a = new AcousticModel(spec, 1);
    const b = new AcousticModel(spec, 2);
    b.setWeights(a.getWeights());
    const x = randomArray(5 * 2, seededRandom(1));
    expect(maxAbsDiff(a.logProbs(x, 5), b.logProbs(x, 5))).toBe(0);
    const other = new AcousticModel({ ...spec, hidden: 4 }, 1);
    expect(() => other.setWeights(a.getWeights())).toThrow(/do not fit/);
    [a, b, other].forEach((m) => m.dispose());
  });

  it('the wasm matmul, slice and gather fixes compute what the cpu backend does (every transpose combination; copies exactly)', async () => {
    const rand = seededRandom(4);
    const A = randomArray(3 * 4 * 5, rand), Bv = randomArray(3 * 5 * 6, rand);
    const results: Float32Array[][] = [];
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const a = tf.tensor3d(A, [3, 4, 5]), bb = tf.tensor3d(Bv, [3, 5, 6]);
      const at = tf.transpose(a, [0, 2, 1]), bt = tf.transpose(bb, [0, 2, 1]);
      results.push([
        tf.matMul(a, bb).dataSync() as Float32Array,
        tf.matMul(at, bb, true, false).dataSync() as Float32Array,
        tf.matMul(a, bt, false, true).dataSync() as Float32Array,
        tf.matMul(at, bt, true, true).dataSync() as Float32Array,
        tf.slice(bb, [1, 2, 1], [2, 2, 4]).dataSync() as Float32Array,
        ...(tf.unstack(bb, 1).map((u) => u.dataSync() as Float32Array)),
        // Rows along axis 0 (the reversal within lengths), repeated and reordered, and along another axis.
        tf.gather(bb, tf.tensor1d([2, 0, 0, 1], 'int32')).dataSync() as Float32Array,
        tf.gather(tf.reshape(bb, [15, 6]), tf.tensor2d([14, 3, 7, 0, 1, 2], [2, 3], 'int32')).dataSync() as Float32Array,
        tf.gather(bb, tf.tensor1d([4, 1], 'int32'), 1).dataSync() as Float32Array,
      ]);
      if (backend === 'wasm') expect(() => tf.gather(bb, tf.tensor1d([3], 'int32')).dataSync()).toThrow(/index 3 is not in \[0, 2\]/);
      tf.dispose([a, bb, at, bt]);
    }
    await tf.setBackend('wasm');
    results[0].forEach((r, i) => expect(maxAbsDiff(r, results[1][i])).toBeLessThan(1e-5));
    // Copies (slices, rows) are exact.
    results[0].slice(4).forEach((r, i) => expect(r).toEqual(results[1][4 + i]));
  });
});
