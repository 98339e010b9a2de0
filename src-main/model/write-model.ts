/**
 * Writes a model package folder: model.onnx (whole-utterance graph with metadata_props),
 * model.stream.onnx (the LC-BLSTM streaming graph, same metadata) and model.json (the same ModelMetadata, pretty-printed). Each file is written to a temporary
 * name in the same folder and renamed, so a reader never sees a half-written model.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ONNX_METADATA_KEY, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { AcousticModelWeights } from './weights.ts';
import { buildAcousticModel } from './acoustic-graph.ts';
import { buildStreamingModel } from './streaming-graph.ts';
import { decodeModelProto, encodeModelProto } from './onnx-proto.ts';
import { JSON_FILE, ONNX_FILE, STREAM_ONNX_FILE, metadataOfModelProto } from './package-files.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import { readAcousticWeights } from './read-onnx-weights.ts';
import type { ModelPackage } from './model-package.ts';

/**
 * LC-BLSTM chunking written into models that do not set their own (model frames of 30 ms):
 * chunks of 8 frames (240 ms) with 4 frames (120 ms) of look-ahead; see bench/streaming.bench.ts.
 */
export const DEFAULT_STREAMING = { chunkFrames: 8, lookaheadFrames: 4 } as const;

/** ONNX file bytes of the acoustic model; throws on inconsistent weights or metadata. */
export function encodeAcousticModel(weights: AcousticModelWeights, metadata: ModelMetadata): Uint8Array {
  return encodeModelProto(buildAcousticModel(weights, metadata));
}

/**
 * The ModelMetadata stored under ONNX_METADATA_KEY in an ONNX file, or undefined when the
 * file has no such entry. Throws when the bytes are not ONNX or the entry is not a JSON object.
 */
export function readOnnxMetadata(bytes: Uint8Array): ModelMetadata | undefined {
  return metadataOfModelProto(decodeModelProto(bytes));
}


/** Streaming graph (model.stream.onnx) bytes; throws on inconsistent weights or metadata. */
export function encodeStreamingModel(weights: AcousticModelWeights, metadata: ModelMetadata): Uint8Array {
  return encodeModelProto(buildStreamingModel(weights, metadata));
}

/**
 * Exports model.onnx, model.stream.onnx and model.json into `outDir` (created if missing).
 * metadata.streaming defaults to DEFAULT_STREAMING; the written metadata is returned.
 */
export async function exportOnnxModel(
  weights: AcousticModelWeights, metadata: ModelMetadata, outDir: string,
): Promise<{ onnxPath: string; streamOnnxPath: string; jsonPath: string; bytes: number; metadata: ModelMetadata }> {
  const md: ModelMetadata = { ...metadata, streaming: metadata.streaming ?? { ...DEFAULT_STREAMING } };
  const onnx = encodeAcousticModel(weights, md);
  const stream = encodeStreamingModel(weights, md);
  await mkdir(outDir, { recursive: true });
  const onnxPath = join(outDir, ONNX_FILE);
  const streamOnnxPath = join(outDir, STREAM_ONNX_FILE);
  const jsonPath = join(outDir, JSON_FILE);
  // model.json last: a reader that sees the new model.json also finds both graphs it describes.
  await writeFileAtomic(onnxPath, onnx);
  await writeFileAtomic(streamOnnxPath, stream);
  await writeFileAtomic(jsonPath, `${JSON.stringify(md, null, 2)}\n`);
  return { onnxPath, streamOnnxPath, jsonPath, bytes: onnx.length, metadata: md };
}

/**
 * Replaces the metadata of the model package in `dir` (both graphs' ONNX_METADATA_KEY entries and
 * model.json) without touching the graphs: for decoding choices measured after export (phrase
 * calibration). Each file is replaced atomically, model.json last; the caller checks `metadata`.
 */
export async function restampModelMetadata(dir: string, metadata: ModelMetadata): Promise<void> {
  const value = JSON.stringify(metadata);
  for (const file of [ONNX_FILE, STREAM_ONNX_FILE]) {
    const path = join(dir, file);
    const proto = decodeModelProto(await readFile(path));
    const props = (proto.metadataProps ?? []).filter((p) => p.key !== ONNX_METADATA_KEY);
    await writeFileAtomic(path, encodeModelProto({ ...proto, metadataProps: [...props, { key: ONNX_METADATA_KEY, value }] }));
  }
  await writeFileAtomic(join(dir, JSON_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
}

/**
 * Writes the network of `source` again as a package with `metadata` into `outDir` (another version
 * name, another card; int8 graphs when `metadata` says int8): its weights read back from its
 * model.onnx, an int8 package's dequantized (written int8 again, they give back the same int8
 * weights: each column's largest value sets its scale again). Every graph embeds its card, so a
 * card cannot change in model.json alone.
 */
export async function rewriteModelPackage(source: ModelPackage, metadata: ModelMetadata, outDir: string): ReturnType<typeof exportOnnxModel> {
  return exportOnnxModel(readAcousticWeights(source.onnx, { dequantize: true }), metadata, outDir);
}
