/**
 * The files of a model package and the reading of its embedded metadata: what loading a package
 * needs, kept apart from the exporter (write-model.ts) so that loading never pulls in protobufjs.
 */
import { ONNX_METADATA_KEY, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { ModelProto } from './onnx-proto.ts';
import { parseJson } from '../system/parse-json.ts';

export const ONNX_FILE = 'model.onnx';
export const JSON_FILE = 'model.json';
/** Largest model.json read (the shipped card is about 10 kB; a history of many runs stays far below). */
export const MAX_JSON_BYTES = 4_000_000;
/** Largest graph read (the shipped graphs are 9 MB each). */
export const MAX_ONNX_BYTES = 1_000_000_000;
export const STREAM_ONNX_FILE = 'model.stream.onnx';
/** Optional: how much real voices rely on each weight, for retraining's anchor (src-main/train/anchor-importance.ts). */
export const ANCHOR_IMPORTANCE_FILE = 'anchor-importance.bin';

/**
 * The ModelMetadata under ONNX_METADATA_KEY of an already decoded ModelProto, or undefined when
 * it has no such entry. Throws when the entry is not a JSON object.
 */
export function metadataOfModelProto(model: ModelProto): ModelMetadata | undefined {
  const entry = model.metadataProps?.find((p) => p.key === ONNX_METADATA_KEY);
  if (!entry) return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(entry.value);
  } catch (e) {
    throw new Error(`ONNX metadata "${ONNX_METADATA_KEY}" is ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`ONNX metadata "${ONNX_METADATA_KEY}" is not a JSON object`);
  }
  return parsed as ModelMetadata;
}
