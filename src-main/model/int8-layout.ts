/**
 * The operator names and layout of Hark's int8 graphs (int8-weights.ts writes them), in a module
 * that imports nothing, so the package checks read them without loading protobufjs.
 * ref: onnxruntime docs/ContribOperators.md (DynamicQuantizeLSTM, DynamicQuantizeMatMul).
 */
/** onnxruntime's contrib operator domain and the opset version of its quantized operators. */
export const CONTRIB_DOMAIN = 'com.microsoft';
export const CONTRIB_OPSET_VERSION = 1;
export const QUANTIZED_LSTM_OP = 'DynamicQuantizeLSTM';
export const QUANTIZED_MATMUL_OP = 'DynamicQuantizeMatMul';
/** Largest magnitude of a quantized value (symmetric: -128 is never used). */
export const INT8_LIMIT = 127;

/** Transposes each of `count` stacked row-major [rows, cols] matrices to [cols, rows]. */
export function transposeStacked(m: Float32Array, count: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let n = 0; n < count; n++) {
    const b = n * rows * cols;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[b + c * rows + r] = m[b + r * cols + c];
  }
  return out;
}
