/**
 * The fused LSTM cell (lstm-cell-kernel.ts) against the op-by-op cell it replaces on the wasm
 * backend: the same outputs and the same gradients up to float32 rounding, over a sequence whose
 * loss reads every h (so the last c has no gradient), and clear errors for wrong shapes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { fusedLstmCell, lstmCellStep } from '../../src-main/train/lstm-cell-kernel.ts';
import { recurrentProduct } from '../../src-main/train/recurrent-layer.ts';
import { randomArray, seededRandom } from '../helpers/random-weights.ts';

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });

function opsCell(z: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [zi, zf, zc, zo] = tf.split(z, 4, 1);
  const cn = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc))) as tf.Tensor2D;
  return [tf.mul(tf.sigmoid(zo), tf.tanh(cn)), cn];
}

/** Loss over T steps and its gradients with respect to the inputs x and the recurrent kernel R. */
function run(cell: typeof opsCell, T: number, B: number, H: number, seed: number): { hs: Float32Array; gx: Float32Array; gR: Float32Array } {
  const rnd = seededRandom(seed);
  const x0 = tf.tensor3d(randomArray(T * B * 4 * H, rnd, 2), [T, B, 4 * H]);
  const R0 = tf.tensor2d(randomArray(H * 4 * H, rnd, 0.3), [H, 4 * H]);
  const target = tf.tensor3d(randomArray(T * B * H, rnd, 1), [T, B, H]);
  const x = tf.variable(x0), R = tf.variable(R0);
  let hs: Float32Array | undefined;
  try {
    const { grads, value } = tf.variableGrads(() => tf.tidy(() => {
      const hR = recurrentProduct(R);
      let h = tf.zeros([B, H]) as tf.Tensor2D;
      let c = tf.zeros([B, H]) as tf.Tensor2D;
      const outs: tf.Tensor2D[] = [];
      for (const xt of tf.unstack(x) as tf.Tensor2D[]) {
        [h, c] = cell(tf.add(xt, hR(h)) as tf.Tensor2D, c);
        outs.push(h);
      }
      const all = tf.stack(outs);
      hs = all.dataSync() as Float32Array;
      return tf.sum(tf.square(tf.sub(all, target))) as tf.Scalar;
    }), [x, R]);
    value.dispose();
    const r = { hs: hs!, gx: grads[x.name].dataSync() as Float32Array, gR: grads[R.name].dataSync() as Float32Array };
    tf.dispose(Object.values(grads));
    return r;
  } finally {
    tf.dispose([x, R, x0, R0, target]);
  }
}

const relDiff = (a: Float32Array, b: Float32Array): number => {
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return d / m;
};

describe('fused LSTM cell', () => {
  it('runs on the wasm training backend', () => {
    expect(fusedLstmCell()).toBe(true);
  });

  it('gives the op-by-op cell\'s outputs and gradients up to float32 rounding', () => {
    for (const [T, B, H, seed] of [[9, 3, 16, 1], [25, 6, 64, 2], [2, 1, 8, 3]]) {
      const before = tf.memory().numTensors;
      const ops = run(opsCell, T, B, H, seed);
      const fused = run(lstmCellStep, T, B, H, seed);
      expect(tf.memory().numTensors).toBe(before);
      expect(relDiff(fused.hs, ops.hs)).toBeLessThan(1e-6);
      expect(relDiff(fused.gx, ops.gx)).toBeLessThan(1e-5);
      expect(relDiff(fused.gR, ops.gR)).toBeLessThan(1e-5);
      expect(ops.gR.some((v) => v !== 0)).toBe(true);
    }
  });

  it('refuses inputs of the wrong shape or type, naming them', () => {
    const z = tf.zeros([2, 12]) as tf.Tensor2D, c = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => lstmCellStep(z, tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(/HarkLstmCell: z must be float32 \[B, 4H\] and c \[B, H\], got z float32 \[2, 12\], c float32 \[2, 5\]/);
    expect(() => lstmCellStep(tf.zeros([2, 16], 'int32') as tf.Tensor2D, c)).toThrow(/got z int32/);
    tf.dispose([z, c]);
  });
});
