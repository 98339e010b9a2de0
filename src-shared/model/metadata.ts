import type { FeatureConfig, Normalization } from '../features/config.ts';

/** Bumped whenever the model package or graph I/O contract changes incompatibly. */
export const MODEL_FORMAT_VERSION = 1;

/** ONNX metadata_props key holding the JSON-encoded ModelMetadata. */
export const ONNX_METADATA_KEY = 'hark.metadata';

/** The recurrent cells the exporter writes and the runtime runs. */
export const CELL_TYPES = ['lstm', 'gru', 'rnn'] as const;
export type CellType = (typeof CELL_TYPES)[number];

/** Shape of the acoustic network: stacked recurrent layers, then a linear layer and log-softmax. */
export interface ArchitectureSpec {
  cell: CellType;
  bidirectional: boolean;
  layers: number;
  /** Hidden units per direction. */
  hidden: number;
  /** Model input frame dimension (after stacking). */
  inputDim: number;
  /** Output classes, blank included (= units.length). */
  numUnits: number;
}

/** Decoding choices measured for this model (and written by the tool that measured them). */
export interface DecodingChoices {
  /**
   * Whether test-time VTLN (src-main/engine/vtln.ts) lowers this model's error rate: `hark adapt`
   * sets it from the greedy phoneme error rate on its real validation clips with and without it.
   * Absent = true, as for packages made before the choice was measured. An explicit recognizer
   * option (`vtln`, `--vtln`, `--no-vtln`) overrides it.
   */
  testTimeVtln?: boolean;
  /**
   * Phrase-list decoding settings calibrated for this model (src-main/decode/phrase-decoder.ts):
   * a model that is more or less sure of itself than the one the defaults were measured with
   * needs another confidence scale. Written by `hark calibrate-phrases` from clips the model's
   * dev and test sets do not contain. Absent fields keep DEFAULT_PHRASE_OPTIONS; an explicit
   * recognizer option (`phrase.threshold`, `--threshold`) overrides them.
   */
  phrase?: PhraseChoices;
  /**
   * Word confidence calibration (src-main/decode/word-confidence.ts): a logistic map from a word's
   * n-best posterior and acoustic evidence to the probability that the word is right, fitted by
   * `hark calibrate` on clips the model's dev and test sets do not contain. Absent = the raw n-best
   * posterior, which is no probability (a model sure of itself gives 1.0 to invented words).
   */
  words?: WordConfidenceChoices;
  /**
   * Keyword spotting settings chosen for this model (src-main/decode/keyword-spotter.ts): how
   * closely a model's posteriors match a keyword's phonemes depends on the model, so the per-phoneme
   * threshold that sensitivity 0.5 stands for is chosen per model, on real speech its dev set does
   * not contain (tools/stamp-keyword-threshold.ts). Absent = DEFAULT_KEYWORD_OPTIONS; an explicit
   * recognizer option (`keyword.llrThreshold`) overrides it.
   */
  keywords?: KeywordChoices;
}

/** Keyword spotter settings a model may carry. */
export interface KeywordChoices {
  /** Per-phoneme log-likelihood-ratio threshold (nats) at sensitivity 0.5, in [-5, 0]. */
  llrThreshold?: number;
}

/** The problem with `v` as DecodingChoices.keywords, or null when it is usable. */
export function keywordChoicesProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `decoding.keywords must be an object, got ${JSON.stringify(v)}`;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'llrThreshold') return `decoding.keywords.${k} is not a keyword setting (llrThreshold)`;
  const t = o.llrThreshold;
  if (t !== undefined && !(typeof t === 'number' && t >= -5 && t <= 0)) return `decoding.keywords.llrThreshold must be a number in [-5, 0], got ${JSON.stringify(t)}`;
  return null;
}

/** Names of the features a word confidence calibration weighs, in order (after the bias). */
export const WORD_CONFIDENCE_FEATURES = ['nbestLogit', 'frameMax', 'phonemeMax', 'fit', 'logFrames', 'logLetters'] as const;

/** A fitted word confidence calibration: confidence = sigmoid(bias + weights . features). */
export interface WordConfidenceChoices {
  /** The feature set the weights were fitted on (WORD_CONFIDENCE_FEATURES of this version). */
  features: 'v1';
  bias: number;
  /** One per WORD_CONFIDENCE_FEATURES entry. */
  weights: number[];
}

/** The problem with `v` as DecodingChoices.words, or null when it is usable. */
export function wordConfidenceChoicesProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `decoding.words must be an object, got ${JSON.stringify(v)}`;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['features', 'bias', 'weights'].includes(k)) return `decoding.words.${k} is not a word confidence setting (features, bias, weights)`;
  if (o.features !== 'v1') return `decoding.words.features must be "v1" (this Hark's word features), got ${JSON.stringify(o.features)}`;
  if (typeof o.bias !== 'number' || !Number.isFinite(o.bias)) return `decoding.words.bias must be a finite number, got ${JSON.stringify(o.bias)}`;
  const n = WORD_CONFIDENCE_FEATURES.length;
  if (!Array.isArray(o.weights) || o.weights.length !== n || !o.weights.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return `decoding.words.weights must be ${n} finite numbers (${WORD_CONFIDENCE_FEATURES.join(', ')}), got ${JSON.stringify(o.weights)}`;
  }
  return null;
}

/** Calibrated phrase decoder settings (the subset of PhraseDecoderOptions a model may carry). */
export interface PhraseChoices {
  /** Confidence needed to accept a phrase, in [0, 1]. */
  threshold?: number;
  /** Per-phoneme fit temperature, > 0. */
  temperature?: number;
  /** Posterior certainty at and above which the rejection gate is fully open, in (0, 1]. */
  minCertainty?: number;
}

/** The problem with `v` as DecodingChoices.phrase, or null when it is usable. */
export function phraseChoicesProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `decoding.phrase must be an object, got ${JSON.stringify(v)}`;
  const o = v as Record<string, unknown>;
  const known = new Set(['threshold', 'temperature', 'minCertainty']);
  for (const k of Object.keys(o)) if (!known.has(k)) return `decoding.phrase.${k} is not a phrase setting (threshold, temperature, minCertainty)`;
  const num = (k: string, ok: (x: number) => boolean, range: string): string | null =>
    o[k] === undefined || (typeof o[k] === 'number' && ok(o[k] as number)) ? null : `decoding.phrase.${k} must be a number ${range}, got ${JSON.stringify(o[k])}`;
  return num('threshold', (x) => x >= 0 && x <= 1, 'in [0, 1]')
    ?? num('temperature', (x) => x > 0 && Number.isFinite(x), 'above 0')
    ?? num('minCertainty', (x) => x > 0 && x <= 1, 'in (0, 1]');
}

/**
 * How a package's weights are quantized. 'int8': LSTM W and R and the output kernel stored as
 * symmetric per-channel int8 (zero point 0), activations quantized by onnxruntime at run time
 * (com.microsoft DynamicQuantizeLSTM / DynamicQuantizeMatMul; src-main/model/int8-weights.ts);
 * biases, the log-softmax and the graph I/O stay float32.
 */
export interface QuantizationCard {
  weights: 'int8';
  /** "name version" of the float package it was quantized from. */
  floatReference?: string;
}

/** The problem with `v` as ModelMetadata.quantization, or null when it is usable. */
export function quantizationProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `"quantization" must be an object, got ${JSON.stringify(v)}`;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['weights', 'floatReference'].includes(k)) return `quantization.${k} is not a quantization field (weights, floatReference)`;
  if (o.weights !== 'int8') return `quantization.weights must be "int8" (the only quantized format this Hark runs), got ${JSON.stringify(o.weights)}`;
  if (o.floatReference !== undefined && typeof o.floatReference !== 'string') return `quantization.floatReference must be a string, got ${JSON.stringify(o.floatReference)}`;
  return null;
}

/** True when `m` describes int8 graphs. */
export function isInt8Model(m: { quantization?: QuantizationCard }): boolean {
  return m.quantization?.weights === 'int8';
}

/**
 * Everything needed to use a model, stored in model.json and in the ONNX file's metadata.
 * Graph contract (model.onnx): input "features" float32 [batch, time, inputDim] (normalized,
 * stacked model frames); output "logprobs" float32 [batch, time, numUnits] (log-softmax over units).
 */
export interface ModelMetadata {
  formatVersion: number;
  name: string;
  version: string;
  createdAt: string;
  units: string[];
  features: FeatureConfig;
  normalization: Normalization;
  architecture: ArchitectureSpec;
  /** Streaming graph chunk size and look-ahead in model frames (LC-BLSTM Nc and Nr). */
  streaming?: { chunkFrames: number; lookaheadFrames: number };
  /** Measured decoding choices; absent fields keep the recognizers' defaults. */
  decoding?: DecodingChoices;
  /** Present only when the graphs hold int8 weights (`hark export --int8`); absent = float32. */
  quantization?: QuantizationCard;
  /** Free-form training card: voices, hours, augmentation, epochs, time. */
  training?: Record<string, unknown>;
  /** Measured accuracy figures. */
  metrics?: Record<string, unknown>;
}
