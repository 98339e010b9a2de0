/**
 * CMUdict as packed arrays (PackedPronunciations) behind the ReadonlyMap interface its users
 * read (has / get / iteration in dictionary order), and its binary file: reading the npm package's
 * 4.7 MB object literal and splitting 135k pronunciations costs most of a second at every start of
 * every mode that pronounces a word (phrases, word lists, keywords); the binary form loads in a
 * few milliseconds. The file is made once per machine from the installed package and kept in the
 * user data folder's cache (cmudict.ts), never shipped, so it cannot drift from the package.
 *
 * Layout (little-endian): 8 bytes magic "HARKDICT", u32 version, u32 word count V, u32
 * pronunciation count P, u32 phoneme count N, u32 byte length B of the words, u32 CRC-32 (zlib) of
 * every byte after this 32-byte header; then the words in dictionary order, UTF-8, joined with
 * "\n" (B bytes), zero padding to a multiple of 4, u32 sortedIndex[V] (word indices in code-unit
 * order of the words, for binary search), u32 pronStart[V + 1], u32 phoneStart[P + 1], u8 phones[N]
 * (phoneme ids of src-shared/units/phonemes.ts).
 */
import { crc32 } from 'node:zlib';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { checkPackedPronunciations, packPronunciations, unpackPronunciations, type PackedPronunciations } from './packed-lexicon.ts';

const MAGIC = Buffer.from('HARKDICT', 'latin1');
export const PACKED_DICTIONARY_VERSION = 1;
const HEADER_BYTES = 32;

export class PackedDictionary implements ReadonlyMap<string, Pronunciation[]> {
  private constructor(
    private readonly words: readonly string[],
    private readonly sortedIndex: Uint32Array,
    private readonly packed: PackedPronunciations,
  ) {}

  /** Packs `table` (iteration order kept). */
  static fromMap(table: ReadonlyMap<string, readonly Pronunciation[]>): PackedDictionary {
    const words = [...table.keys()];
    const sortedIndex = Uint32Array.from(words.keys()).sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    return new PackedDictionary(words, sortedIndex, packPronunciations(words, table));
  }

  /** Reads a file written by encode(); throws with the reason when it is not one. */
  static decode(bytes: Uint8Array, name: string): PackedDictionary {
    const fail = (reason: string): never => { throw new Error(`${name} is not a packed pronunciation dictionary: ${reason}`); };
    if (bytes.length < HEADER_BYTES || !Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC)) fail('no HARKDICT header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(8, true);
    if (version !== PACKED_DICTIONARY_VERSION) fail(`format version ${version}, this Hark reads ${PACKED_DICTIONARY_VERSION}`);
    const V = view.getUint32(12, true), P = view.getUint32(16, true), N = view.getUint32(20, true), B = view.getUint32(24, true);
    const pad = (B + 3) & ~3;
    const expected = HEADER_BYTES + pad + 4 * V + 4 * (V + 1) + 4 * (P + 1) + N;
    if (bytes.length !== expected) fail(`${bytes.length} bytes where its header needs ${expected}`);
    if ((crc32(bytes.subarray(HEADER_BYTES)) >>> 0) !== view.getUint32(28, true)) fail('checksum mismatch (damaged)');
    let at = HEADER_BYTES;
    const words = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + B)).split('\n');
    at += pad;
    // Copies: the u32 sections are not necessarily 4-byte aligned within the caller's buffer.
    const u32 = (n: number) => {
      const a = new Uint32Array(n);
      new Uint8Array(a.buffer).set(bytes.subarray(at, at + 4 * n));
      at += 4 * n;
      return a;
    };
    const sortedIndex = u32(V), pronStart = u32(V + 1), phoneStart = u32(P + 1);
    const phones = new Uint8Array(bytes.subarray(at, at + N));
    if (words.length !== V) fail(`${words.length} words where the header says ${V}`);
    const packed = { pronStart, phoneStart, phones };
    checkPackedPronunciations(packed, V, name);
    for (let k = 0; k < N; k++) if (phones[k] === 0 || phones[k] >= UNITS.length) fail(`phoneme id ${phones[k]} out of range`);
    for (let i = 0; i < V; i++) if (sortedIndex[i] >= V) fail('sorted index out of range');
    return new PackedDictionary(words, sortedIndex, packed);
  }

  /** The binary form (header comment). */
  encode(): Uint8Array {
    const text = new TextEncoder().encode(this.words.join('\n'));
    const { pronStart, phoneStart, phones } = this.packed;
    const V = this.words.length, P = phoneStart.length - 1, N = phones.length, B = text.length;
    const pad = (B + 3) & ~3;
    const out = new Uint8Array(HEADER_BYTES + pad + 4 * V + 4 * (V + 1) + 4 * (P + 1) + N);
    out.set(MAGIC, 0);
    const view = new DataView(out.buffer);
    [PACKED_DICTIONARY_VERSION, V, P, N, B].forEach((x, i) => view.setUint32(8 + 4 * i, x, true));
    let at = HEADER_BYTES;
    out.set(text, at);
    at += pad;
    for (const a of [this.sortedIndex, pronStart, phoneStart]) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    out.set(phones, at);
    view.setUint32(28, crc32(out.subarray(HEADER_BYTES)) >>> 0, true);
    return out;
  }

  get size(): number {
    return this.words.length;
  }

  private indexOf(word: string): number {
    let lo = 0, hi = this.sortedIndex.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = this.words[this.sortedIndex[mid]];
      if (w === word) return this.sortedIndex[mid];
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private pronunciationsAt(i: number): Pronunciation[] {
    return unpackPronunciations(this.packed, i);
  }

  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /** A fresh copy of the word's pronunciations (undefined when absent). */
  get(word: string): Pronunciation[] | undefined {
    const i = this.indexOf(word);
    return i < 0 ? undefined : this.pronunciationsAt(i);
  }

  *entries(): MapIterator<[string, Pronunciation[]]> {
    for (let i = 0; i < this.words.length; i++) yield [this.words[i], this.pronunciationsAt(i)];
  }

  *keys(): MapIterator<string> {
    yield* this.words;
  }

  *values(): MapIterator<Pronunciation[]> {
    for (let i = 0; i < this.words.length; i++) yield this.pronunciationsAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, Pronunciation[]]> {
    return this.entries();
  }

  forEach(fn: (value: Pronunciation[], key: string, map: ReadonlyMap<string, Pronunciation[]>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
