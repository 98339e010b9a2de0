import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeCompactLm, encodeCompactLm } from '../../src-main/decode/compact-lm-file.ts';
import { compactTablesFromArpa, dictationTrieToStore } from '../../src-main/decode/compact-ngram-builder.ts';
import { dictationTrie, loadDictation } from '../../src-main/decode/dictation-lm.ts';
import { dictationWords } from '../../src-main/decode/dictation-vocabulary.ts';
import { LexiconTrie } from '../../src-main/decode/lexicon-trie.ts';
import type { StoredLexiconTrie } from '../../src-main/decode/lexicon-trie-file.ts';
import { packPronunciations } from '../../src-main/lexicon/packed-lexicon.ts';
import { UserLexicon } from '../../src-main/lexicon/user-lexicon.ts';
import type { UserWord } from '../../src-main/lexicon/user-vocabulary.ts';
import { BROWN_LM_PATH, GENERAL_LM_PATH } from '../../src-main/model/package-paths.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';

/** Every field of `a` equals `b`'s: words, sizes, child table, units, hasChild, word ends, unused sound units. */
function expectSameTrie(a: LexiconTrie, b: LexiconTrie): void {
  expect(a.words).toEqual(b.words);
  expect([a.numUnits, a.numNodes]).toEqual([b.numUnits, b.numNodes]);
  const children = (t: LexiconTrie): Int32Array => {
    const out = new Int32Array(t.numNodes * t.numUnits);
    for (let n = 0; n < t.numNodes; n++) for (let u = 0; u < t.numUnits; u++) out[n * t.numUnits + u] = t.child(n, u);
    return out;
  };
  expect(Buffer.from(children(a).buffer).equals(Buffer.from(children(b).buffer))).toBe(true);
  expect(Buffer.from(a.nodeUnit).equals(Buffer.from(b.nodeUnit))).toBe(true);
  expect(Buffer.from(a.hasChild).equals(Buffer.from(b.hasChild))).toBe(true);
  expect([...a.endStart.subarray(0, a.numNodes + 1)]).toEqual([...b.endStart.subarray(0, b.numNodes + 1)]);
  expect([...a.endWords]).toEqual([...b.endWords]);
  for (let n = 0; n < a.numNodes; n += 97) expect([...a.wordsAt(n)]).toEqual([...b.wordsAt(n)]);
  expect(a.unusedSoundUnits).toEqual(b.unusedSoundUnits);
}

/** Independently of how the trie was made: each pronunciation of word `id` leads from the root to a node listing it. */
function expectSpells(trie: LexiconTrie, id: number, pronunciations: readonly (readonly string[])[]): void {
  for (const p of pronunciations) {
    const node = p.reduce((n, ph) => (n < 0 ? n : trie.child(n, UNITS.indexOf(ph))), 0);
    expect(node, `${trie.words[id]} ${p.join(' ')}`).toBeGreaterThan(0);
    expect([...trie.wordsAt(node)]).toContain(id);
  }
}

const userWord = (word: string, ...pronunciations: string[][]): UserWord => ({ word, pronunciations, source: 'user', addedAt: '2026-01-01T00:00:00Z' });

describe('lexicon trie stored in the shipped Brown LM', () => {
  const { lm, lexicon } = loadDictation(BROWN_LM_PATH, () => { throw new Error('the shipped vocabulary needs no fallback'); });
  const words = dictationWords(lm.vocab);
  const built = LexiconTrie.fromWords(words, lexicon, UNITS);

  it('restores, without pronouncing a word, exactly the trie fromWords builds', () => {
    const spy = vi.spyOn(lexicon, 'pronounce');
    const restored = dictationTrie(lm, lexicon);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(restored.numNodes).toBe(51524);
    expectSameTrie(restored, built);
  });

  it('adds user words as fromWords would append them, leaving the stored trie unchanged', () => {
    const user = new UserLexicon([
      userWord('zorblax', ['Z', 'AO', 'R', 'B', 'L', 'AE', 'K', 'S']),
      userWord('brownish', ['B', 'R', 'AW', 'N', 'IH', 'SH'], ['B', 'R', 'AW', 'N', 'IY', 'SH']),
      userWord('brownz', ['B', 'R', 'AW', 'N']),
    ], lexicon);
    const spy = vi.spyOn(lexicon, 'pronounce');
    const restored = dictationTrie(lm, user);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expectSameTrie(restored, LexiconTrie.fromWords([...words, 'zorblax', 'brownish', 'brownz'], user, UNITS));
    ['zorblax', 'brownish', 'brownz'].forEach((w, i) => expectSpells(restored, words.length + i, user.pronounce(w).pronunciations));
    for (let id = 0; id < words.length; id += 101) expectSpells(restored, id, lexicon.pronounce(words[id]).pronunciations);
    // The user word pronounced like "brown" shares its node; the stored trie itself is unchanged.
    const brown = words.indexOf('brown');
    const node = [...'B R AW N'.split(' ')].reduce((n, p) => restored.child(n, UNITS.indexOf(p)), 0);
    expect([...restored.wordsAt(node)]).toEqual([brown, words.length + 2]);
    expectSameTrie(dictationTrie(lm, lexicon), built);
  });

  it('builds the trie when a user word re-pronounces an LM word, for other units, or for another lookup', () => {
    const user = new UserLexicon([userWord('tomato', ['T', 'OW', 'M', 'EY', 'T', 'OW'])], lexicon);
    expectSameTrie(dictationTrie(lm, user), LexiconTrie.fromWords(words, user, UNITS));
    const withClap = [...UNITS, '<sound:clap>'];
    const spy = vi.spyOn(lexicon, 'pronounce');
    const other = dictationTrie(lm, lexicon, withClap);
    expect(spy).toHaveBeenCalledTimes(words.length);
    spy.mockRestore();
    expect(other.numUnits).toBe(UNITS.length + 1);
    expect(other.unusedSoundUnits).toEqual([UNITS.length]);
    const oneVariant: PronunciationLookup = { pronounce: (w) => ({ ...lexicon.pronounce(w), pronunciations: lexicon.pronounce(w).pronunciations.slice(0, 1) }) };
    expect(dictationTrie(lm, oneVariant).numNodes).toBeLessThan(built.numNodes);
  });
});

describe('lexicon trie stored in the general English LM', () => {
  it('restores, without pronouncing a word, exactly the trie fromWords builds', () => {
    const { lm, lexicon } = loadDictation(GENERAL_LM_PATH, () => { throw new Error('the shipped vocabulary needs no fallback'); });
    const spy = vi.spyOn(lexicon, 'pronounce');
    const restored = dictationTrie(lm, lexicon);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(restored.numNodes).toBe(162304);
    expectSameTrie(restored, LexiconTrie.fromWords(dictationWords(lm.vocab), lexicon, UNITS));
  });
});

// A tiny LM whose dictation words are a, b and c ("b" and "c" share the first phoneme; "a" has two pronunciations).
const ARPA = '\\data\\\nngram 1=6\n\n\\1-grams:\n-1.0\t<s>\n-0.7\t</s>\n-1.5\t<unk>\n-0.6\ta\n-0.8\tb\n-0.9\tc\n\n\\end\\\n';
const PRONS = new Map([['a', [['AH'], ['EY']]], ['b', [['B', 'IY']]], ['c', [['B', 'IY', 'S']]]]);

describe('lexicon trie sections of a .hlm file', () => {
  const tables = compactTablesFromArpa(ARPA);
  const pronunciations = packPronunciations(tables.vocab, PRONS);
  const stored = dictationTrieToStore(tables, pronunciations, UNITS, 'tiny');
  const dir = mkdtempSync(join(tmpdir(), 'hark-hlm-trie-'));
  const noFallback = (): never => { throw new Error('fallback must not be needed'); };
  const load = (name: string, trie: StoredLexiconTrie | undefined): ReturnType<typeof loadDictation> => {
    const path = join(dir, name);
    writeFileSync(path, encodeCompactLm({ tables, pronunciations, trie, source: {} }));
    return loadDictation(path, noFallback);
  };

  it('records the units and the words covered, and round-trips deterministically', () => {
    expect(stored.header).toMatchObject({ units: UNITS, words: 3, nodes: 6, ends: 4 });
    const bytes = encodeCompactLm({ tables, pronunciations, trie: stored, source: {} });
    expect(encodeCompactLm({ tables, pronunciations, trie: stored, source: {} })).toEqual(bytes);
    const back = decodeCompactLm(bytes, 'x.hlm').trie!;
    expect(back.header).toEqual(stored.header);
    expect([...back.parent]).toEqual([0, 0, 0, 0, 3, 4]);
    expect([...back.endWords]).toEqual([0, 0, 1, 2]);
  });

  it('gives the built trie with or without trie sections', () => {
    const withTrie = load('with.hlm', stored);
    const without = load('without.hlm', undefined);
    const expected = LexiconTrie.fromWords(['a', 'b', 'c'], without.lexicon, UNITS);
    expectSameTrie(dictationTrie(withTrie.lm, withTrie.lexicon), expected);
    expectSameTrie(dictationTrie(without.lm, without.lexicon), expected);
    const user = new UserLexicon([userWord('bee', ['B', 'IY']), userWord('d', ['D', 'IY'])], withTrie.lexicon);
    expectSameTrie(dictationTrie(withTrie.lm, user), LexiconTrie.fromWords(['a', 'b', 'c', 'bee', 'd'], user, UNITS));
  });

  it('withWords appends to a copy exactly as fromWords builds the whole list', () => {
    const { lexicon } = load('copy.hlm', undefined);
    const ab = LexiconTrie.fromWords(['a', 'b'], lexicon, UNITS);
    const before = LexiconTrie.fromWords(['a', 'b'], lexicon, UNITS);
    expectSameTrie(ab.withWords(['c', ' B '], lexicon, UNITS), LexiconTrie.fromWords(['a', 'b', 'c', ' B '], lexicon, UNITS));
    expectSameTrie(ab, before);
    expect(ab.withWords(['A'], lexicon, UNITS)).toBe(ab);
  });

  it('refuses a damaged trie section: by the checksum, by its sizes, and by values out of range', () => {
    const bytes = encodeCompactLm({ tables, pronunciations, trie: stored, source: {} });
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x01;
    expect(() => decodeCompactLm(flipped, 'bad.hlm')).toThrow(/^bad\.hlm: damaged \(checksum mismatch\)/);
    const short = { ...stored, header: { ...stored.header, nodes: 7 } };
    expect(() => decodeCompactLm(encodeCompactLm({ tables, pronunciations, trie: short, source: {} }), 'short.hlm')).toThrow(/^short\.hlm: section trie-parent is missing or has the wrong size/);
    const hostile: [string, (s: StoredLexiconTrie) => void, RegExp][] = [
      ['loop', (s) => { s.parent[4] = 5; }, /node 4: parent 5/],
      ['unit', (s) => { s.unit[2] = UNITS.length; }, /node 2: parent 0, unit 40/],
      ['blank', (s) => { s.unit[2] = 0; }, /node 2: parent 0, unit 0/],
      ['edge', (s) => { s.unit[2] = s.unit[1]; }, /node 2: edge of node 1/],
      ['word', (s) => { s.endWords[3] = 3; }, /word id 3 of 3 words/],
      ['rows', (s) => { s.endStart[2] = 4; }, /word-end row of node 2/],
      ['cover', (s) => { s.endStart[6] = 3; }, /word-end rows do not cover/],
    ];
    for (const [name, damage, reason] of hostile) {
      const s: StoredLexiconTrie = { header: stored.header, parent: stored.parent.slice(), unit: stored.unit.slice(), endStart: stored.endStart.slice(), endWords: stored.endWords.slice() };
      damage(s);
      const d = load(`${name}.hlm`, s);
      expect(() => dictationTrie(d.lm, d.lexicon), name).toThrow(new RegExp(`${name}\\.hlm: damaged trie \\(.*${reason.source}`));
    }
  });

  it('is not stored when a dictation word lacks a pronunciation', () => {
    const partial = packPronunciations(tables.vocab, new Map([['a', [['AH']]]]));
    expect(() => dictationTrieToStore(tables, partial, UNITS, 'partial')).toThrow(/^partial: a dictation word has no pronunciation/);
  });
});
