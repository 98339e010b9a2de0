/** The web bridge's binary framing: typed arrays cross as bytes, and malformed frames are refused. */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, WireCodecError } from '../../src-shared/ipc/wire-codec.ts';

describe('wire codec', () => {
  it('round-trips JSON values with Float32Array, Uint8Array and ArrayBuffer leaves, each in a buffer of its own', () => {
    const f = new Float32Array([0.5, -1.25, 3e-7, 1e30]);
    const odd = new Float32Array(new Float32Array([9, 8, 7, 6, 5]).buffer, 4, 3); // a view with an offset
    const value = { t: 'invoke', id: 7, payload: { streamId: 'a"b', data: f, warped: [odd, new Float32Array(0)], raw: new Uint8Array([1, 2, 3]), file: new Uint8Array([4, 5]).buffer, nested: { n: null, s: 'ü €' } } };
    const back = decodeMessage(encodeMessage(value)) as typeof value;
    expect(back.payload.data).toBeInstanceOf(Float32Array);
    expect([...back.payload.data]).toEqual([...f]);
    expect([...back.payload.warped[0]]).toEqual([8, 7, 6]);
    expect(back.payload.warped[1].length).toBe(0);
    expect(back.payload.raw).toBeInstanceOf(Uint8Array);
    expect([...back.payload.raw]).toEqual([1, 2, 3]);
    expect(back.payload.file).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(back.payload.file)]).toEqual([4, 5]);
    expect(back.payload.nested).toEqual({ n: null, s: 'ü €' });
    expect(back.payload.streamId).toBe('a"b');
    expect(back.payload.data.buffer).not.toBe(back.payload.warped[0].buffer);
  });

  it('keeps a "__proto__" key a plain field', () => {
    const back = decodeMessage(encodeMessage(JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(back)).toContain('__proto__');
  });

  it('refuses frames that are short, foreign, truncated or inconsistent', () => {
    const good = new Uint8Array(encodeMessage({ data: new Float32Array([1, 2]) }));
    expect(() => decodeMessage(new Uint8Array(3))).toThrow(WireCodecError);
    expect(() => decodeMessage(new TextEncoder().encode('{"json": "text frame"}'))).toThrow(/bad magic/);
    expect(() => decodeMessage(good.slice(0, good.length - 8))).toThrow(/past the end/);
    const badHeader = good.slice();
    badHeader[8] = 0x7b + 1; // corrupt the JSON
    expect(() => decodeMessage(badHeader)).toThrow(/not JSON/);
    const forged = new Uint8Array(encodeMessage({ x: { __hark_bin: 5, type: 'f32' } }));
    expect(() => decodeMessage(forged)).toThrow(/out of range/);
  });
});
