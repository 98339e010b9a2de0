/**
 * Parts of the online recognizer: the utterance PCM window, the stream's VTLN vote, the keyword hit
 * memory, the utterance's frames, the serial call queue, the utterance endpointer and partial.
 */
import { describe, expect, it } from 'vitest';
import { endpointConfig } from '../../src-main/engine/endpoint-detector.ts';
import { PcmWindow } from '../../src-main/engine/pcm-window.ts';
import { buildDecoders, type DecoderSet } from '../../src-main/engine/recognition-decoders.ts';
import { RecentKeywordHits } from '../../src-main/engine/recent-keyword-hits.ts';
import { SerialCallQueue } from '../../src-main/engine/serial-call-queue.ts';
import { LONG_BLANK_SEC, MAX_UTTERANCE_SEC, UtteranceEndpointer } from '../../src-main/engine/utterance-endpointer.ts';
import { UtteranceFrames } from '../../src-main/engine/utterance-frames.ts';
import { UtterancePartial } from '../../src-main/engine/utterance-partial.ts';
import { WarpVote } from '../../src-main/engine/warp-vote.ts';
import { StaticLexicon } from '../../src-main/lexicon/static-lexicon.ts';
import { BLANK_ID, phonemeId } from '../../src-shared/units/phonemes.ts';
import { buildPosteriors, U } from './decode-fixtures.ts';

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

describe('SerialCallQueue', () => {
  const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  it('runs calls one at a time in call order, each resolving to the events it emitted', async () => {
    const q = new SerialCallQueue<string>();
    const log: string[] = [];
    const call = (name: string, ms: number) => q.run(async () => {
      log.push(`${name} start`);
      q.emit(`${name} 1`);
      await later(ms);
      q.emit(`${name} 2`);
      log.push(`${name} end`);
    });
    const [a, b, c] = await Promise.all([call('a', 30), call('b', 0), call('c', 10)]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect([a, b, c]).toEqual([['a 1', 'a 2'], ['b 1', 'b 2'], ['c 1', 'c 2']]);
  });

  it('rejects a failed call without its events, and the calls after it still run', async () => {
    const q = new SerialCallQueue<number>();
    const failed = q.run(async () => { q.emit(1); await later(5); throw new Error('bad push'); });
    const next = q.run(async () => { q.emit(2); });
    await expect(failed).rejects.toThrow('bad push');
    expect(await next).toEqual([2]);
    let done = false;
    void q.run(async () => { await later(10); done = true; });
    await q.idle();
    expect(done).toBe(true);
  });
});

describe('UtteranceEndpointer', () => {
  const FRAME = 0.03;
  /** A posterior row whose best unit is `unit`. */
  const row = (unit: number) => Float32Array.from({ length: U }, (_, u) => Math.log(u === unit ? 0.9 : 0.1 / (U - 1)));
  const AH = phonemeId('AH');
  /** Frame index (1-based) at which the endpointer ends the utterance, pushing `frames` in order. */
  function endsAt(e: UtteranceEndpointer, frames: [unit: number, voiced: boolean][]): { at: number; rule: string } | null {
    for (let i = 0; i < frames.length; i++) {
      const rule = e.push(row(frames[i][0]), frames[i][1]);
      if (rule) return { at: i + 1, rule };
    }
    return null;
  }
  const repeat = (n: number, f: [number, boolean]) => Array.from({ length: n }, () => f);

  it('ends speech after rule2\'s trailing silence: unvoiced blank frames are silent at once', () => {
    const e = new UtteranceEndpointer(endpointConfig(), FRAME);
    // 10 speech frames, then 0.6 s / 0.03 s = 20 silent frames end it on the 30th.
    expect(endsAt(e, [...repeat(10, [AH, true]), ...repeat(40, [BLANK_ID, false])])).toEqual({ at: 30, rule: 'rule2' });
    expect(e.containsSpeech).toBe(true);
  });

  it('counts voiced blank frames as silent only after LONG_BLANK_SEC without a phoneme', () => {
    const e = new UtteranceEndpointer(endpointConfig(), FRAME);
    // Blank frames 1..33 of the run are < 1 s (33 * 0.03 = 0.99), so silence starts at the 34th
    // (1.02 s) and rule2 (20 frames) fires on the run's 53rd frame, frame 63 of the utterance.
    expect(LONG_BLANK_SEC).toBe(1);
    expect(endsAt(e, [...repeat(10, [AH, true]), ...repeat(100, [BLANK_ID, true])])).toEqual({ at: 63, rule: 'rule2' });
    // A phoneme restarts the run: voiced speech with short blank gaps never ends.
    e.reset();
    expect(e.containsSpeech).toBe(false);
    const gaps = Array.from({ length: 20 }, () => [...repeat(30, [BLANK_ID, true]), [AH, true] as [number, boolean]]).flat();
    expect(endsAt(e, [[AH, true], ...gaps])).toBeNull();
  });

  it('cuts an utterance at MAX_UTTERANCE_SEC whatever the rules say', () => {
    const off = endpointConfig({ rule1: { minTrailingSilenceSec: Infinity }, rule2: { minTrailingSilenceSec: Infinity }, rule3: { minUtteranceSec: Infinity } });
    const e = new UtteranceEndpointer(off, FRAME);
    const frames = Math.round(MAX_UTTERANCE_SEC / FRAME);
    expect(endsAt(e, repeat(frames + 10, [AH, true]))).toEqual({ at: frames, rule: 'rule3' });
  });
});

describe('UtterancePartial', () => {
  const FRAME = 0.03;
  const PRONS = new Map([['three', [['TH', 'R', 'IY']]], ['seven', [['S', 'EH', 'V', 'AH', 'N']]], ['two', [['T', 'UW']]]]);
  const lexicon = new StaticLexicon(PRONS, () => { throw new Error('not in the test lexicon'); });
  const decoders = (mode: DecoderSet['mode']) => buildDecoders({ mode, lexicon }, FRAME);
  const words = decoders({ kind: 'words', items: ['three', 'seven', 'two'] });
  const phrases = decoders({ kind: 'phrases', items: ['three seven', 'two'] });
  const spoken = buildPosteriors(['three', 'seven'].map((w) => ({ word: w, phones: [...PRONS.get(w)![0]] })), { seed: 3 });
  const rowAt = (t: number) => spoken.lp.subarray(t * U, (t + 1) * U);

  it('reports a partial only when its text or its stable words changed', () => {
    const p = new UtterancePartial(words, U);
    const reports: { text: string; stable: string }[] = [];
    for (let t = 0; t < spoken.T; t++) {
      p.advance(rowAt(t));
      const c = p.changed();
      if (c) reports.push(c);
    }
    expect(reports.at(-1)!.text).toBe('three seven');
    const keys = reports.map((r) => `${r.text}|${r.stable}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(reports.every((r) => r.text !== '' || r.stable !== '')).toBe(true);
    // "three" settles after it first shows, with no new word: that is reported too.
    const shown = reports.findIndex((r) => r.text.split(' ')[0] === 'three');
    const settled = reports.findIndex((r) => r.stable.split(' ')[0] === 'three');
    expect(settled).toBeGreaterThan(shown);
    expect(reports.slice(shown, settled + 1).some((r, i, a) => i > 0 && r.text === a[i - 1].text)).toBe(true);
    expect(p.changed()).toBeNull();
  });

  it('decodes the frames so far again with another mode, as a partial fed them from the start', () => {
    const p = new UtterancePartial(words, U);
    const fresh = new UtterancePartial(phrases, U);
    for (let t = 0; t < spoken.T; t++) {
      p.advance(rowAt(t));
      fresh.advance(rowAt(t));
    }
    p.changed();
    p.redecode(phrases);
    const again = p.changed();
    expect(again).toEqual(fresh.changed());
    expect(again?.text).toBe('three seven');
    // A new utterance starts empty: nothing to redecode.
    p.restart(words);
    p.redecode(words);
    expect(p.changed()).toBeNull();
  });
});
