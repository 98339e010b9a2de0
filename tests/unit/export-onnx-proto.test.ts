// Wire format of the onnx.proto subset: bytes are compared with a hand-written protobuf encoder
// using the field numbers of the ONNX spec, and whole models survive encode -> decode.
import { describe, expect, it } from 'vitest';
import {
  AttributeType, DataType, decodeModelProto, encodeModelProto, onnxMessageType, type ModelProto,
} from '../../src-main/model/onnx-proto.ts';
import { attribute, floatTensor, int64Tensor, node, tensorValueInfo } from '../../src-main/model/onnx-builders.ts';

// --- minimal independent protobuf writer (wire types: 0 varint, 2 length-delimited) ---
function varint(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    const b = Number(u & 0x7fn);
    u >>= 7n;
    out.push(u ? b | 0x80 : b);
  } while (u);
  return out;
}
const fieldVarint = (id: number, v: number) => [...varint(BigInt((id << 3) | 0)), ...varint(BigInt(v))];
const fieldBytes = (id: number, bytes: number[]) => [...varint(BigInt((id << 3) | 2)), ...varint(BigInt(bytes.length)), ...bytes];
const fieldString = (id: number, s: string) => fieldBytes(id, [...new TextEncoder().encode(s)]);

function encodeWith(typeName: string, value: object): number[] {
  const type = onnxMessageType(typeName);
  return [...type.encode(type.fromObject(value as Record<string, unknown>)).finish()];
}

describe('onnx.proto field numbers', () => {
  it('ModelProto header fields and metadata_props', () => {
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'hark',
      metadataProps: [{ key: 'k', value: 'v' }],
    };
    const expected = [
      ...fieldVarint(1, 8), // ir_version
      ...fieldString(2, 'hark'), // producer_name
      ...fieldBytes(8, [...fieldString(1, ''), ...fieldVarint(2, 17)]), // opset_import {domain, version}
      ...fieldBytes(14, [...fieldString(1, 'k'), ...fieldString(2, 'v')]), // metadata_props
    ];
    expect([...encodeModelProto(model)]).toEqual(expected);
  });

  it('AttributeProto INT (negative, and zero is still written), INTS and STRINGS', () => {
    expect(encodeWith('AttributeProto', attribute('axis', -1))).toEqual([
      ...fieldString(1, 'axis'), ...fieldVarint(3, -1), ...fieldVarint(20, AttributeType.INT),
    ]);
    expect(encodeWith('AttributeProto', attribute('linear_before_reset', 0))).toEqual([
      ...fieldString(1, 'linear_before_reset'), ...fieldVarint(3, 0), ...fieldVarint(20, AttributeType.INT),
    ]);
    const ints = encodeWith('AttributeProto', attribute('perm', [1, 0, 2]));
    const unpacked = [...fieldString(1, 'perm'), ...fieldVarint(8, 1), ...fieldVarint(8, 0), ...fieldVarint(8, 2), ...fieldVarint(20, AttributeType.INTS)];
    expect(ints).toEqual(unpacked);
    expect(encodeWith('AttributeProto', attribute('activations', ['Tanh', 'Relu']))).toEqual([
      ...fieldString(1, 'activations'), ...fieldString(9, 'Tanh'), ...fieldString(9, 'Relu'), ...fieldVarint(20, AttributeType.STRINGS),
    ]);
  });

  it('TensorProto with raw_data, little-endian', () => {
    const t = floatTensor('w', [2], [1.5, -2]);
    const raw = new Uint8Array(8);
    new DataView(raw.buffer).setFloat32(0, 1.5, true);
    new DataView(raw.buffer).setFloat32(4, -2, true);
    expect(encodeWith('TensorProto', t)).toEqual([
      ...fieldVarint(1, 2), ...fieldVarint(2, DataType.FLOAT), ...fieldString(8, 'w'), ...fieldBytes(9, [...raw]),
    ]);
    const s = int64Tensor('shape', [3], [0, 0, -1]);
    expect([...s.rawData!]).toEqual([...new Array(16).fill(0), ...new Array(8).fill(0xff)]);
    expect(s.dataType).toBe(DataType.INT64);
  });

  it('ValueInfoProto with symbolic and fixed dims', () => {
    const dim = (d: number[]) => fieldBytes(1, d);
    const shape = [...dim(fieldString(2, 'batch')), ...dim(fieldVarint(1, 7))];
    const tensorType = [...fieldVarint(1, DataType.FLOAT), ...fieldBytes(2, shape)];
    expect(encodeWith('ValueInfoProto', tensorValueInfo('x', DataType.FLOAT, ['batch', 7]))).toEqual([
      ...fieldString(1, 'x'), ...fieldBytes(2, fieldBytes(1, tensorType)),
    ]);
  });

  it('NodeProto and GraphProto fields', () => {
    const n = node('Add', 'n0', ['a', 'b'], ['c']);
    expect(encodeWith('NodeProto', n)).toEqual([
      ...fieldString(1, 'a'), ...fieldString(1, 'b'), ...fieldString(2, 'c'), ...fieldString(3, 'n0'), ...fieldString(4, 'Add'),
    ]);
    const g = encodeWith('GraphProto', { name: 'g', node: [n], initializer: [int64Tensor('i', [1], [5])], input: [{ name: 'a' }], output: [{ name: 'c' }] });
    expect(g).toEqual([
      ...fieldBytes(1, encodeWith('NodeProto', n)), ...fieldString(2, 'g'),
      ...fieldBytes(5, encodeWith('TensorProto', int64Tensor('i', [1], [5]))),
      ...fieldBytes(11, fieldString(1, 'a')), ...fieldBytes(12, fieldString(1, 'c')),
    ]);
  });
});

describe('encode / decode', () => {
  it('round-trips a model with graph, tensors, attributes and metadata', () => {
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'hark',
      docString: 'ünïcode ✓',
      graph: {
        name: 'g',
        node: [node('Transpose', 't', ['x'], ['y'], { perm: [1, 0, 2] }), node('LogSoftmax', 'l', ['y'], ['z'], { axis: -1 })],
        initializer: [floatTensor('w', [2, 3], [1, 2, 3, 4, 5, 6])],
        input: [tensorValueInfo('x', DataType.FLOAT, ['batch', 'time', 3])],
        output: [tensorValueInfo('z', DataType.FLOAT, ['time', 'batch', 3])],
      },
      metadataProps: [{ key: 'a', value: '{"b":[1,2]}' }],
    };
    const back = decodeModelProto(encodeModelProto(model));
    expect(back.irVersion).toBe(8);
    expect(back.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(back.docString).toBe('ünïcode ✓');
    expect(back.metadataProps).toEqual(model.metadataProps);
    const g = back.graph!;
    expect(g.node!.map((n) => [n.opType, n.input, n.output])).toEqual([['Transpose', ['x'], ['y']], ['LogSoftmax', ['y'], ['z']]]);
    expect(g.node![0].attribute![0].ints).toEqual([1, 0, 2]);
    expect(g.node![1].attribute![0].i).toBe(-1);
    expect(g.input![0].type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'batch' }, { dimParam: 'time' }, { dimValue: 3 }]);
    const w = g.initializer![0];
    expect(w.dims).toEqual([2, 3]);
    const raw = w.rawData!;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect(Array.from({ length: 6 }, (_, i) => view.getFloat32(4 * i, true))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bytes that are not a ModelProto', () => {
    expect(() => decodeModelProto(new Uint8Array([0x0a, 0x05, 0x01]))).toThrow(/not an ONNX model/);
  });

  it('builders reject inconsistent input with the tensor or attribute name', () => {
    expect(() => floatTensor('w1', [2, 2], [1, 2, 3])).toThrow(/tensor "w1".*3 values/);
    expect(() => int64Tensor('s', [1], [0.5])).toThrow(/tensor "s"/);
    expect(() => attribute('hidden_size', 2.5)).toThrow(/attribute "hidden_size"/);
  });
});
