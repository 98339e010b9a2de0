import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ctcForwardBackward, logSoftmaxRows } from '../../src-main/train/ctc-forward-backward.ts';
import { ctcLoss } from '../../src-main/train/ctc-loss.ts';
import { ctcForward } from '../../src-main/decode/ctc-forward.ts';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function randomLogits(T: number, U: number, seed: number): Float64Array {
  const r = rand(seed);
  return Float64Array.from({ length: T * U }, () => (r() - 0.5) * 4);
}

/** -log p(labels) by summing the probability of every one of the U^T paths that collapses to labels. */
function bruteForceLoss(logits: Float64Array, T: number, U: number, labels: number[]): number {
  const lp = logSoftmaxRows(logits, T, U);
  let total = 0;
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < U ** T; n++) {
    let m = n;
    for (let t = 0; t < T; t++) { path[t] = m % U; m = Math.floor(m / U); }
    const collapsed: number[] = [];
    for (let t = 0; t < T; t++) if (path[t] !== 0 && (t === 0 || path[t] !== path[t - 1])) collapsed.push(path[t]);
    if (collapsed.length !== labels.length || collapsed.some((v, i) => v !== labels[i])) continue;
    let logp = 0;
    for (let t = 0; t < T; t++) logp += lp[t * U + path[t]];
    total += Math.exp(logp);
  }
  return -Math.log(total);
}

describe('CTC forward-backward', () => {
  const cases: [string, number, number, number[]][] = [
    ['distinct labels', 5, 4, [1, 2]],
    ['repeated label', 5, 3, [1, 1]],
    ['empty target', 4, 3, []],
    ['three labels, tight', 4, 4, [3, 1, 2]],
    ['repeat then other', 6, 3, [2, 2, 1]],
  ];
  // Training's forward-backward (Float64, with gradients) and the decoders' forward (Float32
  // posteriors, with Viterbi) are two homes of one recursion: they must give the same likelihood.
  it('gives the same likelihood as the decoders\' CTC forward', () => {
    for (const [, T, U, labels] of [...cases, ['long', 40, 6, [1, 2, 2, 3, 5, 4, 1]] as [string, number, number, number[]]]) {
      const lp = logSoftmaxRows(randomLogits(T, U, T * 7 + U), T, U);
      const train = ctcForwardBackward(lp, T, U, labels).loss;
      const decode = ctcForward(Float32Array.from(lp), T, U, labels);
      expect(decode).toBeCloseTo(-train, 4);
    }
  });
  for (const [name, T, U, labels] of cases) {
    it(`matches brute-force path enumeration: ${name}`, () => {
      const logits = randomLogits(T, U, T * 31 + U);
      const r = ctcForwardBackward(logSoftmaxRows(logits, T, U), T, U, labels);
      expect(r.loss).toBeCloseTo(bruteForceLoss(logits, T, U, labels), 10);
    });
    it(`gradient matches finite differences: ${name}`, () => {
      const logits = randomLogits(T, U, T * 7 + U);
      const { grad } = ctcForwardBackward(logSoftmaxRows(logits, T, U), T, U, labels);
      const h = 1e-6;
      for (let i = 0; i < T * U; i++) {
        const plus = Float64Array.from(logits); plus[i] += h;
        const minus = Float64Array.from(logits); minus[i] -= h;
        const fd = (bruteForceLoss(plus, T, U, labels) - bruteForceLoss(minus, T, U, labels)) / (2 * h);
        expect(grad[i]).toBeCloseTo(fd, 5);
      }
    });
  }

  it('reports an impossible alignment as infinite loss with zero gradient', () => {
    // "1 1" needs at least 3 frames (a blank between the repeats).
    const r = ctcForwardBackward(logSoftmaxRows(randomLogits(2, 3, 1), 2, 3), 2, 3, [1, 1]);
    expect(r.loss).toBe(Infinity);
    expect(Array.from(r.grad).every((g) => g === 0)).toBe(true);
  });

  it('rejects the blank as a label', () => {
    expect(() => ctcForwardBackward(logSoftmaxRows(randomLogits(3, 3, 2), 3, 3), 3, 3, [0])).toThrow(/blank/);
  });
});

describe('ctcLoss (tfjs op)', () => {
  it('averages per-sequence losses, ignores padding and gives the same gradient as the scalar routine', async () => {
    await tf.setBackend('cpu');
    const T = 6, B = 2, U = 4;
    const lengths = [6, 4];
    const labels = [[1, 2, 2], [3]];
    const flat = randomLogits(T * B, U, 99);
    const logits = tf.tensor3d(Float32Array.from(flat), [T, B, U]);
    const g = tf.grad((x: tf.Tensor) => ctcLoss(x as tf.Tensor3D, labels, lengths))(logits).dataSync();
    const loss = ctcLoss(logits, labels, lengths).dataSync()[0];
    let expected = 0;
    for (let b = 0; b < B; b++) {
      const seq = new Float64Array(lengths[b] * U);
      for (let t = 0; t < lengths[b]; t++) for (let k = 0; k < U; k++) seq[t * U + k] = Math.fround(flat[(t * B + b) * U + k]);
      const r = ctcForwardBackward(logSoftmaxRows(seq, lengths[b], U), lengths[b], U, labels[b]);
      expected += r.loss / B;
      expect(r.loss).toBeCloseTo(bruteForceLoss(seq, lengths[b], U, labels[b]), 8);
      for (let t = 0; t < T; t++) for (let k = 0; k < U; k++) {
        const want = t < lengths[b] ? r.grad[t * U + k] / B : 0;
        expect(g[(t * B + b) * U + k]).toBeCloseTo(want, 5);
      }
    }
    expect(loss).toBeCloseTo(expected, 4);
  });
});
