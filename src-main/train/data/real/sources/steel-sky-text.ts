/**
 * Beneath a Steel Sky's subtitle text and which speech file says which line.
 *
 *  - Text: files 60600 + section (English, sections 0-7). uint16 LE at 0: offset of the per-message
 *    length bytes (32 per block of 32 messages); uint16 LE at 2: offset of the bit stream; from 4:
 *    one uint16 LE per block, its length. Lengths count 2-bit units; a length byte with bit 7 set
 *    means (byte & 0x7f) * 8; a block's last message runs to the block's end. Text number =
 *    section << 12 | index; speech file = 50000 + sectionBase[section] + index, the bases found in the
 *    data (`chooseSectionBases`: v0.0372 gives 0, 600, 1100, 2430, 3380, 4530, 5080; section 7 has too
 *    few clips to place). Each message is a string of Huffman codes (MSB-first bits, a 0 char ends
 *    few clips to place). Each message is a string of Huffman codes (MSB-first bits, a 0 char ends
 *    it; every message's bits end in 0000); the tree is found by steel-sky-tree.ts.
 */
import { SKY_ENGLISH_TEXT_FIRST, SKY_TEXT_SECTIONS } from './steel-sky-archive.ts';

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

/**
 * Decodes one message (bits MSB first from `bitOffset` past the section's bit stream start, 1 = right)
 * up to its end mark. Returns the text and the bits read, or null when it runs past `maxBits`, past
 * the section, or meets an unprintable character.
 */
export function decodeHuffMessageBits(
  body: Uint8Array,
  bitOffset: number,
  tree: readonly HuffNode[],
  maxBits = Infinity,
): { text: string; bits: number } | null {
  const dataStart = body[2] | (body[3] << 8);
  const begin = dataStart * 8 + bitOffset;
  const end = Math.min(body.length * 8, begin + maxBits);
  let bit = begin;
  let text = '';
  for (;;) {
    let node = 0;
    do {
      if (bit >= end) return null;
      const b = (body[bit >> 3] >> (7 - (bit & 7))) & 1;
      bit++;
      node = b ? tree[node].right : tree[node].left;
      if (tree[node] === undefined) return null;
    } while (tree[node].left !== 0 || tree[node].right !== 0);
    const v = tree[node].value;
    if (v === 0) return { text, bits: bit - begin };
    if (v < 0x20 || v > 0x7e) return null;
    text += String.fromCharCode(v);
  }
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
