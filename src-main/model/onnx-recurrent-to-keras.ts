/**
 * The inverse of toOnnxRecurrentWeights: ONNX LSTM / GRU / RNN inputs W, R, B of one layer back
 * to the tfjs/Keras layout (kernel [input, G*H], recurrent [H, G*H], bias [G*H], Keras gate order).
 *
 * Bias: ONNX adds Wb + Rb to every gate pre-activation of LSTM and RNN. For GRU with
 * linear_before_reset = 0 (the only GRU form this inverts) the candidate gate is
 *   h~ = g(X·Whᵀ + (r ⊙ H)·Rhᵀ + Rbh + Wbh)
 * (ref: https://onnx.ai/onnx/operators/onnx__GRU.html), so Rbh is outside the reset product and
 * folds into the single Keras bias too. Hark writes Rb = 0; folding keeps other writers' files exact.
 */
import type { CellType } from '../../src-shared/model/metadata.ts';
import { gatesOf, type DirectionWeights, type RecurrentLayerWeights } from './weights.ts';
import { ONNX_GATE_SOURCE, type OnnxRecurrentWeights } from './onnx-recurrent-weights.ts';

/** Reads block n of an ONNX [dirs, G*H, rows] matrix into a Keras [rows, G*H] matrix, gates put back. */
function untransposeGates(src: Float32Array, offset: number, rows: number, hidden: number, order: readonly number[]): Float32Array {
  const cols = order.length * hidden;
  const out = new Float32Array(rows * cols);
  order.forEach((kerasGate, g) => {
    for (let j = 0; j < hidden; j++) {
      const srcRow = offset + (g * hidden + j) * rows;
      const outCol = kerasGate * hidden + j;
      for (let k = 0; k < rows; k++) out[k * cols + outCol] = src[srcRow + k];
    }
  });
  return out;
}

/**
 * Keras weights of one layer from ONNX W [dirs, G*H, inputSize], R [dirs, G*H, H], B [dirs, 2*G*H]
 * (the caller has checked those lengths). A zero Rb leaves Wb's bits untouched.
 */
export function fromOnnxRecurrentWeights(cell: CellType, onnx: OnnxRecurrentWeights, inputSize: number, hidden: number): RecurrentLayerWeights {
  const order = ONNX_GATE_SOURCE[cell];
  const gh = gatesOf(cell) * hidden;
  const direction = (n: number): DirectionWeights => {
    const bias = new Float32Array(gh);
    order.forEach((kerasGate, g) => {
      for (let j = 0; j < hidden; j++) {
        const wb = onnx.B[n * 2 * gh + g * hidden + j];
        const rb = onnx.B[n * 2 * gh + gh + g * hidden + j];
        bias[kerasGate * hidden + j] = rb === 0 ? wb : wb + rb;
      }
    });
    return {
      kernel: untransposeGates(onnx.W, n * gh * inputSize, inputSize, hidden, order),
      recurrent: untransposeGates(onnx.R, n * gh * hidden, hidden, hidden, order),
      bias,
    };
  };
  const forward = direction(0);
  return onnx.numDirections === 2 ? { inputSize, forward, backward: direction(1) } : { inputSize, forward };
}
