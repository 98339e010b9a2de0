/**
 * Chooses the tagger's punctuation offsets (TaggerMetadata.punctBias) on dev data: coordinate
 * ascent over a grid of log-probability offsets for ".", ",", "?" and "!", maximizing the mean F1
 * of ".", "," and "?" (the marks the targets name). Scores are computed once; only the
 * arg-max is repeated.
 */
import { marksFromScores } from '../../src-shared/model/tagger-input.ts';
import { PunctuationScorer } from '../../src-shared/text/punctuation-scores.ts';
import { PUNCT_LABELS, type WordMark } from '../../src-shared/text/word-marks.ts';

/** One dev utterance: its log-probabilities (rows per word) and reference marks. */
export interface ScoredUtterance {
  case: Float32Array;
  punct: Float32Array;
  reference: readonly WordMark[];
}

/** Offsets tried for each mark, in log-probability units. */
export const PUNCT_BIAS_GRID = [-1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3];

/** The objective: mean F1 of ".", "," and "?" with `bias`. */
export function punctObjective(scored: readonly ScoredUtterance[], bias: readonly number[]): number {
  const scorer = new PunctuationScorer();
  for (const u of scored) scorer.add(marksFromScores(u.case, u.punct, u.reference.length, bias), u.reference);
  const p = scorer.scores().punctuation;
  return (p['.'].f1 + p[','].f1 + p['?'].f1) / 3;
}

/** The offsets (PUNCT_LABELS order, none = 0) that maximize punctObjective, two sweeps of coordinate ascent. */
export function choosePunctBias(scored: readonly ScoredUtterance[]): { bias: number[]; objective: number; before: number } {
  const bias = new Array<number>(PUNCT_LABELS.length).fill(0);
  const before = punctObjective(scored, bias);
  let best = before;
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let k = 1; k < PUNCT_LABELS.length; k++) {
      for (const v of PUNCT_BIAS_GRID) {
        const trial = bias.slice();
        trial[k] = v;
        const obj = punctObjective(scored, trial);
        if (obj > best + 1e-9) { best = obj; bias[k] = v; }
      }
    }
  }
  return { bias, objective: best, before };
}
