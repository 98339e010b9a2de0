/**
 * The subset of onnx.proto that Hark writes and reads, declared with protobufjs reflection.
 * ref: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto (field numbers are the wire
 * contract; names here are camelCase, which the wire does not carry).
 * Repeated scalars are written packed; protobuf parsers accept packed and unpacked alike.
 */
import protobuf from 'protobufjs';

import { DataType } from './onnx-data-type.ts';

export { DataType };

/** AttributeProto.AttributeType values. */
export const AttributeType = {
  FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8,
} as const;

/** Row-major tensor; Hark stores numbers in rawData (fixed-width little-endian). */
export interface TensorProto {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  rawData?: Uint8Array;
  docString?: string;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  docString?: string;
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}

/** One dimension: a fixed size (dimValue) or a symbolic name (dimParam). */
export interface TensorShapeDimension {
  dimValue?: number;
  dimParam?: string;
  denotation?: string;
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimension[] } };
  denotation?: string;
}

export interface ValueInfoProto {
  name: string;
  type?: TypeProto;
  docString?: string;
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version: number;
}

export interface StringStringEntryProto {
  key: string;
  value: string;
}

export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
}

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

/** protobufjs JSON descriptor of the onnx.proto subset (field ids from the ONNX spec). */
const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            tensors: repeated('TensorProto', 10),
            graphs: repeated('GraphProto', 11),
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: repeated('AttributeProto', 5),
            docString: { type: 'string', id: 6 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            opsetImport: repeated('OperatorSetIdProto', 8),
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            metadataProps: repeated('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: { type: 'string', id: 2 },
            initializer: repeated('TensorProto', 5),
            docString: { type: 'string', id: 10 },
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            valueInfo: repeated('ValueInfoProto', 13),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            dataType: { type: 'int32', id: 2 },
            floatData: repeated('float', 4),
            int32Data: repeated('int32', 5),
            stringData: repeated('bytes', 6),
            int64Data: repeated('int64', 7),
            name: { type: 'string', id: 8 },
            docString: { type: 'string', id: 12 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: repeated('double', 10),
          },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: {
            tensorType: { type: 'Tensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
      },
    },
  },
};

/**
 * onnx.proto is proto2: scalar fields have explicit presence, so a set zero (an INT attribute
 * of 0, a dim of 0) is written rather than dropped. protobufjs types built from JSON default
 * to proto3 semantics unless each message names its edition.
 */
function markProto2(ns: { nested?: Record<string, object> }): void {
  for (const child of Object.values(ns.nested ?? {}) as { fields?: object; nested?: Record<string, object>; edition?: string }[]) {
    if (child.fields) child.edition = 'proto2';
    markProto2(child);
  }
}
markProto2(SCHEMA);
const root = protobuf.Root.fromJSON(SCHEMA);
const modelType = root.lookupType('onnx.ModelProto');

/** Plain-object conversion: int64 as JS numbers, empty repeated fields as []. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, arrays: true };

/** Looks up one message type of the schema, e.g. "TensorProto" (used by tests to pin wire bytes). */
export function onnxMessageType(name: string): protobuf.Type {
  return root.lookupType(`onnx.${name}`);
}

/** Serializes a ModelProto to the ONNX file format (protobuf binary). */
export function encodeModelProto(model: ModelProto): Uint8Array {
  const err = modelType.verify(model);
  if (err) throw new Error(`invalid ONNX ModelProto: ${err}`);
  const bytes = modelType.encode(modelType.fromObject(model as unknown as Record<string, unknown>)).finish();
  // Under Node the writer returns a Buffer; hand out a plain Uint8Array view of the same memory.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Parses ONNX file bytes; throws an Error naming the problem when they are not a ModelProto. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  let message: protobuf.Message;
  try {
    message = modelType.decode(bytes);
  } catch (e) {
    throw new Error(`not an ONNX model (protobuf decode failed): ${(e as Error).message}`);
  }
  return modelType.toObject(message, TO_OBJECT) as unknown as ModelProto;
}
