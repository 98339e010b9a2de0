/**
 * Int8 weights for the dynamically quantized graphs (`hark export --int8`): symmetric per-column
 * quantization, q = round(w / scale) clamped to [-127, 127] with scale = max|w| / 127 over the
 * column and zero point 0, so w ~ q * scale within scale / 2. Activations are quantized by
 * onnxruntime at run time (uint8, per call), which is what makes the scheme "dynamic".
 * ref: onnxruntime docs/ContribOperators.md, com.microsoft.DynamicQuantizeLSTM (W [dirs, input,
 * 4*hidden], R [dirs, hidden, 4*hidden], gates iofc, per-channel scale and zero point [dirs, 4*hidden])
 * and com.microsoft.DynamicQuantizeMatMul (B [K, N], per-column b_scale and b_zero_point [N], bias [N]).
 */
import type { NodeProto, TensorProto } from './onnx-proto.ts';
import { domainNode, floatTensor, int8Tensor, type AttributeValue } from './onnx-builders.ts';
import { CONTRIB_DOMAIN, INT8_LIMIT, QUANTIZED_LSTM_OP, QUANTIZED_MATMUL_OP, transposeStacked } from './int8-layout.ts';

export { CONTRIB_DOMAIN, CONTRIB_OPSET_VERSION, INT8_LIMIT, QUANTIZED_LSTM_OP, QUANTIZED_MATMUL_OP, transposeStacked } from './int8-layout.ts';

/** A row-major [rows, cols] matrix as int8 values and one scale per column. */
export interface Int8Columns {
  q: Int8Array;
  scale: Float32Array;
}

/**
 * Quantizes `count` stacked row-major [rows, cols] matrices of `m` column by column; scales come
 * out [count, cols]. An all-zero column gets scale 1 (every q is 0 either way).
 */
export function quantizeColumns(m: Float32Array, count: number, rows: number, cols: number): Int8Columns {
  if (m.length !== count * rows * cols) throw new Error(`quantizeColumns: ${m.length} values, expected ${count}x${rows}x${cols}`);
  const q = new Int8Array(m.length);
  const scale = new Float32Array(count * cols);
  for (let n = 0; n < count; n++) {
    const base = n * rows * cols;
    for (let c = 0; c < cols; c++) {
      let max = 0;
      for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(m[base + r * cols + c]));
      const s = max > 0 ? max / INT8_LIMIT : 1;
      scale[n * cols + c] = s;
      // Divide by the float32 scale the graph will carry, so q * scale is what onnxruntime computes.
      const s32 = scale[n * cols + c];
      for (let r = 0; r < rows; r++) {
        const i = base + r * cols + c;
        q[i] = Math.max(-INT8_LIMIT, Math.min(INT8_LIMIT, Math.round(m[i] / s32)));
      }
    }
  }
  return { q, scale };
}

/** The float values `quantizeColumns` stands for: q * scale, [count, rows, cols] row-major. */
export function dequantizeColumns(x: Int8Columns, count: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(count * rows * cols);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = (n * rows + r) * cols + c;
        out[i] = x.q[i] * x.scale[n * cols + c];
      }
    }
  }
  return out;
}

/** Initializer names of one DynamicQuantizeLSTM's quantized weights (`prefix` e.g. "layer0" or "layer0.fw"). */
export function int8LstmNames(prefix: string) {
  return {
    W: `${prefix}.W_int8`, R: `${prefix}.R_int8`,
    WScale: `${prefix}.W_scale`, WZero: `${prefix}.W_zero_point`, RScale: `${prefix}.R_scale`, RZero: `${prefix}.R_zero_point`,
  };
}

/**
 * Initializers for DynamicQuantizeLSTM from ONNX LSTM weights W [dirs, 4H, input] and
 * R [dirs, 4H, H] (onnx-recurrent-weights.ts layout): transposed to [dirs, input, 4H] and
 * [dirs, H, 4H] and quantized per gate unit (scale and zero point [dirs, 4H]).
 */
export function int8LstmInitializers(prefix: string, W: Float32Array, R: Float32Array, dirs: number, inputSize: number, hidden: number): TensorProto[] {
  const gh = 4 * hidden;
  const names = int8LstmNames(prefix);
  const w = quantizeColumns(transposeStacked(W, dirs, gh, inputSize), dirs, inputSize, gh);
  const r = quantizeColumns(transposeStacked(R, dirs, gh, hidden), dirs, hidden, gh);
  return [
    int8Tensor(names.W, [dirs, inputSize, gh], w.q),
    int8Tensor(names.R, [dirs, hidden, gh], r.q),
    floatTensor(names.WScale, [dirs, gh], w.scale),
    int8Tensor(names.WZero, [dirs, gh], new Int8Array(dirs * gh)),
    floatTensor(names.RScale, [dirs, gh], r.scale),
    int8Tensor(names.RZero, [dirs, gh], new Int8Array(dirs * gh)),
  ];
}

/**
 * A DynamicQuantizeLSTM node reading the initializers of int8LstmInitializers(prefix); `bias` and
 * the optional initial states are float names ("" = absent), as for the ONNX LSTM.
 */
export function int8LstmNode(
  name: string, prefix: string, x: string, bias: string, initialH: string, initialC: string,
  outputs: string[], attrs: Record<string, AttributeValue>,
): NodeProto {
  const n = int8LstmNames(prefix);
  return domainNode(CONTRIB_DOMAIN, QUANTIZED_LSTM_OP, name,
    [x, n.W, n.R, bias, '', initialH, initialC, '', n.WScale, n.WZero, n.RScale, n.RZero], outputs, attrs);
}

/** Initializers of the int8 output projection: kernel [K, N] quantized per output unit, float bias [N]. */
export function int8OutputInitializers(kernel: Float32Array, bias: Float32Array, k: number, n: number): TensorProto[] {
  const qk = quantizeColumns(kernel, 1, k, n);
  return [
    int8Tensor('output.kernel_int8', [k, n], qk.q),
    floatTensor('output.kernel_scale', [n], qk.scale),
    int8Tensor('output.kernel_zero_point', [n], new Int8Array(n)),
    floatTensor('output.bias', [n], bias),
  ];
}

/** DynamicQuantizeMatMul computing x * kernel + bias into `output` (replaces MatMul + Add). */
export function int8OutputNode(x: string, output: string): NodeProto {
  return domainNode(CONTRIB_DOMAIN, QUANTIZED_MATMUL_OP, 'output.matmul',
    [x, 'output.kernel_int8', 'output.kernel_scale', 'output.kernel_zero_point', 'output.bias'], [output]);
}
