import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { BLANK_ID, UNITS } from '../../src-shared/units/phonemes.ts';
import { normalizePhrase } from '../lexicon/normalize-text.ts';
import { itemUnitVariants } from '../lexicon/phrase-pronunciation.ts';
import { greedyDecode } from './ctc-greedy-decoder.ts';
import { ctcForward, ctcViterbiAlign } from './ctc-forward.ts';
import { certaintyGate, checkPosteriors, frameTime, type DecodeResult, type WordResult } from './decode-types.ts';
import { logAddExp, logSumExp } from '../math/log-math.ts';

/**
 * Closed-set phrase recognition with rejection ("--phrases": the input is exactly one of the
 * phrases, or none). For each phrase the CTC log-likelihood of the whole input constrained to
 * "blanks, the phrase's phonemes, blanks" is computed with the forward algorithm, summed over
 * its pronunciation variants (log-sum over distinct unit sequences).
 *
 * Confidence of phrase i (reported for the best one, by logLik):
 *   fit_i      = exp((viterbi_i - bestPath) / (phones_i * temperature)), in (0, 1]: per-phoneme
 *                log-likelihood ratio of the phrase's best alignment against the free phoneme loop
 *                (greedy best path). 1 when the best path spells the phrase; every phoneme the
 *                model heard differently costs its frames' log-probability deficit.
 *   share_i    = softmax over phrases of logLik_i: how clearly i beats the other phrases.
 *   certainty  = exp(bestPath / T): geometric mean over frames of the best unit's probability
 *                (1/U for flat posteriors, near 1 for a confident model on speech or silence).
 *   gate       = clamp((certainty - 1/U) / (minCertainty - 1/U), 0, 1): rejects flat and weakly
 *                peaked noise posteriors, under which every phoneme sequence fits equally badly.
 *   confidence = fit_best * share_best * gate, in [0, 1].
 * The phrase is returned when confidence >= threshold, else null with a `rejection`: the best
 * phrase (null when none aligns) and its confidence, and the greedy best path's units (computed
 * for bestPath anyway) as what was heard. Raw scores are returned so the thresholds can be
 * calibrated on held-out data.
 *
 * Sounds: a phrase may be (or contain) a sound token `<sound:clap>` (normalizePhrase keeps it
 * whole), pronounced as the model's sound unit of that name (src-shared/units/sound-units.ts); the
 * constructor throws MissingSoundUnitError when the model's `units` lack it. A sound counts as one
 * "phoneme" in phones_i. The free loop (bestPath) ranges over all the model's units, sounds included.
 */
export interface PhraseDecoderOptions {
  /** Minimum confidence to accept the best phrase. */
  threshold: number;
  /** Divides the per-phoneme log-likelihood before exp (higher = more lenient confidences). */
  temperature: number;
  /** Pronunciation variants kept per phrase (combinations of its words' variants). */
  maxVariants: number;
  /** Frame certainty (see above) at and above which the gate is fully open. */
  minCertainty: number;
}

/** Calibrated on training voices (bench/accuracy.bench.ts: grid search, middle of the best threshold plateau). */
export const DEFAULT_PHRASE_OPTIONS: PhraseDecoderOptions = { threshold: 0.06, temperature: 1, maxVariants: 16, minCertainty: 0.3 };

/** Raw scores of one phrase (natural logs). */
export interface PhraseScore {
  phrase: string;
  /** ln P(phrase | input), summed over alignments and variants. */
  logLik: number;
  /** Best single alignment score over the variants. */
  viterbi: number;
  /** Phonemes in the best-aligned variant. */
  phones: number;
  /** (viterbi - bestPathScore) / phones: <= 0, per-phoneme log-likelihood ratio against the free loop. */
  llrPerPhone: number;
  /** fit_i above: exp(llrPerPhone / temperature). */
  fit: number;
  /** share_i above. */
  share: number;
}

export interface PhraseDecodeResult extends DecodeResult {
  phrase: string | null;
  confidence: number;
  /** Scores of all phrases, in list order. */
  scores: PhraseScore[];
  /** Greedy best-path score (free phoneme loop), ln. */
  bestPathScore: number;
  /** exp(bestPathScore / frames), see above. */
  certainty: number;
  frames: number;
}

interface Variant {
  units: number[];
  /** Phoneme count of each word, in order. */
  wordLengths: number[];
}

interface PhraseModel {
  phrase: string;
  words: string[];
  variants: Variant[];
}

/**
 * The phrase decode() would choose from its raw scores (the highest logLik) and its confidence
 * under `opts`: the same decision for other temperatures and certainty floors without decoding
 * again (phrase calibration searches them, src-main/train/phrase-calibration.ts).
 */
export function phraseDecision(scores: readonly PhraseScore[], certainty: number, U: number, opts: Pick<PhraseDecoderOptions, 'temperature' | 'minCertainty'>): { index: number; confidence: number } {
  let index = 0;
  scores.forEach((s, i) => { if (s.logLik > scores[index].logLik) index = i; });
  return { index, confidence: phraseConfidence(scores[index].llrPerPhone, scores[index].share, certainty, U, opts) };
}

/** fit * share * gate of the file comment, clamped to [0, 1] (-Infinity llrPerPhone: no alignment, 0). */
function phraseConfidence(llrPerPhone: number, share: number, certainty: number, U: number, opts: Pick<PhraseDecoderOptions, 'temperature' | 'minCertainty'>): number {
  const fit = Math.exp(Math.min(0, llrPerPhone) / opts.temperature);
  return Math.min(1, Math.max(0, fit * share * certaintyGate(certainty, opts.minCertainty, U)));
}

/** Live phrase decisions (PhraseDecoder.createScorer). */
export interface PhraseScorer {
  advance(logprobs: Float32Array, T: number, U: number): void;
  current(): { phrase: string | null; confidence: number };
}

export class PhraseDecoder {
  readonly opts: PhraseDecoderOptions;
  private readonly models: PhraseModel[];

  /** Units per posterior frame this decoder's unit ids index (the model's units.length). */
  readonly numUnits: number;
  private readonly units: readonly string[];

  /**
   * @param units the model's output units (ModelMetadata.units); phrases resolve their phonemes
   * and sounds against it, and decode() requires posteriors of exactly units.length columns.
   */
  constructor(phrases: readonly string[], lookup: PronunciationLookup, opts: Partial<PhraseDecoderOptions> = {}, units: readonly string[] = UNITS) {
    this.opts = { ...DEFAULT_PHRASE_OPTIONS, ...opts };
    const { threshold, temperature, maxVariants, minCertainty } = this.opts;
    if (!(minCertainty > 0 && minCertainty <= 1)) throw new Error(`minCertainty must be in (0, 1], got ${minCertainty}`);
    if (!(threshold >= 0 && threshold <= 1)) throw new Error(`phrase threshold must be in [0, 1], got ${threshold}`);
    if (!(temperature > 0)) throw new Error(`phrase temperature must be positive, got ${temperature}`);
    if (!Number.isInteger(maxVariants) || maxVariants < 1) throw new Error(`maxVariants must be a positive integer, got ${maxVariants}`);
    this.numUnits = units.length;
    this.units = units;
    const seen = new Set<string>();
    this.models = [];
    for (const phrase of phrases) {
      const words = normalizePhrase(phrase);
      if (words.length === 0) throw new Error(`phrase has no words: "${phrase}"`);
      const key = words.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      this.models.push({ phrase: phrase.trim(), words, variants: itemUnitVariants(words, lookup, units, maxVariants) });
    }
    if (this.models.length === 0) throw new Error('PhraseDecoder: no phrases given');
  }

  /** The phrases (as given, trimmed; duplicates after normalization removed). */
  get phrases(): string[] {
    return this.models.map((m) => m.phrase);
  }

  decode(logprobs: Float32Array, T: number, U: number, frameSec: number): PhraseDecodeResult {
    checkPosteriors(logprobs, T, U);
    this.checkWidth(U);
    if (!(frameSec > 0)) throw new Error(`frameSec must be positive, got ${frameSec}`);
    const { temperature, threshold } = this.opts;
    const greedy = greedyDecode(logprobs, T, U);
    const bestPathScore = greedy.score;
    const raw = this.models.map((m) => {
      const lls = m.variants.map((v) => ctcForward(logprobs, T, U, v.units));
      let best: { v: Variant; score: number; spans: { first: number; last: number }[] } | null = null;
      for (const v of m.variants) {
        const a = ctcViterbiAlign(logprobs, T, U, v.units);
        if (a && (!best || a.score > best.score)) best = { v, score: a.score, spans: a.spans };
      }
      return { m, logLik: logSumExp(lls), best };
    });
    const z = logSumExp(raw.map((r) => r.logLik));
    const scores: PhraseScore[] = raw.map((r) => {
      const phones = r.best ? r.best.v.units.length : r.m.variants[0].units.length;
      const viterbi = r.best ? r.best.score : -Infinity;
      return {
        phrase: r.m.phrase, logLik: r.logLik, viterbi, phones,
        llrPerPhone: (viterbi - bestPathScore) / phones,
        fit: viterbi === -Infinity ? 0 : Math.exp(Math.min(0, viterbi - bestPathScore) / (phones * temperature)),
        share: z === -Infinity ? 0 : Math.exp(r.logLik - z),
      };
    });
    const certainty = T > 0 ? Math.exp(bestPathScore / T) : 0;
    const { index: bi, confidence } = phraseDecision(scores, certainty, U, this.opts);
    const base = { scores, bestPathScore, certainty, frames: T, confidence };
    if (!(confidence >= threshold) || !raw[bi].best) {
      const rejection = { closest: raw[bi].best ? raw[bi].m.phrase : null, confidence, heard: greedy.units.map((u) => this.units[u]).join(' ') };
      return { ...base, text: '', words: [], phrase: null, rejection };
    }
    return { ...base, text: raw[bi].m.words.join(' '), words: this.wordTimes(raw[bi], logprobs, U, frameSec, scores[bi].share), phrase: raw[bi].m.phrase };
  }

  /**
   * An incremental version of decode()'s decision for live partial results: frames in, the
   * accepted phrase (or null) and its confidence out at any time, in time linear in the frames
   * (decode() on a growing utterance would be quadratic). It keeps, per variant, the CTC forward
   * and Viterbi variables, and the greedy best-path score; its answer equals decode()'s phrase and
   * confidence on the same frames.
   */
  createScorer(): PhraseScorer {
    const opts = this.opts;
    const models = this.models;
    const variants = models.flatMap((m, mi) => m.variants.map((v) => ({ mi, units: v.units, fwd: new Float64Array(2 * v.units.length + 1).fill(-Infinity), vit: new Float64Array(2 * v.units.length + 1).fill(-Infinity) })));
    let frames = 0;
    let units = 0;
    let bestPath = 0;
    let scratch = new Float64Array(0);
    const step = (lp: Float32Array, row: number): void => {
      let max = -Infinity;
      for (let u = 0; u < units; u++) if (lp[row + u] > max) max = lp[row + u];
      bestPath += max;
      for (const v of variants) {
        const S = v.fwd.length;
        const ext = (k: number): number => (k % 2 === 0 ? BLANK_ID : v.units[(k - 1) / 2]);
        if (frames === 0) {
          v.fwd[0] = v.vit[0] = lp[row + BLANK_ID];
          if (S > 1) v.fwd[1] = v.vit[1] = lp[row + ext(1)];
          continue;
        }
        for (const [arr, combine] of [[v.fwd, logAddExp], [v.vit, Math.max]] as const) {
          if (scratch.length < S) scratch = new Float64Array(S);
          for (let k = 0; k < S; k++) {
            let a = arr[k];
            if (k >= 1) a = combine(a, arr[k - 1]);
            if (k >= 2 && k % 2 === 1 && ext(k) !== ext(k - 2)) a = combine(a, arr[k - 2]);
            scratch[k] = a + lp[row + ext(k)];
          }
          arr.set(scratch.subarray(0, S));
        }
      }
    };
    return {
      advance: (lp, T, U) => {
        checkPosteriors(lp, T, U);
        this.checkWidth(U);
        if (frames > 0 && U !== units) throw new Error(`posteriors have ${U} units, earlier frames ${units}`);
        units = U;
        for (let t = 0; t < T; t++, frames++) step(lp, t * U);
      },
      current: () => {
        if (frames === 0) return { phrase: null, confidence: 0 };
        const end = (a: Float64Array, combine: (x: number, y: number) => number) => (a.length === 1 ? a[0] : combine(a[a.length - 1], a[a.length - 2]));
        const logLik = models.map((_, mi) => logSumExp(variants.filter((v) => v.mi === mi).map((v) => end(v.fwd, logAddExp))));
        const z = logSumExp(logLik);
        let bi = 0;
        logLik.forEach((l, i) => { if (l > logLik[bi]) bi = i; });
        let viterbi = -Infinity;
        let phones = models[bi].variants[0].units.length;
        for (const v of variants) {
          if (v.mi !== bi) continue;
          const sc = end(v.vit, Math.max);
          if (sc > viterbi) { viterbi = sc; phones = v.units.length; }
        }
        const share = z === -Infinity ? 0 : Math.exp(logLik[bi] - z);
        const confidence = phraseConfidence((viterbi - bestPath) / phones, share, Math.exp(bestPath / frames), units, opts);
        return { phrase: confidence >= opts.threshold && viterbi > -Infinity ? models[bi].phrase : null, confidence };
      },
    };
  }

  /** Posteriors must have a column for every unit of the model the phrases were resolved against. */
  private checkWidth(U: number): void {
    if (U !== this.numUnits) throw new Error(`posteriors have ${U} units, the phrases were built for a model of ${this.numUnits}`);
  }

  /**
   * Word times from the Viterbi alignment of the best variant: start = first frame of the word's
   * first phoneme, end = last frame of its last phoneme + 1. Word confidence = share of the phrase
   * times exp(-mean over the word's phonemes of the aligned frames' deficit to the frame's best unit / temperature).
   */
  private wordTimes(
    r: { m: PhraseModel; best: { v: Variant; spans: { first: number; last: number }[] } | null },
    lp: Float32Array, U: number, frameSec: number, share: number,
  ): WordResult[] {
    const { v, spans } = r.best!;
    const out: WordResult[] = [];
    let k = 0;
    r.m.words.forEach((word, wi) => {
      const n = v.wordLengths[wi];
      let deficit = 0;
      for (let j = k; j < k + n; j++) {
        for (let t = spans[j].first; t <= spans[j].last; t++) {
          let max = -Infinity;
          for (let u = 0; u < U; u++) max = Math.max(max, lp[t * U + u]);
          deficit += max - lp[t * U + v.units[j]];
        }
      }
      const confidence = share * Math.exp(-deficit / (n * this.opts.temperature));
      out.push({ word, start: frameTime(spans[k].first, frameSec), end: frameTime(spans[k + n - 1].last + 1, frameSec), confidence: Math.min(1, Math.max(0, confidence)) });
      k += n;
    });
    return out;
  }
}
