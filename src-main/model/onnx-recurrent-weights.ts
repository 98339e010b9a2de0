/**
 * Converts one recurrent layer from the tfjs/Keras layout to the ONNX LSTM / GRU / RNN inputs.
 *
 * Keras: kernel [input, G*H], recurrent [H, G*H], bias [G*H], gates along columns.
 * ONNX (ref: https://onnx.ai/onnx/operators/onnx__LSTM.html, GRU, RNN):
 *   W [num_directions, G*H, input], R [num_directions, G*H, H], B [num_directions, 2*G*H] = [Wb, Rb],
 *   directions ordered [forward, reverse].
 * Gate order: LSTM Keras [i, f, c, o] -> ONNX [i, o, f, c]; GRU [z, r, h] -> [z, r, h]
 * (both reset-before: ONNX linear_before_reset = 0); RNN one gate.
 * The Keras bias goes into Wb and Rb is zero: with reset-before GRU, Rb_h is added outside
 * the reset product, so Wb + Rb reproduces the single Keras bias for every cell.
 */
import type { CellType } from '../../src-shared/model/metadata.ts';
import { gatesOf, type DirectionWeights, type RecurrentLayerWeights } from './weights.ts';

/** For each ONNX gate position, the Keras gate index that feeds it. */
export const ONNX_GATE_SOURCE: Record<CellType, readonly number[]> = {
  lstm: [0, 3, 1, 2],
  gru: [0, 1, 2],
  rnn: [0],
};

export interface OnnxRecurrentWeights {
  numDirections: number;
  /** [numDirections, G*H, inputSize] row-major */
  W: Float32Array;
  /** [numDirections, G*H, H] row-major */
  R: Float32Array;
  /** [numDirections, 2*G*H] */
  B: Float32Array;
}

/** Writes the transpose of a Keras [rows, G*H] matrix, gates reordered, into out[G*H, rows]. */
function transposeGates(src: Float32Array, rows: number, hidden: number, order: readonly number[], out: Float32Array, offset: number): void {
  const cols = order.length * hidden;
  order.forEach((kerasGate, g) => {
    for (let j = 0; j < hidden; j++) {
      const outRow = offset + (g * hidden + j) * rows;
      const srcCol = kerasGate * hidden + j;
      for (let k = 0; k < rows; k++) out[outRow + k] = src[k * cols + srcCol];
    }
  });
}

/** ONNX W, R, B for one layer; `layer` must already have passed checkAcousticWeights. */
export function toOnnxRecurrentWeights(cell: CellType, layer: RecurrentLayerWeights, hidden: number): OnnxRecurrentWeights {
  const gates = gatesOf(cell);
  const order = ONNX_GATE_SOURCE[cell];
  const dirs: DirectionWeights[] = layer.backward ? [layer.forward, layer.backward] : [layer.forward];
  const gh = gates * hidden;
  const W = new Float32Array(dirs.length * gh * layer.inputSize);
  const R = new Float32Array(dirs.length * gh * hidden);
  const B = new Float32Array(dirs.length * 2 * gh);
  dirs.forEach((d, n) => {
    transposeGates(d.kernel, layer.inputSize, hidden, order, W, n * gh * layer.inputSize);
    transposeGates(d.recurrent, hidden, hidden, order, R, n * gh * hidden);
    order.forEach((kerasGate, g) => {
      B.set(d.bias.subarray(kerasGate * hidden, (kerasGate + 1) * hidden), n * 2 * gh + g * hidden);
    });
  });
  return { numDirections: dirs.length, W, R, B };
}
