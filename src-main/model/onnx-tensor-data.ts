/**
 * Reads the values of a float32 ONNX initializer, checking its declared dims.
 * ref: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto (TensorProto): values are either
 * raw_data (fixed-width little-endian, whatever the host) or the typed float_data field.
 */
import { DataType } from './onnx-data-type.ts';
import type { TensorProto } from './onnx-proto.ts';

/** Checks an initializer's data type and dims; returns its dims and value count. */
function checkTensor(tensor: TensorProto, dataType: number, typeName: string, expectedDims: readonly number[], what: string): { dims: readonly number[]; count: number } {
  if (tensor.dataType !== dataType) {
    throw new Error(`${what}: data type ${tensor.dataType ?? 'unset'}, expected ${typeName} (${dataType})`);
  }
  const dims = tensor.dims ?? [];
  if (dims.length !== expectedDims.length || dims.some((d, i) => d !== expectedDims[i])) {
    throw new Error(`${what}: dims [${dims.join(', ')}], expected [${expectedDims.join(', ')}]`);
  }
  return { dims, count: expectedDims.reduce((a, d) => a * d, 1) };
}

/**
 * The row-major values of `tensor` as a fresh Float32Array. Throws an Error naming `what` when
 * the tensor is not float32, its dims differ from `expectedDims`, or its data has another length.
 */
export function floatTensorData(tensor: TensorProto, expectedDims: readonly number[], what: string): Float32Array {
  const { dims, count } = checkTensor(tensor, DataType.FLOAT, 'float32', expectedDims, what);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== 4 * count) throw new Error(`${what}: raw_data holds ${raw.length} bytes, dims [${dims.join(', ')}] need ${4 * count}`);
    // The decoder may hand out an unaligned view into the file buffer, so read through a DataView.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const floats = tensor.floatData ?? [];
  if (floats.length !== count) throw new Error(`${what}: float_data holds ${floats.length} values, dims [${dims.join(', ')}] need ${count}`);
  return Float32Array.from(floats);
}

/**
 * The row-major values of an int8 ONNX initializer (raw_data, one byte per value, or int32_data
 * holding one value per entry), checking its declared dims. Throws an Error naming `what` otherwise.
 * From raw_data the result is a view of those bytes (int8 needs no alignment; no copy of a graph's
 * weights at start-up), so it is read-only for the caller.
 */
export function int8TensorData(tensor: TensorProto, expectedDims: readonly number[], what: string): Int8Array {
  const { dims, count } = checkTensor(tensor, DataType.INT8, 'int8', expectedDims, what);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== count) throw new Error(`${what}: raw_data holds ${raw.length} bytes, dims [${dims.join(', ')}] need ${count}`);
    return new Int8Array(raw.buffer, raw.byteOffset, raw.length);
  }
  const ints = tensor.int32Data ?? [];
  if (ints.length !== count) throw new Error(`${what}: int32_data holds ${ints.length} values, dims [${dims.join(', ')}] need ${count}`);
  return Int8Array.from(ints);
}
