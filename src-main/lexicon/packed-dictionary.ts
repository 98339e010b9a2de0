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
 * "\n" (B bytes), zero padding to a multiple of 4, u32 wordStart[V + 1] (word i is the bytes
 * wordStart[i] .. wordStart[i + 1] - 2, its "\n" excluded; wordStart[V] = B + 1), u32
 * sortedIndex[V] (word indices in UTF-8 byte order of the words, for binary search), u32
 * pronStart[V + 1], u32 phoneStart[P + 1], u8 phones[N] (phoneme ids of src-shared/units/phonemes.ts).
 * Version 2 sorts by UTF-8 bytes (version 1: UTF-16 code units), so that a lookup compares the
 * stored bytes and the 135k words are never all decoded into strings unless they are iterated.
 * Version 3 stores wordStart, so that loading the file is reading it and its checksum, with no
 * pass over its 135k entries in JavaScript (such passes run cold, once per process, and cost
 * about 30 ms of the 50 it took to load version 2 at every start that looks up a word).
 *
 * Checked where read: decode checks only the header and the sizes and ends of the arrays (constant
 * time; the CRC catches damage). A file whose checksum matches but whose values are wrong must still
 * never read out of range, hang or answer with a wrong phoneme id: every sortedIndex entry, word
 * offset, word (UTF-8), pronunciation range and phoneme id is checked when a lookup reads it, and
 * iteration checks everything, throwing an Error naming the file and the problem.
 */
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import { checkPackedPronunciations, packPronunciations, unpackPronunciations, type PackedPronunciations } from './packed-lexicon.ts';

const MAGIC = Buffer.from('HARKDICT', 'latin1');
export const PACKED_DICTIONARY_VERSION = 3;
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

/** -1, 0 or 1 as UTF-8 bytes a[as, ae) sort before, equal or after b[bs, be). */
function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = a[as + k] - b[bs + k];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ae - as === be - bs ? 0 : ae - as < be - bs ? -1 : 1;
}

export class PackedDictionary implements ReadonlyMap<string, Pronunciation[]> {
  /** The words as strings, made (and checked) on the first iteration (lookups read the bytes). */
  private words: readonly string[] | undefined;
  private readonly encoder = new TextEncoder();
  /** How errors begin: the file's name and "is damaged". */
  private readonly damaged: string;

  private constructor(
    /** The words in dictionary order, UTF-8, joined with "\n". */
    private readonly text: Uint8Array,
    /** Word i is text[starts[i], starts[i + 1] - 1); starts[0] = 0 and starts[V] = B + 1 are checked by decode, the rest where read. */
    private readonly starts: Uint32Array,
    private readonly sortedIndex: Uint32Array,
    private readonly packed: PackedPronunciations,
    /** Names the file in errors. */
    name: string,
  ) {
    this.damaged = `${name} is damaged`;
  }

  /** Packs `table` (iteration order kept). */
  static fromMap(table: ReadonlyMap<string, readonly Pronunciation[]>): PackedDictionary {
    const words = [...table.keys()];
    if (words.some((w) => w.includes('\n'))) throw new Error('a dictionary word holds a line break');
    const text = new TextEncoder().encode(words.join('\n'));
    const starts = wordStarts(text, words.length);
    const sortedIndex = Uint32Array.from(words.keys()).sort((a, b) => Buffer.compare(text.subarray(starts[a], starts[a + 1] - 1), text.subarray(starts[b], starts[b + 1] - 1)));
    return new PackedDictionary(text, starts, sortedIndex, packPronunciations(words, table), 'the packed dictionary');
  }

  /**
   * Reads a file written by encode(); throws with the reason when its header, sizes or checksum are
   * wrong. The entries are checked when read (header comment), so this costs no pass over them.
   * The dictionary keeps views of `bytes` (no copy): the caller hands them over.
   */
  static decode(bytes: Uint8Array, name: string): PackedDictionary {
    const fail = (reason: string): never => { throw new Error(`${name} is not a packed pronunciation dictionary: ${reason}`); };
    if (bytes.length < HEADER_BYTES || !Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC)) fail('no HARKDICT header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(8, true);
    if (version !== PACKED_DICTIONARY_VERSION) fail(`format version ${version}, this Hark reads ${PACKED_DICTIONARY_VERSION}`);
    const V = view.getUint32(12, true), P = view.getUint32(16, true), N = view.getUint32(20, true), B = view.getUint32(24, true);
    const pad = (B + 3) & ~3;
    const expected = HEADER_BYTES + pad + 4 * (V + 1) + 4 * V + 4 * (V + 1) + 4 * (P + 1) + N;
    if (bytes.length !== expected) fail(`${bytes.length} bytes where its header needs ${expected}`);
    if ((crc32(bytes.subarray(HEADER_BYTES)) >>> 0) !== view.getUint32(28, true)) fail('checksum mismatch (damaged)');
    // Views, not copies (copying the 4 MB cost more than all the rest of decode): the u32 sections
    // are 4-byte aligned within the file, so within `bytes` too unless it starts unaligned; then
    // one copy (new Uint8Array: a Buffer's slice() would be a view).
    const body = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    let at = HEADER_BYTES;
    const text = body.subarray(at, at + B);
    at += pad;
    const u32 = (n: number) => {
      const a = new Uint32Array(body.buffer, body.byteOffset + at, n);
      at += 4 * n;
      return a;
    };
    const starts = u32(V + 1), sortedIndex = u32(V), pronStart = u32(V + 1), phoneStart = u32(P + 1);
    const phones = body.subarray(at, at + N);
    if (V > 0 ? starts[0] !== 0 || starts[V] !== B + 1 : B !== 0) fail('word offsets do not cover the words');
    const packed = { pronStart, phoneStart, phones };
    checkPackedPronunciations(packed, V, `${name} is not a packed pronunciation dictionary`);
    return new PackedDictionary(text, starts, sortedIndex, packed, name);
  }

  /** The binary form (header comment). */
  encode(): Uint8Array {
    const text = this.text;
    const { pronStart, phoneStart, phones } = this.packed;
    const V = this.size, P = phoneStart.length - 1, N = phones.length, B = text.length;
    const pad = (B + 3) & ~3;
    const out = new Uint8Array(HEADER_BYTES + pad + 4 * (V + 1) + 4 * V + 4 * (V + 1) + 4 * (P + 1) + N);
    out.set(MAGIC, 0);
    const view = new DataView(out.buffer);
    [PACKED_DICTIONARY_VERSION, V, P, N, B].forEach((x, i) => view.setUint32(8 + 4 * i, x, true));
    let at = HEADER_BYTES;
    out.set(text, at);
    at += pad;
    for (const a of [this.starts, this.sortedIndex, pronStart, phoneStart]) {
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

  private fail(reason: string): never {
    throw new Error(`${this.damaged}: ${reason}`);
  }

  /** The end (exclusive) of word i's bytes, after checking that its offsets lie in order within the text, between line breaks. */
  private wordEnd(i: number): number {
    const s = this.starts[i], e = this.starts[i + 1] - 1, text = this.text;
    const inOrder = s <= e && e <= text.length && (i === 0 || (s > 0 && text[s - 1] === NEWLINE));
    if (!(inOrder && (i === this.size - 1 || (e < text.length && text[e] === NEWLINE)))) {
      this.fail(`the offsets of word ${i} are out of order or out of bounds`);
    }
    return e;
  }

  /**
   * Every word, checked as iteration reads them all: valid UTF-8, exactly the words that the
   * offsets delimit, and sortedIndex in range and in order (so that lookups find every word).
   */
  private allWords(): readonly string[] {
    if (this.words) return this.words;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(this.text);
    } catch {
      return this.fail('words are not UTF-8');
    }
    const V = this.size;
    const words = V === 0 ? [] : text.split('\n');
    if (words.length !== V) this.fail(`${words.length} words where the header says ${V}`);
    // V - 1 line breaks, each at the end of a word's offsets: the offsets delimit exactly these words.
    for (let i = 0; i < V; i++) this.wordEnd(i);
    const { text: t, starts, sortedIndex } = this;
    for (let k = 0; k < V; k++) {
      const i = sortedIndex[k];
      if (i >= V) this.fail(`sorted index entry ${k} is ${i}, out of range for ${V} words`);
      const last = sortedIndex[k - 1];
      if (k > 0 && compareBytes(t, starts[last], starts[last + 1] - 1, t, starts[i], starts[i + 1] - 1) >= 0) {
        this.fail(`sorted index entries ${k - 1} and ${k} are out of order`);
      }
    }
    this.words = words;
    return words;
  }

  /**
   * Binary search over sortedIndex. Checks each index, offset and word it reads. An index that is
   * in range but out of order can only make it miss a word (iteration checks the order).
   */
  private indexOf(word: string): number {
    if (word.includes('\n')) return -1; // no word holds one (fromMap), whatever the offsets say
    const key = this.encoder.encode(word);
    const V = this.size;
    let lo = 0, hi = V - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.sortedIndex[mid];
      if (i >= V) this.fail(`sorted index entry ${mid} is ${i}, out of range for ${V} words`);
      const s = this.starts[i], e = this.wordEnd(i);
      if (!isUtf8(this.text.subarray(s, e))) this.fail(`word ${i} is not UTF-8`);
      const c = compareBytes(this.text, s, e, key, 0, key.length);
      if (c === 0) return i;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Word i's pronunciations, their ranges and phoneme ids checked. */
  private pronunciationsAt(i: number): Pronunciation[] {
    return unpackPronunciations(this.packed, i, this.damaged);
  }

  /** Whether `word` is here (its pronunciations are checked as by get(), so that get() then answers). */
  has(word: string): boolean {
    return this.get(word) !== undefined;
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
