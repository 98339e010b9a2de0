/**
 * Back-off n-gram language model (ARPA semantics, probabilities in natural log).
 * P(w | h) = P*(h w) if the n-gram h w is listed, else bow(h) * P(w | h minus its first word),
 * with bow(h) = 1 when h is not listed (Katz back-off as used by SRILM and KenLM).
 */
export interface WordLanguageModel {
  /** Highest n-gram order (1 for a context-free model). */
  readonly order: number;
  /** Id of a word; the <unk> id (or -1 when the model has no <unk>) for unknown words. */
  wordId(word: string): number;
  /** Id of the sentence-begin token, used as the initial context. */
  readonly bosId: number;
  /** Id of the sentence-end token. */
  readonly eosId: number;
  /** ln P(word | context); context holds the most recent ids last, any length (only order-1 are used). */
  logProb(context: readonly number[], wordId: number): number;
}

/** ln P(word | history) of `lm` for words as strings; history may be empty (then the word follows <s>). */
export function scoreWord(lm: WordLanguageModel, history: readonly string[], word: string): number {
  return lm.logProb([lm.bosId, ...history.map((w) => lm.wordId(w))], lm.wordId(word));
}

/** Total ln probability of a sentence under `lm`, </s> included, and the number of predicted tokens. */
export function sentenceLogProb(lm: WordLanguageModel, words: readonly string[]): { logProb: number; tokens: number } {
  const ctx = [lm.bosId];
  let lp = 0;
  for (const w of [...words.map((x) => lm.wordId(x)), lm.eosId]) {
    lp += lm.logProb(ctx, w);
    ctx.push(w);
  }
  return { logProb: lp, tokens: words.length + 1 };
}

/** ln probability used for words the model cannot score (unknown word and no <unk>): log10 -99 as in ARPA. */
export const LOG_ZERO = -99 * Math.LN10;

interface OrderTable {
  index: Map<number | string, number>;
  logp: Float32Array;
  bow: Float32Array;
}

export class NgramLM implements WordLanguageModel {
  readonly order: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  private readonly ids: Map<string, number>;
  private readonly numericKeys: boolean;
  private readonly V: number;

  /**
   * @param vocab words in id order (must include <s> and </s>)
   * @param tables tables[n-1] maps the id tuple of each n-gram to its index in logp/bow (natural log)
   */
  constructor(readonly vocab: readonly string[], private readonly tables: OrderTable[]) {
    this.order = tables.length;
    this.ids = new Map(vocab.map((w, i) => [w, i]));
    this.V = vocab.length;
    this.numericKeys = Math.pow(this.V, this.order) < Number.MAX_SAFE_INTEGER;
    const bos = this.ids.get('<s>');
    const eos = this.ids.get('</s>');
    if (bos === undefined || eos === undefined) throw new Error('NgramLM: vocabulary lacks <s> or </s>');
    this.bosId = bos;
    this.eosId = eos;
    this.unkId = this.ids.get('<unk>') ?? -1;
  }

  /** Key of an id tuple within its order's table. */
  key(ids: readonly number[], from = 0, to = ids.length): number | string {
    if (!this.numericKeys) return ids.slice(from, to).join(',');
    let k = 0;
    for (let i = from; i < to; i++) k = k * this.V + ids[i];
    return k;
  }

  /** Builds the tables' key space: call with the id tuple of each n-gram. */
  static keyOf(V: number, order: number, ids: readonly number[]): number | string {
    if (Math.pow(V, order) >= Number.MAX_SAFE_INTEGER) return ids.join(',');
    let k = 0;
    for (const id of ids) k = k * V + id;
    return k;
  }

  wordId(word: string): number {
    return this.ids.get(word) ?? this.unkId;
  }

  logProb(context: readonly number[], wordId: number): number {
    if (wordId < 0 || wordId >= this.V) return LOG_ZERO;
    const n = Math.min(context.length, this.order - 1);
    const full = [...context.slice(context.length - n), wordId];
    let backoff = 0;
    for (let start = 0; start <= n; start++) {
      const len = full.length - start;
      const t = this.tables[len - 1];
      const i = t.index.get(this.key(full, start));
      if (i !== undefined) return backoff + t.logp[i];
      // Not listed: add the back-off weight of the context full[start .. end-1], if listed.
      const ctxLen = len - 1;
      if (ctxLen > 0) {
        const c = this.tables[ctxLen - 1].index.get(this.key(full, start, full.length - 1));
        if (c !== undefined) backoff += this.tables[ctxLen - 1].bow[c];
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

/** A context-free model giving every word the same log-probability (word-loop mode). */
export class UniformLM implements WordLanguageModel {
  readonly order = 1;
  readonly bosId = -2;
  readonly eosId = -3;
  /** @param logProbPerWord ln P of every word (0 = no LM, -ln N = uniform over N words) */
  constructor(private readonly logProbPerWord = 0) {}
  wordId(): number {
    return 0;
  }
  logProb(_context: readonly number[], wordId: number): number {
    return wordId === this.eosId ? 0 : this.logProbPerWord;
  }
}
