/**
 * The LSTM cell's elementwise part as one tfjs kernel on the wasm backend, with its gradient as
 * another. Built from tfjs ops, a step of the cell is 13 kernels forward and about 40 backward
 * (sigmoid, tanh, products, sums, casts, identities), each a call of 5-15 µs into the wasm module
 * for a few thousand numbers: for a 4 x 256 network that dispatch was 40% of a gradient step. Here
 * a step is one call each way, computed in JavaScript on views of the wasm heap (as tf-backend.ts
 * does for slices).
 *
 *   z [B, 4H] = x·W + b + h·R (gates i, f, c, o before activation; weights.ts's layout), c [B, H]:
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);  c' = f c + i g;  h' = o tanh(c')
 *   backward, from dh' and dc' (the next step's, or zero):
 *   dc = dc' + dh' o (1 - tanh²c');  dz_o = dh' tanh(c') o (1 - o);  dz_i = dc g i (1 - i);
 *   dz_c = dc i (1 - g²);  dz_f = dc c f (1 - f);  dc_prev = dc f
 *
 * The forward kernel also outputs the activations, which the gradient reads instead of computing
 * them again. The arithmetic is in double precision, rounded to float32 on output, so results differ from the
 * op-by-op cell in the last bits (tests/unit/train-lstm-cell.test.ts bounds it). Other backends
 * keep the op-by-op cell (recurrent-layer.ts asks fusedLstmCell()).
 */
import * as tf from '@tensorflow/tfjs';
import { registerGradient, registerKernel, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendInternals } from './tf-backend.ts';

const CELL = 'HarkLstmCell';
const CELL_GRAD = 'HarkLstmCellGrad';

let installed = false;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function checkShapes(z: TensorInfo, c: TensorInfo, name: string): [number, number] {
  const [B, H] = c.shape;
  if (z.shape.length !== 2 || c.shape.length !== 2 || z.shape[0] !== B || z.shape[1] !== 4 * H || z.dtype !== 'float32' || c.dtype !== 'float32') {
    throw new Error(`${name}: z must be float32 [B, 4H] and c [B, H], got z ${z.dtype} [${z.shape.join(', ')}], c ${c.dtype} [${c.shape.join(', ')}]`);
  }
  return [B, H];
}

/** Outputs h', c' and the activations [i, f, g, o, tanh c'] ([B, 5H]) that the gradient reads. */
function cellForward(backend: WasmBackendInternals, z: TensorInfo, c: TensorInfo): TensorInfo[] {
  const [B, H] = checkShapes(z, c, CELL);
  // Outputs first: making them may grow the heap, which detaches earlier views.
  const hOut = backend.makeOutput([B, H], 'float32');
  const cOut = backend.makeOutput([B, H], 'float32');
  const aOut = backend.makeOutput([B, 5 * H], 'float32');
  const Z = backend.typedArrayFromHeap(z), C = backend.typedArrayFromHeap(c);
  const Ho = backend.typedArrayFromHeap(hOut), Co = backend.typedArrayFromHeap(cOut), A = backend.typedArrayFromHeap(aOut);
  for (let r = 0; r < B; r++) {
    const zr = r * 4 * H, cr = r * H, ar = r * 5 * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(Z[zr + j]), f = sigmoid(Z[zr + H + j]), g = Math.tanh(Z[zr + 2 * H + j]), o = sigmoid(Z[zr + 3 * H + j]);
      const cn = f * C[cr + j] + i * g;
      const tc = Math.tanh(cn);
      Co[cr + j] = cn;
      Ho[cr + j] = o * tc;
      A[ar + j] = i;
      A[ar + H + j] = f;
      A[ar + 2 * H + j] = g;
      A[ar + 3 * H + j] = o;
      A[ar + 4 * H + j] = tc;
    }
  }
  return [hOut, cOut, aOut];
}

function cellBackward(backend: WasmBackendInternals, inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  const { c, acts, dh, dc } = inputs as Record<string, TensorInfo>;
  const [B, H] = c.shape;
  for (const [name, t, w] of [['c', c, H], ['acts', acts, 5 * H], ['dh', dh, H], ['dc', dc, H]] as const) {
    if (t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== w || t.dtype !== 'float32') throw new Error(`${CELL_GRAD}: ${name} must be float32 [${B}, ${w}], got ${t.dtype} [${t.shape.join(', ')}]`);
  }
  const dzOut = backend.makeOutput([B, 4 * H], 'float32');
  const dcOut = backend.makeOutput([B, H], 'float32');
  const C = backend.typedArrayFromHeap(c), A = backend.typedArrayFromHeap(acts);
  const DH = backend.typedArrayFromHeap(dh), DC = backend.typedArrayFromHeap(dc);
  const DZ = backend.typedArrayFromHeap(dzOut), DCP = backend.typedArrayFromHeap(dcOut);
  for (let r = 0; r < B; r++) {
    const zr = r * 4 * H, cr = r * H, ar = r * 5 * H;
    for (let j = 0; j < H; j++) {
      const i = A[ar + j], f = A[ar + H + j], g = A[ar + 2 * H + j], o = A[ar + 3 * H + j], tc = A[ar + 4 * H + j];
      const dhv = DH[cr + j];
      const dcv = DC[cr + j] + dhv * o * (1 - tc * tc);
      DZ[zr + j] = dcv * g * i * (1 - i);
      DZ[zr + H + j] = dcv * C[cr + j] * f * (1 - f);
      DZ[zr + 2 * H + j] = dcv * i * (1 - g * g);
      DZ[zr + 3 * H + j] = dhv * tc * o * (1 - o);
      DCP[cr + j] = dcv * f;
    }
  }
  return [dzOut, dcOut];
}

/** Registers both kernels on the wasm backend and the cell's gradient (once per process). */
export function installFusedLstmCell(): void {
  if (installed) return;
  registerKernel({ kernelName: CELL, backendName: 'wasm', kernelFunc: ({ inputs, backend }) => cellForward(backend as unknown as WasmBackendInternals, inputs.z!, inputs.c!) });
  registerKernel({ kernelName: CELL_GRAD, backendName: 'wasm', kernelFunc: ({ inputs, backend }) => cellBackward(backend as unknown as WasmBackendInternals, inputs) });
  registerGradient({
    kernelName: CELL,
    inputsToSave: ['c'],
    outputsToSave: [false, false, true],
    gradFunc: (dy, saved) => {
      const [dh, dc] = dy as (tf.Tensor | null)[];
      const [c, acts] = saved;
      // An output that reaches no loss (the last step's c) has no gradient: zero.
      const [dz, dcPrev] = tf.engine().runKernel(CELL_GRAD, { c, acts, dh: dh ?? tf.zerosLike(c), dc: dc ?? tf.zerosLike(c) }) as tf.Tensor[];
      return { z: () => dz, c: () => dcPrev };
    },
  });
  installed = true;
}

/** Whether the fused cell runs on the current backend (installed, and the backend is wasm). */
export function fusedLstmCell(): boolean {
  return installed && tf.getBackend() === 'wasm';
}

/** One LSTM step's elementwise part: [h', c'] from z [B, 4H] and c [B, H] (fusedLstmCell() must be true). */
export function lstmCellStep(z: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [h, cNew, acts] = tf.engine().runKernel(CELL, { z, c }) as tf.Tensor2D[];
  // The gradient keeps its own reference to the activations (tfjs saves a clone): this one can go.
  acts.dispose();
  return [h, cNew];
}
