/**
 * TensorProto.DataType values used by Hark, in a module of their own so that readers which never
 * decode with protobufjs (onnx-skeleton.ts, the package checks) can use them without loading it.
 * ref: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto (TensorProto.DataType).
 */
export const DataType = { FLOAT: 1, INT8: 3, INT32: 6, INT64: 7 } as const;
