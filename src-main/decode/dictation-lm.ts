import { existsSync } from 'node:fs';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { readPronunciationFile } from '../lexicon/pronunciation-file.ts';
import { StaticLexicon, vocabularyLexiconPath } from '../lexicon/static-lexicon.ts';
import { PackedLexicon } from '../lexicon/packed-lexicon.ts';
import { UserLexicon } from '../lexicon/user-lexicon.ts';
import { HLM_EXTENSION, readCompactLmFile, type LmSearchWeights } from './compact-lm-file.ts';
import { CompactNgramLM } from './compact-ngram-lm.ts';
import { dictationWords, isDictationWord } from './dictation-vocabulary.ts';
import { cachedArpaLm } from './lm-cache.ts';
import { LexiconTrie, wordEntries } from './lexicon-trie.ts';
import { restoreLexiconTrie, storedTrieFits, type StoredLexiconTrie } from './lexicon-trie-file.ts';
import type { WordLanguageModel } from './ngram-lm.ts';
import { loadSphinxTrieLM } from './sphinx-trie-lm-reader.ts';

/** A dictation LM of any kind: Hark's binary form (.hlm, ARPA converted) or a PocketSphinx trie .lm.bin. */
export type VocabularyLM = WordLanguageModel & { readonly vocab: readonly string[] };

/** Where user ARPA models are converted to (lm-cache.ts); default the user data folder's cache/lm. */
export interface DictationLoadOptions {
  cacheDir?: string;
}

/**
 * Loads the LM behind a `--lm PATH` value: `*.hlm` (Hark's binary form, compact-lm-file.ts),
 * `*.lm.bin` (PocketSphinx trie binary, read in place without conversion), otherwise ARPA text
 * (`.arpa`, `.arpa.gz`), converted once to .hlm in the cache folder (lm-cache.ts). Throws naming
 * the file when it is missing or malformed (for the pocketsphinx-en-us path, with the package to
 * install).
 */
export function loadDictationLM(path: string, opts: DictationLoadOptions = {}): VocabularyLM {
  if (isCompactLm(path)) return new CompactNgramLM(readCompactLmFile(path).tables);
  if (isSphinxBinaryLm(path)) return loadSphinxTrieLM(path);
  const cached = cachedArpaLm(path, opts.cacheDir);
  if (cached.warning) process.stderr.write(`warning: ${path}: converted, but not cached: ${cached.warning}\n`);
  return cached.lm;
}

/**
 * The LM of `path` (as loadDictationLM) and the pronunciations of its vocabulary: those in a .hlm
 * file, else as dictationLexicon finds them; `fallback` (built on first use) pronounces the rest.
 * `search`: the dictation weights chosen for this LM (a .hlm file's header `search`; SPHINX_LM_BEAM for a .lm.bin).
 */
export function loadDictation(path: string, fallback: () => PronunciationLookup = () => new Lexicon(), opts: DictationLoadOptions = {}): { lm: VocabularyLM; lexicon: PronunciationLookup; search?: LmSearchWeights } {
  if (isCompactLm(path)) {
    const c = readCompactLmFile(path);
    const lm = new CompactNgramLM(c.tables);
    const search = c.search ? { search: c.search } : {};
    if (!c.pronunciations) return { lm, lexicon: lexiconBeside(path, fallback), ...search };
    const lexicon = new PackedLexicon(c.pronunciations, (w) => lm.wordId(w), fallback);
    if (c.trie) storedTries.set(lm, { trie: c.trie, lexicon, path });
    return { lm, lexicon, ...search };
  }
  return { lm: loadDictationLM(path, opts), lexicon: dictationLexicon(path, fallback), ...(isSphinxBinaryLm(path) ? { search: SPHINX_LM_BEAM } : {}) };
}

/** Whether `path` names Hark's binary LM form (.hlm). */
export function isCompactLm(path: string): boolean {
  return path.endsWith(HLM_EXTENSION);
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
export const SPHINX_LM_BEAM: Readonly<LmSearchWeights> = { lmWeight: 0.5, wordBonus: 1 };

/** Where the precomputed pronunciations of an LM's vocabulary sit: `<name>.lexicon.txt.gz` beside `<name>.arpa[.gz]`, `<name>.lm.bin` or `<name>.hlm`. */
export function lmLexiconPath(path: string): string {
  return /\.(lm\.bin|hlm)$/.test(path) ? path.replace(/\.(lm\.bin|hlm)$/, '.lexicon.txt.gz') : vocabularyLexiconPath(path);
}

/**
 * Pronunciations for an LM's vocabulary: those inside a .hlm file, its `<name>.lexicon.txt.gz`
 * when there is one (see lmLexiconPath), else CMUdict with G2P for the rest (`fallback`, built on first use).
 */
export function dictationLexicon(path: string, fallback: () => PronunciationLookup = () => new Lexicon()): PronunciationLookup {
  return isCompactLm(path) ? loadDictation(path, fallback).lexicon : lexiconBeside(path, fallback);
}

/** The `<name>.lexicon.txt.gz` beside the LM `path` when there is one, else `fallback()`. */
function lexiconBeside(path: string, fallback: () => PronunciationLookup): PronunciationLookup {
  const shipped = lmLexiconPath(path);
  if (shipped !== path && existsSync(shipped)) return new StaticLexicon(readPronunciationFile(shipped), fallback);
  return fallback();
}

/**
 * Lexicon tries stored in the .hlm files loadDictation read, by LM, with the lookup that
 * pronounces the words as the trie has them (the file's own pronunciations).
 */
const storedTries = new WeakMap<VocabularyLM, { trie: StoredLexiconTrie; lexicon: PronunciationLookup; path: string }>();

/**
 * The lexicon trie of a dictation LM (build once, reuse for several search settings): the LM's
 * dictation words (dictationWords), then the lookup's user words it lacks. When the LM came from a
 * .hlm file with a stored trie (loadDictation) that fits (same units, same words) and `lookup`
 * pronounces the LM's words as that file does (its own lookup, or that lookup behind user words
 * the LM lacks), the stored trie is restored and the user words inserted into it; otherwise the
 * trie is built. Either way the result is what LexiconTrie.fromWords gives for those words.
 */
export function dictationTrie(lm: VocabularyLM, lookup: PronunciationLookup, units: readonly string[] = UNITS): LexiconTrie {
  const words = dictationWords(lm.vocab);
  const stored = storedTries.get(lm);
  if (stored) {
    const inLm = (w: string): boolean => isDictationWord(w) && lm.vocab[lm.wordId(w)] === w;
    const userWords = lookup.userWords ?? [];
    const base = lookup instanceof UserLexicon ? lookup.base : lookup;
    if (base === stored.lexicon && !userWords.some(inLm) && storedTrieFits(stored.trie, words, units)) {
      return restoreLexiconTrie(stored.trie, words, units, stored.path, wordEntries(userWords, lookup, words));
    }
  }
  const known = new Set(words);
  for (const w of lookup.userWords ?? []) if (!known.has(w)) words.push(w);
  return LexiconTrie.fromWords(words, lookup, units);
}
