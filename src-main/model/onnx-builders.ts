/**
 * Small constructors for ONNX protos: tensors stored as little-endian raw_data, attributes
 * with their type discriminator set, and tensor value infos with fixed or symbolic dims.
 */
import {
  AttributeType, DataType,
  type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from './onnx-proto.ts';

function checkDims(name: string, dims: readonly number[], length: number): void {
  const count = dims.reduce((a, d) => a * d, 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 0) || count !== length) {
    throw new Error(`tensor "${name}": dims [${dims.join(', ')}] do not match ${length} values`);
  }
}

/** float32 tensor; `data` is row-major and its length must equal the product of `dims`. */
export function floatTensor(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  checkDims(name, dims, data.length);
  const raw = new Uint8Array(4 * data.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return { name, dims: [...dims], dataType: DataType.FLOAT, rawData: raw };
}

/** int8 tensor; `data` is row-major (one byte per value, as raw_data stores it). */
export function int8Tensor(name: string, dims: readonly number[], data: Int8Array): TensorProto {
  checkDims(name, dims, data.length);
  return { name, dims: [...dims], dataType: DataType.INT8, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
}

/** int64 tensor from safe integers; row-major. */
export function int64Tensor(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  checkDims(name, dims, data.length);
  const raw = new Uint8Array(8 * data.length);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => {
    if (!Number.isSafeInteger(v)) throw new Error(`tensor "${name}": ${v} is not an integer`);
    view.setBigInt64(8 * i, BigInt(v), true);
  });
  return { name, dims: [...dims], dataType: DataType.INT64, rawData: raw };
}

/** Attribute value: number → INT, number[] → INTS, string → STRING, string[] → STRINGS. */
export type AttributeValue = number | number[] | string | string[] | { float: number };

/** Builds an AttributeProto; integers only for number / number[] (use `{ float }` for FLOAT). */
export function attribute(name: string, value: AttributeValue): AttributeProto {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`attribute "${name}": ${value} is not an integer`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: utf8(value) };
  if (Array.isArray(value)) {
    if (value.every((v): v is string => typeof v === 'string')) {
      return { name, type: AttributeType.STRINGS, strings: value.map(utf8) };
    }
    const ints = value as number[];
    if (!ints.every(Number.isSafeInteger)) throw new Error(`attribute "${name}": [${ints.join(', ')}] are not all integers`);
    return { name, type: AttributeType.INTS, ints };
  }
  return { name, type: AttributeType.FLOAT, f: value.float };
}

/** One graph node in the default (ai.onnx) domain. */
export function node(
  opType: string, name: string, inputs: string[], outputs: string[],
  attributes: Record<string, AttributeValue> = {},
): NodeProto {
  return {
    opType, name, input: inputs, output: outputs,
    attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
  };
}

/** One graph node of an operator in another domain (e.g. onnxruntime's "com.microsoft"). */
export function domainNode(
  domain: string, opType: string, name: string, inputs: string[], outputs: string[],
  attributes: Record<string, AttributeValue> = {},
): NodeProto {
  return { ...node(opType, name, inputs, outputs, attributes), domain };
}

/** Graph input/output description: numbers are fixed sizes, strings are symbolic dims. */
export function tensorValueInfo(name: string, elemType: number, dims: (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}
