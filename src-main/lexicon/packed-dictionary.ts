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
 * "\n" (B bytes), zero padding to a multiple of 4, u32 sortedIndex[V] (word indices in UTF-8 byte
 * order of the words, for binary search), u32 pronStart[V + 1], u32 phoneStart[P + 1], u8 phones[N]
 * (phoneme ids of src-shared/units/phonemes.ts).
 * Version 2 sorts by UTF-8 bytes (version 1: UTF-16 code units), so that a lookup compares the
 * stored bytes and the 135k words are never all decoded into strings unless they are iterated
 * (decoding and splitting them was most of the file's load time).
 */
import { crc32 } from 'node:zlib';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { checkPackedPronunciations, packPronunciations, unpackPronunciations, type PackedPronunciations } from './packed-lexicon.ts';

const MAGIC = Buffer.from('HARKDICT', 'latin1');
export const PACKED_DICTIONARY_VERSION = 2;
const HEADER_BYTES = 32;

const NEWLINE = 0x0a;

/** Byte offsets of the words in `text` (words joined with "\n"): word i is text[starts[i], starts[i + 1] - 1). */
function wordStarts(text: Uint8Array, count: number): Uint32Array {
  const starts = new Uint32Array(count + 1);
  let w = 1;
  for (let k = 0; k < text.length && w < count; k++) if (text[k] === NEWLINE) starts[w++] = k + 1;
  starts[count] = text.length + 1;
  return starts;
}

/** -1, 0 or 1 as UTF-8 bytes a[as, ae) sort before, equal or after b. */
function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array): number {
  const n = Math.min(ae - as, b.length);
  for (let k = 0; k < n; k++) {
    const d = a[as + k] - b[k];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ae - as === b.length ? 0 : ae - as < b.length ? -1 : 1;
}

export class PackedDictionary implements ReadonlyMap<string, Pronunciation[]> {
  /** The words as strings, made on the first iteration (lookups read the bytes). */
  private words: readonly string[] | undefined;
  private readonly encoder = new TextEncoder();

  private constructor(
    /** The words in dictionary order, UTF-8, joined with "\n". */
    private readonly text: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly sortedIndex: Uint32Array,
    private readonly packed: PackedPronunciations,
  ) {}

  /** Packs `table` (iteration order kept). */
  static fromMap(table: ReadonlyMap<string, readonly Pronunciation[]>): PackedDictionary {
    const words = [...table.keys()];
    if (words.some((w) => w.includes('\n'))) throw new Error('a dictionary word holds a line break');
    const text = new TextEncoder().encode(words.join('\n'));
    const starts = wordStarts(text, words.length);
    const sortedIndex = Uint32Array.from(words.keys()).sort((a, b) => Buffer.compare(text.subarray(starts[a], starts[a + 1] - 1), text.subarray(starts[b], starts[b + 1] - 1)));
    return new PackedDictionary(text, starts, sortedIndex, packPronunciations(words, table));
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
    const text = bytes.slice(at, at + B);
    let breaks = 0;
    for (let k = 0; k < B; k++) if (text[k] === NEWLINE) breaks++;
    if (V > 0 ? breaks !== V - 1 : B !== 0) fail(`${V > 0 ? breaks + 1 : B} words where the header says ${V}`);
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
    const packed = { pronStart, phoneStart, phones };
    checkPackedPronunciations(packed, V, name);
    for (let k = 0; k < N; k++) if (phones[k] === 0 || phones[k] >= UNITS.length) fail(`phoneme id ${phones[k]} out of range`);
    for (let i = 0; i < V; i++) if (sortedIndex[i] >= V) fail('sorted index out of range');
    // The words are checked as UTF-8 once here (lookups and iteration then decode them without checks).
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(text);
    } catch {
      fail('words are not UTF-8');
    }
    return new PackedDictionary(text, wordStarts(text, V), sortedIndex, packed);
  }

  /** The binary form (header comment). */
  encode(): Uint8Array {
    const text = this.text;
    const { pronStart, phoneStart, phones } = this.packed;
    const V = this.size, P = phoneStart.length - 1, N = phones.length, B = text.length;
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
    return this.starts.length - 1;
  }

  private allWords(): readonly string[] {
    this.words ??= this.size === 0 ? [] : new TextDecoder().decode(this.text).split('\n');
    return this.words;
  }

  private indexOf(word: string): number {
    const key = this.encoder.encode(word);
    let lo = 0, hi = this.sortedIndex.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.sortedIndex[mid];
      const c = compareBytes(this.text, this.starts[i], this.starts[i + 1] - 1, key);
      if (c === 0) return i;
      if (c < 0) lo = mid + 1;
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
    const words = this.allWords();
    for (let i = 0; i < words.length; i++) yield [words[i], this.pronunciationsAt(i)];
  }

  *keys(): MapIterator<string> {
    yield* this.allWords();
  }

  *values(): MapIterator<Pronunciation[]> {
    for (let i = 0; i < this.size; i++) yield this.pronunciationsAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, Pronunciation[]]> {
    return this.entries();
  }

  forEach(fn: (value: Pronunciation[], key: string, map: ReadonlyMap<string, Pronunciation[]>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
