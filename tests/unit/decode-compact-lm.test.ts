import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';
import { decodeCompactLm, encodeCompactLm } from '../../src-main/decode/compact-lm-file.ts';
import { compactTablesFromArpa } from '../../src-main/decode/compact-ngram-builder.ts';
import { CompactNgramLM } from '../../src-main/decode/compact-ngram-lm.ts';
import { loadDictation, loadDictationLM } from '../../src-main/decode/dictation-lm.ts';
import { cachedArpaLm, LM_CACHE_KEEP } from '../../src-main/decode/lm-cache.ts';
import { LOG_ZERO } from '../../src-main/decode/ngram-lm.ts';
import { packPronunciations } from '../../src-main/lexicon/packed-lexicon.ts';

// A trigram with back-offs, <unk>, and a trigram ("b a c") whose context "b a" is not listed.
const ARPA = `\\data\\
ngram 1=6
ngram 2=5
ngram 3=3

\\1-grams:
-1.0\t<s>\t-0.5
-0.7\t</s>
-1.5\t<unk>
-0.6\ta\t-0.3
-0.8\tb\t-0.2
-0.9\tc\t-0.1

\\2-grams:
-0.2\t<s> a\t-0.4
-0.5\ta b\t-0.6
-0.3\tb c
-0.4\tc </s>
-0.9\ta a\t-0.05

\\3-grams:
-0.1\t<s> a b
-0.15\ta b c
-0.25\tb a c

\\end\\
`;

const L = Math.LN10;
const f = (x: number): number => Math.fround(x * L);

describe('compact n-gram LM (binary form of ARPA models)', () => {
  const arpa = parseArpa(ARPA);
  const compact = new CompactNgramLM(compactTablesFromArpa(ARPA));

  it('scores listed n-grams and back-offs as the ARPA semantics say (hand-computed)', () => {
    const id = (w: string) => compact.wordId(w);
    // Listed trigram.
    expect(compact.logProb([id('<s>'), id('a')], id('b'))).toBe(f(-0.1));
    // Listed trigram whose context "b a" is not listed.
    expect(compact.logProb([id('b'), id('a')], id('c'))).toBe(f(-0.25));
    // "a a b" not listed: bow(a a) + P(b | a).
    expect(compact.logProb([id('a'), id('a')], id('b'))).toBe(f(-0.05) + f(-0.5));
    // "b a b": context "b a" not listed (no bow), "a b" listed.
    expect(compact.logProb([id('b'), id('a')], id('b'))).toBe(f(-0.5));
    // "c a": bow(c) + P(a).
    expect(compact.logProb([id('c')], id('a'))).toBe(f(-0.1) + f(-0.6));
    // Unknown word maps to <unk>; an id outside the vocabulary scores LOG_ZERO.
    expect(compact.wordId('zebra')).toBe(id('<unk>'));
    expect(compact.logProb([], 99)).toBe(LOG_ZERO);
  });

  it('gives the ARPA reader\'s log-probability for every word after every context', () => {
    const V = arpa.vocab.length;
    const contexts: number[][] = [[]];
    for (let a = 0; a < V; a++) {
      contexts.push([a]);
      for (let b = 0; b < V; b++) contexts.push([a, b], [b, a, b]);
    }
    for (const ctx of contexts) for (let w = 0; w < V; w++) expect(compact.logProb(ctx, w)).toBe(arpa.logProb(ctx, w));
    for (const s of [['a', 'b', 'c'], ['b', 'a', 'c', 'a'], ['zebra', 'a'], []]) {
      expect(compact.sentenceLogProb(s)).toEqual(arpa.sentenceLogProb(s));
    }
  });

  it('round-trips through the file bytes, pronunciations included', () => {
    const tables = compactTablesFromArpa(ARPA);
    const pronunciations = packPronunciations(tables.vocab, new Map([['a', [['AH'], ['EY']]], ['c', [['S', 'IY']]]]));
    const bytes = encodeCompactLm({ tables, pronunciations, source: { test: 'hand-made' } });
    expect(encodeCompactLm({ tables, pronunciations, source: { test: 'hand-made' } })).toEqual(bytes);
    const back = decodeCompactLm(bytes, 'x.hlm');
    expect(back.source).toEqual({ test: 'hand-made' });
    expect(back.tables.vocab).toEqual(tables.vocab);
    for (const k of ['logp', 'bow', 'word', 'first'] as const) expect(back.tables[k].map((a) => [...a])).toEqual(tables[k].map((a) => [...a]));
    expect([...back.pronunciations!.phones]).toEqual([...pronunciations.phones]);
    const dir = mkdtempSync(join(tmpdir(), 'hark-hlm-'));
    const path = join(dir, 'tiny.hlm');
    writeFileSync(path, bytes);
    const d = loadDictation(path, () => { throw new Error('fallback must not be needed'); });
    expect(d.lexicon.pronounce('A').pronunciations).toEqual([['AH'], ['EY']]);
    expect(d.lexicon.pronounce('c').pronunciations).toEqual([['S', 'IY']]);
    expect(() => d.lexicon.pronounce('b')).toThrow(/fallback must not be needed/);
    expect(d.lm.logProb([d.lm.wordId('a')], d.lm.wordId('b'))).toBe(arpa.logProb([arpa.wordId('a')], arpa.wordId('b')));
  });

  it('refuses damaged, truncated and foreign files with a clear error', () => {
    const bytes = encodeCompactLm({ tables: compactTablesFromArpa(ARPA), source: {} });
    expect(() => decodeCompactLm(bytes.slice(0, bytes.length - 9), 'cut.hlm')).toThrow(/^cut\.hlm: truncated/);
    expect(() => decodeCompactLm(bytes.slice(0, 20), 'cut.hlm')).toThrow(/^cut\.hlm: truncated/);
    const flipped = bytes.slice();
    flipped[flipped.length - 5] ^= 0x10;
    expect(() => decodeCompactLm(flipped, 'bad.hlm')).toThrow(/^bad\.hlm: damaged \(checksum mismatch\)/);
    expect(() => decodeCompactLm(new TextEncoder().encode(ARPA), 'text.hlm')).toThrow(/^text\.hlm: not a Hark binary language model/);
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, 99, true);
    expect(() => decodeCompactLm(future, 'new.hlm')).toThrow(/^new\.hlm: format version 99/);
    const dir = mkdtempSync(join(tmpdir(), 'hark-hlm-'));
    expect(() => loadDictationLM(join(dir, 'missing.hlm'))).toThrow(/cannot read language model .*missing\.hlm/);
  });

  it('rejects an n-gram listed twice', () => {
    expect(() => compactTablesFromArpa(ARPA.replace('-0.4\tc </s>', '-0.4\ta b'))).toThrow(/duplicate 2-gram/);
  });
});

describe('cache of converted user ARPA models', () => {
  it('converts once, reuses the conversion, and converts again when the file changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-lmcache-'));
    const cacheDir = join(dir, 'cache', 'lm');
    const path = join(dir, 'mine.arpa.gz');
    writeFileSync(path, gzipSync(ARPA));
    const first = cachedArpaLm(path, cacheDir);
    expect(first.converted).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([first.cachePath.slice(cacheDir.length + 1)]);
    const second = cachedArpaLm(path, cacheDir);
    expect(second).toMatchObject({ converted: false, cachePath: first.cachePath });
    expect(second.lm.sentenceLogProb(['a', 'b'])).toEqual(parseArpa(ARPA).sentenceLogProb(['a', 'b']));
    // Through --lm: the cached model is what dictation gets.
    expect(loadDictationLM(path, { cacheDir })).toBeInstanceOf(CompactNgramLM);

    const edited = ARPA.replace('-0.1\t<s> a b', '-0.3\t<s> a b');
    writeFileSync(path, gzipSync(edited));
    const third = cachedArpaLm(path, cacheDir);
    expect(third.converted).toBe(true);
    expect(third.cachePath).not.toBe(first.cachePath);
    expect(third.lm.sentenceLogProb(['a', 'b'])).toEqual(parseArpa(edited).sentenceLogProb(['a', 'b']));

    // A damaged cache file is converted again.
    writeFileSync(third.cachePath, readFileSync(third.cachePath).subarray(0, 100));
    expect(cachedArpaLm(path, cacheDir).converted).toBe(true);
    expect(cachedArpaLm(path, cacheDir).converted).toBe(false);
  });

  it('keeps the most recently used conversions and removes older ones (an LM edited again and again does not fill the disk)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-lmcache-'));
    const cacheDir = join(dir, 'cache', 'lm');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const path = join(dir, 'mine.arpa');
    const versions: string[] = [];
    // Each edit is a new conversion; their files are dated a minute apart, oldest first.
    const minute = 60_000;
    const t0 = Date.now() - 20 * minute;
    for (let i = 0; i < LM_CACHE_KEEP + 2; i++) {
      writeFileSync(path, ARPA.replace('-0.1\t<s> a b', `-0.${i + 2}\t<s> a b`));
      const r = cachedArpaLm(path, cacheDir);
      expect(r.converted).toBe(true);
      versions.push(r.cachePath);
      utimesSync(r.cachePath, new Date(t0 + i * minute), new Date(t0 + i * minute));
      expect(readdirSync(cacheDir).length).toBe(Math.min(i + 1, LM_CACHE_KEEP));
    }
    const kept = () => readdirSync(cacheDir).map((n) => join(cacheDir, n)).sort();
    expect(kept()).toEqual(versions.slice(-LM_CACHE_KEEP).sort());
    // Using an old conversion again makes it the newest: the next new one removes another.
    writeFileSync(path, ARPA.replace('-0.1\t<s> a b', `-0.${LM_CACHE_KEEP + 1}\t<s> a b`));
    const reused = cachedArpaLm(path, cacheDir);
    expect(reused).toMatchObject({ converted: false, cachePath: versions[LM_CACHE_KEEP - 1] });
    writeFileSync(path, ARPA.replace('-0.1\t<s> a b', '-0.95\t<s> a b'));
    const newest = cachedArpaLm(path, cacheDir).cachePath;
    expect(kept()).toEqual([versions[LM_CACHE_KEEP - 1], versions[LM_CACHE_KEEP], versions[LM_CACHE_KEEP + 1], newest].sort());
    expect(readdirSync(dir).includes('notes.txt')).toBe(true);
  });

  it('names the ARPA file when it is malformed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-lmcache-'));
    const path = join(dir, 'broken.arpa');
    writeFileSync(path, ARPA.replace('ngram 3=3', 'ngram 3=4'));
    expect(() => cachedArpaLm(path, join(dir, 'cache'))).toThrow(/broken\.arpa: ARPA line/);
  });
});
