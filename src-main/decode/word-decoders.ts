/** Word decoders over CTC prefix beam search: the word loop of listed items ("--words") and dictation (lexicon trie + LM). */
import { dictationTrie, type VocabularyLM } from './dictation-lm.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { CtcPrefixBeamSearch, type BeamSearchOptions } from './ctc-prefix-beam-search.ts';
import { LexiconTrie } from './lexicon-trie.ts';
import { UniformLM } from './ngram-lm.ts';

/**
 * Word-loop decoder ("--words"): any sequence of the listed words or multi-word phrases, with a
 * uniform LM (each item ln(1/N), scaled by lmWeight; lmWeight 0 = no LM). A phrase item is emitted
 * as one entry whose `word` is the whole phrase. The word bonus trades insertions for deletions.
 * An item may be a sound (`<sound:clap>`), emitted as that token; `units` is the model's output
 * units list (ModelMetadata.units), which the posteriors' width must equal.
 */
/** Default word bonus of the word loop. */
export const WORD_LOOP_WORD_BONUS = 3;

export function createWordLoopDecoder(
  items: readonly string[], lookup: PronunciationLookup, opts: Partial<BeamSearchOptions> = {}, units: readonly string[] = UNITS,
): CtcPrefixBeamSearch {
  const trie = LexiconTrie.fromWords(items, lookup, units);
  // wordBonus calibrated on digit strings of training voices (bench/accuracy.bench.ts).
  return new CtcPrefixBeamSearch(trie, new UniformLM(-Math.log(trie.words.length)), { lmWeight: 1, wordBonus: WORD_LOOP_WORD_BONUS, ...opts });
}

/**
 * Dictation decoder: a trie over the LM's vocabulary (special tokens excluded) plus the lookup's
 * user words, and the n-gram LM (a user word the LM has not seen is scored as <unk>). Over a
 * model with sound units (`units`, ModelMetadata.units) no word uses them, so the search counts
 * them as blank and never outputs a sound.
 */
export function createDictationDecoder(
  lm: VocabularyLM, lookup: PronunciationLookup, opts: Partial<BeamSearchOptions> = {}, units: readonly string[] = UNITS,
): CtcPrefixBeamSearch {
  return new CtcPrefixBeamSearch(dictationTrie(lm, lookup, units), lm, opts);
}
