/**
 * How well predicted word marks match reference marks (bench/punctuation.bench.ts, the tagger's
 * training report): per punctuation mark precision/recall/F1 over the positions after words, and
 * case accuracy over words (also over the words the reference writes with a capital).
 */
import { PUNCT_LABELS, type WordMark, type WordPunct } from './word-marks.ts';

export interface MarkF1 {
  precision: number;
  recall: number;
  f1: number;
  /** Reference count. */
  support: number;
}

export interface PunctuationScores {
  words: number;
  punctuation: Record<'.' | ',' | '?' | '!', MarkF1>;
  /** Words whose case matches. */
  caseAccuracy: number;
  /** F1 of "written with a capital or in capitals" against lower. */
  capitalF1: number;
}

/** Running counts: add utterances with `add`, read figures with `scores`. */
export class PunctuationScorer {
  private words = 0;
  private caseRight = 0;
  private readonly tp = new Map<WordPunct, number>();
  private readonly fp = new Map<WordPunct, number>();
  private readonly fn = new Map<WordPunct, number>();
  private capTp = 0; private capFp = 0; private capFn = 0;

  add(predicted: readonly WordMark[], reference: readonly WordMark[]): void {
    if (predicted.length !== reference.length) throw new Error(`${predicted.length} predicted marks for ${reference.length} reference marks`);
    const inc = (m: Map<WordPunct, number>, k: WordPunct) => m.set(k, (m.get(k) ?? 0) + 1);
    predicted.forEach((p, i) => {
      const r = reference[i];
      this.words++;
      if (p.case === r.case) this.caseRight++;
      const pc = p.case !== 'lower', rc = r.case !== 'lower';
      if (pc && rc) this.capTp++; else if (pc) this.capFp++; else if (rc) this.capFn++;
      if (p.punct === r.punct) { if (p.punct) inc(this.tp, p.punct); return; }
      if (p.punct) inc(this.fp, p.punct);
      if (r.punct) inc(this.fn, r.punct);
    });
  }

  scores(): PunctuationScores {
    const f = (tp: number, fp: number, fn: number): MarkF1 => {
      const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
      const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
      return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, support: tp + fn };
    };
    const punctuation = Object.fromEntries(PUNCT_LABELS.filter((p) => p !== '').map((p) => [p, f(this.tp.get(p) ?? 0, this.fp.get(p) ?? 0, this.fn.get(p) ?? 0)])) as PunctuationScores['punctuation'];
    return {
      words: this.words, punctuation,
      caseAccuracy: this.words ? this.caseRight / this.words : 0,
      capitalF1: f(this.capTp, this.capFp, this.capFn).f1,
    };
  }
}
