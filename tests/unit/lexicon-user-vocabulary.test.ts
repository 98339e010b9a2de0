/**
 * The user vocabulary: words added with CMUdict's pronunciation, a G2P guess or the user's own
 * (alternatives allowed), persisted atomically and read back, bad input refused with a clear
 * message, and used first by every decoder (dictation adds the words to its vocabulary).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NgramLM } from '../../src-main/decode/ngram-lm.ts';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';
import { createDictationDecoder } from '../../src-main/decode/word-decoders.ts';
import { espeakPhonemeInput } from '../../src-main/lexicon/espeak-phonemes.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { UserLexicon, withUserWords } from '../../src-main/lexicon/user-lexicon.ts';
import { defaultUserDataDir, UserVocabulary, UserVocabularyError } from '../../src-main/lexicon/user-vocabulary.ts';
import { PHONEMES } from '../../src-shared/units/phonemes.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hark-vocab-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('user vocabulary', () => {
  it('fills pronunciations from CMUdict or G2P, keeps the user\'s own, and round-trips through its file', () => {
    const path = join(temp(), 'sub', 'words.json');
    const v = UserVocabulary.load(path);
    expect(v.size).toBe(0);
    expect(v.add('Cat')).toMatchObject({ word: 'cat', pronunciations: [['K', 'AE', 'T']], source: 'cmudict' });
    const guessed = v.add('zorblat');
    expect(guessed.source).toBe('g2p');
    expect(guessed.pronunciations[0].length).toBeGreaterThan(3);
    expect(v.add('quux', ['K W UH1 K S', 'k uw k s'])).toMatchObject({ pronunciations: [['K', 'W', 'UH', 'K', 'S'], ['K', 'UW', 'K', 'S']], source: 'user' });
    v.save();
    const back = UserVocabulary.load(path);
    expect(back.list().map((w) => w.word)).toEqual(['cat', 'quux', 'zorblat']);
    expect(back.get('QUUX')?.pronunciations).toHaveLength(2);
    expect(back.remove('cat')).toBe(true);
    expect(back.remove('cat')).toBe(false);
    back.save();
    expect(UserVocabulary.load(path).list().map((w) => w.word)).toEqual(['quux', 'zorblat']);
  });

  it('refuses bad words, bad pronunciations and damaged files with messages that say what is wrong', () => {
    const v = UserVocabulary.load(join(temp(), 'words.json'));
    expect(() => v.add('two words')).toThrow(/not a single word/);
    expect(() => v.add('bad', ['K XX'])).toThrow(/"XX" is not an ARPAbet phoneme/);
    expect(() => v.add('bad', ['  '])).toThrow(/empty pronunciation/);
    const dir = temp();
    writeFileSync(join(dir, 'a.json'), '{ nope');
    expect(() => UserVocabulary.load(join(dir, 'a.json'))).toThrow(UserVocabularyError);
    expect(() => UserVocabulary.load(join(dir, 'a.json'))).toThrow(/not valid JSON \(at line 1, column 3\); fix or delete the file$/);
    // The message names where the text stops being JSON, never the text (it may be another file's).
    writeFileSync(join(dir, 'secret.json'), 'root:x:0:0:root:/root:/bin/bash');
    expect(() => UserVocabulary.load(join(dir, 'secret.json'))).toThrow(/^(?![\s\S]*root:x)[\s\S]*not valid JSON/);
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, words: [{ word: 'ok', pronunciations: [['OW', 'K', 'EY']] }, { word: 'x', pronunciations: [['QQ']] }] }));
    expect(() => UserVocabulary.load(join(dir, 'b.json'))).toThrow(/words\[1\]: "x": "QQ"/);
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ words: [] }));
    expect(() => UserVocabulary.load(join(dir, 'c.json'))).toThrow(/expected \{"version": 1/);
  });

  it('lives in the user data folder the desktop app uses', () => {
    expect(defaultUserDataDir({ HARK_USER_DATA: '/x/y' })).toBe('/x/y');
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/hark');
    expect(defaultUserDataDir({ APPDATA: 'C:\\AppData' }, 'win32')).toMatch(/AppData.hark$/);
  });

  it('is pronounced first and widens the dictation vocabulary', () => {
    const v = UserVocabulary.load(join(temp(), 'words.json'));
    v.add('cat', ['K AA T']);
    v.add('zorblat', ['Z AO R B L AE T']);
    const lookup = withUserWords(new Lexicon(), v.list());
    expect(lookup).toBeInstanceOf(UserLexicon);
    expect(lookup.pronounce('Cat')).toMatchObject({ pronunciations: [['K', 'AA', 'T']], source: 'user' });
    expect(lookup.pronounce('dog').source).toBe('cmudict');
    expect(withUserWords(new Lexicon(), [])).toBeInstanceOf(Lexicon);
    const lm: NgramLM = parseArpa('\\data\\\nngram 1=5\n\n\\1-grams:\n-1\t<s>\t0\n-1\t</s>\n-1\t<unk>\n-0.5\tcat\n-0.5\tdog\n\n\\end\\\n');
    const plain = createDictationDecoder(lm, new Lexicon());
    const widened = createDictationDecoder(lm, lookup);
    expect(plain.trie.words).not.toContain('zorblat');
    expect(widened.trie.words).toContain('zorblat');
    expect(widened.trie.words.filter((w) => w === 'cat')).toHaveLength(1);
  });

  it('speaks any ARPAbet pronunciation through espeak-ng phoneme input', () => {
    expect(espeakPhonemeInput(['K', 'AE', 'T'])).toBe("[[k'at]]");
    for (const p of PHONEMES) expect(() => espeakPhonemeInput([p])).not.toThrow();
    expect(() => espeakPhonemeInput(['XX'])).toThrow(/no espeak-ng phoneme/);
  });
});
