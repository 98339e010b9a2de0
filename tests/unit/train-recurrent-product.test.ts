/**
 * recurrentProduct (recurrent-layer.ts): h·R with R's transpose made once per pass for the
 * gradient and dR one product per pass. Its gradients must be those of a plain matMul: dh bit for
 * bit, dR up to float32 summation order; and it must make Rᵀ once, not once per step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { recurrentProduct } from '../../src-main/train/recurrent-layer.ts';
import { randomArray, seededRandom } from '../helpers/random-weights.ts';

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });

/** An LSTM-shaped recurrence over T steps (gates from h·R), its loss, and the gradients of x and R. */
function gradients(product: 'plain' | 'recurrent', T: number, B: number, H: number, seed: number): Float32Array[] {
  const rnd = seededRandom(seed);
  const x0 = tf.tensor3d(randomArray(T * B * 4 * H, rnd, 1), [T, B, 4 * H]);
  const R0 = tf.tensor2d(randomArray(H * 4 * H, rnd, 0.2), [H, 4 * H]);
  const x = tf.variable(x0);
  const R = tf.variable(R0);
  const target = tf.tensor3d(randomArray(T * B * H, rnd, 1), [T, B, H]);
  try {
    const { grads, value } = tf.variableGrads(() => tf.tidy(() => {
      const hR = product === 'recurrent' ? recurrentProduct(R) : (h: tf.Tensor2D) => tf.matMul(h, R);
      const steps = tf.unstack(x) as tf.Tensor2D[];
      let h = tf.zeros([B, H]) as tf.Tensor2D;
      let c = tf.zeros([B, H]) as tf.Tensor2D;
      const outs: tf.Tensor2D[] = [];
      for (const xt of steps) {
        const [zi, zf, zc, zo] = tf.split(tf.add(xt, hR(h)), 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc))) as tf.Tensor2D;
        h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
        outs.push(h);
      }
      return tf.sum(tf.square(tf.sub(tf.stack(outs), target))) as tf.Scalar;
    }), [x, R]);
    value.dispose();
    const out = [x, R].map((v) => grads[v.name].dataSync() as Float32Array);
    tf.dispose(Object.values(grads));
    return out;
  } finally {
    tf.dispose([x, R, x0, R0, target]);
  }
}

describe('recurrentProduct', () => {
  it('gives the gradients of a plain matMul: those of the input bit for bit, those of R to float32 rounding', () => {
    for (const [T, B, H, seed] of [[7, 3, 16, 1], [20, 5, 32, 2], [2, 1, 8, 3], [4, 6, 24, 5]]) {
      const [plainX, plainR] = gradients('plain', T, B, H, seed);
      const [recX, recR] = gradients('recurrent', T, B, H, seed);
      expect(recX).toEqual(plainX);
      const scale = Math.max(...Array.from(plainR, Math.abs));
      expect(scale).toBeGreaterThan(0);
      let worst = 0;
      plainR.forEach((g, i) => { worst = Math.max(worst, Math.abs(g - recR[i])); });
      expect(worst / scale).toBeLessThan(1e-5);
    }
  });

  it('makes Rᵀ once per backward pass instead of a transposed product at every step, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const count = (product: 'plain' | 'recurrent'): { transposedB: number; transposes: number } => {
      const n = { transposedB: 0, transposes: 0 };
      const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
      const transpose = tf.getKernel('Transpose', 'wasm')!;
      const swap = (name: string, k: tf.KernelConfig) => { tf.unregisterKernel(name, 'wasm'); tf.registerKernel(k); };
      swap('BatchMatMul', { ...matMul, kernelFunc: (a) => { if ((a.attrs as { transposeB?: boolean }).transposeB) n.transposedB++; return matMul.kernelFunc(a); } });
      swap('Transpose', { ...transpose, kernelFunc: (a) => { n.transposes++; return transpose.kernelFunc(a); } });
      try {
        gradients(product, 12, 2, 8, 4);
      } finally {
        swap('BatchMatMul', matMul);
        swap('Transpose', transpose);
      }
      return n;
    };
    // A product transposed in B copies R (tf-backend.ts): plain matMul's gradient does it at every step
    // whose h needs a gradient (11 of 12: the first step's h is the zero state).
    expect(count('plain')).toEqual({ transposedB: 11, transposes: 0 });
    expect(count('recurrent')).toEqual({ transposedB: 0, transposes: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
