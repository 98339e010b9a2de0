import { logAddExp } from '../math/log-math.ts';
import { LOG_ZERO, type WordLanguageModel } from './ngram-lm.ts';

/** A language model with its vocabulary (ids index `vocab`). */
type VocabularyLM = WordLanguageModel & { readonly vocab: readonly string[]; readonly unkId?: number };

/**
 * Linear interpolation of word LMs over the union of their vocabularies:
 * P(w | h) = sum_i weight_i * P_i(w | h), where a model that lacks w contributes nothing (so a word
 * only one model knows keeps that model's share). A context word a model lacks becomes its <unk>
 * when it has one; otherwise its context is cut after that word.
 */
export class MixtureLM implements WordLanguageModel {
  readonly order: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId = -1;
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  /** Per part: union id -> the part's id (-1 where it lacks the word). */
  private readonly maps: Int32Array[];
  private readonly logWeights: number[];

  constructor(private readonly parts: readonly { lm: VocabularyLM; weight: number }[]) {
    if (parts.length === 0) throw new Error('MixtureLM: no models');
    const total = parts.reduce((s, p) => s + p.weight, 0);
    if (!(total > 0) || parts.some((p) => !(p.weight >= 0))) throw new Error('MixtureLM: weights must be >= 0 with a positive sum');
    this.logWeights = parts.map((p) => Math.log(p.weight / total));
    const vocab: string[] = [];
    this.ids = new Map();
    for (const p of parts) {
      for (const w of p.lm.vocab) {
        if (w === '<unk>' || this.ids.has(w)) continue;
        this.ids.set(w, vocab.length);
        vocab.push(w);
      }
    }
    this.vocab = vocab;
    this.maps = parts.map((p) => {
      const own = new Map(p.lm.vocab.map((w, i) => [w, i]));
      return Int32Array.from(vocab, (w) => own.get(w) ?? -1);
    });
    this.order = Math.max(...parts.map((p) => p.lm.order));
    this.bosId = this.ids.get('<s>') ?? -1;
    this.eosId = this.ids.get('</s>') ?? -1;
    if (this.bosId < 0 || this.eosId < 0) throw new Error('MixtureLM: vocabulary lacks <s> or </s>');
  }

  wordId(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  logProb(context: readonly number[], wordId: number): number {
    if (wordId < 0 || wordId >= this.vocab.length) return LOG_ZERO;
    let acc = -Infinity;
    for (let i = 0; i < this.parts.length; i++) {
      const map = this.maps[i];
      const w = map[wordId];
      if (w < 0) continue;
      const lm = this.parts[i].lm;
      const unk = lm.unkId ?? -1;
      const ctx: number[] = [];
      for (const c of context.slice(Math.max(0, context.length - (lm.order - 1)))) {
        const id = c >= 0 && c < map.length ? map[c] : -1;
        if (id >= 0) ctx.push(id);
        else if (unk >= 0) ctx.push(unk);
        else ctx.length = 0;
      }
      acc = logAddExp(acc, this.logWeights[i] + lm.logProb(ctx, w));
    }
    return acc === -Infinity ? LOG_ZERO : acc;
  }
}
