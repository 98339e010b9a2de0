/**
 * The user's own words (names, jargon, product names) with their pronunciations, on top of
 * CMUdict: kept as words.json in the user data folder (the desktop app's, shared with the CLI),
 * written atomically. A word added without a pronunciation gets CMUdict's, else the
 * grapheme-to-phoneme model's guess; the user may replace it and list alternatives. The
 * recognizer uses these entries first, in every mode (user-lexicon.ts), and dictation adds the
 * words to its vocabulary.
 *
 * File format: {"version": 1, "words": [{"word", "pronunciations": [["K", "AE", ...], ...],
 * "source": "g2p" | "cmudict" | "user", "addedAt"}]}.
 */
import { FileTooLargeError, readTextCappedSync } from '../system/read-capped.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isPhoneme, stripStress } from '../../src-shared/units/phonemes.ts';
import { Lexicon } from './lexicon.ts';
import { writeFileAtomicSync } from '../system/atomic-write.ts';
import { parseJson } from '../system/parse-json.ts';

export const USER_VOCABULARY_FILE = 'words.json';
/** Largest words.json read: ten thousand words with pronunciations take about 2 MB. */
export const MAX_USER_VOCABULARY_BYTES = 8_000_000;
const FORMAT_VERSION = 1;
/** Enough for any real vocabulary; keeps a damaged or hostile file from exhausting memory. */
export const MAX_USER_WORDS = 20_000;
const MAX_PRONUNCIATIONS = 8;

export interface UserWord {
  word: string;
  pronunciations: string[][];
  /** Where the pronunciations came from: guessed (g2p), CMUdict's, or given by the user. */
  source: 'g2p' | 'cmudict' | 'user';
  addedAt: string;
}

export class UserVocabularyError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'UserVocabularyError';
  }
}

/**
 * The folder the desktop app keeps its data in (Electron's userData for the app name "hark"):
 * HARK_USER_DATA when set, else the platform's application-data folder.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HARK_USER_DATA) return env.HARK_USER_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'hark');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'hark');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'hark');
}

/** A word as stored: trimmed, lower case, one token of letters, digits, apostrophes or hyphens. */
export function normalizeUserWord(word: string): string {
  const w = String(word).trim().toLowerCase();
  if (!/^[\p{L}\p{N}][\p{L}\p{N}'-]*$/u.test(w) || w.length > 64) {
    throw new Error(`"${word}" is not a single word (letters, digits, ' and -, at most 64 characters)`);
  }
  return w;
}

/** Parses "K AE1 T" (stress digits allowed) into stressless ARPAbet, or throws naming the bad symbol. */
export function parsePronunciation(text: string | readonly string[], word: string): string[] {
  const phones = (typeof text === 'string' ? text.trim().split(/\s+/) : [...text]).filter(Boolean).map((p) => stripStress(p.toUpperCase()));
  const bad = phones.find((p) => !isPhoneme(p));
  if (phones.length === 0) throw new Error(`"${word}": empty pronunciation`);
  if (bad !== undefined) throw new Error(`"${word}": "${bad}" is not an ARPAbet phoneme (pronunciations look like "K AE T")`);
  return phones;
}

export class UserVocabulary {
  private readonly words = new Map<string, UserWord>();

  private constructor(readonly path: string) {}

  /** Reads `path` (a missing file is an empty vocabulary); a damaged file is an error naming it. */
  static load(path: string): UserVocabulary {
    const v = new UserVocabulary(path);
    let text: string;
    try {
      text = readTextCappedSync(path, MAX_USER_VOCABULARY_BYTES, 'the word list (words.json)');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return v;
      if (e instanceof FileTooLargeError) throw new UserVocabularyError(path, `${e.message}; a list of ten thousand words takes about 2 MB`);
      throw new UserVocabularyError(path, `cannot read: ${(e as Error).message}`);
    }
    let data: unknown;
    try {
      data = parseJson(text);
    } catch (e) {
      throw new UserVocabularyError(path, `${(e as Error).message}; fix or delete the file`);
    }
    const d = data as { version?: unknown; words?: unknown };
    if (typeof d !== 'object' || d === null || d.version !== FORMAT_VERSION || !Array.isArray(d.words)) {
      throw new UserVocabularyError(path, `expected {"version": ${FORMAT_VERSION}, "words": [...]}`);
    }
    if (d.words.length > MAX_USER_WORDS) throw new UserVocabularyError(path, `holds more than ${MAX_USER_WORDS} words`);
    for (const [i, raw] of d.words.entries()) {
      const e = raw as Partial<UserWord>;
      try {
        const word = normalizeUserWord(String(e.word ?? ''));
        if (!Array.isArray(e.pronunciations) || e.pronunciations.length === 0) throw new Error(`"${word}": no pronunciations`);
        const source = e.source === 'g2p' || e.source === 'cmudict' ? e.source : 'user';
        v.words.set(word, {
          word,
          pronunciations: e.pronunciations.slice(0, MAX_PRONUNCIATIONS).map((p) => parsePronunciation(p as string[], word)),
          source,
          addedAt: typeof e.addedAt === 'string' ? e.addedAt : new Date(0).toISOString(),
        });
      } catch (err) {
        throw new UserVocabularyError(path, `words[${i}]: ${(err as Error).message}`);
      }
    }
    return v;
  }

  /** The vocabulary in the default user data folder (or HARK_USER_DATA). */
  static loadDefault(): UserVocabulary {
    return UserVocabulary.load(join(defaultUserDataDir(), USER_VOCABULARY_FILE));
  }

  /**
   * Adds or replaces a word. Without pronunciations it gets CMUdict's, else the G2P guess; with
   * them (one or more "K AE T" strings) they are the user's. Returns the stored entry.
   */
  add(word: string, pronunciations: readonly string[] = [], lexicon: Lexicon = new Lexicon()): UserWord {
    const w = normalizeUserWord(word);
    if (!this.words.has(w) && this.words.size >= MAX_USER_WORDS) throw new Error(`the vocabulary already holds ${MAX_USER_WORDS} words`);
    if (pronunciations.length > MAX_PRONUNCIATIONS) throw new Error(`"${w}": at most ${MAX_PRONUNCIATIONS} pronunciations`);
    let entry: UserWord;
    if (pronunciations.length > 0) {
      entry = { word: w, pronunciations: pronunciations.map((p) => parsePronunciation(p, w)), source: 'user', addedAt: new Date().toISOString() };
    } else {
      const found = lexicon.pronounce(w);
      entry = { word: w, pronunciations: found.pronunciations.map((p) => [...p]), source: found.source === 'cmudict' ? 'cmudict' : 'g2p', addedAt: new Date().toISOString() };
    }
    this.words.set(w, entry);
    return structuredClone(entry);
  }

  /** Removes a word; returns whether it was there. */
  remove(word: string): boolean {
    return this.words.delete(normalizeUserWord(word));
  }

  get(word: string): UserWord | undefined {
    const e = this.words.get(String(word).trim().toLowerCase());
    return e ? structuredClone(e) : undefined;
  }

  /** Every word, alphabetically. */
  list(): UserWord[] {
    return [...this.words.values()].sort((a, b) => a.word.localeCompare(b.word)).map((e) => structuredClone(e));
  }

  get size(): number {
    return this.words.size;
  }

  /** Writes the file atomically (temporary file + rename), creating its folder. */
  save(): void {
    writeFileAtomicSync(this.path, `${JSON.stringify({ version: FORMAT_VERSION, words: this.list() }, null, 2)}\n`, { mkdir: true });
  }
}
