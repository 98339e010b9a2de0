/**
 * One recurrent layer (LSTM, GRU or simple RNN; one or two directions) in tfjs, unrolled over
 * time so that tf gradients give backpropagation through time. Cell equations and weight layouts
 * follow tfjs/Keras (weights.ts): LSTM gates [i, f, c, o]; GRU [z, r, h] with the reset gate
 * applied before the recurrent matmul; RNN tanh. The input projection of all frames is one matmul.
 */
import * as tf from '@tensorflow/tfjs';
import type { CellType } from '../../src-shared/model/metadata.ts';
import { gatesOf } from '../model/weights.ts';
import { createRng } from './data/rng.ts';
import { fusedLstmCell, lstmCellStep } from './lstm-cell-kernel.ts';

export interface DirectionVariables {
  kernel: tf.Variable; // [inputSize, G*H]
  recurrent: tf.Variable; // [H, G*H]
  bias: tf.Variable; // [G*H]
}

/** Glorot-uniform input kernel, orthogonal-ish recurrent kernel, zero bias (LSTM forget bias 1). */
export function createDirection(cell: CellType, inputSize: number, hidden: number, seed: number, name: string): DirectionVariables {
  const G = gatesOf(cell);
  const limit = Math.sqrt(6 / (inputSize + G * hidden));
  const kernel = tf.variable(tf.randomUniform([inputSize, G * hidden], -limit, limit, 'float32', seed), true, `${name}/kernel`);
  const blocks = Array.from({ length: G }, (_, g) => orthogonal(hidden, seed + 1 + g));
  const recurrent = tf.variable(tf.tidy(() => tf.concat(blocks, 1)), true, `${name}/recurrent`);
  blocks.forEach((b) => b.dispose());
  const biasValues = new Float32Array(G * hidden);
  if (cell === 'lstm') biasValues.fill(1, hidden, 2 * hidden);
  const bias = tf.variable(tf.tensor1d(biasValues), true, `${name}/bias`);
  return { kernel, recurrent, bias };
}

/**
 * A random orthogonal matrix [n, n]: modified Gram-Schmidt on a seeded Gaussian matrix, in plain
 * Float64 JavaScript (tf.linalg.qr builds hundreds of small ops per column and takes minutes at n = 192).
 */
function orthogonal(n: number, seed: number): tf.Tensor2D {
  const next = createRng(seed).next;
  // Half a step above Rng's grid of k / 2^32, so that log() below never sees 0.
  const uniform = () => next() + 0.5 / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  // Rows of q become orthonormal one after another.
  const q = Array.from({ length: n }, () => Float64Array.from({ length: n }, gauss));
  for (let i = 0; i < n; i++) {
    const qi = q[i];
    for (let j = 0; j < i; j++) {
      const qj = q[j];
      let dot = 0;
      for (let k = 0; k < n; k++) dot += qi[k] * qj[k];
      for (let k = 0; k < n; k++) qi[k] -= dot * qj[k];
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += qi[k] * qi[k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < n; k++) qi[k] /= norm;
  }
  const flat = new Float32Array(n * n);
  q.forEach((row, i) => flat.set(row, i * n));
  return tf.tensor2d(flat, [n, n]);
}

/** Recurrent state of one direction, [B, H] each (c is unused by GRU and RNN). */
export interface RecurrentState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * Runs one direction over time-major input.
 * @param xProj [T, B, G*H] input projection x·W + b for every frame
 * @returns hidden states [T, B, H]
 */
export function runDirection(cell: CellType, v: DirectionVariables, xProj: tf.Tensor3D, hidden: number): tf.Tensor3D {
  return runDirectionFrom(cell, v, xProj, hidden).ys;
}

/**
 * runDirection from a given state (zeros when omitted), also returning the state after the last
 * frame: the forward direction of a latency-controlled BLSTM carries it from chunk to chunk.
 */
export function runDirectionFrom(
  cell: CellType, v: DirectionVariables, xProj: tf.Tensor3D, hidden: number, init?: RecurrentState,
): { ys: tf.Tensor3D; final: RecurrentState } {
  const [T, B] = xProj.shape;
  const steps = tf.unstack(xProj) as tf.Tensor2D[];
  let h: tf.Tensor2D = init ? init.h : tf.zeros([B, hidden]);
  let c: tf.Tensor2D = init ? init.c : tf.zeros([B, hidden]);
  const outs: tf.Tensor2D[] = [];
  // GRU needs the recurrent kernel split: [z, r] act on h, the candidate on r*h.
  const [rzr, rh] = cell === 'gru' ? tf.split(v.recurrent, [2 * hidden, hidden], 1) : [v.recurrent, v.recurrent];
  const hR = recurrentProduct(v.recurrent);
  const fused = cell === 'lstm' && fusedLstmCell();
  for (let t = 0; t < T; t++) {
    const x = steps[t];
    if (cell === 'lstm') {
      const z = tf.add(x, hR(h)) as tf.Tensor2D;
      if (fused) {
        [h, c] = lstmCellStep(z, c);
      } else {
        const [zi, zf, zc, zo] = tf.split(z, 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc))) as tf.Tensor2D;
        h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
      }
    } else if (cell === 'gru') {
      const [xz, xr, xh] = tf.split(x, 3, 1);
      const [hz, hr] = tf.split(tf.matMul(h, rzr), 2, 1);
      const zg = tf.sigmoid(tf.add(xz, hz));
      const rg = tf.sigmoid(tf.add(xr, hr));
      const cand = tf.tanh(tf.add(xh, tf.matMul(tf.mul(rg, h), rh)));
      // Keras: h = z*h_prev + (1-z)*candidate = candidate + z*(h_prev - candidate).
      h = tf.add(cand, tf.mul(zg, tf.sub(h, cand))) as tf.Tensor2D;
    } else {
      h = tf.tanh(tf.add(x, hR(h))) as tf.Tensor2D;
    }
    outs.push(h);
  }
  return { ys: T > 0 ? tf.stack(outs) as tf.Tensor3D : tf.zeros([0, B, hidden]), final: { h, c } };
}

/**
 * h·R for every time step of one sequence pass, with the gradient's two products made per pass
 * where that is possible. Backpropagation through h·R needs dh = dy·Rᵀ at every step (the next
 * step's gradient depends on it) and dR = Σ_t h_tᵀ·dy_t.
 * - Rᵀ is made once, by the first step's gradient, and reused: as a plain matMul's gradient, each
 *   step would copy R into a transposed copy (tf-backend.ts: XNNPACK is fast only untransposed),
 *   which was a third of a gradient step of a 4 x 256 network.
 * - dR is one product per pass, Hᵀ·DY over the stacked h_t and dy_t, instead of a small product
 *   and a sum into a [H, G*H] accumulator at every step (each step's product also packs a fresh
 *   XNNPACK operator): the steps' gradients hand their h_t and dy_t to an op that every step takes
 *   as an input and that sits before them on the tape, so its gradient runs after all of theirs.
 *   The sum's order differs from the per-step sums, so dR moves in the last bits
 *   (tests/unit/train-recurrent-product.test.ts: dh bit for bit, dR within float32 rounding).
 */
export function recurrentProduct(R: tf.Tensor): (h: tf.Tensor2D) => tf.Tensor2D {
  let Rt: tf.Tensor | null = null;
  // What the steps' gradients hand over to the pass's dR (filled by the backward pass, emptied by dR).
  let hs: tf.Tensor2D[] = [];
  let dys: tf.Tensor2D[] = [];
  const anchorOp = tf.customGrad(((r: tf.Tensor2D) => ({
    value: tf.zeros([1]),
    gradFunc: () => {
      const H = hs, DY = dys;
      hs = [];
      dys = [];
      if (H.length === 0) return [tf.zerosLike(r)];
      return [tf.tidy(() => tf.matMul(tf.concat(H, 0), tf.concat(DY, 0), true, false))];
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  const anchor = anchorOp(R) as tf.Tensor;
  const op = tf.customGrad(((h: tf.Tensor2D, a: tf.Tensor, save: tf.GradSaveFunc) => {
    save([h]);
    return {
      value: tf.matMul(h, R as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        // Made outside a tidy: it lives until the end of the backward pass (tfjs disposes it then),
        // as do the clones handed to the pass's dR.
        if (Rt === null || Rt.isDisposed) Rt = tf.transpose(R);
        hs.push((saved[0] as tf.Tensor2D).clone());
        dys.push(dy.clone());
        const rt = Rt;
        return [tf.matMul(dy, rt as tf.Tensor2D), tf.zerosLike(a)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (h) => op(h, anchor) as tf.Tensor2D;
}

/** x [T, B, I] -> x·W + b as [T, B, G*H]. */
export function projectInput(x: tf.Tensor3D, v: DirectionVariables): tf.Tensor3D {
  const [T, B, I] = x.shape;
  const flat = tf.reshape(x, [T * B, I]);
  return tf.reshape(tf.add(tf.matMul(flat, v.kernel), v.bias), [T, B, v.kernel.shape[1] as number]);
}

/**
 * Reverses each sequence of a time-major batch within its own length (padding stays in place),
 * so the backward direction starts at each sequence's last valid frame. The permutation is its
 * own inverse, which gives the gradient without tfjs's gather gradient (missing on wasm).
 */
export function reverseWithinLengths(x: tf.Tensor3D, lengths: readonly number[]): tf.Tensor3D {
  const [T, B, D] = x.shape;
  const idx = new Int32Array(T * B);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) idx[t * B + b] = t < lengths[b] ? (lengths[b] - 1 - t) * B + b : t * B + b;
  const perm = (y: tf.Tensor): tf.Tensor => tf.tidy(() => tf.reshape(tf.gather(tf.reshape(y, [T * B, D]), tf.tensor1d(idx, 'int32')), [T, B, D]));
  const op = tf.customGrad(((y: tf.Tensor) => ({ value: perm(y), gradFunc: (dy: tf.Tensor) => [perm(dy)] })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor3D;
}
