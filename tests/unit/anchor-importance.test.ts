/**
 * The retraining anchor's per-weight importance (src-main/train/anchor-importance.ts): normalized to
 * mean 1 and clamped, stored one byte a weight on a log scale and read back within half a step, and
 * a damaged, foreign or mismatched file refused with what is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ANCHOR_IMPORTANCE_FILE, IMPORTANCE_CAP, IMPORTANCE_FLOOR, decodeAnchorImportance, encodeAnchorImportance, normalizeImportance, readAnchorImportance,
} from '../../src-main/train/anchor-importance.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-importance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anchor importance', () => {
  it('scales to mean 1 and clamps to its floor and cap', () => {
    const [a, b] = normalizeImportance([[1, 2, 3], [0, 2]]);
    // mean of 1, 2, 3, 0, 2 = 1.6
    expect(Array.from(a)).toEqual([1 / 1.6, 2 / 1.6, 3 / 1.6].map(Math.fround));
    expect(b[0]).toBe(Math.fround(IMPORTANCE_FLOOR));
    const [c] = normalizeImportance([[1e6, ...new Array(999).fill(0)]]);
    expect(c[0]).toBe(IMPORTANCE_CAP);
    expect(() => normalizeImportance([[0, 0]])).toThrow(/every gradient was zero/);
    expect(() => normalizeImportance([[1, Number.NaN]])).toThrow(/not finite/);
  });

  it('reads back what it wrote within half a quantization step', () => {
    const values = [Float32Array.from([IMPORTANCE_FLOOR, 0.01, 1, 3.7]), Float32Array.from([42, IMPORTANCE_CAP])];
    const bytes = encodeAnchorImportance({ values, model: 'tiny 1.0', clips: 12 });
    expect(bytes.length).toBeLessThan(200);
    const back = decodeAnchorImportance(bytes);
    expect(back.model).toBe('tiny 1.0');
    expect(back.clips).toBe(12);
    expect(back.values.map((v) => v.length)).toEqual([4, 2]);
    const halfStep = Math.log(IMPORTANCE_CAP / IMPORTANCE_FLOOR) / 255 / 2;
    values.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(Math.log(back.values[i][j] / x))).toBeLessThanOrEqual(halfStep + 1e-6)));
  });

  it('refuses damaged files and a file made for another network', async () => {
    const good = encodeAnchorImportance({ values: [new Float32Array([1, 2]), new Float32Array([0.5])], model: 'tiny 1.0', clips: 3 });
    expect(() => decodeAnchorImportance(new TextEncoder().encode('PNG....garbage'))).toThrow(/not an anchor importance file/);
    expect(() => decodeAnchorImportance(good.subarray(0, 20))).toThrow(/header is cut short/);
    expect(() => decodeAnchorImportance(good.subarray(0, good.length - 1))).toThrow(/holds 2 weights, its header says 3/);
    const badJson = Uint8Array.from(good);
    badJson[12] = 0x7b; badJson[13] = 0x7b;
    expect(() => decodeAnchorImportance(badJson)).toThrow(/header is not JSON/);
    expect(await readAnchorImportance(dir, [2, 1])).toBeNull();
    writeFileSync(join(dir, ANCHOR_IMPORTANCE_FILE), good);
    expect((await readAnchorImportance(dir, [2, 1]))!.values.map((v) => v.length)).toEqual([2, 1]);
    await expect(readAnchorImportance(dir, [3])).rejects.toThrow(/made for another network \(2 variables of 2, 1; this model's: 3\)/);
  });
});
