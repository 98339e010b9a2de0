/** Parts of the online recognizer: the utterance PCM window, the stream's VTLN vote, the keyword hit memory, the utterance's frames. */
import { describe, expect, it } from 'vitest';
import { PcmWindow } from '../../src-main/engine/pcm-window.ts';
import { RecentKeywordHits } from '../../src-main/engine/recent-keyword-hits.ts';
import { UtteranceFrames } from '../../src-main/engine/utterance-frames.ts';
import { WarpVote } from '../../src-main/engine/warp-vote.ts';

const ramp = (from: number, n: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('PcmWindow', () => {
  it('addresses samples by their global index across appends and drops', () => {
    const w = new PcmWindow();
    w.append(ramp(0, 10000));
    w.append(ramp(10000, 20000));
    expect(w.end).toBe(30000);
    expect([...w.view(9998, 10002)]).toEqual([9998, 9999, 10000, 10001]);
    w.dropBefore(25000);
    expect(w.end).toBe(30000);
    expect([...w.view(24990, 25002)]).toEqual([25000, 25001]);
    expect(w.view(31000, 32000).length).toBe(0);
    w.append(ramp(30000, 5));
    expect([...w.view(29998, 40000)]).toEqual([29998, 29999, 30000, 30001, 30002, 30003, 30004]);
  });

  it('gives memory back after a long utterance and restarts at 0 when cleared', () => {
    const w = new PcmWindow();
    for (let i = 0; i < 60; i++) w.append(ramp(i * 16000, 16000));
    const long = w.view(0, w.end).buffer.byteLength;
    w.dropBefore(w.end - 100);
    expect(w.view(0, w.end).buffer.byteLength).toBeLessThan(long / 10);
    w.clear();
    expect(w.end).toBe(0);
    w.append(ramp(7, 3));
    expect([...w.view(0, 3)]).toEqual([7, 8, 9]);
  });
});

describe('WarpVote', () => {
  it('tries every warp until enough seconds are voted, then keeps the most voted one', () => {
    const v = new WarpVote(10);
    expect(v.candidates([1, 0.9, 0.8])).toEqual([1, 0.9, 0.8]);
    v.vote(0.9, 4);
    v.vote(1, 3);
    expect(v.fixed).toBeNull();
    v.vote(0.9, 3.5);
    expect(v.fixed).toBe(0.9);
    expect(v.candidates([1, 0.9, 0.8])).toEqual([0.9]);
    v.vote(1, 100);
    expect(v.fixed).toBe(0.9);
  });
});

describe('RecentKeywordHits', () => {
  it('reports an occurrence once however many warps hear it, and forgets old hits', () => {
    const r = new RecentKeywordHits(2);
    expect(r.accept('hey computer', 1.0, 1.6)).toBe(true);
    expect(r.accept('hey computer', 1.05, 1.62)).toBe(false);
    expect(r.accept('emergency', 1.1, 1.5)).toBe(true);
    expect(r.accept('hey computer', 1.6, 2.0)).toBe(true);
    // Capacity 2: the first hit is forgotten.
    expect(r.accept('hey computer', 1.0, 1.5)).toBe(true);
    r.clear();
    expect(r.accept('emergency', 1.1, 1.5)).toBe(true);
  });
});

describe('UtteranceFrames', () => {
  const D = 3;
  const rows = (from: number, n: number) => Float32Array.from({ length: n * D }, (_, i) => from + Math.floor(i / D));
  it('keeps frames, voiced flags and each warp\'s frames in step, and moves the tail to the next utterance', () => {
    const f = new UtteranceFrames(D, 1);
    f.append(rows(0, 50), Uint8Array.from({ length: 50 }, (_, i) => i % 2), 50, [rows(100, 50)]);
    f.append(rows(50, 30), new Uint8Array(30).fill(1), 30, [rows(150, 30)]);
    expect(f.held).toBe(80);
    expect([...f.rows(49, 51)]).toEqual([49, 49, 49, 50, 50, 50]);
    expect([...f.warpRows(0, 79, 80)]).toEqual([179, 179, 179]);
    expect([f.voiced(3), f.voiced(4), f.voiced(60)]).toEqual([true, false, true]);
    f.keepFrom(70);
    expect(f.held).toBe(10);
    expect([...f.rows(0, 1)]).toEqual([70, 70, 70]);
    expect([...f.warpRows(0, 9, 10)]).toEqual([179, 179, 179]);
    f.append(rows(80, 2), new Uint8Array(2), 2);
    expect([...f.rows(10, 12)]).toEqual([80, 80, 80, 81, 81, 81]);
    expect(() => f.append(rows(0, 1), new Uint8Array(1), 1, [rows(0, 1), rows(0, 1)])).toThrow(/2 warped frame sets for 1 warps/);
  });

  it('gives memory back after a long utterance', () => {
    const f = new UtteranceFrames(D, 0);
    for (let k = 0; k < 40; k++) f.append(rows(k * 100, 100), new Uint8Array(100), 100);
    const big = f.rows(0, f.held).buffer.byteLength;
    f.keepFrom(f.held - 10);
    expect(f.rows(0, f.held).buffer.byteLength).toBeLessThan(big / 4);
  });
});
