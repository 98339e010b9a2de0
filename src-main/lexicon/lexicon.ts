import type { LexiconEntry, Pronunciation, PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { isPhoneme, stripStress } from '../../src-shared/units/phonemes.ts';
import { join } from 'node:path';
import { readOrMakeCacheFile } from '../system/cache-file.ts';
import { cmudict, cmudictCacheKey, cmudictSourcePath, defaultCmudictCacheDir } from './cmudict.ts';
import { G2PModel } from './g2p-model.ts';
import { normalizeText } from './normalize-text.ts';

let sharedG2P: G2PModel | null = null;

/**
 * The G2P model trained on all of CMUdict, shared: trained on first use on a machine (about 1 s)
 * and kept beside the packed CMUdict in the cache folder, then read from there in milliseconds.
 */
export function defaultG2P(): G2PModel {
  sharedG2P ??= cachedG2P(cmudictSourcePath(), defaultCmudictCacheDir()).model;
  return sharedG2P;
}

/**
 * The G2P model of the CMUdict package at `sourcePath`, from `cacheDir` when a file made from this
 * exact package is there and intact, else trained (on cmudict()) and written there.
 */
export function cachedG2P(sourcePath: string, cacheDir: string, dict: () => ReadonlyMap<string, Pronunciation[]> = cmudict): { model: G2PModel; cachePath: string; trained: boolean; warning?: string } {
  const cachePath = join(cacheDir, `g2p-${cmudictCacheKey(sourcePath)}.hg2p`);
  const r = readOrMakeCacheFile(cachePath, {
    decode: (bytes, name) => G2PModel.decode(bytes, name),
    make: () => G2PModel.train(dict()),
    encode: (m) => m.encode(),
    what: 'the G2P model',
    again: 'trained again',
  });
  return { model: r.value, cachePath, trained: r.made, ...(r.warning ? { warning: r.warning } : {}) };
}

/**
 * Word -> pronunciations: user entries first, then CMUdict (all alternates), then the G2P
 * fallback, so every word with letters or digits has a pronunciation. Words are matched lower-cased;
 * a token with digits or several words ("42", "new-york") is normalized (normalizeText) and its
 * words' pronunciations concatenated (at most 4 combinations of variants).
 */
export class Lexicon implements PronunciationLookup {
  private readonly user = new Map<string, Pronunciation[]>();

  /** Adds (or replaces) a user pronunciation list; phonemes may carry stress digits, which are removed. */
  add(word: string, pronunciations: readonly (readonly string[] | string)[]): void {
    const key = Lexicon.key(word);
    if (pronunciations.length === 0) throw new Error(`Lexicon.add: no pronunciations given for "${word}"`);
    const prons = pronunciations.map((p) => {
      const phones = (typeof p === 'string' ? p.trim().split(/\s+/) : [...p]).map((s) => stripStress(s.toUpperCase()));
      const bad = phones.find((s) => !isPhoneme(s));
      if (phones.length === 0 || bad !== undefined) {
        throw new Error(`Lexicon.add: invalid pronunciation for "${word}": "${String(p)}"${bad ? ` (not ARPAbet: ${bad})` : ''}`);
      }
      return phones;
    });
    this.user.set(key, prons);
  }

  /** Removes a user entry; returns whether one existed. CMUdict entries cannot be removed. */
  remove(word: string): boolean {
    return this.user.delete(Lexicon.key(word));
  }

  /** Whether the word has a user or CMUdict entry (i.e. would not need G2P). */
  has(word: string): boolean {
    const key = Lexicon.key(word);
    return this.user.has(key) || cmudict().has(key);
  }

  pronounce(word: string): LexiconEntry {
    const key = Lexicon.key(word);
    const user = this.user.get(key);
    if (user) return { word: key, pronunciations: user.map((p) => [...p]), source: 'user' };
    const dict = cmudict().get(key);
    if (dict) return { word: key, pronunciations: dict.map((p) => [...p]), source: 'cmudict' };
    const parts = normalizeText(key);
    if (parts.length === 0) throw new Error(`Lexicon.pronounce: word has no letters or digits: "${word}"`);
    if (parts.length === 1 && parts[0] === key) {
      return { word: key, pronunciations: [this.guess(key)], source: 'g2p' };
    }
    // Several words: concatenate, keeping at most 4 combinations of variants.
    let combos: string[][] = [[]];
    let source: LexiconEntry['source'] = 'cmudict';
    for (const part of parts) {
      const e = this.pronounce(part);
      if (e.source === 'g2p' || (e.source === 'user' && source !== 'g2p')) source = e.source;
      combos = combos.flatMap((c) => e.pronunciations.map((p) => [...c, ...p])).slice(0, 4);
    }
    return { word: key, pronunciations: combos, source };
  }

  /**
   * G2P for an unknown word; short words without vowels ("nfl", "yf") and words the model maps to
   * nothing are spelled letter by letter with CMUdict's letter names.
   */
  private guess(word: string): string[] {
    const letters = word.replace(/[^a-z]/g, '');
    const spell = (/^[^aeiou]{1,4}$/.test(letters) && !/^[^aeiouy]*y[^aeiouy]*$/.test(letters)) || letters.length === 1;
    const predicted = spell ? [] : defaultG2P().predict(word);
    if (predicted.length > 0) return predicted;
    return [...letters].flatMap((ch) => [...(cmudict().get(ch)?.[0] ?? [])]);
  }

  private static key(word: string): string {
    if (typeof word !== 'string' || word.trim() === '') throw new Error(`Lexicon: empty word "${String(word)}"`);
    return word.trim().toLowerCase();
  }
}
