/**
 * Beneath a Steel Sky's data files (Debian package beneath-a-steel-sky, the freeware CD version
 * v0.0372): the directory sky.dnr, the archive sky.dsk, RNC method 1 unpacking and the speech files.
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
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

