/**
 * The parts of an ONNX file that loading a package checks, read straight from the protobuf wire
 * format without protobufjs: metadata_props, opset_import and the graph's nodes (name, op_type,
 * domain, inputs, outputs). Initializers (the weights, nearly all of the file) are skipped by their
 * length, so a 9 MB graph is scanned in about a millisecond and the recognizer's start-up never
 * loads the protobuf library (onnx-proto.ts, about 100 ms). The result has ModelProto's shape with
 * only those fields. Anything malformed throws an Error naming the problem.
 * ref: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto (field numbers);
 * https://protobuf.dev/programming-guides/encoding/ (wire format).
 */
import type { ModelProto, NodeProto, OperatorSetIdProto } from './onnx-proto.ts';

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
    const [s, e] = this.span();
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes.subarray(s, e));
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

function readNode(r: WireReader): NodeProto {
  const node: NodeProto = { input: [], output: [], opType: '' };
  eachField(r, (field, wire) => {
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

/** ModelProto fields 1 (ir_version), 7 (graph: its nodes only), 8 (opset_import), 14 (metadata_props). */
export function readModelSkeleton(bytes: Uint8Array): ModelProto {
  const model: ModelProto = { irVersion: 0, metadataProps: [], opsetImport: [] };
  const nodes: NodeProto[] = [];
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
  if (hasGraph) model.graph = { node: nodes };
  return model;
}
