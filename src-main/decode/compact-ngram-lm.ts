/**
 * A back-off n-gram LM held in typed arrays (a sorted trie of n-grams, as in KenLM's and
 * PocketSphinx's binary formats), with the same semantics and the same Float32 values as the ARPA
 * reader's NgramLM: it loads from one file without per-entry work (compact-lm-file.ts).
 */
import { LOG_ZERO, scoreWord, sentenceLogProb, type WordLanguageModel } from './ngram-lm.ts';

/**
 * The arrays of a CompactNgramLM. Order n has count[n-1] entries; entry k of order 1 is word k.
 * For n >= 2, the entries are grouped by their context (the entry of order n-1 made of their first
 * n-1 words) in context order, and sorted by last word within a group: the entries extending
 * context entry c of order n-1 are first[n-2][c] .. first[n-2][c+1]-1, and word[n-2][k] is the
 * last word of entry k. logp and bow are natural logs (the ARPA log10 values times ln 10, rounded
 * to Float32); bow is 0 where the ARPA line has none. An entry whose logp is NaN is not an n-gram
 * of the model: it stands only as the context of longer n-grams the ARPA file lists without it.
 */
export interface CompactNgramTables {
  vocab: readonly string[];
  /** logp[n-1]: ln P of each entry of order n. */
  logp: Float32Array[];
  /** bow[n-1]: ln back-off weight of each entry of order n (orders below the highest). */
  bow: Float32Array[];
  /** word[n-2]: last word of each entry of order n >= 2 (16-bit when the vocabulary allows). */
  word: (Uint16Array | Uint32Array)[];
  /** first[n-1]: count(n)+1 offsets into order n+1, for orders below the highest. */
  first: Uint32Array[];
}

export class CompactNgramLM implements WordLanguageModel {
  readonly order: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly V: number;

  constructor(readonly tables: CompactNgramTables) {
    this.vocab = tables.vocab;
    this.order = tables.logp.length;
    this.V = tables.vocab.length;
    this.ids = new Map();
    for (let i = 0; i < this.V; i++) this.ids.set(tables.vocab[i], i);
    const bos = this.ids.get('<s>');
    const eos = this.ids.get('</s>');
    if (bos === undefined || eos === undefined) throw new Error('CompactNgramLM: vocabulary lacks <s> or </s>');
    this.bosId = bos;
    this.eosId = eos;
    this.unkId = this.ids.get('<unk>') ?? -1;
  }

  wordId(word: string): number {
    return this.ids.get(word) ?? this.unkId;
  }

  /**
   * Entry index of the n-gram ids[from .. to-1] in its order's table (n = to - from), or -1 when
   * the table has no such entry (a NaN entry, a context only, is returned: the caller checks).
   */
  private find(ids: readonly number[], from: number, to: number): number {
    let k = ids[from];
    if (k < 0 || k >= this.V) return -1;
    for (let i = from + 1; i < to; i++) {
      const n = i - from; // order of the entry k
      const w = ids[i];
      const starts = this.tables.first[n - 1];
      const words = this.tables.word[n - 1];
      let lo = starts[k];
      let hi = starts[k + 1] - 1;
      k = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const m = words[mid];
        if (m < w) lo = mid + 1;
        else if (m > w) hi = mid - 1;
        else { k = mid; break; }
      }
      if (k < 0) return -1;
    }
    return k;
  }

  /** Same back-off walk as NgramLM.logProb, summing in the same order, so the scores are equal. */
  logProb(context: readonly number[], wordId: number): number {
    if (wordId < 0 || wordId >= this.V) return LOG_ZERO;
    const n = Math.min(context.length, this.order - 1);
    const full = n === context.length ? [...context, wordId] : [...context.slice(context.length - n), wordId];
    const end = full.length;
    let backoff = 0;
    for (let start = 0; start <= n; start++) {
      const len = end - start;
      const k = this.find(full, start, end);
      if (k >= 0) {
        const p = this.tables.logp[len - 1][k];
        if (!Number.isNaN(p)) return backoff + p;
      }
      const ctxLen = len - 1;
      if (ctxLen > 0) {
        const c = this.find(full, start, end - 1);
        if (c >= 0 && !Number.isNaN(this.tables.logp[ctxLen - 1][c])) backoff += this.tables.bow[ctxLen - 1][c];
      }
    }
    return LOG_ZERO;
  }

  /** ln P(word | history) for words as strings; history may be empty (then the word follows <s>). */
  score(history: readonly string[], word: string): number {
    return scoreWord(this, history, word);
  }

  /** Total ln probability of a sentence including </s>, and the number of predicted tokens. */
  sentenceLogProb(words: readonly string[]): { logProb: number; tokens: number } {
    return sentenceLogProb(this, words);
  }
}
