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
import { PACKED_DICTIONARY_VERSION, PackedDictionary } from '../../src-main/lexicon/packed-dictionary.ts';
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

/** A version-2 file as the previous Hark wrote it: "ab" EY B IY, "cd" S IY | D IY. */
const VERSION_2_FILE = '4841524b444943540200000002000000030000000700000005000000d022633761620a63640000000000000001000000000000000100000003000000000000000300000005000000070000000d07121d120912';

/** The header's counts and the byte offsets of the sections of a version-3 file (packed-dictionary.ts). */
function sections(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, V, P, N, B] = [8, 12, 16, 20, 24].map((at) => view.getUint32(at, true));
  const starts = 32 + ((B + 3) & ~3), sortedIndex = starts + 4 * (V + 1), pronStart = sortedIndex + 4 * V;
  const phoneStart = pronStart + 4 * (V + 1), phones = phoneStart + 4 * (P + 1);
  return { version, V, P, N, B, starts, sortedIndex, pronStart, phoneStart, phones };
}

function u32s(bytes: Uint8Array, at: number, n: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: n }, (_, i) => view.getUint32(at + 4 * i, true));
}

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

  it('reads a version-3 file (the layout of the header comment), aligned in its buffer or not', () => {
    const bytes = PackedDictionary.fromMap(SMALL).encode();
    const s = sections(bytes);
    expect(s.version).toBe(PACKED_DICTIONARY_VERSION);
    expect(PACKED_DICTIONARY_VERSION).toBe(3);
    expect(bytes.length).toBe(s.phones + s.N);
    expect([...u32s(bytes, s.starts, s.V + 1)]).toEqual([0, 5, 7, 14, 22, 26]); // "read\na\no'neil\nzürich\nabc" + 1
    expect([...u32s(bytes, s.sortedIndex, s.V)]).toEqual([1, 4, 2, 0, 3]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const d = PackedDictionary.decode(shifted.subarray(1), 'shifted');
    expect([...d.entries()]).toEqual([...SMALL.entries()]);
    for (const [w, p] of SMALL) expect(d.get(w)).toEqual(p);
  });

  it('refuses a version-2 file (written by an earlier Hark) with the reason', () => {
    expect(() => PackedDictionary.decode(Buffer.from(VERSION_2_FILE, 'hex'), 'v2.hdict')).toThrow(/v2\.hdict .*format version 2, this Hark reads 3/);
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

describe('a PackedDictionary whose checksum matches but whose values are wrong', () => {
  // Sorted order is dictionary order: a lookup of "a" reads sorted entries 3, 1, 0; of "g" 3, 5, 6.
  const SEVEN = new Map<string, string[][]>(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((w, i) => [w, [['AH', 'B', 'D', 'EH', 'F', 'G', 'HH'].slice(0, i + 1)]]));
  const edited = (edit: (bytes: Uint8Array, s: ReturnType<typeof sections>) => void) => {
    const bytes = PackedDictionary.fromMap(SEVEN).encode();
    edit(bytes, sections(bytes));
    new DataView(bytes.buffer).setUint32(28, crc32(bytes.subarray(32)) >>> 0, true);
    return PackedDictionary.decode(bytes, 'h.hdict');
  };
  const setU32 = (bytes: Uint8Array, at: number, i: number, value: number) => new DataView(bytes.buffer).setUint32(at + 4 * i, value, true);
  /** Looking up `bad` throws `problem`, iterating `iterated` (it meets the first bad entry in dictionary order); `good` still looks up right. */
  const expectRefused = (d: PackedDictionary, bad: string, good: string, problem: RegExp, iterated = problem) => {
    expect(() => d.get(bad)).toThrow(problem);
    expect(() => d.has(bad)).toThrow(problem);
    expect(() => [...d]).toThrow(iterated);
    expect(d.get(good)).toEqual(SEVEN.get(good));
    expect(d.has(good)).toBe(true);
    expect(d.get(good < bad ? '0' : 'zz')).toBeUndefined(); // a miss on good's side reads only what looking up good reads
  };

  it('refuses a phoneme id out of range when that word is read', () => {
    const d = edited((b, s) => { b[s.phones] = 99; });
    expectRefused(d, 'a', 'g', /h\.hdict is damaged: word 0: phoneme id 99 out of range/);
    expect(() => [...d.values()]).toThrow(/phoneme id 99/);
  });

  it('refuses pronunciation and phoneme ranges out of bounds or out of order', () => {
    expectRefused(edited((b, s) => setU32(b, s.pronStart, 1, 1000)), 'a', 'g', /h\.hdict is damaged: word 0: pronunciation range out of order or out of bounds/);
    expectRefused(edited((b, s) => setU32(b, s.pronStart, 3, 1)), 'c', 'g', /word 2: pronunciation range out of order/);
    expectRefused(edited((b, s) => setU32(b, s.phoneStart, 1, 1000)), 'a', 'g', /word 0: phoneme range out of order or out of bounds/);
    expectRefused(edited((b, s) => setU32(b, s.phoneStart, 2, 0)), 'b', 'g', /word 1: phoneme range out of order/);
  });

  it('refuses a sorted index entry out of range, and iteration finds one out of order', () => {
    expectRefused(edited((b, s) => setU32(b, s.sortedIndex, 0, 1000)), 'a', 'g', /h\.hdict is damaged: sorted index entry 0 is 1000, out of range for 7 words/);
    const swapped = edited((b, s) => { setU32(b, s.sortedIndex, 5, 6); setU32(b, s.sortedIndex, 6, 5); });
    expect(swapped.get('a')).toEqual(SEVEN.get('a'));
    expect(() => [...swapped.keys()]).toThrow(/sorted index entries 5 and 6 are out of order/);
  });

  it('refuses word offsets out of order or off the line breaks, and words that are not UTF-8', () => {
    // The words are "a\nb\nc\n...": word i starts at byte 2i.
    expectRefused(edited((b, s) => setU32(b, s.starts, 1, 5)), 'b', 'g', /h\.hdict is damaged: the offsets of word 1 are out of order or out of bounds/, /the offsets of word 0/);
    expectRefused(edited((b, s) => setU32(b, s.starts, 6, 1000)), 'g', 'a', /the offsets of word 5 are out of order or out of bounds/);
    // The line break after "a" made a letter: the offsets no longer fall on line breaks.
    expectRefused(edited((b) => { b[33] = 0x2d; }), 'a', 'g', /the offsets of word 1/, /6 words where the header says 7/);
    expectRefused(edited((b) => { b[32] = 0xff; }), 'a', 'g', /h\.hdict is damaged: word 0 is not UTF-8/, /h\.hdict is damaged: words are not UTF-8/);
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
    for (const w of sample) expect(second.dictionary.get(w)).toEqual(parsed.get(w));
    expect(second.dictionary.get('read')).toEqual(parsed.get('read'));
  });

  it('answers every word of the package as parsed, looked up and iterated, from a fresh read of the file', () => {
    const cache = tempDir();
    const { cachePath } = cachedCmudict(source, cache);
    const d = PackedDictionary.decode(readFileSync(cachePath), cachePath);
    expect([...parsed.keys()].map((w) => d.get(w))).toEqual([...parsed.values()]);
    expect([...d.entries()]).toEqual([...parsed.entries()]);
  });

  it('makes the cache again beside or over a version-2 file', () => {
    const cache = tempDir();
    const current = cachedCmudict(source, cache).cachePath;
    rmSync(current);
    // An earlier Hark's file keeps its own name: left alone, the current version is made beside it.
    const old = current.replace(/cmudict-v3-/, 'cmudict-v2-');
    expect(old).not.toBe(current);
    writeFileSync(old, Buffer.from(VERSION_2_FILE, 'hex'));
    const beside = cachedCmudict(source, cache);
    expect(beside).toMatchObject({ built: true, cachePath: current });
    expect(beside.warning).toBeUndefined();
    expect(readFileSync(old)).toEqual(Buffer.from(VERSION_2_FILE, 'hex'));
    // A version-2 file under the current name is refused, saying why, and made again.
    writeFileSync(current, Buffer.from(VERSION_2_FILE, 'hex'));
    const over = cachedCmudict(source, cache);
    expect(over.built).toBe(true);
    expect(over.warning).toMatch(/format version 2, this Hark reads 3; made again/);
    const read = cachedCmudict(source, cache);
    expect(read.built).toBe(false);
    for (const w of sample.slice(0, 20)) expect(read.dictionary.get(w)).toEqual(parsed.get(w));
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
