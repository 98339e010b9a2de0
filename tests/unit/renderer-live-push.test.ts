import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/config.ts';
import { StreamingMfcc } from '../../src-shared/features/streaming-mfcc.ts';
import { LiveFeatures, type FeatureRows } from '../../src-renderer/live/live-features.ts';
import { PushQueue, takeRows } from '../../src-renderer/live/push-queue.ts';

const cfg = DEFAULT_FEATURE_CONFIG;
const dim = cfg.numMfcc;

function tone(samples: number, seed = 1): Float32Array {
  const out = new Float32Array(samples);
  for (let i = 0; i < samples; i++) out[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000 + seed) + 0.05 * Math.sin(i * 0.37 * seed);
  return out;
}

describe('LiveFeatures', () => {
  it('gives the same rows as one StreamingMfcc over the whole signal, plus warped rows per keyword warp', () => {
    const pcm = tone(16000);
    const live = new LiveFeatures(cfg, [1, 0.9, 1.1]);
    const parts: FeatureRows[] = [];
    for (let i = 0; i < pcm.length; i += 800) {
      const rows = live.push(pcm.subarray(i, i + 800));
      if (rows) parts.push(rows);
    }
    const data = takeRows(parts.slice(), Infinity).data;
    const whole = new StreamingMfcc(cfg, 1).push(pcm);
    expect(Array.from(data)).toEqual(Array.from(whole.data));
    const warped09 = new StreamingMfcc(cfg, 0.9).push(pcm).data;
    for (const p of parts) {
      expect(p.warped).toHaveLength(3);
      for (const w of p.warped!) expect(w.length).toBe(p.data.length);
      expect(p.warped![0]).toBe(p.data); // warp 1 = the plain rows
    }
    const joined09 = takeRows(parts.map((p) => ({ data: p.warped![1] })), Infinity).data;
    expect(Array.from(joined09)).toEqual(Array.from(warped09));
  });

  it('returns null until a frame completes, and sends no warped rows without keyword warps', () => {
    const live = new LiveFeatures(cfg, []);
    expect(live.push(new Float32Array(100))).toBeNull();
    const rows = live.push(tone(800));
    expect(rows?.warped).toBeUndefined();
    expect(rows!.data.length % dim).toBe(0);
  });
});

describe('PushQueue', () => {
  const rows = (start: number, n: number, warps = 0): FeatureRows => {
    const data = Float32Array.from({ length: n * dim }, (_, i) => start * dim + i);
    return warps ? { data, warped: Array.from({ length: warps }, (_, w) => data.map((x) => x + 1000 * (w + 1))) } : { data };
  };

  it('keeps one push in flight and concatenates what arrives meanwhile, in order', async () => {
    const sent: FeatureRows[] = [];
    const releases: (() => void)[] = [];
    const q = new PushQueue((r) => {
      sent.push(r);
      return new Promise<void>((res) => releases.push(res));
    }, (e) => { throw e; }, dim, 1e9);
    q.add(rows(0, 2, 2));
    q.add(rows(2, 3, 2));
    q.add(rows(5, 1, 2));
    expect(sent).toHaveLength(1);
    expect(q.pendingRows).toBe(4);
    releases[0]();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toHaveLength(2);
    releases[1]();
    await q.drain();
    const all = takeRows(sent.slice(), Infinity);
    expect(Array.from(all.data)).toEqual(Array.from(rows(0, 6).data));
    expect(sent[1].warped).toHaveLength(2);
    expect(Array.from(sent[1].warped![1])).toEqual(Array.from(rows(2, 4).data.map((x) => x + 2000)));
  });

  it('never sends more than maxValues at once', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const q = new PushQueue((r) => {
      sizes.push(r.data.length);
      return new Promise<void>((res) => (release = res));
    }, () => undefined, dim, 10 * dim);
    q.add(rows(0, 1));
    q.add(rows(1, 25));
    q.add(rows(26, 4));
    for (let i = 0; i < 6 && sizes.length <= i + 1; i++) {
      release();
      await new Promise((r) => setTimeout(r, 0));
    }
    release();
    await q.drain();
    expect(sizes.every((s) => s <= 10 * dim)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30 * dim);
  });

  it('stops after a failed push and reports the error once', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const q = new PushQueue(async () => {
      calls++;
      throw new Error('stream gone');
    }, (e) => errors.push(e), dim, 1e9);
    q.add(rows(0, 1));
    q.add(rows(1, 1));
    await q.drain();
    q.add(rows(2, 1));
    await q.drain();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect(q.failed).toBe(true);
  });
});
