/**
 * CMUdict's packed form (src-main/lexicon/packed-dictionary.ts) and its cache (cmudict.ts): the
 * same words, pronunciations and order as the package parsed, refused when damaged, made again
 * when the cached file is damaged, and right even where the cache cannot be written. The G2P
 * model trained on it is cached the same way (lexicon.ts) and predicts exactly as when trained.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PackedDictionary } from '../../src-main/lexicon/packed-dictionary.ts';
import { cachedCmudict, cmudictSourcePath, parseCmudict } from '../../src-main/lexicon/cmudict.ts';
import { G2PModel } from '../../src-main/lexicon/g2p-model.ts';
import { cachedG2P } from '../../src-main/lexicon/lexicon.ts';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'hark-dict-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const SMALL = new Map<string, string[][]>([
  ['read', [['R', 'IY', 'D'], ['R', 'EH', 'D']]],
  ['a', [['AH'], ['EY']]],
  ["o'neil", [['OW', 'N', 'IY', 'L']]],
  ['zürich', [['Z', 'UH', 'R', 'IH', 'K']]],
  ['abc', [['EY', 'B', 'IY', 'S', 'IY']]],
]);

describe('PackedDictionary', () => {
  it('round-trips words, pronunciations and order, and answers has/get like the map', () => {
    const d = PackedDictionary.decode(PackedDictionary.fromMap(SMALL).encode(), 'small');
    expect(d.size).toBe(SMALL.size);
    expect([...d.keys()]).toEqual([...SMALL.keys()]);
    expect([...d.entries()]).toEqual([...SMALL.entries()]);
    for (const [w, p] of SMALL) {
      expect(d.has(w)).toBe(true);
      expect(d.get(w)).toEqual(p);
    }
    for (const w of ['', 'reads', 'zz', 'A', 'rea']) {
      expect(d.has(w)).toBe(false);
      expect(d.get(w)).toBeUndefined();
    }
    // get() hands out copies: changing one changes nothing stored.
    (d.get('read')![0] as string[]).push('S');
    expect(d.get('read')![0]).toEqual(['R', 'IY', 'D']);
  });

  it('finds words whose UTF-8 byte order differs from their UTF-16 order (lookups compare stored bytes)', () => {
    // U+FB01 sorts after U+1F600 in UTF-8 bytes (EF < F0 reversed) but before it in UTF-16 code units.
    const table = new Map<string, string[][]>([['\u{1F600}x', [['EH', 'K', 'S']]], ['\uFB01ne', [['F', 'AY', 'N']]], ['b', [['B', 'IY']]], ['', [['AH']]]]);
    const d = PackedDictionary.decode(PackedDictionary.fromMap(table).encode(), 'order');
    for (const [w, p] of table) expect(d.get(w)).toEqual(p);
    expect([...d.keys()]).toEqual([...table.keys()]);
    expect(d.has('\u{1F600}')).toBe(false);
    expect(d.has('\uFB01n')).toBe(false);
  });

  it('refuses words that are not UTF-8 even under a valid checksum', () => {
    const bytes = PackedDictionary.fromMap(new Map([['ab', [['EY']]], ['cd', [['D', 'IY']]]])).encode();
    const bad = bytes.slice();
    bad[32] = 0xff;
    new DataView(bad.buffer).setUint32(28, crc32(bad.subarray(32)) >>> 0, true);
    expect(() => PackedDictionary.decode(bad, 'u.hdict')).toThrow(/u\.hdict .*not UTF-8/);
    const words = bytes.slice();
    words[34] = 0x2d; // the line break between the two words: one word where the header says 2
    new DataView(words.buffer).setUint32(28, crc32(words.subarray(32)) >>> 0, true);
    expect(() => PackedDictionary.decode(words, 'u.hdict')).toThrow(/1 words where the header says 2/);
  });

  it('refuses a damaged, truncated or newer file with the reason', () => {
    const bytes = PackedDictionary.fromMap(SMALL).encode();
    const flipped = bytes.slice();
    flipped[bytes.length - 3] ^= 0xff;
    expect(() => PackedDictionary.decode(flipped, 'f.hdict')).toThrow(/f\.hdict .*checksum mismatch/);
    expect(() => PackedDictionary.decode(bytes.subarray(0, bytes.length - 1), 'f.hdict')).toThrow(/bytes where its header needs/);
    expect(() => PackedDictionary.decode(new TextEncoder().encode('{"a": 1}'), 'f.hdict')).toThrow(/no HARKDICT header/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, 99, true);
    expect(() => PackedDictionary.decode(newer, 'f.hdict')).toThrow(/format version 99/);
  });
});

describe('the cached CMUdict', () => {
  const source = cmudictSourcePath();
  const parsed = parseCmudict(source);
  const sample = [...parsed.keys()].filter((_, i) => i % 997 === 0);

  it('is made from the package once, then read; the same as the package parsed', () => {
    const cache = tempDir();
    const first = cachedCmudict(source, cache);
    expect(first.built).toBe(true);
    expect(first.warning).toBeUndefined();
    expect(existsSync(first.cachePath)).toBe(true);
    const second = cachedCmudict(source, cache);
    expect(second.built).toBe(false);
    expect(second.cachePath).toBe(first.cachePath);
    expect(second.dictionary.size).toBe(parsed.size);
    expect([...second.dictionary.keys()].slice(0, 1000)).toEqual([...parsed.keys()].slice(0, 1000));
    for (const w of sample) expect(second.dictionary.get(w)).toEqual(parsed.get(w));
    expect(second.dictionary.get('read')).toEqual(parsed.get('read'));
  });

  it('makes a damaged cache file again, saying so', () => {
    const cache = tempDir();
    const { cachePath } = cachedCmudict(source, cache);
    const bytes = readFileSync(cachePath);
    bytes[bytes.length - 10] ^= 0x55;
    writeFileSync(cachePath, bytes);
    const again = cachedCmudict(source, cache);
    expect(again.built).toBe(true);
    expect(again.warning).toMatch(/checksum mismatch.*made again/);
    expect(cachedCmudict(source, cache).built).toBe(false);
    for (const w of sample.slice(0, 20)) expect(again.dictionary.get(w)).toEqual(parsed.get(w));
  });

  it('is right where the cache folder cannot be written', () => {
    const parent = tempDir();
    const blocked = join(parent, 'cache');
    writeFileSync(blocked, 'a file where the folder would be');
    const r = cachedCmudict(source, blocked);
    expect(r.built).toBe(true);
    expect(r.warning).toMatch(/cannot keep the packed pronunciation dictionary/);
    for (const w of sample.slice(0, 20)) expect(r.dictionary.get(w)).toEqual(parsed.get(w));
  });
});

describe('the cached G2P model', () => {
  const source = cmudictSourcePath();
  const words = ['zorblat', 'hark', 'quixotically', "o'flannery", 'brexit', 'tiktok', 'xylophonist', 'grumpkin', 'a', 'zzz'];

  it('predicts exactly as the trained model after a round trip and from the cache; a damaged file is trained again', () => {
    const cache = tempDir();
    const first = cachedG2P(source, cache);
    expect(first.trained).toBe(true);
    expect(first.warning).toBeUndefined();
    const decoded = G2PModel.decode(first.model.encode(), 'g2p');
    const second = cachedG2P(source, cache);
    expect(second.trained).toBe(false);
    for (const w of words) {
      expect(decoded.predict(w)).toEqual(first.model.predict(w));
      expect(second.model.predict(w)).toEqual(first.model.predict(w));
    }
    expect(first.model.predict('zorblat').length).toBeGreaterThan(3);
    const bytes = readFileSync(second.cachePath);
    bytes[bytes.length - 5] ^= 0x21;
    writeFileSync(second.cachePath, bytes);
    const again = cachedG2P(source, cache);
    expect(again.trained).toBe(true);
    expect(again.warning).toMatch(/checksum mismatch.*trained again/);
    expect(() => G2PModel.decode(bytes.subarray(0, 30), 'short.hg2p')).toThrow(/short\.hg2p .*bytes where its header needs/);
  });
});
