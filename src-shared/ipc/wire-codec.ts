/**
 * Binary message framing for the web bridge's WebSocket (src-main/backend/web-bridge-server.ts and
 * src-renderer/bridge/web-bridge-client.ts): a JSON header plus raw binary attachments, so that
 * Float32Arrays and ArrayBuffers cross as bytes (as Electron's structured clone sends them),
 * never as JSON number lists.
 *
 * Layout: "HRK1" | u32 LE header length | header (UTF-8 JSON) | zero padding to 8 | attachments,
 * each padded to 8 bytes. In the header an attachment is {"__hark_bin": index, "type":
 * "f32"|"u8"|"ab"}; attachment i's byte length is header-side in `__lens[i]`.
 */
const MAGIC = 0x314b5248; // "HRK1" little-endian
const BIN_KEY = '__hark_bin';

type BinType = 'f32' | 'u8' | 'ab';

export class WireCodecError extends Error {
  constructor(reason: string) {
    super(`bridge message: ${reason}`);
    this.name = 'WireCodecError';
  }
}

const pad8 = (n: number) => (n + 7) & ~7;

/** Encodes a JSON-like value whose leaves may be Float32Array, Uint8Array or ArrayBuffer. */
export function encodeMessage(value: unknown): ArrayBuffer {
  const bins: Uint8Array[] = [];
  const header = JSON.stringify({ v: value, __lens: null }, function replacer(this: unknown, _key, v: unknown) {
    let type: BinType | null = null;
    let bytes: Uint8Array | null = null;
    if (v instanceof Float32Array) { type = 'f32'; bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength); }
    else if (v instanceof Uint8Array) { type = 'u8'; bytes = v; }
    else if (v instanceof ArrayBuffer) { type = 'ab'; bytes = new Uint8Array(v); }
    if (!type || !bytes) return v;
    bins.push(bytes);
    return { [BIN_KEY]: bins.length - 1, type };
  }).replace(/"__lens":null}$/, () => `"__lens":${JSON.stringify(bins.map((b) => b.byteLength))}}`);
  const headerBytes = new TextEncoder().encode(header);
  let size = pad8(8 + headerBytes.length);
  for (const b of bins) size += pad8(b.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let at = pad8(8 + headerBytes.length);
  for (const b of bins) {
    out.set(b, at);
    at += pad8(b.byteLength);
  }
  return out.buffer;
}

/** Decodes encodeMessage's output; every attachment gets a buffer of its own. */
export function decodeMessage(message: ArrayBuffer | Uint8Array): unknown {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  if (bytes.byteLength < 8) throw new WireCodecError(`too short (${bytes.byteLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new WireCodecError('not a Hark bridge message (bad magic)');
  const headerLen = view.getUint32(4, true);
  if (8 + headerLen > bytes.byteLength) throw new WireCodecError('header runs past the end');
  let parsed: { v: unknown; __lens: unknown };
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new WireCodecError(`header is not JSON (${(e as Error).message})`);
  }
  const lens = parsed.__lens;
  if (!Array.isArray(lens) || !lens.every((n) => Number.isInteger(n) && n >= 0)) throw new WireCodecError('attachment table is malformed');
  const starts: number[] = [];
  let at = pad8(8 + headerLen);
  for (const n of lens as number[]) {
    if (at + n > bytes.byteLength) throw new WireCodecError('an attachment runs past the end');
    starts.push(at);
    at += pad8(n);
  }
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    if (BIN_KEY in o) {
      const i = o[BIN_KEY];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= starts.length) throw new WireCodecError('attachment index out of range');
      const copy = bytes.slice(starts[i], starts[i] + (lens as number[])[i]);
      if (o.type === 'f32') {
        if (copy.byteLength % 4 !== 0) throw new WireCodecError('Float32Array attachment length is not a multiple of 4');
        return new Float32Array(copy.buffer);
      }
      if (o.type === 'u8') return copy;
      if (o.type === 'ab') return copy.buffer;
      throw new WireCodecError(`unknown attachment type ${JSON.stringify(o.type)}`);
    }
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key stays a plain field instead of replacing the prototype.
    for (const [k, x] of Object.entries(o)) Object.defineProperty(out, k, { value: revive(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return revive(parsed.v);
}
