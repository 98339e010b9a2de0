// Beneath a Steel Sky reader: directory entries, RNC method 1, speech PCM, the text tables and the
// speech-to-line mapping, on small hand-built buffers (CI has no game data).
import { describe, expect, it } from 'vitest';
import { crc16, isSpeechFile, parseDnr, rncUnpack, RncError, speechPcm, unpackSkyFile } from '../../src-main/train/data/real/sources/steel-sky-archive.ts';
import {
  chooseSectionBases,
  decodeHuffMessageBits,
  speechToTextNumber,
  textSectionTable,
  type HuffNode,
} from '../../src-main/train/data/real/sources/steel-sky-text.ts';

const decodeHuffMessage = (body: Uint8Array, bitOffset: number, tree: readonly HuffNode[]) => decodeHuffMessageBits(body, bitOffset, tree)?.text;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Writes bits LSB first into 16-bit LE words; literal bytes go after the last word begun. */
class BitWriter {
  bytes: number[] = [];
  private word = -1;
  private used = 16;
  bit(b: number) {
    if (this.used === 16) {
      this.word = this.bytes.length;
      this.bytes.push(0, 0);
      this.used = 0;
    }
    if (b) this.bytes[this.word + (this.used >> 3)] |= 1 << (this.used & 7);
    this.used++;
  }
  /** n bits of v, least significant first */
  value(v: number, n: number) {
    for (let i = 0; i < n; i++) this.bit((v >> i) & 1);
  }
  /** a Huffman code given as a string of bits, first bit first */
  code(bits: string) {
    for (const c of bits) this.bit(c === '1' ? 1 : 0);
  }
  literal(s: string) {
    this.bytes.push(...ascii(s));
  }
}

/** "abcabcabcX": literal "abc", copy 6 from 3 back, literal "X". */
function handPackedRnc(): Uint8Array {
  const w = new BitWriter();
  w.value(0, 2); // lock/key flags
  // literal-run table: 3 symbols, lengths 2,1,2 -> sym1 "0", sym0 "10", sym2 "11"
  w.value(3, 5);
  for (const l of [2, 1, 2]) w.value(l, 4);
  // offset table: same shape
  w.value(3, 5);
  for (const l of [2, 1, 2]) w.value(l, 4);
  // length table: 4 symbols of length 2 -> "00","01","10","11"
  w.value(4, 5);
  for (const l of [2, 2, 2, 2]) w.value(l, 4);
  w.value(2, 16); // two chunks
  w.code('11'); // run length symbol 2: 2 + 1 extra bit
  w.value(1, 1); // = 3
  w.literal('abc');
  w.code('11'); // offset symbol 2
  w.value(0, 1); // = 2, so offset 3
  w.code('11'); // length symbol 3: 4 + 2 extra bits
  w.value(0, 2); // = 4, so length 6
  w.code('0'); // run length 1
  w.literal('X');
  const packed = Uint8Array.from(w.bytes);
  const out = new Uint8Array(18 + packed.length);
  out.set(ascii('RNC\x01'));
  const v = new DataView(out.buffer);
  v.setUint32(4, 10, false);
  v.setUint32(8, packed.length, false);
  v.setUint16(12, crc16(ascii('abcabcabcX')), false);
  v.setUint16(14, crc16(packed), false);
  out[16] = 0;
  out[17] = 1;
  out.set(packed, 18);
  return out;
}

describe('steel-sky: sky.dnr', () => {
  it('reads number, offset (plain and in 16-byte units), size and flags', () => {
    const buf = new Uint8Array(4 + 16);
    const v = new DataView(buf.buffer);
    v.setUint32(0, 2, true);
    // entry 0: file 50007, offset 0x1234 plain, size 0x2000, no flags
    v.setUint16(4, 50007, true);
    buf.set([0x34, 0x12, 0x00], 6);
    buf.set([0x00, 0x20, 0x00], 9);
    // entry 1: file 60600, offset 0x100 * 16, size 0x3fffff, stored + drop header
    v.setUint16(12, 60600, true);
    buf.set([0x00, 0x01, 0x80], 14);
    buf.set([0xff, 0xff, 0xff], 17);
    expect(parseDnr(buf)).toEqual([
      { fileNr: 50007, offset: 0x1234, size: 0x2000, stored: false, dropHeader: false },
      { fileNr: 60600, offset: 0x1000, size: 0x3fffff, stored: true, dropHeader: true },
    ]);
  });

  it('rejects a count that does not fit', () => {
    const buf = new Uint8Array(12);
    new DataView(buf.buffer).setUint32(0, 2, true);
    expect(() => parseDnr(buf)).toThrow(/do not fit/);
  });
});

describe('steel-sky: RNC method 1', () => {
  it('has the CRC-16/ARC check value', () => {
    expect(crc16(ascii('123456789'))).toBe(0xbb3d);
  });

  it('unpacks literals and an overlapping back-reference', () => {
    expect(Buffer.from(rncUnpack(handPackedRnc())).toString('latin1')).toBe('abcabcabcX');
  });

  it('refuses damaged data', () => {
    const bad = handPackedRnc();
    bad[bad.length - 1] ^= 1;
    expect(() => rncUnpack(bad)).toThrow(RncError);
    const noSig = handPackedRnc();
    noSig[3] = 2;
    expect(() => rncUnpack(noSig)).toThrow(/signature/);
  });

  it('unpacks a packed game file behind its header, keeping or dropping the header', () => {
    const rnc = handPackedRnc();
    const stored = new Uint8Array(22 + rnc.length);
    stored.set(rnc, 22);
    stored[0] = 0x81; // packed
    stored[12] = 22 + 10; // total size
    const kept = unpackSkyFile(stored, { stored: false, dropHeader: false });
    expect(kept.length).toBe(32);
    expect(Array.from(kept.subarray(0, 22))).toEqual(Array.from(stored.subarray(0, 22)));
    expect(Buffer.from(kept.subarray(22)).toString('latin1')).toBe('abcabcabcX');
    expect(Buffer.from(unpackSkyFile(stored, { stored: false, dropHeader: true })).toString('latin1')).toBe('abcabcabcX');
    // marked stored: returned as is
    expect(unpackSkyFile(stored, { stored: true, dropHeader: false })).toBe(stored);
  });
});

describe('steel-sky: speech', () => {
  it('turns unsigned 8-bit samples after the header into floats, up to the total size', () => {
    const f = new Uint8Array(22 + 4);
    f[0] = 0x81;
    f[12] = 22 + 3; // total size: the 4th sample byte is not part of the clip
    f.set([0, 128, 255, 77], 22);
    expect(Array.from(speechPcm(f))).toEqual([-1, 0, 127 / 128]);
    expect(isSpeechFile(f)).toBe(false);
    f[12] = 26;
    expect(isSpeechFile(f)).toBe(true);
    expect(speechPcm(f).length).toBe(4);
  });
});

describe('steel-sky: text tables', () => {
  // end = "0", A = "10", B = "11"
  const tree: HuffNode[] = [
    { left: 1, right: 2, value: 0 },
    { left: 0, right: 0, value: 0 },
    { left: 3, right: 4, value: 0 },
    { left: 0, right: 0, value: 65 },
    { left: 0, right: 0, value: 66 },
  ];

  it('finds each message from the 2-bit lengths and decodes it MSB first', () => {
    // one block, three messages: "AB" (101100: 3 units), "B" (1100: 2 units), "" (00)
    const body = Uint8Array.from([4, 0, 6, 0, 3, 2, 0b10110011, 0b00000000]);
    const t = textSectionTable(body);
    expect(t.blocks).toBe(1);
    expect(t.messages.map((m) => [m.bitOffset, m.bits])).toEqual([
      [0, 6],
      [6, 4],
      [10, -1],
    ]);
    expect(t.messages.map((m) => decodeHuffMessage(body, m.bitOffset, tree))).toEqual(['AB', 'B', '']);
  });

  it('adds block lengths, reads long lengths (bit 7: times 8) and sizes a block\'s last message', () => {
    // two blocks: block 0 has 32 messages, block 1 one message at unit 40
    const lenTable = 6;
    const dataStart = lenTable + 32;
    const body = new Uint8Array(dataStart + 12);
    body[0] = lenTable;
    body[2] = dataStart;
    body[4] = 40; // block 0 spans 40 units
    body.fill(1, lenTable, lenTable + 31); // 31 messages of 1 unit ("")
    body[lenTable + 30] = 0x81; // the 31st spans 8 units
    // block 1's message at unit 40 = bit 80: "AB" then end
    const bit0 = dataStart * 8 + 80;
    '101100'.split('').forEach((c, i) => {
      if (c === '1') body[(bit0 + i) >> 3] |= 0x80 >> ((bit0 + i) & 7);
    });
    const t = textSectionTable(body);
    expect(t.blocks).toBe(2);
    expect(t.messages.length).toBe(33);
    expect(t.messages[30]).toEqual({ index: 30, bitOffset: 60, bits: 16 });
    expect(t.messages[31]).toEqual({ index: 31, bitOffset: 76, bits: 4 });
    expect(t.messages[32].bitOffset).toBe(80);
    expect(decodeHuffMessage(body, t.messages[32].bitOffset, tree)).toBe('AB');
    expect(decodeHuffMessage(body, t.messages[0].bitOffset, tree)).toBe('');
  });

  it('rejects offsets that do not make a table', () => {
    expect(() => textSectionTable(Uint8Array.from([5, 0, 4, 0, 0, 0]))).toThrow(/bad table/);
  });
});

describe('steel-sky: speech file to subtitle line', () => {
  it('places each section where clip length follows coded length, and maps numbers', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const bits = [60, 45, 30].map((n) => Array.from({ length: n }, () => 40 + Math.floor(rnd() * 400)));
    const trueBases = [0, 70, 130];
    const durations = new Map<number, number>();
    bits.forEach((b, s) =>
      b.forEach((x, i) => {
        if (rnd() < 0.8) durations.set(trueBases[s] + i, x / 90 + rnd() * 0.5);
      }),
    );
    const { bases, correlations } = chooseSectionBases(durations, bits);
    expect(bases).toEqual(trueBases);
    for (const c of correlations) expect(c).toBeGreaterThan(0.9);
    const counts = bits.map((b) => b.length);
    expect(speechToTextNumber(0, bases, counts)).toBe(0);
    expect(speechToTextNumber(75, bases, counts)).toBe((1 << 12) | 5);
    expect(speechToTextNumber(65, bases, counts)).toBeNull(); // between sections
    expect(speechToTextNumber(200, bases, counts)).toBeNull();
  });

  it('leaves a section with too few clips unplaced', () => {
    const { bases } = chooseSectionBases(new Map([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [50, 1]]), [[90, 180, 270, 360, 450], [100]]);
    expect(bases[0]).toBe(0);
    expect(bases[1]).toBeNaN();
  });
});
