/**
 * Evaluation of a tfjs model on held-out clips: phoneme error rate of the greedy CTC path against
 * the lexicon's first pronunciation (the training target), on clean and on augmented audio.
 */
import type { FeatureMatrix } from '../../src-shared/features/index.ts';
import { greedyDecode } from '../decode/ctc-greedy-decoder.ts';
import type { AcousticModel } from './acoustic-model.ts';
import { editDistance, wordErrorRate as wordErrors } from '../math/edit-distance.ts';

/** A clip's model input frames and its target units, for measuring a tfjs model during training. */
export interface LabeledFeatures {
  features: FeatureMatrix;
  labels: number[];
  group: string;
  /** Reference words (spoken form). */
  text?: string;
}

export interface PerReport {
  per: number;
  errors: number;
  phonemes: number;
  byGroup: Record<string, number>;
}

export function phonemeErrorRate(model: AcousticModel, clips: readonly LabeledFeatures[]): PerReport {
  return perReport(clips.map((c) => {
    const lp = model.logProbs(c.features.data, c.features.frames);
    return { labels: c.labels, hyp: greedyDecode(lp, c.features.frames, model.spec.numUnits).units, group: c.group };
  }));
}

/** Phoneme error rate (edit distance over reference length), overall and per group, of hypotheses against their labels. */
export function perReport(pairs: readonly { labels: readonly number[]; hyp: readonly number[]; group: string }[]): PerReport {
  let errors = 0, phonemes = 0;
  const groups = new Map<string, { e: number; n: number }>();
  for (const p of pairs) {
    const e = editDistance(p.labels, p.hyp);
    errors += e;
    phonemes += p.labels.length;
    const g = groups.get(p.group) ?? { e: 0, n: 0 };
    g.e += e; g.n += p.labels.length;
    groups.set(p.group, g);
  }
  const byGroup: Record<string, number> = {};
  for (const [k, v] of groups) byGroup[k] = v.n ? v.e / v.n : 0;
  return { per: phonemes ? errors / phonemes : 0, errors, phonemes, byGroup };
}

/**
 * Word error rate through a word decoder (e.g. dictation with the shipped LM): the tfjs model's
 * posteriors decoded into words and compared with each clip's reference text.
 */
export function wordErrorRate(model: AcousticModel, clips: readonly LabeledFeatures[], decode: (lp: Float32Array, T: number, U: number) => string): number {
  return wordErrors(clips.filter((c) => c.text !== undefined).map((c) => ({
    ref: c.text!, hyp: decode(model.logProbs(c.features.data, c.features.frames), c.features.frames, model.spec.numUnits),
  }))).rate;
}
