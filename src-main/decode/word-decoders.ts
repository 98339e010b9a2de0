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
 * Hypotheses kept per frame in dictation (a word list keeps DEFAULT_BEAM_OPTIONS.beamSize, 12).
 * Chosen with 2026-12-06b on the real validation slice of the train speakers (399 utterances of
 * 3+ words) and 35 held-out synthesized sentences, never the dev set: WER 66.7% / 49.1% at 12, 63.4 /
 * 42.2 at 20, 60.0 / 41.8 at 32, 58.4 / 41.4 at 48, 58.0 / 37.1 at 64, 56.5 / 37.1 at 100; a
 * 95-second file on one core 0.64 s at 12, 0.83 s at 48, 0.90 s at 64 (`hark transcribe` with
 * start-up): 48 keeps most of the gain within the recognizer's speed targets. With 12, a 20-s
 * segment could lose a whole sentence: every kept hypothesis a variant of the words before it.
 */
export const DICTATION_BEAM_SIZE = 48;

/**
 * Dictation decoder: a trie over the LM's vocabulary (special tokens excluded) plus the lookup's
 * user words, and the n-gram LM (a user word the LM has not seen is scored as <unk>). Over a
 * model with sound units (`units`, ModelMetadata.units) no word uses them, so the search counts
 * them as blank and never outputs a sound. Beam: DICTATION_BEAM_SIZE unless `opts` says.
 */
export function createDictationDecoder(
  lm: VocabularyLM, lookup: PronunciationLookup, opts: Partial<BeamSearchOptions> = {}, units: readonly string[] = UNITS,
): CtcPrefixBeamSearch {
  return new CtcPrefixBeamSearch(dictationTrie(lm, lookup, units), lm, { beamSize: DICTATION_BEAM_SIZE, ...opts });
}
