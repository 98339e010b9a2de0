/**
 * The tagger's input for one utterance (src-shared/model/tagger-metadata.ts): vocabulary ids and
 * TAGGER_FEATURES per word. One implementation for training (src-main/train/tagger-*.ts) and the
 * runtime (src-main/engine/punctuation-tagger.ts), so both see the same numbers.
 */
import { CASE_LABELS, PUNCT_LABELS, type WordMark } from '../text/word-marks.ts';
import { TAGGER_FEATURES, type TaggerMetadata } from './tagger-metadata.ts';

/** Ids [words] and features [words * TAGGER_FEATURES.length], row-major. */
export interface TaggerInput {
  ids: Int32Array;
  features: Float32Array;
}

/** Looks words up in a tagger's vocabulary and priors (built once per tagger). */
export class TaggerVocabulary {
  private readonly index: Map<string, number>;
  private readonly capitalized: Set<string>;
  private readonly upper: Set<string>;

  constructor(md: Pick<TaggerMetadata, 'vocabulary' | 'unknownPriors'>) {
    this.index = new Map(md.vocabulary.map((w, i) => [w, i]));
    this.capitalized = new Set(md.unknownPriors.capitalized);
    this.upper = new Set(md.unknownPriors.upper);
  }

  /** Input of one utterance's words (compared lower-cased). */
  encode(words: readonly string[]): TaggerInput {
    const F = TAGGER_FEATURES.length;
    const ids = new Int32Array(words.length);
    const features = new Float32Array(words.length * F);
    words.forEach((raw, i) => {
      const w = raw.toLowerCase();
      const id = this.index.get(w) ?? 0;
      ids[i] = id;
      if (id === 0) {
        features[i * F] = 1;
        if (this.capitalized.has(w)) features[i * F + 1] = 1;
        if (this.upper.has(w)) features[i * F + 2] = 1;
      }
    });
    return { ids, features };
  }
}

/**
 * Arg-max marks of one utterance from per-word log-probabilities (rows of CASE_LABELS /
 * PUNCT_LABELS), with `punctBias` (TaggerMetadata.punctBias) added to the punctuation scores.
 */
export function marksFromScores(caseScores: ArrayLike<number>, punctScores: ArrayLike<number>, words: number, punctBias?: readonly number[]): WordMark[] {
  const argmax = (a: ArrayLike<number>, row: number, n: number, bias?: readonly number[]) => {
    let best = 0;
    for (let k = 1; k < n; k++) if (a[row * n + k] + (bias?.[k] ?? 0) > a[row * n + best] + (bias?.[best] ?? 0)) best = k;
    return best;
  };
  return Array.from({ length: words }, (_, t) => ({
    case: CASE_LABELS[argmax(caseScores, t, CASE_LABELS.length)],
    punct: PUNCT_LABELS[argmax(punctScores, t, PUNCT_LABELS.length, punctBias)],
  }));
}
