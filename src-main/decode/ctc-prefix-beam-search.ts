import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { checkPosteriors, frameTime, type DecodeResult, type WordResult } from './decode-types.ts';
import type { LexiconTrie } from './lexicon-trie.ts';
import { logAddExp } from '../math/log-math.ts';
import type { WordLanguageModel } from './ngram-lm.ts';

/**
 * CTC prefix beam search (Hannun et al. 2014, "First-pass large vocabulary continuous speech
 * recognition using bi-directional recurrent DNNs") constrained by a lexicon trie, with a word
 * language model applied when a word ends. A hypothesis is a word sequence plus a partial word
 * (trie node); it carries the CTC prefix log-probabilities of ending in blank (pb) and in its
 * last unit (pnb), summed over alignments. Entering a trie node where a word ends emits that word
 * (score += lmWeight * ln P_lm(word | history) + wordBonus) and returns to the root, while the
 * partial hypothesis continues if longer words share the prefix. Hypotheses with the same words,
 * trie node and last unit are merged (log-sum of pb and pnb); word times follow the most probable
 * merged contribution. Resumable: init(), advance() on any chunking, result() at any time.
 * Sound units of the model that the trie does not use (LexiconTrie.unusedSoundUnits) count as
 * blank: their probability is added to the blank's, so dictation hears a clap as silence and
 * never emits a sound.
 */
export interface BeamSearchOptions {
  /** Hypotheses kept per frame. */
  beamSize: number;
  /** Non-blank units considered per frame (the most probable ones). */
  unitTopK: number;
  /** Units more than this many nats below the frame's best unit are skipped. */
  unitThreshold: number;
  /** Hypotheses more than this many nats below the best are dropped. */
  scoreBeam: number;
  /** Weight of the LM's natural-log probability. */
  lmWeight: number;
  /** Added (nats) for every emitted word. */
  wordBonus: number;
  /** Hypotheses returned by result(). */
  nBest: number;
}

export const DEFAULT_BEAM_OPTIONS: BeamSearchOptions = {
  // lmWeight and wordBonus calibrated for dictation on training voices (bench/accuracy.bench.ts).
  beamSize: 12, unitTopK: 8, unitThreshold: 12, scoreBeam: 40, lmWeight: 0.3, wordBonus: 0, nBest: 8,
};

/** Words emitted so far; interned so equal word sequences share one object (and id). */
interface History {
  id: number;
  wordId: number;
  prev: History | null;
  /** LM ids of the last (order - 1) words, most recent last, starting with <s>. */
  lmContext: number[];
  /** Sum of lmWeight * ln P_lm + wordBonus over the words. */
  lmScore: number;
}

/** Timing of emitted words along the best contributing path: a chain, most recent first. */
interface WordTiming {
  /** Frame of the word's first phoneme. */
  start: number;
  /** End frame (exclusive) of the word before this one; -1 for the first word. */
  prevEnd: number;
  prev: WordTiming | null;
}

interface Hyp {
  hist: History;
  node: number;
  /** Last emitted unit (-1 before any). */
  last: number;
  pb: number;
  pnb: number;
  /** Timing of the best contribution. */
  best: number;
  partialStart: number;
  partialPrevEnd: number;
  lastFrame: number;
  timing: WordTiming | null;
}

/** Decoder state: pass it back to advance() with the next frames. */
export interface BeamState {
  hyps: Hyp[];
  frames: number;
  histories: Map<number, History>;
  nextHistId: number;
  root: History;
}

/** One n-best entry. `score` = acoustic + lm (nats); posterior = softmax of scores over the n-best. */
export interface BeamHypothesis {
  text: string;
  words: WordResult[];
  score: number;
  acousticScore: number;
  lmScore: number;
  posterior: number;
}

export class CtcPrefixBeamSearch {
  readonly opts: BeamSearchOptions;
  private readonly lmIds: Int32Array;

  constructor(readonly trie: LexiconTrie, readonly lm: WordLanguageModel, opts: Partial<BeamSearchOptions> = {}) {
    this.opts = { ...DEFAULT_BEAM_OPTIONS, ...opts };
    const o = this.opts;
    for (const k of ['beamSize', 'unitTopK', 'nBest'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`beam search option ${k} must be a positive integer, got ${o[k]}`);
    }
    for (const k of ['unitThreshold', 'scoreBeam', 'lmWeight', 'wordBonus'] as const) {
      if (!Number.isFinite(o[k])) throw new Error(`beam search option ${k} must be a finite number, got ${o[k]}`);
    }
    this.lmIds = Int32Array.from(trie.words, (w) => lm.wordId(w));
  }

  init(): BeamState {
    const root: History = { id: 0, wordId: -1, prev: null, lmContext: [this.lm.bosId], lmScore: 0 };
    const hyp: Hyp = {
      hist: root, node: 0, last: -1, pb: 0, pnb: -Infinity, best: 0,
      partialStart: -1, partialPrevEnd: -1, lastFrame: -1, timing: null,
    };
    return { hyps: [hyp], frames: 0, histories: new Map(), nextHistId: 1, root };
  }

  /** Consumes T frames of [T, U] log-probabilities; mutates and returns the state. */
  advance(state: BeamState, logprobs: Float32Array, T: number, U: number): BeamState {
    checkPosteriors(logprobs, T, U);
    if (U !== this.trie.numUnits) throw new Error(`posteriors have ${U} units, the lexicon trie ${this.trie.numUnits}`);
    for (let t = 0; t < T; t++) this.step(state, logprobs, t * U, state.frames + t);
    state.frames += T;
    return state;
  }

  private step(state: BeamState, lp: Float32Array, row: number, frame: number): void {
    const { trie, opts } = this;
    const U = trie.numUnits;
    const cands = topUnits(lp, row, U, opts.unitTopK, opts.unitThreshold);
    let lpBlank = lp[row + BLANK_ID];
    for (const u of trie.unusedSoundUnits) lpBlank = logAddExp(lpBlank, lp[row + u]);
    const slots = trie.numNodes + U + 1;
    const next = new Map<number, Hyp>();
    const get = (hist: History, node: number, last: number): Hyp => {
      const key = hist.id * slots + (node !== 0 ? node : trie.numNodes + last + 1);
      let h = next.get(key);
      if (!h) {
        h = {
          hist, node, last, pb: -Infinity, pnb: -Infinity, best: -Infinity,
          partialStart: -1, partialPrevEnd: -1, lastFrame: -1, timing: null,
        };
        next.set(key, h);
      }
      return h;
    };
    for (const h of state.hyps) {
      const total = logAddExp(h.pb, h.pnb);
      // Blank: same prefix, now ending in blank.
      const b = get(h.hist, h.node, h.last);
      const sb = total + lpBlank;
      b.pb = logAddExp(b.pb, sb);
      if (sb > b.best) copyTiming(b, h, sb, h.lastFrame);
      // Repeat of the last unit collapses into the same prefix.
      if (h.last >= 0) {
        const r = get(h.hist, h.node, h.last);
        const sr = h.pnb + lp[row + h.last];
        r.pnb = logAddExp(r.pnb, sr);
        if (sr > r.best) copyTiming(r, h, sr, frame);
      }
      for (const c of cands) {
        const child = trie.child(h.node, c);
        if (child < 0) continue;
        const s = (c === h.last ? h.pb : total) + lp[row + c];
        if (s === -Infinity) continue;
        const startsWord = h.node === 0;
        const pStart = startsWord ? frame : h.partialStart;
        const pPrevEnd = startsWord ? (h.timing ? h.lastFrame + 1 : -1) : h.partialPrevEnd;
        if (trie.hasChild[child]) {
          const e = get(h.hist, child, c);
          e.pnb = logAddExp(e.pnb, s);
          if (s > e.best) {
            copyTiming(e, h, s, frame);
            e.partialStart = pStart;
            e.partialPrevEnd = pPrevEnd;
          }
        }
        // The words ending at child (trie.wordsAt, read in place: this loop is the hot path).
        for (let k = trie.endStart[child], kEnd = trie.endStart[child + 1]; k < kEnd; k++) {
          const w = trie.endWords[k];
          const hist = this.extend(state, h.hist, w);
          const e = get(hist, 0, c);
          e.pnb = logAddExp(e.pnb, s);
          if (s > e.best) {
            copyTiming(e, h, s, frame);
            e.partialStart = -1;
            e.partialPrevEnd = -1;
            e.timing = { start: pStart, prevEnd: pPrevEnd, prev: h.timing };
          }
        }
      }
    }
    state.hyps = this.prune([...next.values()]);
  }

  private prune(hyps: Hyp[]): Hyp[] {
    const score = (h: Hyp): number => logAddExp(h.pb, h.pnb) + h.hist.lmScore;
    const scored = hyps.map((h) => ({ h, s: score(h) })).sort((a, b) => b.s - a.s);
    if (scored.length === 0) return [];
    const floor = scored[0].s - this.opts.scoreBeam;
    return scored.slice(0, this.opts.beamSize).filter((x) => x.s >= floor).map((x) => x.h);
  }

  private extend(state: BeamState, prev: History, wordId: number): History {
    const key = prev.id * this.trie.words.length + wordId;
    let h = state.histories.get(key);
    if (!h) {
      const lmId = this.lmIds[wordId];
      const lp = this.lm.logProb(prev.lmContext, lmId);
      const ctx = [...prev.lmContext, lmId];
      if (ctx.length > Math.max(0, this.lm.order - 1)) ctx.splice(0, ctx.length - Math.max(0, this.lm.order - 1));
      h = {
        id: state.nextHistId++, wordId, prev, lmContext: ctx,
        lmScore: prev.lmScore + this.opts.lmWeight * lp + this.opts.wordBonus,
      };
      state.histories.set(key, h);
    }
    return h;
  }

  /**
   * The state that advance() would reach after T more frames, leaving `state` where it is: a look at
   * frames that are not final yet (a streaming chunk's look-ahead, whose posteriors the next chunk
   * computes again with more future). `state`'s hypotheses are not changed (each step builds new
   * ones); the word histories it creates are interned in the shared table, which stays consistent
   * because a history depends only on its predecessor and word, and `state`'s id counter moves past
   * the ids they took.
   */
  preview(state: BeamState, logprobs: Float32Array, T: number, U: number): BeamState {
    const view: BeamState = { ...state };
    this.advance(view, logprobs, T, U);
    state.nextHistId = view.nextHistId;
    return view;
  }

  /**
   * Settles the leading words that almost all of the beam's probability agrees on: the longest word
   * prefix of the best hypothesis that the hypotheses holding at least `minShare` of the beam's
   * probability (acoustic + LM score, as prune() ranks them) all begin with. The hypotheses that do
   * not begin with it are dropped, so that stableWordCount() counts it and, as every later
   * hypothesis extends a surviving one, it stays a prefix of every later result of this state.
   * Without it one improbable alternative that differs early (a word heard in the breath before the
   * first, which then trails the best by the same few nats to the end) keeps the stable prefix empty
   * for the whole utterance. Returns the number of settled words.
   */
  settle(state: BeamState, minShare: number): number {
    if (!(minShare > 0 && minShare <= 1)) throw new Error(`settle share must be in (0, 1], got ${minShare}`);
    if (state.hyps.length === 0) return 0;
    const scored = state.hyps.map((h) => ({ h, chain: wordChain(h), s: logAddExp(h.pb, h.pnb) + h.hist.lmScore }));
    const top = scored.reduce((a, b) => (b.s > a.s ? b : a));
    // How many leading words each hypothesis shares with the best; agree[n]: the probability of
    // those that share more than n of them.
    const shared = scored.map((x) => {
      let k = 0;
      while (k < x.chain.length && k < top.chain.length && x.chain[k] === top.chain[k]) k++;
      return k;
    });
    const agree = new Float64Array(top.chain.length + 1);
    let total = 0;
    scored.forEach((x, i) => {
      const w = Math.exp(x.s - top.s);
      total += w;
      if (shared[i] > 0) agree[shared[i] - 1] += w;
    });
    for (let k = top.chain.length - 1; k > 0; k--) agree[k - 1] += agree[k];
    let n = 0;
    while (n < top.chain.length && agree[n] >= minShare * total) n++;
    if (n > 0) state.hyps = scored.filter((_, i) => shared[i] >= n).map((x) => x.h);
    return n;
  }

  /**
   * Number of leading words shared by every hypothesis in the beam. They can no longer change:
   * every later hypothesis extends one of the current ones, so these words stay a prefix of all
   * of them (and of result(), partial or final, of this search).
   */
  stableWordCount(state: BeamState): number {
    const chains = state.hyps.map(wordChain);
    if (chains.length === 0) return 0;
    let n = 0;
    while (chains.every((c) => n < c.length && c[n] === chains[0][n])) n++;
    return n;
  }

  /**
   * N-best list and best result. final=true scores the sentence end with the LM and keeps only
   * hypotheses that end on a word boundary; final=false (a partial result while streaming) ranks
   * all hypotheses by their current score and reports their completed words.
   * Word confidence = summed posterior of the n-best hypotheses that contain the same word over
   * an overlapping time span (posteriors = softmax of the n-best total scores).
   */
  result(state: BeamState, frameSec: number, final = true): DecodeResult & { nbest: BeamHypothesis[] } {
    if (!(frameSec > 0)) throw new Error(`frameSec must be positive, got ${frameSec}`);
    let pool = final ? state.hyps.filter((h) => h.node === 0) : state.hyps;
    if (pool.length === 0) pool = state.hyps;
    const list = pool.map((h) => {
      const acoustic = logAddExp(h.pb, h.pnb);
      const eos = final && h.node === 0 ? this.opts.lmWeight * this.lm.logProb(h.hist.lmContext, this.lm.eosId) : 0;
      const lmScore = h.hist.lmScore + eos;
      return { h, acoustic, lmScore, score: acoustic + lmScore };
    }).sort((a, b) => b.score - a.score).slice(0, this.opts.nBest);
    const maxScore = list.length ? list[0].score : 0;
    const z = list.reduce((s, x) => s + Math.exp(x.score - maxScore), 0);
    const nbest: BeamHypothesis[] = list.map((x) => {
      const words = this.words(x.h, frameSec);
      return {
        text: words.map((w) => w.word).join(' '), words, score: x.score,
        acousticScore: x.acoustic, lmScore: x.lmScore, posterior: Math.exp(x.score - maxScore) / z,
      };
    });
    for (const hyp of nbest) {
      for (const w of hyp.words) {
        let c = 0;
        for (const other of nbest) {
          if (other.words.some((o) => o.word === w.word && o.start < w.end && w.start < o.end)) c += other.posterior;
        }
        w.confidence = Math.min(1, Math.max(0, c));
      }
    }
    const best = nbest[0];
    if (!best) return { text: '', words: [], confidence: 0, nbest };
    return { text: best.text, words: best.words, confidence: best.posterior, nbest };
  }

  /** Completed words of a hypothesis with times (confidence filled in by result()). */
  private words(h: Hyp, frameSec: number): WordResult[] {
    const ids: number[] = [];
    for (let x: History | null = h.hist; x && x.wordId >= 0; x = x.prev) ids.push(x.wordId);
    const timings: WordTiming[] = [];
    for (let x = h.timing; x; x = x.prev) timings.push(x);
    ids.reverse();
    timings.reverse();
    // End of word i = prevEnd of word i+1; the last completed word ends after h's last unit
    // when h sits at the root, else where the current partial word's predecessor ended.
    const lastEnd = h.node === 0 ? h.lastFrame + 1 : h.partialPrevEnd;
    return ids.map((id, i) => {
      const start = timings[i].start;
      const end = i + 1 < timings.length ? timings[i + 1].prevEnd : lastEnd;
      return { word: this.trie.words[id], start: frameTime(start, frameSec), end: frameTime(Math.max(end, start + 1), frameSec), confidence: 0 };
    });
  }
}

function copyTiming(dst: Hyp, src: Hyp, score: number, lastFrame: number): void {
  dst.best = score;
  dst.partialStart = src.partialStart;
  dst.partialPrevEnd = src.partialPrevEnd;
  dst.lastFrame = lastFrame;
  dst.timing = src.timing;
}

/** Ids of up to k non-blank units of frame `row`, best first, within `threshold` nats of the frame's best unit. */
function topUnits(lp: Float32Array, row: number, U: number, k: number, threshold: number): number[] {
  let max = -Infinity;
  for (let u = 0; u < U; u++) if (lp[row + u] > max) max = lp[row + u];
  const floor = max - threshold;
  const out: number[] = [];
  for (let u = 1; u < U; u++) {
    const v = lp[row + u];
    if (v < floor || v === -Infinity) continue;
    if (out.length === k && v <= lp[row + out[k - 1]]) continue;
    let i = out.length === k ? k - 1 : out.length;
    if (out.length < k) out.push(u);
    while (i > 0 && lp[row + out[i - 1]] < v) { out[i] = out[i - 1]; i--; }
    out[i] = u;
  }
  return out;
}

/** One-pass convenience wrapper. */
export function ctcPrefixBeamSearch(
  logprobs: Float32Array, T: number, U: number, frameSec: number, decoder: CtcPrefixBeamSearch,
): DecodeResult & { nbest: BeamHypothesis[] } {
  return decoder.result(decoder.advance(decoder.init(), logprobs, T, U), frameSec, true);
}

/** The history ids of a hypothesis's completed words, first word first. */
function wordChain(h: Hyp): number[] {
  const chain: number[] = [];
  for (let x: History | null = h.hist; x && x.wordId >= 0; x = x.prev) chain.push(x.id);
  return chain.reverse();
}
