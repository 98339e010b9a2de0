/**
 * Trains the punctuation/case tagger (./tagger-model.ts): the vocabulary and unknown-word priors
 * from the training text, length-bucketed batches of utterance-like segments, Adam on the masked
 * cross-entropy of both heads (summed), gradients clipped by global norm, seeded initialization and
 * batch order, a wall-time budget. tools/train-tagger.ts runs it on the Brown corpus.
 */
import * as tf from '@tensorflow/tfjs';
import { TAGGER_FEATURES, UNKNOWN_WORD, type TaggerArchitecture } from '../../src-shared/model/tagger-metadata.ts';
import { marksFromScores, TaggerVocabulary } from '../../src-shared/model/tagger-input.ts';
import { PunctuationScorer, type PunctuationScores } from '../../src-shared/text/punctuation-scores.ts';
import { CASE_LABELS, PUNCT_LABELS } from '../../src-shared/text/word-marks.ts';
import { clipByGlobalNorm } from './clip-gradients.ts';
import { createRng } from './data/rng.ts';
import type { MarkedSentence } from './data/text-punctuation.ts';
import { TaggerModel } from './tagger-model.ts';

export interface TaggerVocabularyChoice {
  vocabulary: string[];
  unknownPriors: { capitalized: string[]; upper: string[] };
}

/**
 * The `size` - 1 most frequent words of `sentences` after UNKNOWN_WORD (ties alphabetically), and
 * for the other words seen at least `minCount` times, those written Capitalized / UPPER in more
 * than half of their occurrences that do not start a sentence.
 */
export function chooseTaggerVocabulary(sentences: readonly MarkedSentence[], size: number, minCount = 2): TaggerVocabularyChoice {
  const count = new Map<string, number>();
  const inside = new Map<string, [number, number, number]>(); // [occurrences not sentence-initial, capitalized, upper]
  for (const s of sentences) {
    s.words.forEach((w, i) => {
      count.set(w, (count.get(w) ?? 0) + 1);
      const initial = i === 0 || ['.', '?', '!'].includes(s.marks[i - 1].punct);
      if (initial) return;
      const c = inside.get(w) ?? [0, 0, 0];
      c[0]++;
      if (s.marks[i].case === 'capitalized') c[1]++;
      if (s.marks[i].case === 'upper') c[2]++;
      inside.set(w, c);
    });
  }
  const ranked = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const vocabulary = [UNKNOWN_WORD, ...ranked.slice(0, size - 1).map(([w]) => w)];
  const capitalized: string[] = [], upper: string[] = [];
  for (const [w, n] of ranked.slice(size - 1)) {
    const c = inside.get(w);
    if (n < minCount || !c || c[0] === 0) continue;
    if (c[2] * 2 > c[0]) upper.push(w);
    else if ((c[1] + c[2]) * 2 > c[0]) capitalized.push(w);
  }
  return { vocabulary, unknownPriors: { capitalized: capitalized.sort(), upper: upper.sort() } };
}

export interface TaggerTrainConfig {
  arch: TaggerArchitecture;
  epochs: number;
  batchSize: number;
  learningRate: number;
  lrDecay: number;
  clipNorm: number;
  seed: number;
  /** Stop after the step that passes this much wall time. */
  timeBudgetSec?: number;
}

export interface TaggerStep { epoch: number; step: number; loss: number; seconds: number }

export interface TaggerTrainResult {
  model: TaggerModel;
  steps: number;
  losses: number[];
  epochsRun: number;
  stoppedEarly: boolean;
  seconds: number;
}

/** A padded time-major batch of segments. */
interface TaggerBatch {
  ids: Int32Array;
  features: Float32Array;
  caseLabels: Float32Array;
  punctLabels: Float32Array;
  mask: Float32Array;
  T: number;
  B: number;
  lengths: number[];
}

function makeBatch(segs: readonly MarkedSentence[], vocab: TaggerVocabulary): TaggerBatch {
  // At least 2 steps: tfjs cannot take the gradient through unstacking a single step (Unpack_grad).
  const B = segs.length, T = Math.max(2, ...segs.map((s) => s.words.length)), F = TAGGER_FEATURES.length;
  const C = CASE_LABELS.length, P = PUNCT_LABELS.length;
  const b: TaggerBatch = {
    ids: new Int32Array(T * B), features: new Float32Array(T * B * F), caseLabels: new Float32Array(T * B * C),
    punctLabels: new Float32Array(T * B * P), mask: new Float32Array(T * B), T, B, lengths: segs.map((s) => s.words.length),
  };
  segs.forEach((s, j) => {
    const x = vocab.encode(s.words);
    s.words.forEach((_, t) => {
      const r = t * B + j;
      b.ids[r] = x.ids[t];
      b.features.set(x.features.subarray(t * F, (t + 1) * F), r * F);
      b.caseLabels[r * C + CASE_LABELS.indexOf(s.marks[t].case)] = 1;
      b.punctLabels[r * P + PUNCT_LABELS.indexOf(s.marks[t].punct)] = 1;
      b.mask[r] = 1;
    });
  });
  return b;
}

/** Mean over real words of the two heads' cross-entropies, summed. */
function batchLoss(model: TaggerModel, b: TaggerBatch): tf.Scalar {
  const out = model.forward(b.ids, b.features, b.T, b.B, b.lengths);
  const mask = tf.tensor2d(b.mask, [b.T, b.B]);
  const ce = (logits: tf.Tensor3D, labels: Float32Array) =>
    tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.tensor3d(labels, logits.shape)), 2));
  const total = tf.add(ce(out.case, b.caseLabels), ce(out.punct, b.punctLabels));
  return tf.div(tf.sum(tf.mul(total, mask)), tf.sum(mask)) as tf.Scalar;
}

/** Batches of about equal length: segments sorted by length, cut into batches, batch order shuffled. */
function epochBatches(segs: readonly MarkedSentence[], batchSize: number, seed: number): MarkedSentence[][] {
  const rng = createRng(seed);
  const keyed = segs.map((s) => ({ s, k: s.words.length + rng.next() }));
  keyed.sort((a, b) => a.k - b.k);
  const batches: MarkedSentence[][] = [];
  for (let i = 0; i < keyed.length; i += batchSize) batches.push(keyed.slice(i, i + batchSize).map((x) => x.s));
  return rng.shuffle(batches);
}

/**
 * Trains a tagger on `segments` (from `segmentsOf(epoch)` when segments change per epoch).
 * `onStep` reports each step; `onEpoch` may evaluate.
 */
export async function trainTagger(
  cfg: TaggerTrainConfig, vocab: TaggerVocabularyChoice, segmentsOf: (epoch: number) => readonly MarkedSentence[],
  hooks: { onStep?(s: TaggerStep): void; onEpoch?(epoch: number, model: TaggerModel): void | Promise<void> } = {},
): Promise<TaggerTrainResult> {
  const encoder = new TaggerVocabulary(vocab);
  const model = new TaggerModel(cfg.arch, vocab.vocabulary.length, TAGGER_FEATURES.length, cfg.seed);
  const vars = model.variables();
  const optimizer = tf.train.adam(cfg.learningRate);
  const start = performance.now();
  const losses: number[] = [];
  let step = 0, epochsRun = 0, stoppedEarly = false;
  for (let epoch = 0; epoch < cfg.epochs && !stoppedEarly; epoch++) {
    (optimizer as unknown as { learningRate: number }).learningRate = cfg.learningRate * cfg.lrDecay ** epoch;
    for (const segs of epochBatches(segmentsOf(epoch), cfg.batchSize, cfg.seed * 1000 + epoch)) {
      const batch = makeBatch(segs, encoder);
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => batchLoss(model, batch)), vars);
      const loss = value.dataSync()[0];
      value.dispose();
      const clipped = clipByGlobalNorm(grads, cfg.clipNorm);
      optimizer.applyGradients(clipped.grads as Parameters<typeof optimizer.applyGradients>[0]);
      tf.dispose(Object.values(clipped.grads));
      losses.push(loss);
      step++;
      const seconds = (performance.now() - start) / 1000;
      hooks.onStep?.({ epoch, step, loss, seconds });
      if (cfg.timeBudgetSec !== undefined && seconds > cfg.timeBudgetSec) { stoppedEarly = true; break; }
    }
    epochsRun = epoch + 1;
    await hooks.onEpoch?.(epoch, model);
  }
  optimizer.dispose();
  return { model, steps: step, losses, epochsRun, stoppedEarly, seconds: (performance.now() - start) / 1000 };
}

/** The tfjs model's marks for one utterance (training reports and the export parity test). */
export function tfjsTaggerScores(model: TaggerModel, vocab: TaggerVocabulary, words: readonly string[]): { case: Float32Array; punct: Float32Array } {
  const x = vocab.encode(words);
  return tf.tidy(() => {
    const out = model.forward(x.ids, x.features, words.length, 1, [words.length]);
    return { case: tf.logSoftmax(out.case).dataSync() as Float32Array, punct: tf.logSoftmax(out.punct).dataSync() as Float32Array };
  });
}

/** Scores of the tfjs model on `segments`. */
export function evaluateTfjsTagger(model: TaggerModel, vocab: TaggerVocabulary, segments: readonly MarkedSentence[]): PunctuationScores {
  const scorer = new PunctuationScorer();
  for (const s of segments) {
    const sc = tfjsTaggerScores(model, vocab, s.words);
    scorer.add(marksFromScores(sc.case, sc.punct, s.words.length), s.marks);
  }
  return scorer.scores();
}
