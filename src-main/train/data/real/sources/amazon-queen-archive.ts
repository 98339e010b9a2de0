/**
 * Flight of the Amazon Queen's archive (`queen.1c`, a "rebuilt" ScummVM data file): "QTBL", a 6-byte
 * version string ("CEM10\0"), 2 unused bytes, a compression byte (1: MP3), a big-endian u16 entry
 * count, then per entry a 12-byte NUL-padded upper-case name, a bundle byte, u32 offset and u32 size
 * (all big-endian). Also the byte reader the game's other files are parsed with.
 */

export const AMAZON_QUEEN_ARCHIVE = 'usr/share/scummvm/flight-of-the-amazon-queen/queen.1c';
/** DOG, CUT and QUEEN.JAS files start with a header the engine skips. */
export const RESOURCE_HEADER = 20;

// ---------------------------------------------------------------- archive table

export interface QueenEntry {
  name: string;
  bundle: number;
  offset: number;
  size: number;
}

export interface QueenTable {
  version: string;
  compression: number;
  entries: Map<string, QueenEntry>;
}

export const latin1 = new TextDecoder('latin1');

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return latin1.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Reads the table of contents at the start of a rebuilt `queen.1c`. Throws on anything else. */
export function parseQueenTable(buf: Uint8Array): QueenTable {
  if (buf.length < 15 || latin1.decode(buf.subarray(0, 4)) !== 'QTBL') throw new Error('not a rebuilt queen.1c (no QTBL header)');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = cString(buf.subarray(4, 10));
  const compression = buf[12];
  const count = dv.getUint16(13);
  const entries = new Map<string, QueenEntry>();
  let p = 15;
  if (p + count * 21 > buf.length) throw new Error(`queen.1c table of ${count} entries runs past the end of the file`);
  for (let i = 0; i < count; i++, p += 21) {
    const name = cString(buf.subarray(p, p + 12)).toUpperCase();
    const e = { name, bundle: buf[p + 12], offset: dv.getUint32(p + 13), size: dv.getUint32(p + 17) };
    if (e.offset + e.size > buf.length) throw new Error(`queen.1c entry ${name} runs past the end of the file`);
    entries.set(name, e);
  }
  return { version, compression, entries };
}

export function entryBytes(buf: Uint8Array, table: QueenTable, name: string, skip = 0): Uint8Array | undefined {
  const e = table.entries.get(name.toUpperCase());
  return e ? buf.subarray(e.offset + skip, e.offset + e.size) : undefined;
}

// ---------------------------------------------------------------- byte helpers

export class Reader {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  i16(o: number): number {
    if (o < 0 || o + 2 > this.b.length) throw new RangeError(`read past end at ${o}`);
    return this.dv.getInt16(o);
  }
  u16(o: number): number {
    if (o < 0 || o + 2 > this.b.length) throw new RangeError(`read past end at ${o}`);
    return this.dv.getUint16(o);
  }
  /** A length-prefixed string; the next offset is rounded up to `align` when the string is not empty. */
  str(o: number, align = 2): { s: string; next: number } {
    if (o >= this.b.length) throw new RangeError(`string past end at ${o}`);
    const len = this.b[o];
    const start = o + 1;
    if (start + len > this.b.length) throw new RangeError(`string past end at ${o}`);
    const s = latin1.decode(this.b.subarray(start, start + len));
    const next = len ? (start + len + align - 1) & ~(align - 1) : start;
    return { s, next };
  }
}

// ---------------------------------------------------------------- sentences

