/**
 * Calibrated word confidences for the beam-search modes (dictation and word lists). The beam's
 * own confidence, the summed posterior of the n-best hypotheses that contain the word, is no
 * probability: a model sure of itself gives 1.0 to words it invented (measured on the real
 * validation slice: expected calibration error 0.53, area under the ROC curve 0.54). Here a word's
 * confidence is sigmoid(bias + weights . features) over features of the word's own frames:
 *
 *   nbestLogit  logit of the n-best posterior (clamped to [0.001, 0.999])
 *   frameMax    mean over the word's frames of the best unit's log-probability (sharp or smeared)
 *   phonemeMax  the same over the frames whose best unit is a phoneme (0 when none)
 *   fit         (CTC log-likelihood of the word's best pronunciation - best-path score) per frame,
 *               over the word's frames and 2 either side, at least -20: does the audio say this word
 *   logFrames   ln of the word's length in frames
 *   logLetters  ln of the word's length in letters (short words are the easy insertions)
 *
 * The weights (ModelMetadata.decoding.words) are fitted per model by `hark calibrate`
 * (src-main/train/word-confidence-calibration.ts); bench/word-confidence.bench.ts draws the
 * reliability diagram on held-out voices and the real dev set.
 */
import { WORD_CONFIDENCE_FEATURES, type WordConfidenceChoices } from '../../src-shared/model/metadata.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { logisticPredict } from '../math/logistic-regression.ts';
import { ctcForward } from './ctc-forward.ts';
import type { WordResult } from './decode-types.ts';

/** A word's pronunciations as unit ids of the model (empty when it has none the model can say). */
export type PronunciationIds = (word: string) => readonly (readonly number[])[];

/** Frames either side of a word's span that the fit feature may use (CTC spikes drift a little). */
const FIT_MARGIN = 2;

/** The features of WORD_CONFIDENCE_FEATURES for `word` (times in seconds of the posteriors' timeline). */
export function wordConfidenceFeatures(
  word: WordResult, lp: Float32Array, T: number, U: number, frameSec: number, pronunciations: PronunciationIds,
): number[] {
  const s = Math.max(0, Math.min(T - 1, Math.round(word.start / frameSec)));
  const e = Math.max(s + 1, Math.min(T, Math.round(word.end / frameSec)));
  let sumMax = 0, phonemeFrames = 0, sumPhonemeMax = 0;
  for (let t = s; t < e; t++) {
    const { max, arg } = bestUnit(lp, t, U);
    sumMax += max;
    if (arg !== BLANK_ID) { phonemeFrames++; sumPhonemeMax += max; }
  }
  const s2 = Math.max(0, s - FIT_MARGIN), e2 = Math.min(T, e + FIT_MARGIN);
  let bestPath = 0;
  for (let t = s2; t < e2; t++) bestPath += bestUnit(lp, t, U).max;
  let wordScore = -Infinity;
  const span = lp.subarray(s2 * U, e2 * U);
  for (const labels of pronunciations(word.word)) if (labels.length) wordScore = Math.max(wordScore, ctcForward(span, e2 - s2, U, labels));
  const raw = Math.min(0.999, Math.max(0.001, word.confidence ?? 0));
  const features = [
    Math.log(raw / (1 - raw)),
    sumMax / (e - s),
    phonemeFrames ? sumPhonemeMax / phonemeFrames : 0,
    Math.max(-20, (wordScore - bestPath) / (e2 - s2)),
    Math.log(e - s),
    Math.log(Math.max(1, word.word.length)),
  ];
  if (features.length !== WORD_CONFIDENCE_FEATURES.length) throw new Error('word confidence features out of step with WORD_CONFIDENCE_FEATURES');
  return features;
}

/** The words with calibrated confidences (rounded to 1e-4), in [0, 1]. */
export function calibrateWordConfidences(
  words: readonly WordResult[], lp: Float32Array, T: number, U: number, frameSec: number,
  pronunciations: PronunciationIds, choices: WordConfidenceChoices,
): WordResult[] {
  if (T === 0) return words.map((w) => ({ ...w }));
  return words.map((w) => {
    const p = logisticPredict(choices, wordConfidenceFeatures(w, lp, T, U, frameSec, pronunciations));
    return { ...w, confidence: Math.round(p * 1e4) / 1e4 };
  });
}

function bestUnit(lp: Float32Array, t: number, U: number): { max: number; arg: number } {
  let max = -Infinity, arg = 0;
  for (let u = 0, o = t * U; u < U; u++) if (lp[o + u] > max) { max = lp[o + u]; arg = u; }
  return { max, arg };
}
