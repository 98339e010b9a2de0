/**
 * Which words of an LM's vocabulary dictation decodes: not the special tokens (`<s>`, `<unk>`...),
 * and only words with a letter or a digit. One home for the rule: dictation-lm.ts builds its
 * trie from these words and the .hlm writer stores the trie of exactly these (lexicon-trie-file.ts).
 */

// Hoisted: a regex literal inside the function is a new object per call (3x slower over 20k words, cold).
const SPECIAL_TOKEN = /^<.*>$/;
const LETTER_OR_DIGIT = /[a-z0-9]/;

/** Whether dictation decodes vocabulary word `w`. */
export function isDictationWord(w: string): boolean {
  return !SPECIAL_TOKEN.test(w) && LETTER_OR_DIGIT.test(w);
}

/** The words of `vocab` dictation decodes, in vocabulary order (a fresh array). */
export function dictationWords(vocab: readonly string[]): string[] {
  return vocab.filter(isDictationWord);
}
