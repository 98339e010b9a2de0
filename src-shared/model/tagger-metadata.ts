/**
 * The punctuation/case tagger's metadata (models/tagger-en/): stored as JSON in tagger.onnx under
 * TAGGER_METADATA_KEY (and pretty-printed beside it as tagger.json, the card). The runtime reads the
 * vocabulary and label sets from it and refuses a tagger whose metadata is missing, of another
 * format, or inconsistent (taggerMetadataProblem), as model packages are refused.
 *
 * Graph contract (src-main/model/tagger-graph.ts), one utterance per batch row, no padding:
 *   word_ids      int64   [batch, words]             index into `vocabulary` (0 = <unk>)
 *   word_features float32 [batch, words, features]   TAGGER_FEATURES per word (tagger-input.ts)
 *   -> case_logprobs  float32 [batch, words, caseLabels.length]   log-softmax
 *   -> punct_logprobs float32 [batch, words, punctLabels.length]  log-softmax
 */
import { CASE_LABELS, PUNCT_LABELS } from '../text/word-marks.ts';
import type { CellType } from './metadata.ts';

/** Bumped whenever the tagger's graph I/O, inputs or label meaning change incompatibly. */
export const TAGGER_FORMAT_VERSION = 1;
/** ONNX metadata_props key of the tagger's JSON metadata (not hark.metadata: a tagger is no acoustic model). */
export const TAGGER_METADATA_KEY = 'hark.tagger';
export const TAGGER_KIND = 'hark-punctuation-tagger';
export const TAGGER_IDS_INPUT = 'word_ids';
export const TAGGER_FEATURES_INPUT = 'word_features';
export const TAGGER_CASE_OUTPUT = 'case_logprobs';
export const TAGGER_PUNCT_OUTPUT = 'punct_logprobs';
/** Vocabulary entry 0: every word not in the vocabulary. */
export const UNKNOWN_WORD = '<unk>';
/**
 * Per-word input features beside the embedding, in order: the word is out of the vocabulary; it is
 * out of the vocabulary and mostly written capitalized in the training text; ... mostly in capitals.
 */
export const TAGGER_FEATURES = ['unknown', 'unknownCapitalized', 'unknownUpper'] as const;

export interface TaggerArchitecture {
  cell: CellType;
  /** Bidirectional recurrent layers. */
  layers: number;
  /** Hidden units per direction. */
  hidden: number;
  embeddingDim: number;
}

export interface TaggerMetadata {
  formatVersion: number;
  kind: typeof TAGGER_KIND;
  name: string;
  version: string;
  /** Recognizer words (lower case, numbers as words); entry 0 is UNKNOWN_WORD. */
  vocabulary: string[];
  /** vocabularyHash(vocabulary): catches a vocabulary edited apart from the weights. */
  vocabularyHash: string;
  caseLabels: string[];
  punctLabels: string[];
  features: string[];
  /** Out-of-vocabulary words of the training text mostly written Capitalized / in CAPITALS. */
  unknownPriors: { capitalized: string[]; upper: string[] };
  architecture: TaggerArchitecture;
  /**
   * Offsets added to each punctuation label's log-probability before the arg-max (PUNCT_LABELS
   * order; absent = zeros): rare marks ("?", ",") are under-predicted by a plain arg-max, so
   * tools/calibrate-tagger.ts chooses these on the dev split (never on held-out text).
   */
  punctBias?: number[];
  /** How it was trained (tool, seed, data, time): the card. */
  training?: Record<string, unknown>;
  /** Held-out figures measured after training. */
  metrics?: Record<string, unknown>;
}

/** FNV-1a 32-bit hash of the vocabulary joined by newlines, as 8 hex digits. */
export function vocabularyHash(vocabulary: readonly string[]): string {
  let h = 0x811c9dc5;
  const text = vocabulary.join('\n');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const sameList = (a: unknown, b: readonly string[]): boolean =>
  Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);

/** What is wrong with `v` as the metadata of a tagger this Hark can run, or null when nothing is. */
export function taggerMetadataProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'metadata is not a JSON object';
  const m = v as Partial<TaggerMetadata>;
  if (m.kind !== TAGGER_KIND) return `kind is ${JSON.stringify(m.kind)}, expected "${TAGGER_KIND}"`;
  if (m.formatVersion !== TAGGER_FORMAT_VERSION) return `formatVersion is ${JSON.stringify(m.formatVersion)}, this Hark reads ${TAGGER_FORMAT_VERSION}`;
  if (!sameList(m.caseLabels, CASE_LABELS)) return `caseLabels ${JSON.stringify(m.caseLabels)} differ from this Hark's ${JSON.stringify(CASE_LABELS)}`;
  if (!sameList(m.punctLabels, PUNCT_LABELS)) return `punctLabels ${JSON.stringify(m.punctLabels)} differ from this Hark's ${JSON.stringify(PUNCT_LABELS)}`;
  if (!sameList(m.features, TAGGER_FEATURES)) return `features ${JSON.stringify(m.features)} differ from this Hark's ${JSON.stringify(TAGGER_FEATURES)}`;
  if (!Array.isArray(m.vocabulary) || m.vocabulary.length < 2 || m.vocabulary[0] !== UNKNOWN_WORD || !m.vocabulary.every((w) => typeof w === 'string')) {
    return `vocabulary must be a list of words starting with "${UNKNOWN_WORD}"`;
  }
  if (new Set(m.vocabulary).size !== m.vocabulary.length) return 'vocabulary has duplicate words';
  if (m.vocabularyHash !== vocabularyHash(m.vocabulary)) return `vocabularyHash ${JSON.stringify(m.vocabularyHash)} does not match the vocabulary (${vocabularyHash(m.vocabulary)})`;
  const p = m.unknownPriors;
  if (!p || !Array.isArray(p.capitalized) || !Array.isArray(p.upper)) return 'unknownPriors must hold "capitalized" and "upper" word lists';
  if (m.punctBias !== undefined && !(Array.isArray(m.punctBias) && m.punctBias.length === PUNCT_LABELS.length && m.punctBias.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    return `punctBias must be ${PUNCT_LABELS.length} finite numbers, got ${JSON.stringify(m.punctBias)}`;
  }
  const a = m.architecture;
  if (!a || !['lstm', 'gru', 'rnn'].includes(a.cell) || ![a.layers, a.hidden, a.embeddingDim].every((n) => Number.isInteger(n) && n > 0)) {
    return `architecture ${JSON.stringify(a)} is not {cell, layers, hidden, embeddingDim}`;
  }
  return null;
}
