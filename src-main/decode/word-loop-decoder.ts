import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { CtcPrefixBeamSearch, type BeamSearchOptions } from './ctc-prefix-beam-search.ts';
import { LexiconTrie } from './lexicon-trie.ts';
import { UniformLM, type NgramLM } from './ngram-lm.ts';

/**
 * Word-loop decoder ("--words"): any sequence of the listed words or multi-word phrases, with a
 * uniform LM (each item ln(1/N), scaled by lmWeight; lmWeight 0 = no LM). A phrase item is emitted
 * as one entry whose `word` is the whole phrase. The word bonus trades insertions for deletions.
 */
/** Default word bonus of the word loop. */
export const WORD_LOOP_WORD_BONUS = 3;

export function createWordLoopDecoder(
  items: readonly string[], lookup: PronunciationLookup, opts: Partial<BeamSearchOptions> = {},
): CtcPrefixBeamSearch {
  const trie = LexiconTrie.fromWords(items, lookup);
  // wordBonus calibrated on digit strings of training voices (bench/accuracy.bench.ts).
  return new CtcPrefixBeamSearch(trie, new UniformLM(-Math.log(trie.words.length)), { lmWeight: 1, wordBonus: WORD_LOOP_WORD_BONUS, ...opts });
}

/**
 * Dictation decoder: a trie over the LM's vocabulary (special tokens excluded) plus the lookup's
 * user words, and the n-gram LM (a user word the LM has not seen is scored as <unk>).
 */
export function createDictationDecoder(
  lm: NgramLM, lookup: PronunciationLookup, opts: Partial<BeamSearchOptions> = {},
): CtcPrefixBeamSearch {
  const words = lm.vocab.filter((w) => !/^<.*>$/.test(w) && /[a-z0-9]/.test(w));
  const known = new Set(words);
  for (const w of lookup.userWords ?? []) if (!known.has(w)) words.push(w);
  return new CtcPrefixBeamSearch(LexiconTrie.fromWords(words, lookup), lm, opts);
}
