/**
 * Model package loading (DESIGN.md "Model package"): model.json + model.onnx, checked against the
 * front-end this build implements before anything runs. A package that is missing a file, carries
 * malformed metadata, or was made for other units or features is refused with a message naming
 * the file and the field.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { baseDim, modelFrameSec, modelInputDim, type FeatureConfig, type Normalization } from '../../src-shared/features/config.ts';
import { validateFeatureConfig, validateNormalization } from '../../src-shared/features/validate-config.ts';
import { CELL_TYPES, isInt8Model, MODEL_FORMAT_VERSION, ONNX_METADATA_KEY, keywordChoicesProblem, phraseChoicesProblem, quantizationProblem, wordConfidenceChoicesProblem, type ArchitectureSpec, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { unitListProblem } from '../../src-shared/units/sound-units.ts';
import { JSON_FILE, MAX_JSON_BYTES, MAX_ONNX_BYTES, ONNX_FILE, STREAM_ONNX_FILE, metadataOfModelProto } from './package-files.ts';
import type { ModelProto } from './onnx-proto.ts';
import { readModelSkeleton } from './onnx-skeleton.ts';
import { checkGraphPrecision } from './check-graph-precision.ts';
import { parseJson } from '../system/parse-json.ts';

/** A model package that cannot be read: a missing or unreadable file, malformed JSON or ONNX. */
export class ModelPackageError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`model ${path}: ${reason}`);
    this.name = 'ModelPackageError';
  }
}

/** A readable package that does not fit this build's front-end, or whose two files disagree. */
export class ModelMismatchError extends ModelPackageError {
  constructor(path: string, reason: string) {
    super(path, reason);
    this.name = 'ModelMismatchError';
  }
}

/** A loaded, checked model package. */
export interface ModelPackage {
  dir: string;
  onnxPath: string;
  jsonPath: string;
  metadata: ModelMetadata;
  /** Bytes of model.onnx (handed to onnxruntime without a second read). */
  onnx: Uint8Array;
  features: FeatureConfig;
  normalization: Normalization;
  architecture: ArchitectureSpec;
  /** Seconds between model frames (modelFrameSec(features)). */
  frameSec: number;
}

/** The file's bytes; a missing file throws `missing` (default: "<what> not found" at its path). */
async function readBytes(path: string, what: string, maxBytes: number, missing?: ModelPackageError): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw missing ?? new ModelPackageError(path, `${what} not found`);
  }
  if (!info.isFile()) throw new ModelPackageError(path, `${what} is not a file`);
  if (info.size > maxBytes) throw new ModelPackageError(path, `${what} is ${(info.size / 1e6).toFixed(0)} MB, more than the ${(maxBytes / 1e6).toFixed(0)} MB it may have`);
  try {
    // A view of readFile's own buffer (one allocated for this file, not a shared pool): no copy of
    // the graph at start-up.
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new ModelPackageError(path, `cannot read ${what}: ${(e as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `st` is not a usable metadata.streaming (integers chunkFrames >= 1, lookaheadFrames >= 0), or null. */
function streamingProblemOf(st: unknown): string | null {
  const ok = isObject(st) && Number.isInteger(st.chunkFrames) && (st.chunkFrames as number) >= 1
    && Number.isInteger(st.lookaheadFrames) && (st.lookaheadFrames as number) >= 0;
  return ok ? null : `"streaming" must hold integers chunkFrames >= 1 and lookaheadFrames >= 0, got ${JSON.stringify(st ?? null)} (re-export the model with this version of Hark)`;
}

/**
 * Throws ModelMismatchError (attributed to `path`) unless `m` is metadata this build can use:
 * current formatVersion; name and version non-empty strings; createdAt a string Date.parse reads;
 * units equal to UNITS in order followed by zero or more distinct sound units `<sound:NAME>`
 * (src-shared/units/sound-units.ts); a valid feature configuration whose model input dimension
 * equals architecture.inputDim; normalization of length baseDim; architecture.cell one of
 * CELL_TYPES, bidirectional a boolean, numUnits equal to the number of units; `streaming`, when
 * present, integers chunkFrames >= 1 and lookaheadFrames >= 0; `training` and `metrics`, when
 * present, objects; `decoding`, when present, an object whose testTimeVtln is absent or a boolean
 * and whose phrase settings are absent or in range; `quantization`, when present, { weights: "int8" }
 * on an LSTM. Every field a listing or a loader reads is
 * checked here, so a card that passes can be described and sorted without further checks.
 */
export function checkModelMetadata(m: unknown, path: string): asserts m is ModelMetadata {
  const fail = (reason: string): never => { throw new ModelMismatchError(path, reason); };
  if (!isObject(m)) fail('metadata is not a JSON object');
  const md = m as Record<string, unknown>;
  if (md.formatVersion === undefined) {
    fail(`not a Hark model card: it has no formatVersion (the ${JSON_FILE} of a Hark model package, as hark train and hark export write it, has one)`);
  }
  if (md.formatVersion !== MODEL_FORMAT_VERSION) {
    fail(`formatVersion is ${JSON.stringify(md.formatVersion)}, this Hark reads format ${MODEL_FORMAT_VERSION} (re-export the model with this version)`);
  }
  for (const k of ['name', 'version'] as const) {
    if (typeof md[k] !== 'string' || !(md[k] as string).trim()) fail(`"${k}" must be a non-empty string, got ${JSON.stringify(md[k] ?? null)}`);
  }
  if (typeof md.createdAt !== 'string' || Number.isNaN(Date.parse(md.createdAt))) {
    fail(`"createdAt" must be a date string (ISO 8601), got ${JSON.stringify(md.createdAt ?? null)}`);
  }
  const units = md.units;
  if (!Array.isArray(units)) fail('"units" is missing or not a list');
  const u = units as unknown[];
  const unitProblem = unitListProblem(u);
  if (unitProblem !== null) fail(unitProblem);
  if (!isObject(md.features)) fail('"features" is missing');
  const features = md.features as unknown as FeatureConfig;
  try {
    validateFeatureConfig(features);
  } catch (e) {
    fail(`feature configuration not supported: ${(e as Error).message}`);
  }
  const arch = md.architecture;
  if (!isObject(arch)) fail('"architecture" is missing');
  const a = arch as unknown as ArchitectureSpec;
  if (!(CELL_TYPES as readonly unknown[]).includes(a.cell)) fail(`architecture.cell must be one of ${CELL_TYPES.join(', ')}, got ${JSON.stringify(a.cell ?? null)}`);
  if (typeof a.bidirectional !== 'boolean') fail(`architecture.bidirectional must be true or false, got ${JSON.stringify(a.bidirectional ?? null)}`);
  for (const k of ['layers', 'hidden', 'inputDim', 'numUnits'] as const) {
    if (!Number.isInteger(a[k]) || a[k] <= 0) fail(`architecture.${k} must be a positive integer, got ${JSON.stringify(a[k] ?? null)}`);
  }
  if (modelInputDim(features) !== a.inputDim) {
    fail(`architecture.inputDim is ${a.inputDim} but the feature configuration yields ${modelInputDim(features)} values per frame`);
  }
  if (a.numUnits !== u.length) fail(`architecture.numUnits is ${a.numUnits} but there are ${u.length} units`);
  try {
    validateNormalization(md.normalization as Normalization, features);
  } catch (e) {
    fail(`normalization does not fit the features (baseDim ${baseDim(features)}): ${(e as Error).message}`);
  }
  const streamingProblem = md.streaming === undefined ? null : streamingProblemOf(md.streaming);
  if (streamingProblem !== null) fail(streamingProblem);
  for (const k of ['training', 'metrics'] as const) {
    if (md[k] !== undefined && !isObject(md[k])) fail(`"${k}" must be an object when present, got ${JSON.stringify(md[k])}`);
  }
  if (md.quantization !== undefined) {
    const problem = quantizationProblem(md.quantization);
    if (problem !== null) fail(problem);
    if (a.cell !== 'lstm') fail(`quantization: int8 packages are LSTM only, architecture.cell is "${a.cell}"`);
  }
  if (md.decoding !== undefined) {
    if (!isObject(md.decoding)) fail(`"decoding" must be an object, got ${JSON.stringify(md.decoding)}`);
    const vtln = (md.decoding as Record<string, unknown>).testTimeVtln;
    if (vtln !== undefined && typeof vtln !== 'boolean') fail(`decoding.testTimeVtln must be true or false, got ${JSON.stringify(vtln)}`);
    const phrase = (md.decoding as Record<string, unknown>).phrase;
    const phraseProblem = phrase === undefined ? null : phraseChoicesProblem(phrase);
    if (phraseProblem !== null) fail(phraseProblem);
    const words = (md.decoding as Record<string, unknown>).words;
    const wordsProblem = words === undefined ? null : wordConfidenceChoicesProblem(words);
    if (wordsProblem !== null) fail(wordsProblem);
    const keywords = (md.decoding as Record<string, unknown>).keywords;
    const keywordsProblem = keywords === undefined ? null : keywordChoicesProblem(keywords);
    if (keywordsProblem !== null) fail(keywordsProblem);
  }
}

/** JSON value equality that ignores object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameJson(a[k], b[k]));
  }
  return a === b;
}

/**
 * Throws unless the ONNX file's embedded metadata (ONNX_METADATA_KEY) equals model.json's and its
 * operators hold the precision the metadata declares (float, or int8: check-graph-precision.ts).
 * Both are read as a skeleton (onnx-skeleton.ts: no protobufjs at start-up); an int8 graph's
 * skeleton keeps its initializers as views, since its check reads the scales and zero points.
 */
async function checkEmbeddedMetadata(onnx: Uint8Array, onnxPath: string, metadata: ModelMetadata): Promise<void> {
  const int8 = isInt8Model(metadata);
  let embedded: ModelMetadata | undefined;
  let model: ModelProto;
  try {
    model = readModelSkeleton(onnx, { initializers: int8 });
    embedded = metadataOfModelProto(model);
  } catch (e) {
    throw new ModelPackageError(onnxPath, `not a readable ONNX model: ${(e as Error).message}`);
  }
  if (embedded === undefined) throw new ModelMismatchError(onnxPath, `has no "${ONNX_METADATA_KEY}" metadata entry (not a Hark model export)`);
  if (!sameJson(embedded, metadata)) {
    const keys = [...new Set([...Object.keys(embedded), ...Object.keys(metadata)])] as (keyof ModelMetadata)[];
    const differing = keys.filter((k) => !sameJson(embedded[k], metadata[k]));
    throw new ModelMismatchError(onnxPath, `its embedded metadata differs from ${JSON_FILE} (${differing.join(', ')}): the two files come from different models`);
  }
  try {
    checkGraphPrecision(model, metadata, 'graph');
  } catch (e) {
    throw new ModelMismatchError(onnxPath, (e as Error).message);
  }
}

/** The streaming graph of a package and its chunking (LC-BLSTM Nc and Nr, in model frames). */
export interface StreamingGraph {
  path: string;
  onnx: Uint8Array;
  chunkFrames: number;
  lookaheadFrames: number;
}

/**
 * Reads and checks model.stream.onnx of a loaded package: present, embedded metadata equal to
 * model.json, and metadata.streaming holding a chunk size >= 1 and a look-ahead >= 0.
 */
export async function loadStreamingGraph(pkg: ModelPackage): Promise<StreamingGraph> {
  const path = join(pkg.dir, STREAM_ONNX_FILE);
  const problem = streamingProblemOf(pkg.metadata.streaming);
  if (problem !== null) throw new ModelMismatchError(pkg.jsonPath, problem);
  const st = pkg.metadata.streaming!; // present: streamingProblemOf(undefined) is a problem
  let onnx: Uint8Array;
  try {
    onnx = await readBytes(path, STREAM_ONNX_FILE, MAX_ONNX_BYTES);
  } catch (e) {
    if (e instanceof ModelPackageError && e.reason.endsWith('not found')) {
      throw new ModelPackageError(path, `${STREAM_ONNX_FILE} not found: this model has no streaming graph (re-export it with \`hark export\`)`);
    }
    throw e;
  }
  await checkEmbeddedMetadata(onnx, path, pkg.metadata);
  return { path, onnx, chunkFrames: st.chunkFrames, lookaheadFrames: st.lookaheadFrames };
}

/**
 * Loads and checks the package in `dir`: model.json parses and passes checkModelMetadata, and
 * model.onnx carries metadata (ONNX_METADATA_KEY) equal to model.json, so a model.onnx paired with
 * another model's model.json is refused.
 */
export async function loadModelPackage(dir: string): Promise<ModelPackage> {
  const jsonPath = join(dir, JSON_FILE);
  const onnxPath = join(dir, ONNX_FILE);
  let dirInfo;
  try {
    dirInfo = await stat(dir);
  } catch {
    throw new ModelPackageError(dir, 'model folder not found (pass --model DIR or set HARK_MODEL)');
  }
  if (!dirInfo.isDirectory()) throw new ModelPackageError(dir, 'not a folder (a model is a folder holding model.json and model.onnx)');
  const notAModel = new ModelPackageError(dir, `not a Hark model: the folder has no ${JSON_FILE} (a model is a folder holding ${JSON_FILE} and ${ONNX_FILE}, as hark train, hark export and Models > Export write it)`);
  const jsonBytes = await readBytes(jsonPath, JSON_FILE, MAX_JSON_BYTES, notAModel);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes);
  } catch {
    throw new ModelPackageError(jsonPath, 'not valid JSON (not UTF-8 text)');
  }
  let metadata: unknown;
  try {
    metadata = parseJson(text);
  } catch (e) {
    throw new ModelPackageError(jsonPath, (e as Error).message);
  }
  checkModelMetadata(metadata, jsonPath);
  const onnx = await readBytes(onnxPath, ONNX_FILE, MAX_ONNX_BYTES);
  await checkEmbeddedMetadata(onnx, onnxPath, metadata);
  return {
    dir, onnxPath, jsonPath, metadata, onnx,
    features: metadata.features, normalization: metadata.normalization, architecture: metadata.architecture,
    frameSec: modelFrameSec(metadata.features),
  };
}
