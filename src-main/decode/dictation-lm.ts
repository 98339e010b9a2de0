import { existsSync } from 'node:fs';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { readPronunciationFile } from '../lexicon/pronunciation-file.ts';
import { StaticLexicon, vocabularyLexiconPath } from '../lexicon/static-lexicon.ts';
import { loadArpa } from './arpa-reader.ts';
import { LexiconTrie } from './lexicon-trie.ts';
import type { WordLanguageModel } from './ngram-lm.ts';
import { loadSphinxTrieLM } from './sphinx-trie-lm-reader.ts';

/** A dictation LM of either kind: the shipped ARPA models or a PocketSphinx trie .lm.bin. */
export type VocabularyLM = WordLanguageModel & { readonly vocab: readonly string[] };

/**
 * Loads the LM behind a `--lm PATH` value: `*.lm.bin` (PocketSphinx trie binary, read in place
 * without conversion), otherwise ARPA text (`.arpa`, `.arpa.gz`). Throws naming the file when it
 * is missing or malformed (for the pocketsphinx-en-us path, with the package to install).
 */
export function loadDictationLM(path: string): VocabularyLM {
  return isSphinxBinaryLm(path) ? loadSphinxTrieLM(path) : loadArpa(path);
}

/** Whether `path` names a PocketSphinx binary LM (read by sphinx-trie-lm-reader.ts) rather than ARPA text. */
export function isSphinxBinaryLm(path: string): boolean {
  return /\.bin$/.test(path);
}

/**
 * Search weights for PocketSphinx's en-us trigram, chosen like the Brown LM's on sentences of
 * training voices only (bench/dictation-lm.bench.ts): its probabilities are flatter over a 3.5x
 * larger vocabulary, so it needs a larger weight and a word bonus.
 */
export const SPHINX_LM_BEAM = { lmWeight: 0.5, wordBonus: 1 } as const;

/** Where the precomputed pronunciations of an LM's vocabulary sit: `<name>.lexicon.txt.gz` beside `<name>.arpa[.gz]` or `<name>.lm.bin`. */
export function lmLexiconPath(path: string): string {
  return /\.lm\.bin$/.test(path) ? path.replace(/\.lm\.bin$/, '.lexicon.txt.gz') : vocabularyLexiconPath(path);
}

/**
 * Pronunciations for an LM's vocabulary: its `<name>.lexicon.txt.gz` when there is one (see
 * lmLexiconPath), else CMUdict with G2P for the rest (`fallback`, built on first use).
 */
export function dictationLexicon(path: string, fallback: () => PronunciationLookup = () => new Lexicon()): PronunciationLookup {
  const shipped = lmLexiconPath(path);
  if (shipped !== path && existsSync(shipped)) return new StaticLexicon(readPronunciationFile(shipped), fallback);
  return fallback();
}

/**
 * Dictation search over any vocabulary LM (same vocabulary rule as createDictationDecoder: the
 * LM's words without special tokens, plus the lookup's user words).
 */
/** The lexicon trie of a dictation LM (build once, reuse for several search settings). */
export function dictationTrie(lm: VocabularyLM, lookup: PronunciationLookup, units: readonly string[] = UNITS): LexiconTrie {
  const words = lm.vocab.filter((w) => !/^<.*>$/.test(w) && /[a-z0-9]/.test(w));
  const known = new Set(words);
  for (const w of lookup.userWords ?? []) if (!known.has(w)) words.push(w);
  return LexiconTrie.fromWords(words, lookup, units);
}
