/**
 * Beneath a Steel Sky (Debian package beneath-a-steel-sky, the freeware CD version v0.0372): the
 * recorded speech of the game, read from its data files sky.dnr (directory) and sky.dsk (data).
 *
 * Formats, as this module reads them (written from public descriptions of the game's files):
 *
 *  - sky.dnr: uint32 LE entry count, then 8-byte entries: uint16 LE file number; 24-bit LE offset
 *    into sky.dsk (bit 23 set: the low 23 bits count 16-byte units); 24-bit LE flags (low 22 bits:
 *    size in sky.dsk; bit 22: an unpacked file does not keep its 22-byte header; bit 23: stored, never
 *    packed).
 *  - Every file starts with a 22-byte header of eleven LE uint16 (flag, x, y, width, height, sprite
 *    size, total size, sprite count, x offset, y offset, compressed size). Bit 7 of `flag` marks an
 *    RNC-packed body (the RNC block follows the header); the unpacked size is
 *    ((flag & 0xff00) << 8) | totalSize.
 *  - RNC method 1 ("RNC\x01"): big-endian header (unpacked length, packed length, CRC-16 of the
 *    unpacked and of the packed data, leeway, block count), then a stream of 16-bit LE words read
 *    LSB first, with literal bytes interleaved at the byte position after the last word begun. Each
 *    block: three canonical Huffman tables (literal-run length, match offset, match length; 5-bit
 *    symbol count, 4-bit code lengths), a 16-bit chunk count, then per chunk a literal run and (but
 *    for the last chunk) a back-reference. A decoded symbol s >= 2 stands for 2^(s-1) plus s-1
 *    further bits.
 *  - Speech: files 50000 + n. After the header, unsigned 8-bit mono PCM at 11,025 Hz up to the
 *    header's total size (which equals the unpacked file's size; files 59494 and up are the CD intro,
 *    94 spoken clips among palettes, screens and animations).
 *  - Text: files 60600 + section (English, sections 0-7). uint16 LE at 0: offset of the per-message
 *    length bytes (32 per block of 32 messages); uint16 LE at 2: offset of the bit stream; from 4:
 *    one uint16 LE per block, its length. Lengths count 2-bit units; a length byte with bit 7 set
 *    means (byte & 0x7f) * 8; a block's last message runs to the block's end. Text number =
 *    section << 12 | index; speech file = 50000 + sectionBase[section] + index, the bases found in the
 *    data (`chooseSectionBases`: v0.0372 gives 0, 600, 1100, 2430, 3380, 4530, 5080; section 7 has too
 *    few clips to place). Each message is a string of Huffman codes (MSB-first bits, a 0 char ends
 *    it; every message's bits end in 0000). The Huffman tree is not in the game data: it lived in
 *    the original executable. The game engine in Debian's `scummvm` package holds it, so the source
 *    unpacks that package too and finds the tree in the engine binary (steel-sky-tree.ts: the
 *    candidate that decodes the game's own text cleanly). Without the engine the source yields
 *    nothing (with a warning); the audio and each clip's line number are still available through
 *    `extractSteelSkySpeech` and `extractSteelSkyLines`.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealSource, RealUtterance } from '../real-source.ts';
import { chooseHuffTree, decodeHuffMessageBits, findHuffTrees } from './steel-sky-tree.ts';

export const SKY_SAMPLE_RATE = 11025;
export const SKY_HEADER_BYTES = 22;
export const SKY_SPEECH_FIRST = 50000;
export const SKY_SPEECH_LAST = 59999;
export const SKY_ENGLISH_TEXT_FIRST = 60600;
export const SKY_TEXT_SECTIONS = 8;

/** Where the package puts the data files, relative to the unpacked root. */
export const SKY_DATA_DIRS = ['usr/share/scummvm/beneath-a-steel-sky', 'usr/share/games/beneath-a-steel-sky', 'usr/share/scummvm'];

export interface DnrEntry {
  fileNr: number;
  /** Byte offset in sky.dsk. */
  offset: number;
  /** Bytes in sky.dsk. */
  size: number;
  /** Flag bit 23: stored as is, never RNC-packed. */
  stored: boolean;
  /** Flag bit 22: once unpacked, the file does not keep its header. */
  dropHeader: boolean;
}

export function parseDnr(buf: Uint8Array): DnrEntry[] {
  if (buf.length < 4) throw new Error('sky.dnr: too short');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const count = view.getUint32(0, true);
  if (count === 0 || 4 + 8 * count > buf.length) throw new Error(`sky.dnr: ${count} entries do not fit in ${buf.length} bytes`);
  const out: DnrEntry[] = [];
  for (let i = 0; i < count; i++) {
    const p = 4 + 8 * i;
    const fileNr = view.getUint16(p, true);
    const off24 = buf[p + 2] | (buf[p + 3] << 8) | (buf[p + 4] << 16);
    const flags = buf[p + 5] | (buf[p + 6] << 8) | (buf[p + 7] << 16);
    const offset = off24 & 0x800000 ? (off24 & 0x7fffff) * 16 : off24 & 0x7fffff;
    out.push({ fileNr, offset, size: flags & 0x3fffff, stored: (flags & 0x800000) !== 0, dropHeader: (flags & 0x400000) !== 0 });
  }
  return out;
}

/** CRC-16 with the reflected polynomial 0xA001 and initial value 0 (the one RNC uses). */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= data[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export class RncError extends Error {}

/** Bits come LSB first out of 16-bit LE words; literal bytes are taken at `pos`, the byte after the last word begun. */
class RncBits {
  private bits = 0;
  private count = 0;
  constructor(
    private readonly src: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  bit(): number {
    if (this.count === 0) {
      if (this.pos + 2 > this.end) {
        // A final odd byte or nothing: pad with zero bits like a reader running off the end would.
        this.bits = this.pos < this.end ? this.src[this.pos] : 0;
        if (this.pos > this.end + 4) throw new RncError('RNC: bit stream overrun');
      } else {
        this.bits = this.src[this.pos] | (this.src[this.pos + 1] << 8);
      }
      this.pos += 2;
      this.count = 16;
    }
    const b = this.bits & 1;
    this.bits >>>= 1;
    this.count--;
    return b;
  }

  /** `n` bits, the first read as the least significant. */
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v |= this.bit() << i;
    return v >>> 0;
  }

  literal(dst: Uint8Array, at: number, n: number): void {
    if (this.pos + n > this.end) throw new RncError('RNC: literal run past the end of the packed data');
    if (at + n > dst.length) throw new RncError('RNC: literal run past the end of the output');
    dst.set(this.src.subarray(this.pos, this.pos + n), at);
    this.pos += n;
  }
}

/** A canonical Huffman table as RNC stores it: code lengths for up to 16 symbols. */
class RncTable {
  /** key: length * 65536 + code (MSB-first as read) -> symbol */
  private readonly codes = new Map<number, number>();
  private readonly maxLen: number;
  readonly empty: boolean;

  constructor(bits: RncBits) {
    const n = bits.read(5);
    const lengths: number[] = [];
    for (let i = 0; i < n; i++) lengths.push(bits.read(4));
    let code = 0; // left-aligned in 16 bits
    let maxLen = 0;
    for (let len = 1; len <= 16; len++) {
      for (let s = 0; s < n; s++) {
        if (lengths[s] !== len) continue;
        this.codes.set(len * 65536 + (code >>> (16 - len)), s);
        code += 1 << (16 - len);
        maxLen = len;
      }
    }
    this.maxLen = maxLen;
    this.empty = this.codes.size === 0;
  }

  /** Decodes one symbol and turns it into its value (s >= 2: 2^(s-1) plus s-1 more bits). */
  value(bits: RncBits): number {
    if (this.empty) throw new RncError('RNC: symbol read from an empty table');
    let code = 0;
    for (let len = 1; len <= this.maxLen; len++) {
      code = (code << 1) | bits.bit();
      const s = this.codes.get(len * 65536 + code);
      if (s !== undefined) {
        if (s < 2) return s;
        return (1 << (s - 1)) | bits.read(s - 1);
      }
    }
    throw new RncError('RNC: no Huffman code matches');
  }
}

export const RNC_HEADER_BYTES = 18;

export function isRnc1(buf: Uint8Array, at = 0): boolean {
  return buf.length >= at + RNC_HEADER_BYTES && buf[at] === 0x52 && buf[at + 1] === 0x4e && buf[at + 2] === 0x43 && buf[at + 3] === 1;
}

/** Unpacks an RNC method 1 block starting at `at`; checks both CRCs. */
export function rncUnpack(buf: Uint8Array, at = 0): Uint8Array {
  if (!isRnc1(buf, at)) throw new RncError('RNC: no "RNC\\x01" signature');
  const view = new DataView(buf.buffer, buf.byteOffset + at, buf.byteLength - at);
  const unpackedLen = view.getUint32(4, false);
  const packedLen = view.getUint32(8, false);
  const crcUnpacked = view.getUint16(12, false);
  const crcPacked = view.getUint16(14, false);
  const blocks = buf[at + 17];
  const start = at + RNC_HEADER_BYTES;
  const end = start + packedLen;
  if (end > buf.length) throw new RncError(`RNC: packed length ${packedLen} runs past the data (${buf.length - start} bytes)`);
  if (crc16(buf, start, end) !== crcPacked) throw new RncError('RNC: packed data CRC mismatch');
  const out = new Uint8Array(unpackedLen);
  const bits = new RncBits(buf, start, end);
  bits.read(2); // lock and key flags, unused here
  let o = 0;
  for (let b = 0; b < blocks; b++) {
    const raw = new RncTable(bits);
    const pos = new RncTable(bits);
    const len = new RncTable(bits);
    let chunks = bits.read(16);
    if (chunks === 0) throw new RncError('RNC: block with no chunks');
    while (chunks > 0) {
      const runLen = raw.value(bits);
      if (runLen > 0) {
        bits.literal(out, o, runLen);
        o += runLen;
      }
      if (chunks > 1) {
        const offset = pos.value(bits) + 1;
        const n = len.value(bits) + 2;
        if (offset > o) throw new RncError('RNC: back-reference before the start of the output');
        if (o + n > out.length) throw new RncError('RNC: back-reference past the end of the output');
        for (let i = 0; i < n; i++, o++) out[o] = out[o - offset];
      }
      chunks--;
    }
  }
  if (o !== unpackedLen) throw new RncError(`RNC: unpacked ${o} bytes, header says ${unpackedLen}`);
  if (crc16(out) !== crcUnpacked) throw new RncError('RNC: unpacked data CRC mismatch');
  return out;
}

/** The 22-byte file header's `flag` and total size. */
export function headerFields(file: Uint8Array): { flag: number; totalSize: number } {
  if (file.length < SKY_HEADER_BYTES) throw new Error(`file of ${file.length} bytes has no 22-byte header`);
  return { flag: file[0] | (file[1] << 8), totalSize: file[12] | (file[13] << 8) };
}

/**
 * Turns a file as stored in sky.dsk into its contents: RNC-packed bodies are unpacked; the result
 * keeps the 22-byte header unless the entry says to drop it.
 */
export function unpackSkyFile(stored: Uint8Array, entry: Pick<DnrEntry, 'stored' | 'dropHeader'>): Uint8Array {
  if (entry.stored || stored.length < SKY_HEADER_BYTES) return stored;
  const { flag, totalSize } = headerFields(stored);
  if (!((flag >> 7) & 1) || !isRnc1(stored, SKY_HEADER_BYTES)) return stored;
  const body = rncUnpack(stored, SKY_HEADER_BYTES);
  if (entry.dropHeader) return body;
  const expected = ((flag & 0xff00) << 8) | totalSize;
  const out = new Uint8Array(SKY_HEADER_BYTES + body.length);
  out.set(stored.subarray(0, SKY_HEADER_BYTES));
  out.set(body, SKY_HEADER_BYTES);
  if (expected !== out.length && expected !== body.length) {
    throw new Error(`unpacked ${out.length} bytes, header says ${expected}`);
  }
  return out;
}

/**
 * The PCM of a speech file (header kept): unsigned 8-bit samples after the header, up to the total
 * size (bounded by the file). Returns floats in [-1, 1).
 */
export function speechPcm(file: Uint8Array): Float32Array {
  const { flag, totalSize } = headerFields(file);
  let end = (((flag & 0xff00) << 8) | totalSize) >>> 0;
  if (end <= SKY_HEADER_BYTES || end > file.length) end = file.length;
  const n = end - SKY_HEADER_BYTES;
  const pcm = new Float32Array(n);
  for (let i = 0; i < n; i++) pcm[i] = (file[SKY_HEADER_BYTES + i] - 128) / 128;
  return pcm;
}

/** One message of a text section: where its bits start and how many 2-bit units it spans. */
export interface TextMessage {
  index: number;
  /** Bit offset from the start of the bit stream. */
  bitOffset: number;
  /** Bits up to the next message (the last message of a block: unknown, -1). */
  bits: number;
}

/**
 * The message table of a text section as loaded (stored unpacked, no header). Block b's length sits
 * at 4 + 2b for every block but the last; the 32 length bytes of block b at lenTable + 32b; the last
 * block holds as many messages as it has length bytes before the bit stream, plus one.
 */
export function textSectionTable(body: Uint8Array): { blocks: number; messages: TextMessage[] } {
  if (body.length < 6) throw new Error('text section: too short');
  const lenTable = body[0] | (body[1] << 8);
  const dataStart = body[2] | (body[3] << 8);
  const blocks = (lenTable - 4) / 2 + 1;
  if (!Number.isInteger(blocks) || blocks < 1 || lenTable > dataStart || dataStart > body.length) {
    throw new Error(`text section: bad table offsets ${lenTable}, ${dataStart}`);
  }
  const lastLenBytes = dataStart - (lenTable + 32 * (blocks - 1));
  if (lastLenBytes < 0) throw new Error('text section: length bytes overlap the bit stream');
  const total = 32 * (blocks - 1) + Math.min(32, lastLenBytes + 1);
  const messages: TextMessage[] = [];
  let blockStart = 0; // in 2-bit units
  for (let b = 0; b < blocks; b++) {
    let at = blockStart;
    for (let m = 0; m < 32 && 32 * b + m < total; m++) {
      let bits = -1;
      if (m < 31 && 32 * b + m + 1 < total) {
        let skip = body[lenTable + 32 * b + m];
        if (skip & 0x80) skip = (skip & 0x7f) << 3;
        bits = skip * 2;
      }
      messages.push({ index: 32 * b + m, bitOffset: at * 2, bits });
      if (bits >= 0) at += bits / 2;
    }
    if (b < blocks - 1) {
      const blockLen = body[4 + 2 * b] | (body[5 + 2 * b] << 8);
      // The block's last message runs to the block's end.
      const last = messages[messages.length - 1];
      if (last.bits < 0) last.bits = (blockStart + blockLen) * 2 - last.bitOffset;
      if (last.bits < 0) throw new Error(`text section: block ${b} is shorter than its messages`);
      blockStart += blockLen;
    }
  }
  return { blocks, messages };
}

/** A Huffman tree as a node array: node 0 is the root; a node with both children 0 is a leaf. */
export interface HuffNode {
  left: number;
  right: number;
  value: number;
}

/** Decodes one message: bits MSB first from `bitOffset` past `dataStart`, 1 = right, until a 0 char. */
export function decodeHuffMessage(body: Uint8Array, bitOffset: number, tree: readonly HuffNode[], maxChars = 1000): string {
  const dataStart = body[2] | (body[3] << 8);
  let bit = dataStart * 8 + bitOffset;
  const end = body.length * 8;
  let s = '';
  for (let c = 0; c < maxChars; c++) {
    let node = 0;
    for (;;) {
      if (bit >= end) throw new Error('text: message runs past the end of the section');
      const b = (body[bit >> 3] >> (7 - (bit & 7))) & 1;
      bit++;
      node = b ? tree[node].right : tree[node].left;
      if (tree[node] === undefined) throw new Error(`text: Huffman tree has no node ${node}`);
      if (tree[node].left === 0 && tree[node].right === 0) break;
    }
    const v = tree[node].value;
    if (v === 0) return s;
    s += String.fromCharCode(v);
  }
  throw new Error('text: message has no end');
}

/** Pearson correlation; NaN under 3 points or with no spread. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 3 || y.length !== n) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

export const MIN_CLIPS_TO_PLACE_SECTION = 5;
export const MIN_SECTION_CORRELATION = 0.5;

/**
 * The first speech number (file - 50000) of each text section, found in the data rather than taken
 * from the engine: speech numbers run section by section, each section starting at or after the end
 * of the one before (its base plus its message count), and a spoken line lasts about as long as its
 * subtitle is long. So each section's base is the candidate in [end of the previous section, +maxGap]
 * where clip duration correlates best with the message's coded length in bits. Section 0 starts at
 * 0. A section with fewer than 5 clips, or no candidate reaching correlation 0.5, gets NaN (its
 * clips stay unmapped) and the next section is searched from the previous placed end.
 */
export function chooseSectionBases(
  durations: ReadonlyMap<number, number>,
  messageBits: readonly (readonly number[])[],
  maxGap = 150,
): { bases: number[]; correlations: number[] } {
  const idx = [...durations.keys()].sort((p, q) => p - q);
  const bases: number[] = [];
  const correlations: number[] = [];
  let prevEnd = 0;
  for (let s = 0; s < messageBits.length; s++) {
    const bits = messageBits[s];
    let best = -Infinity;
    let bestBase = NaN;
    const hi = s === 0 ? 0 : prevEnd + maxGap;
    for (let b = prevEnd; b <= hi; b++) {
      const x: number[] = [];
      const y: number[] = [];
      for (const i of idx) {
        if (i < b || i >= b + bits.length || bits[i - b] < 0) continue;
        x.push(durations.get(i)!);
        y.push(bits[i - b]);
      }
      if (x.length < MIN_CLIPS_TO_PLACE_SECTION) continue;
      const c = pearson(x, y);
      if (c > best) {
        best = c;
        bestBase = b;
      }
    }
    if (!(best >= MIN_SECTION_CORRELATION)) {
      bases.push(NaN);
      correlations.push(Number.isFinite(best) ? best : NaN);
      continue;
    }
    bases.push(bestBase);
    correlations.push(best);
    prevEnd = bestBase + bits.length;
  }
  return { bases, correlations };
}

/** Speech number (file number - 50000) to text number (section << 12 | index), or null. */
export function speechToTextNumber(speechIndex: number, bases: readonly number[], messageCounts: readonly number[]): number | null {
  for (let s = bases.length - 1; s >= 0; s--) {
    if (!Number.isFinite(bases[s]) || speechIndex < bases[s]) continue;
    const i = speechIndex - bases[s];
    return i < messageCounts[s] ? (s << 12) | i : null;
  }
  return null;
}

/** Clean subtitle text: ellipses and stray dots to spaces, emphasis caps kept as words. */
export function cleanSkyText(t: string): string {
  return t
    .replace(/\.{2,}/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function findSkyDataDir(root: string): Promise<string> {
  for (const d of SKY_DATA_DIRS) {
    try {
      await readFile(join(root, d, 'sky.dnr'));
      return join(root, d);
    } catch {
      // try the next place
    }
  }
  throw new Error(`no sky.dnr under ${root} (looked in ${SKY_DATA_DIRS.join(', ')})`);
}

export interface SkySpeechClip {
  /** The speech file number, 50000-59999. */
  fileNr: number;
  pcm: Float32Array;
  sampleRate: number;
}

/** A speech file is a header whose total size is the whole unpacked file, then 8-bit PCM. */
export function isSpeechFile(file: Uint8Array): boolean {
  if (file.length <= SKY_HEADER_BYTES) return false;
  const { flag, totalSize } = headerFields(file);
  return (((flag & 0xff00) << 8) | totalSize) === file.length;
}

/** Opens the data files; `load(n)` gives file n as the game would hold it. */
export async function openSkyData(root: string) {
  const dir = await findSkyDataDir(root);
  const entries = parseDnr(new Uint8Array(await readFile(join(dir, 'sky.dnr'))));
  const byNr = new Map(entries.map((e) => [e.fileNr, e]));
  const dsk = await open(join(dir, 'sky.dsk'), 'r');
  const load = async (fileNr: number): Promise<Uint8Array | null> => {
    const e = byNr.get(fileNr);
    if (!e) return null;
    const buf = new Uint8Array(e.size);
    const { bytesRead } = await dsk.read(buf, 0, e.size, e.offset);
    if (bytesRead !== e.size) throw new Error(`sky.dsk: file ${fileNr} short (${bytesRead} of ${e.size} bytes)`);
    return unpackSkyFile(buf, e);
  };
  const speechNumbers = entries
    .map((e) => e.fileNr)
    .filter((n) => n >= SKY_SPEECH_FIRST && n <= SKY_SPEECH_LAST)
    .sort((p, q) => p - q);
  return { dir, entries, speechNumbers, load, close: () => dsk.close() };
}

/**
 * Every speech clip (no text), in file-number order. Files 59494 and up are the CD intro: some are
 * spoken (no subtitle lines), the rest palettes, screens and animation data, which are skipped.
 */
export async function* extractSteelSkySpeech(root: string): AsyncGenerator<SkySpeechClip> {
  const data = await openSkyData(root);
  try {
    for (const n of data.speechNumbers) {
      const file = await data.load(n);
      if (!file || !isSpeechFile(file)) continue;
      yield { fileNr: n, pcm: speechPcm(file), sampleRate: SKY_SAMPLE_RATE };
    }
  } finally {
    await data.close();
  }
}

/** The unpacked English text sections, 0-7. */
export async function loadEnglishText(load: (n: number) => Promise<Uint8Array | null>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let s = 0; s < SKY_TEXT_SECTIONS; s++) {
    const f = await load(SKY_ENGLISH_TEXT_FIRST + s);
    if (!f) throw new Error(`no text file ${SKY_ENGLISH_TEXT_FIRST + s}`);
    out.push(textBody(f));
  }
  return out;
}

/** Text files are stored unpacked and without a header: the tables start at byte 0. */
export function textBody(file: Uint8Array): Uint8Array {
  return file;
}

export interface SkySpeechLine extends SkySpeechClip {
  /** section << 12 | index, or null for clips no subtitle line belongs to (the CD intro, unplaced sections). */
  textNumber: number | null;
  /** Where the line's Huffman-coded subtitle starts in its section's bit stream, and its length in bits. */
  bitOffset: number;
  codedBits: number;
}

/** Speech clips with the subtitle line each one speaks (as a text number and its coded bits). */
export async function extractSteelSkyLines(root: string): Promise<{
  lines: SkySpeechLine[];
  sections: Uint8Array[];
  bases: number[];
  correlations: number[];
}> {
  const data = await openSkyData(root);
  try {
    const clips: SkySpeechClip[] = [];
    for (const n of data.speechNumbers) {
      const file = await data.load(n);
      if (!file || !isSpeechFile(file)) continue;
      clips.push({ fileNr: n, pcm: speechPcm(file), sampleRate: SKY_SAMPLE_RATE });
    }
    const sections = await loadEnglishText(data.load);
    const tables = sections.map((b) => textSectionTable(b).messages);
    const durations = new Map(clips.map((c) => [c.fileNr - SKY_SPEECH_FIRST, c.pcm.length / c.sampleRate]));
    const { bases, correlations } = chooseSectionBases(
      durations,
      tables.map((t) => t.map((m) => m.bits)),
    );
    const counts = tables.map((t) => t.length);
    const lines = clips.map((c): SkySpeechLine => {
      const t = speechToTextNumber(c.fileNr - SKY_SPEECH_FIRST, bases, counts);
      const m = t === null ? undefined : tables[t >> 12][t & 0xfff];
      return { ...c, textNumber: t, bitOffset: m?.bitOffset ?? -1, codedBits: m?.bits ?? -1 };
    });
    return { lines, sections, bases, correlations };
  } finally {
    await data.close();
  }
}

export const SPEAKER_NOTE =
  'Unknown: the speech files carry no speaker and this module does not interpret the game scripts that say who speaks each line, so every clip is grouped under the single speaker sky:cast (a dozen actors); the dev/train split therefore keeps the whole game on one side.';

/** Where the ScummVM engine binary sits, relative to the unpacked root. */
export const SCUMMVM_BINARIES = ['usr/games/scummvm', 'usr/bin/scummvm'];

/** Speaking rates outside these bounds (letters of the subtitle per second of audio) mean a clip and a line that do not belong together. */
export const MIN_LETTERS_PER_SECOND = 4;
export const MAX_LETTERS_PER_SECOND = 25;

/** Whether a clip's length fits its line: letters per second within the bounds above. */
export function plausibleRate(text: string, seconds: number): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '').length;
  const rate = letters / seconds;
  return rate >= MIN_LETTERS_PER_SECOND && rate <= MAX_LETTERS_PER_SECOND;
}

/** The subtitle tree from the engine binary under `root`, or null when no engine binary is there. */
export async function huffTreeFromEngine(root: string, sections: readonly Uint8Array[]): Promise<HuffNode[] | null> {
  let bin: Uint8Array | null = null;
  for (const p of SCUMMVM_BINARIES) {
    try {
      bin = new Uint8Array(await readFile(join(root, p)));
      break;
    } catch {
      // try the next place
    }
  }
  if (!bin) return null;
  const messages = sections.flatMap((body, section) =>
    textSectionTable(body).messages.map((m) => ({ section, bitOffset: m.bitOffset, bits: m.bits })),
  );
  return chooseHuffTree(findHuffTrees(bin), sections, messages).tree;
}

export interface SteelSkyOptions {
  /** The Huffman tree of the v0.0372 English text; by default found in the engine binary. */
  huffTree?: readonly HuffNode[];
}

export function createSteelSkySource(options: SteelSkyOptions = {}): RealSource {
  return {
    name: 'steel-sky',
    debPackages: ['beneath-a-steel-sky', 'scummvm'],
    license:
      'Beneath-a-Steel-Sky-License (free redistribution; game content (C) Revolution Software Ltd); the subtitle decoding table is read at build time from the scummvm package (GPL-2+), never stored here',
    speakerNote: SPEAKER_NOTE,
    async *extract(root: string): AsyncIterable<RealUtterance> {
      const { lines, sections } = await extractSteelSkyLines(root);
      const tree = options.huffTree ?? (await huffTreeFromEngine(root, sections));
      if (!tree) {
        process.emitWarning(`steel-sky: no ScummVM engine under ${root} (${SCUMMVM_BINARIES.join(', ')}) to read the subtitle text's Huffman tree from, so no utterances are yielded`);
        return;
      }
      for (const line of lines) {
        if (line.textNumber === null) continue;
        const decoded = decodeHuffMessageBits(sections[line.textNumber >> 12], line.bitOffset, tree, line.codedBits >= 0 ? line.codedBits : Infinity);
        if (!decoded) continue;
        const text = cleanSkyText(decoded.text);
        if (!/[A-Za-z]/.test(text) || !plausibleRate(text, line.pcm.length / line.sampleRate)) continue;
        yield { id: `sky-${line.fileNr}`, speaker: 'sky:cast', text, pcm: line.pcm, sampleRate: line.sampleRate };
      }
    },
  };
}

export const steelSkySource: RealSource = createSteelSkySource();
