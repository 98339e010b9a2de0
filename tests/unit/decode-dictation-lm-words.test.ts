// The words dictation formatting reads are in the shipped dictation LM (tools/add-dictation-lm-words.ts
// adds the ones the Brown corpus lacks as unigrams): the tool keeps every conditional distribution
// summing to one (on a small LM built here, every context; on the shipped one, a sample), gives the
// stated probabilities, and changes nothing when run again.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildArpa } from '../../src-main/decode/arpa-builder.ts';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';
import { lmLexiconPath } from '../../src-main/decode/dictation-lm.ts';
import { readPronunciationFile } from '../../src-main/lexicon/pronunciation-file.ts';
import { BROWN_LM_ARPA_PATH } from '../../src-main/model/package-paths.ts';
import { SPOKEN_COMMAND_PHRASES } from '../../src-shared/text/spoken-editing.ts';
import { tempDir } from './audio-test-tools.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const WORDS_FILE = join(ROOT, 'tools', 'dictation-extra-words.txt');
const { dir, cleanup } = tempDir();
afterAll(cleanup);

const addWords = (lm: string, words: string, out: string): string =>
  execFileSync(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'tools', 'add-dictation-lm-words.ts'), lm, words, out], { encoding: 'utf8' });

type ArpaLm = ReturnType<typeof parseArpa>;

/** Sum over the vocabulary (without <s>) of p(w | ctx). */
function mass(lm: ArpaLm, ctx: readonly number[]): number {
  let s = 0;
  for (let w = 0; w < lm.vocab.length; w++) if (lm.vocab[w] !== '<s>') s += Math.exp(lm.logProb(ctx, w));
  return s;
}

const listedWords = (): string[] => readFileSync(WORDS_FILE, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)[0]).filter(Boolean);

describe('tools/add-dictation-lm-words.ts', () => {
  it('adds unigrams with the stated probabilities and keeps every context normalized', () => {
    const sentences = ['the cat sat on the mat', 'the dog sat on the log', 'a cat and a dog', 'the mat is on the log', 'a dog sat', 'the cat ran']
      .map((s) => s.split(' '));
    const small = join(dir, 'small.arpa');
    writeFileSync(small, buildArpa(sentences, { order: 3, minWordCount: 1, minCount: [1, 1, 1] }).arpa);
    const words = join(dir, 'words.txt');
    writeFileSync(words, '# test\ncomma like cat\nzebra\nthe\n');
    const report = JSON.parse(addWords(small, words, join(dir, 'out.arpa'))) as { added: Record<string, number>; share: number };
    const before = parseArpa(readFileSync(small, 'utf8'));
    const after = parseArpa(readFileSync(join(dir, 'out.arpa'), 'utf8'));
    expect(Object.keys(report.added)).toEqual(['comma', 'zebra']);
    expect(after.vocab.length).toBe(before.vocab.length + 2);
    const logp1 = (lm: ArpaLm, w: string) => lm.logProb([lm.wordId('</s>')], lm.wordId(w));
    // "comma" like "cat" (before the change); both new words have no n-grams of their own.
    expect(report.added.comma).toBeCloseTo(logp1(before, 'cat') / Math.LN10, 5);
    // Every context of every order still sums to one.
    const id = (w: string) => after.wordId(w);
    const contexts = [[], ['<s>'], ['the'], ['cat'], ['comma'], ['<s>', 'the'], ['the', 'cat'], ['sat', 'on'], ['on', 'the'], ['comma', 'the']];
    for (const c of contexts) expect(mass(after, c.map(id))).toBeCloseTo(1, 5);
    // Known n-grams keep their probabilities.
    expect(after.logProb([id('the')], id('cat'))).toBeCloseTo(before.logProb([before.wordId('the')], before.wordId('cat')), 5);
  });

  it('the shipped LM and its lexicon have every spoken-editing word and every listed word; running the tool again changes nothing', () => {
    const commandWords = SPOKEN_COMMAND_PHRASES.flatMap((p) => p.split(' ')).filter((w) => !w.startsWith('<'));
    expect(commandWords).toContain('comma');
    const lexicon = readPronunciationFile(lmLexiconPath(BROWN_LM_ARPA_PATH));
    for (const w of [...commandWords, ...listedWords()]) expect(lexicon.has(w), w).toBe(true);
    const out = join(dir, 'again.arpa.gz');
    expect(addWords(BROWN_LM_ARPA_PATH, WORDS_FILE, out)).toMatch(/nothing to add/);
    expect(readFileSync(out).equals(readFileSync(BROWN_LM_ARPA_PATH))).toBe(true);
  });

  it('the shipped LM still sums to one after the added words, in contexts with and without them', () => {
    const lm = parseArpa(gunzipSync(readFileSync(BROWN_LM_ARPA_PATH)).toString('utf8'));
    const id = (w: string) => lm.wordId(w);
    expect(lm.vocab).toEqual(expect.arrayContaining(['comma', 'euro', 'euros', 'eighties']));
    for (const c of [['<s>'], ['the'], ['comma'], ['<s>', 'hello'], ['twenty', 'five'], ['nineteen', 'eighties']]) {
      expect(mass(lm, c.map(id))).toBeCloseTo(1, 4);
    }
  });
});
