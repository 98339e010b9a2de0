/**
 * The user's words in front of another pronunciation lookup: a word of the user vocabulary is
 * pronounced as the user (or G2P, when the user added it without one) said, everything else as
 * the base lookup does. `userWords` tells dictation which words to add to its vocabulary (they are
 * scored by the language model's <unk>, the mass it keeps for words it has not seen).
 */
import type { LexiconEntry, PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import type { UserWord } from './user-vocabulary.ts';

export class UserLexicon implements PronunciationLookup {
  private readonly table = new Map<string, string[][]>();
  readonly userWords: readonly string[];

  /** @param base pronounces every other word (dictation-lm.ts checks which lookup it is). */
  constructor(words: readonly UserWord[], readonly base: PronunciationLookup) {
    for (const w of words) this.table.set(w.word, w.pronunciations.map((p) => [...p]));
    this.userWords = [...this.table.keys()];
  }

  pronounce(word: string): LexiconEntry {
    const key = word.trim().toLowerCase();
    const prons = this.table.get(key);
    if (prons) return { word: key, pronunciations: prons.map((p) => [...p]), source: 'user' };
    return this.base.pronounce(word);
  }
}

/** `base` with the user's words in front, or `base` itself when there are none. */
export function withUserWords(base: PronunciationLookup, words: readonly UserWord[] | undefined): PronunciationLookup {
  return words && words.length > 0 ? new UserLexicon(words, base) : base;
}
