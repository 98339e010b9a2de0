/**
 * The user's vocabulary (the words:* channels): words.json in the user data folder, shared with
 * `hark words`, read afresh for each request. A change is saved, then handed on through
 * `onChange` (to the loaded model's decoders).
 */
import { join } from 'node:path';
import type { UserWordWire } from '../../src-shared/ipc/app-contract.ts';
import { sayPronunciations } from '../lexicon/say-pronunciation.ts';
import { USER_VOCABULARY_FILE, UserVocabulary, type UserWord } from '../lexicon/user-vocabulary.ts';
import { ownBuffer } from './own-buffer.ts';

export class VocabularyService {
  constructor(private readonly userDataDir: string, private readonly onChange: (words: UserWord[]) => Promise<void>) {}

  list(): UserWordWire[] {
    return this.load().list();
  }

  /** Adds or replaces a word; without pronunciations CMUdict's or a G2P guess ("K AE T" strings). */
  async add(word: string, pronunciations: readonly string[]): Promise<{ word: UserWordWire; words: UserWordWire[] }> {
    const v = this.load();
    const added = v.add(word, pronunciations);
    return { word: added, words: await this.save(v) };
  }

  async remove(word: string): Promise<UserWordWire[]> {
    const v = this.load();
    if (!v.remove(word)) throw new Error(`"${word}" is not in your vocabulary`);
    return this.save(v);
  }

  /** The stored pronunciations spoken (espeak-ng) as a WAV file. */
  async say(word: string): Promise<ArrayBuffer> {
    const entry = this.load().get(word);
    if (!entry) throw new Error(`"${word}" is not in your vocabulary`);
    return ownBuffer(await sayPronunciations(entry.pronunciations));
  }

  /**
   * The user's words for a model or a retraining job; a damaged file is reported and ignored
   * rather than blocking recognition.
   */
  userWords(): UserWord[] {
    try {
      return this.load().list();
    } catch (e) {
      console.warn(`hark: ${(e as Error).message}; recognizing without your own words`);
      return [];
    }
  }

  private load(): UserVocabulary {
    return UserVocabulary.load(join(this.userDataDir, USER_VOCABULARY_FILE));
  }

  private async save(v: UserVocabulary): Promise<UserWord[]> {
    v.save();
    const words = v.list();
    await this.onChange(words);
    return words;
  }
}
