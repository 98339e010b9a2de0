/**
 * The parts of an ONNX file that loading a package checks, read straight from the protobuf wire
 * format without protobufjs: metadata_props, opset_import and the graph's nodes (name, op_type,
 * domain, inputs, outputs, and their int, string and list attributes). Initializers (the weights,
 * nearly all of the file) are skipped by their length, so a 9 MB graph is scanned in about a
 * millisecond and the recognizer's start-up never loads the protobuf library (onnx-proto.ts, about
 * 100 ms); with `initializers`, each one's name, data type, dims and data are kept as views into
 * the bytes (no copy), which the int8 check reads. The result has ModelProto's shape with only
 * those fields. Anything malformed throws an Error naming the problem.
 * ref: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto (field numbers);
 * https://protobuf.dev/programming-guides/encoding/ (wire format).
 */
import type { AttributeProto, ModelProto, NodeProto, OperatorSetIdProto, TensorProto } from './onnx-proto.ts';

const VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

/** A protobuf message's fields, one at a time. */
class WireReader {
  at: number;
  constructor(private readonly bytes: Uint8Array, start: number, readonly end: number) {
    this.at = start;
  }

  done(): boolean {
    return this.at >= this.end;
  }

  varint(): number {
    let value = 0, scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new Error('truncated varint');
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** A varint holding a signed int64 (two's complement: -1 takes ten bytes), as a number. */
  int64(): number {
    let value = 0n, shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new Error('truncated varint');
      const b = this.bytes[this.at++];
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, value));
      shift += 7n;
    }
    throw new Error('varint longer than 10 bytes');
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t % 8 };
  }

  /** Bounds [start, end) of a length-delimited value. */
  span(): [number, number] {
    const n = this.varint();
    if (n > this.end - this.at) throw new Error(`a field of ${n} bytes runs past the end of its message`);
    const s = this.at;
    this.at += n;
    return [s, this.at];
  }

  string(): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.view());
  }

  /** A length-delimited value as a view into the bytes (no copy). */
  view(): Uint8Array {
    const [s, e] = this.span();
    return this.bytes.subarray(s, e);
  }

  fixed32Float(): number {
    if (this.at + 4 > this.end) throw new Error('truncated fixed-width field');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 4).getFloat32(0, true);
    this.at += 4;
    return v;
  }

  /** A repeated int64/int32 field's values (signed): one unpacked value, or a packed run. */
  varints(wire: number, into: number[]): void {
    this.repeated(wire, VARINT, (r) => r.int64(), into, 'integer');
  }

  /** A repeated float field's values: one unpacked value, or a packed run. */
  floats(wire: number, into: number[]): void {
    this.repeated(wire, FIXED32, (r) => r.fixed32Float(), into, 'float');
  }

  /** A repeated scalar field: one value of wire type `single`, or a packed run of them (LEN). */
  private repeated(wire: number, single: number, read: (r: WireReader) => number, into: number[], what: string): void {
    if (wire === single) into.push(read(this));
    else if (wire === LEN) {
      const p = this.sub();
      while (!p.done()) into.push(read(p));
    } else throw new Error(`repeated ${what} field has wire type ${wire}`);
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === LEN) this.span();
    else if (wire === FIXED64 || wire === FIXED32) {
      const n = wire === FIXED64 ? 8 : 4;
      if (this.at + n > this.end) throw new Error('truncated fixed-width field');
      this.at += n;
    } else throw new Error(`unsupported wire type ${wire}`);
  }

  sub(): WireReader {
    const [s, e] = this.span();
    return new WireReader(this.bytes, s, e);
  }
}

/** Fields of one message: `onField` reads the ones it knows (returns true) and the rest are skipped. */
function eachField(r: WireReader, onField: (field: number, wire: number) => boolean): void {
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 0) throw new Error('field number 0');
    if (!onField(field, wire)) r.skip(wire);
  }
}

function expectLen(wire: number, what: string): void {
  if (wire !== LEN) throw new Error(`${what} has wire type ${wire}, not length-delimited`);
}

/** AttributeProto fields 1 (name), 20 (type), 3 (i), 2 (f), 4 (s), 7 (floats), 8 (ints), 9 (strings); tensors and graphs are skipped. */
function readAttribute(r: WireReader): AttributeProto {
  const a: AttributeProto = { name: '', type: 0 };
  eachField(r, (field, wire) => {
    if (field === 1 && wire === LEN) a.name = r.string();
    else if (field === 20 && wire === VARINT) a.type = r.int64();
    else if (field === 3 && wire === VARINT) a.i = r.int64();
    else if (field === 2 && wire === FIXED32) a.f = r.fixed32Float();
    else if (field === 4 && wire === LEN) a.s = r.view();
    else if (field === 7) r.floats(wire, (a.floats ??= []));
    else if (field === 8) r.varints(wire, (a.ints ??= []));
    else if (field === 9 && wire === LEN) (a.strings ??= []).push(r.view());
    else return false;
    return true;
  });
  return a;
}

/** TensorProto fields 1 (dims), 2 (data_type), 8 (name), 9 (raw_data, a view), 4 (float_data), 5 (int32_data). */
function readTensor(r: WireReader): TensorProto {
  const t: TensorProto = { dims: [] };
  eachField(r, (field, wire) => {
    if (field === 1) r.varints(wire, t.dims!);
    else if (field === 2 && wire === VARINT) t.dataType = r.int64();
    else if (field === 8 && wire === LEN) t.name = r.string();
    else if (field === 9 && wire === LEN) t.rawData = r.view();
    else if (field === 4) r.floats(wire, (t.floatData ??= []));
    else if (field === 5) r.varints(wire, (t.int32Data ??= []));
    else return false;
    return true;
  });
  return t;
}

function readNode(r: WireReader): NodeProto {
  const node: NodeProto = { input: [], output: [], opType: '' };
  eachField(r, (field, wire) => {
    if (field === 5) {
      expectLen(wire, 'NodeProto.attribute');
      (node.attribute ??= []).push(readAttribute(r.sub()));
      return true;
    }
    if (field === 1 || field === 2 || field === 3 || field === 4 || field === 7) {
      expectLen(wire, `NodeProto field ${field}`);
      const s = r.string();
      if (field === 1) node.input.push(s);
      else if (field === 2) node.output.push(s);
      else if (field === 3) node.name = s;
      else if (field === 4) node.opType = s;
      else node.domain = s;
      return true;
    }
    return false;
  });
  return node;
}

/**
 * ModelProto fields 1 (ir_version), 7 (graph: its nodes, and with `initializers` its initializers),
 * 8 (opset_import), 14 (metadata_props).
 */
export function readModelSkeleton(bytes: Uint8Array, opts: { initializers?: boolean } = {}): ModelProto {
  const model: ModelProto = { irVersion: 0, metadataProps: [], opsetImport: [] };
  const nodes: NodeProto[] = [];
  const initializer: TensorProto[] = [];
  let hasGraph = false;
  try {
    const r = new WireReader(bytes, 0, bytes.length);
    eachField(r, (field, wire) => {
      if (field === 1 && wire === VARINT) {
        model.irVersion = r.varint();
        return true;
      }
      if (field === 7) {
        expectLen(wire, 'ModelProto.graph');
        hasGraph = true;
        const g = r.sub();
        eachField(g, (f, w) => {
          if (f === 5 && opts.initializers) {
            expectLen(w, 'GraphProto.initializer');
            initializer.push(readTensor(g.sub()));
            return true;
          }
          if (f !== 1) return false;
          expectLen(w, 'GraphProto.node');
          nodes.push(readNode(g.sub()));
          return true;
        });
        return true;
      }
      if (field === 8) {
        expectLen(wire, 'ModelProto.opset_import');
        const o = r.sub();
        const opset: OperatorSetIdProto = { version: 0 };
        eachField(o, (f, w) => {
          if (f === 1 && w === LEN) opset.domain = o.string();
          else if (f === 2 && w === VARINT) opset.version = o.varint();
          else return false;
          return true;
        });
        model.opsetImport.push(opset);
        return true;
      }
      if (field === 14) {
        expectLen(wire, 'ModelProto.metadata_props');
        const e = r.sub();
        let key = '', value = '';
        eachField(e, (f, w) => {
          if (f === 1 && w === LEN) key = e.string();
          else if (f === 2 && w === LEN) value = e.string();
          else return false;
          return true;
        });
        model.metadataProps!.push({ key, value });
        return true;
      }
      return false;
    });
  } catch (e) {
    throw new Error(`not an ONNX model (protobuf decode failed): ${(e as Error).message}`);
  }
  if (hasGraph) model.graph = opts.initializers ? { node: nodes, initializer } : { node: nodes };
  return model;
}
