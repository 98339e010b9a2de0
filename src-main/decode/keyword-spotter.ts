import { MAX_KEYWORDS, type KeywordHitWire, type KeywordSpecWire } from '../../src-shared/ipc/recognition-contract.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { BLANK_ID, UNITS } from '../../src-shared/units/phonemes.ts';
import { normalizePhrase } from '../lexicon/normalize-text.ts';
import { itemUnitVariants } from '../lexicon/phrase-pronunciation.ts';
import { certaintyGate, checkPosteriors, frameTime } from './decode-types.ts';

/**
 * Streaming keyword spotting on CTC posteriors ("--keywords": report each time a listed phrase
 * is spoken inside otherwise unconstrained speech). Pure and resumable: init(), advance() on any
 * chunking, flush() at the end give the same hits as spotKeywords() in one pass, and the state's
 * size depends only on the keyword list.
 *
 * Model. Each keyword (normalizePhrase) has up to maxVariants unit sequences (combinations of its
 * words' pronunciations, as in phrase-decoder.ts; a sound word `<sound:NAME>` is the model's
 * sound unit, and a sound the model lacks is refused with MissingSoundUnitError). A variant with n phonemes is the CTC chain of
 * ctc-forward.ts (state s: even = blank, odd = phoneme (s-1)/2, no skip between equal phonemes)
 * searched by Viterbi token passing with a free start: at every frame a token may enter state 1
 * (the first phoneme) with score 0. The leading blank state 0 is never used: entering it first
 * would only move the start back over silence. In state s at frame t a token adds
 *   cost = lp[t][unit(s)] - max_u lp[t][u]   (<= 0, nats),
 * so its score is the log-likelihood ratio of "the keyword from its start frame to t" against the
 * free phoneme loop (the best path). Ties between equal scores keep the earlier start. A token
 * carries its start frame, the last frame it spent in a phoneme state, and sumMax, the sum of
 * max_u lp[t][u] over its frames; a token in the trailing blank state 2n also keeps the score and
 * sumMax it had on its last phoneme frame (blanks after a keyword are not part of it).
 *
 * Candidates. A token in the last phoneme state 2n-1 or the trailing blank 2n spans the keyword
 * from `start` to `end` = (last phoneme frame + 1) (frames, end exclusive), with S = its score at
 * the last phoneme frame and M = its sumMax over [start, end):
 *   llrPerPhone = S / n                                      (<= 0)
 *   certainty   = exp(M / (end - start))                     (geometric-mean best-unit probability)
 *   gate        = clamp((certainty - 1/U) / (minCertainty - 1/U), 0, 1)
 *   score       = exp(llrPerPhone) * certainty * gate        (0, 1]
 * It is a candidate when ln(score) >= llrThreshold * 2 * sensitivity and gate > 1e-6 (a closed
 * gate: flat float32 posteriors put certainty a rounding error above 1/U). The certainty factor
 * ranks a keyword that is the best path through confident frames above one that is the best path
 * through hesitant frames (llrPerPhone is 0 for both). On real speech of the validation slice
 * (DEFAULT_KEYWORD_OPTIONS' content words, unwarped, each threshold run exactly) the best recall
 * within 5 / 10 / 20 false alarms per hour was 58% / 73% / 73% with it and 40% / 67% / 81% with
 * exp(llrPerPhone) * gate: it gains where an always-on keyword has to work, below 10 an hour.
 *
 * Peak picking, one pending candidate for all keywords at a time. Candidate A outranks B when its
 * score is higher, or equal with a longer span. Each frame the candidates are offered in order of
 * start: with none pending the first becomes pending; one that overlaps the pending one in time
 * replaces it when it outranks it (restarting the settle count); others are later occurrences.
 * The pending hit is reported when (settleFrames frames passed without a replacement, or a later
 * occurrence is a candidate) and no partial token could still replace it: a token in states
 * 1..2n-2 that started before the pending hit's end, was in a phoneme state within the last
 * settleFrames frames, and whose S / n passes its own keyword's threshold with exp(S / n) >= the
 * pending score (an upper bound: further frames only cost, and certainty * gate <= 1). This lets
 * "play music" win over the keyword "play" said at its start. flush() reports without waiting.
 * After a report every token that started before the hit's end is dropped, so the same occurrence
 * never fires twice and no hit of any keyword overlaps a reported one; later occurrences waiting
 * in the trailing blank state are offered again on the next frame. Hits therefore come out in
 * time order.
 */
/** A keyword to spot: the wire type itself. */
export type KeywordSpec = KeywordSpecWire;

/** One detection, times in seconds from the start of the stream, score = exp(llrPerPhone) * certainty * gate (header comment): the wire type itself. */
export type KeywordHit = KeywordHitWire;

export interface KeywordSpotterOptions {
  /** Per-phoneme log-likelihood-ratio threshold (nats, <= 0) used at sensitivity 0.5; sensitivity s uses threshold * 2s (s=1: twice as lenient, s -> 0: only perfect matches). */
  llrThreshold: number;
  /** Geometric-mean best-unit probability over the keyword's span at and above which the noise gate is open (see phrase-decoder's certainty gate). */
  minCertainty: number;
  /** Frames without improvement after which a candidate is reported (peak picking). */
  settleFrames: number;
  /** Pronunciation variants kept per keyword (combinations of its words' variants). */
  maxVariants: number;
}

/**
 * llrThreshold chosen on real speech never trained on and never reported: the validation slice of
 * the real set's train speakers (27 minutes, adapt-run.ts), streamed with hark-en 2026-12-06b and
 * twelve content words that occur in it 48 times (already, little, valley, another, thanks,
 * security, elevator, dinosaur, questions, perfume, temple, doctor; bench/real-keywords.bench.ts
 * --split val --keywords ...). The most lenient threshold with at most 5 false alarms per hour
 * there: -0.7, 58% of the occurrences at 4.4/h (-0.8: 65% at 6.6/h; -0.9: 73% at 8.8/h; -1.0: 77% at
 * 22/h). On synthesized voices it is stricter: 55% of the held-out hour's keywords at no false
 * alarm (bench/keyword-sweep.bench.ts; -1.2: 76% at 5/h). minCertainty is the earlier calibration's
 * (bench/keywords.bench.ts). A model package may carry its own threshold, chosen by the same rule
 * on its own run (ModelMetadata.decoding.keywords, tools/stamp-keyword-threshold.ts): recognizers
 * use it in place of this one.
 */
export const DEFAULT_KEYWORD_OPTIONS: KeywordSpotterOptions = { llrThreshold: -0.7, minCertainty: 0.5, settleFrames: 3, maxVariants: 8 };

const DEFAULT_SENSITIVITY = 0.5;
const GATE_EPSILON = 1e-6;

/**
 * Viterbi tokens of one variant, indexed by CTC chain state 0..2n (0 unused). Frame indices count
 * from the start of the stream; score -Infinity = no token.
 */
interface VariantTokens {
  score: Float64Array;
  start: Float64Array;
  lastPhone: Float64Array;
  sumMax: Float64Array;
  /** Trailing blank state only: score and sumMax on the last phoneme frame. */
  endScore: Float64Array;
  endSumMax: Float64Array;
}

/** A possible hit, in frames: [start, end). */
interface Candidate {
  keyword: number;
  start: number;
  end: number;
  score: number;
}

/** Spotter state: pass it back to advance() with the next frames. Treat as opaque. */
export interface KeywordState {
  /** Frames consumed so far. */
  frames: number;
  /** Units per frame of this stream; 0 before the first advance(). */
  units: number;
  /** One entry per variant, in the spotter's variant order. */
  tokens: VariantTokens[];
  pending: (Candidate & { improvedAt: number }) | null;
  /** End frame (exclusive) of the last reported hit; nothing starting before it is reported. */
  reportedEnd: number;
}

interface Variant {
  keyword: number;
  phones: number[];
}

export class KeywordSpotter {
  readonly opts: KeywordSpotterOptions;
  /** Normalized keywords in list order, with the sensitivity each uses. */
  readonly keywords: readonly { keyword: string; sensitivity: number }[];
  /** Per keyword: the llrPerPhone a candidate needs. */
  private readonly thresholds: number[];
  private readonly variants: Variant[] = [];

  /** @param units the model's output units (ModelMetadata.units) the keywords resolve against. */
  constructor(keywords: readonly KeywordSpec[], lookup: PronunciationLookup, opts: Partial<KeywordSpotterOptions> = {}, units: readonly string[] = UNITS) {
    this.opts = { ...DEFAULT_KEYWORD_OPTIONS, ...opts };
    const { llrThreshold, minCertainty, settleFrames, maxVariants } = this.opts;
    if (!(Number.isFinite(llrThreshold) && llrThreshold <= 0)) throw new Error(`llrThreshold must be a finite number <= 0, got ${llrThreshold}`);
    if (!(minCertainty > 0 && minCertainty <= 1)) throw new Error(`minCertainty must be in (0, 1], got ${minCertainty}`);
    if (!Number.isInteger(settleFrames) || settleFrames < 0) throw new Error(`settleFrames must be a non-negative integer, got ${settleFrames}`);
    if (!Number.isInteger(maxVariants) || maxVariants < 1) throw new Error(`maxVariants must be a positive integer, got ${maxVariants}`);
    if (keywords.length === 0) throw new Error('KeywordSpotter: no keywords given');
    // Every keyword is searched at every frame: the list is bounded so that one request stays cheap.
    if (keywords.length > MAX_KEYWORDS) throw new Error(`at most ${MAX_KEYWORDS} keywords can be spotted at once, got ${keywords.length}`);
    const list: { keyword: string; sensitivity: number }[] = [];
    for (const spec of keywords) {
      const words = normalizePhrase(spec.text);
      if (words.length === 0) throw new Error(`keyword has no words: "${spec.text}"`);
      const keyword = words.join(' ');
      const sensitivity = spec.sensitivity ?? DEFAULT_SENSITIVITY;
      if (!(sensitivity > 0 && sensitivity <= 1)) throw new Error(`keyword "${keyword}": sensitivity must be in (0, 1], got ${sensitivity}`);
      if (list.some((k) => k.keyword === keyword)) throw new Error(`duplicate keyword "${keyword}"`);
      for (const v of itemUnitVariants(words, lookup, units, maxVariants)) this.variants.push({ keyword: list.length, phones: v.units });
      list.push({ keyword, sensitivity });
    }
    this.keywords = list;
    this.thresholds = list.map((k) => llrThreshold * 2 * k.sensitivity);
  }

  /** Whether a hit of `keyword` with this score passes the keyword's threshold (the candidate rule on ln(score)). */
  accepts(keyword: string, score: number): boolean {
    const k = this.keywords.findIndex((x) => x.keyword === keyword);
    return k >= 0 && Math.log(score) >= this.thresholds[k];
  }

  init(): KeywordState {
    const tokens = this.variants.map((v): VariantTokens => {
      const S = 2 * v.phones.length + 1;
      return {
        score: new Float64Array(S).fill(-Infinity), start: new Float64Array(S), lastPhone: new Float64Array(S),
        sumMax: new Float64Array(S), endScore: new Float64Array(S), endSumMax: new Float64Array(S),
      };
    });
    return { frames: 0, units: 0, tokens, pending: null, reportedEnd: 0 };
  }

  /** Consumes T frames; returns hits that became final during these frames, in time order. */
  advance(state: KeywordState, logprobs: Float32Array, T: number, U: number, frameSec: number): KeywordHit[] {
    checkPosteriors(logprobs, T, U);
    if (!(frameSec > 0)) throw new Error(`frameSec must be positive, got ${frameSec}`);
    if (state.tokens.length !== this.variants.length) throw new Error('KeywordSpotter: state was made by another spotter');
    if (state.units === 0) {
      let top = 0;
      for (const v of this.variants) for (const p of v.phones) if (p > top) top = p;
      if (top >= U) throw new Error(`posteriors have ${U} units, the keywords use unit ${top}`);
      state.units = U;
    } else if (U !== state.units) {
      throw new Error(`posteriors have ${U} units, earlier frames of this stream had ${state.units}`);
    }
    const found: Candidate[] = [];
    for (let t = 0; t < T; t++) {
      this.step(state, logprobs, t * U, U);
      this.pick(state, found, false);
      state.frames++;
    }
    return found.map((c) => this.hit(c, frameSec));
  }

  /** End of stream: reports pending candidates (and later occurrences waiting behind them). */
  flush(state: KeywordState, frameSec: number): KeywordHit[] {
    if (!(frameSec > 0)) throw new Error(`frameSec must be positive, got ${frameSec}`);
    const found: Candidate[] = [];
    this.pick(state, found, true);
    return found.map((c) => this.hit(c, frameSec));
  }

  /** Moves every token over frame state.frames (row `row` of lp); in place, highest state first. */
  private step(state: KeywordState, lp: Float32Array, row: number, U: number): void {
    const f = state.frames;
    let max = -Infinity;
    for (let u = 0; u < U; u++) if (lp[row + u] > max) max = lp[row + u];
    this.variants.forEach((v, i) => {
      const tok = state.tokens[i];
      const { score, start } = tok;
      const last = 2 * v.phones.length;
      const unit = (s: number): number => (s % 2 === 0 ? BLANK_ID : v.phones[(s - 1) / 2]);
      const wins = (a: number, b: number): boolean => score[a] > score[b] || (score[a] === score[b] && score[a] > -Infinity && start[a] < start[b]);
      for (let s = last; s >= 1; s--) {
        let src = s;
        if (s >= 2 && wins(s - 1, src)) src = s - 1;
        if (s >= 3 && s % 2 === 1 && unit(s) !== unit(s - 2) && wins(s - 2, src)) src = s - 2;
        if (src !== s) {
          if (s === last) {
            tok.endScore[s] = score[src];
            tok.endSumMax[s] = tok.sumMax[src];
          }
          score[s] = score[src];
          start[s] = start[src];
          tok.lastPhone[s] = tok.lastPhone[src];
          tok.sumMax[s] = tok.sumMax[src];
        }
        if (s === 1 && !(score[1] >= 0)) {
          score[1] = 0;
          start[1] = f;
          tok.sumMax[1] = 0;
        }
        if (!(score[s] > -Infinity)) continue;
        score[s] += lp[row + unit(s)] - max;
        tok.sumMax[s] += max;
        if (s % 2 === 1) tok.lastPhone[s] = f;
      }
    });
  }

  /** Candidates of the current tokens (states 2n-1 and 2n), in offering order. */
  private candidates(state: KeywordState): Candidate[] {
    const out: Candidate[] = [];
    this.variants.forEach((v, i) => {
      const tok = state.tokens[i];
      const n = v.phones.length;
      for (const s of [2 * n - 1, 2 * n]) {
        if (!(tok.score[s] > -Infinity)) continue;
        const trailing = s === 2 * n;
        const c = this.candidate(v.keyword, n, tok.start[s], tok.lastPhone[s] + 1,
          trailing ? tok.endScore[s] : tok.score[s], trailing ? tok.endSumMax[s] : tok.sumMax[s], state.units);
        if (c) out.push(c);
      }
    });
    return out.sort((a, b) => a.start - b.start || (outranks(a, b) ? -1 : outranks(b, a) ? 1 : a.keyword - b.keyword));
  }

  /** The header comment's candidate test and score; null when it is not a candidate. */
  private candidate(keyword: number, n: number, start: number, end: number, llrSum: number, sumMax: number, U: number): Candidate | null {
    const llrPerPhone = llrSum / n;
    // ln(score) <= llrPerPhone: most tokens stop here, before the exp and log below.
    if (!(llrPerPhone >= this.thresholds[keyword])) return null;
    const certainty = Math.exp(sumMax / (end - start));
    const gate = certaintyGate(certainty, this.opts.minCertainty, U);
    if (!(gate > GATE_EPSILON)) return null;
    const score = Math.exp(llrPerPhone) * certainty * gate;
    if (!(Math.log(score) >= this.thresholds[keyword])) return null;
    return { keyword, start, end, score };
  }

  /** Offers this frame's candidates and reports what became final (everything when flushing). */
  private pick(state: KeywordState, found: Candidate[], flushing: boolean): void {
    const f = state.frames;
    for (;;) {
      const cands = this.candidates(state);
      for (const c of cands) {
        const p = state.pending;
        if (!p || (overlaps(c, p) && outranks(c, p))) state.pending = { ...c, improvedAt: f };
      }
      const p = state.pending;
      if (!p) return;
      if (!flushing) {
        const settled = f - p.improvedAt >= this.opts.settleFrames || cands.some((c) => !overlaps(c, p));
        if (!settled || this.replaceable(state, p)) return;
      }
      found.push({ keyword: p.keyword, start: p.start, end: p.end, score: p.score });
      state.pending = null;
      state.reportedEnd = Math.max(state.reportedEnd, p.end);
      for (const tok of state.tokens) {
        for (let s = 0; s < tok.score.length; s++) if (tok.start[s] < state.reportedEnd) tok.score[s] = -Infinity;
      }
    }
  }

  /** Whether a partial token could still end as a candidate replacing `p` (header comment). */
  private replaceable(state: KeywordState, p: Candidate): boolean {
    const f = state.frames;
    return this.variants.some((v, i) => {
      const tok = state.tokens[i];
      const n = v.phones.length;
      for (let s = 1; s <= 2 * n - 2; s++) {
        if (!(tok.score[s] > -Infinity) || tok.start[s] >= p.end || f - tok.lastPhone[s] > this.opts.settleFrames) continue;
        const bound = tok.score[s] / n;
        if (bound >= this.thresholds[v.keyword] && Math.exp(bound) >= p.score) return true;
      }
      return false;
    });
  }

  private hit(c: Candidate, frameSec: number): KeywordHit {
    return { keyword: this.keywords[c.keyword].keyword, start: frameTime(c.start, frameSec), end: frameTime(c.end, frameSec), score: c.score };
  }
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Higher score wins; equal scores: the longer span. */
function outranks(a: Candidate, b: Candidate): boolean {
  return a.score > b.score || (a.score === b.score && a.end - a.start > b.end - b.start);
}

/** One pass over whole-file posteriors. */
export function spotKeywords(spotter: KeywordSpotter, logprobs: Float32Array, T: number, U: number, frameSec: number): KeywordHit[] {
  const state = spotter.init();
  return [...spotter.advance(state, logprobs, T, U, frameSec), ...spotter.flush(state, frameSec)];
}
