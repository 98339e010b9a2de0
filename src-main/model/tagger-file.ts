/**
 * The punctuation/case tagger's files (models/tagger-en/) and its embedded metadata, read without
 * protobufjs (onnx-skeleton.ts), so loading the tagger costs no protobuf schema at start-up.
 * Writing is tagger-graph.ts's.
 */
import { TAGGER_METADATA_KEY } from '../../src-shared/model/tagger-metadata.ts';
import { parseJson } from '../system/parse-json.ts';
import { readModelSkeleton } from './onnx-skeleton.ts';

export const TAGGER_ONNX_FILE = 'tagger.onnx';
export const TAGGER_JSON_FILE = 'tagger.json';

/**
 * The tagger metadata stored in tagger.onnx bytes, unchecked (the caller runs taggerMetadataProblem),
 * or undefined when there is none. Throws when the bytes are not ONNX or the entry is not JSON.
 */
export function readTaggerMetadata(bytes: Uint8Array): unknown {
  const entry = readModelSkeleton(bytes).metadataProps?.find((p) => p.key === TAGGER_METADATA_KEY);
  return entry === undefined ? undefined : parseJson(entry.value);
}
