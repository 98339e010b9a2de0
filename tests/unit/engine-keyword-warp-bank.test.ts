/**
 * KeywordWarpBank: hits placed on the stream's timeline as a one-pass spotter finds them, an
 * occurrence heard under several warps reported once, keyword changes, and each extra warp's
 * chunks through a random-weight streaming graph with its own forward state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { modelFrameSec } from '../../src-shared/features/config.ts';
import { KeywordSpotter, spotKeywords, type KeywordHit } from '../../src-main/decode/keyword-spotter.ts';
import { extraKeywordWarps, KeywordWarpBank } from '../../src-main/engine/keyword-warp-bank.ts';
import { OnlineAcousticSession } from '../../src-main/engine/online-acoustic-session.ts';
import { UtteranceFrames } from '../../src-main/engine/utterance-frames.ts';
import { frameTimeOffsetSec } from '../../src-main/engine/word-times.ts';
import { StaticLexicon } from '../../src-main/lexicon/static-lexicon.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { engineMetadata, writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { buildPosteriors, rng, U } from './decode-fixtures.ts';

const { features } = engineMetadata();
const FRAME = modelFrameSec(features);
const SHIFT = frameTimeOffsetSec(features);
const PRONS = new Map([['three', [['TH', 'R', 'IY']]], ['seven', [['S', 'EH', 'V', 'AH', 'N']]], ['nine', [['N', 'AY', 'N']]]]);
const lexicon = new StaticLexicon(PRONS, () => { throw new Error('not in the test lexicon'); });
const spotter = (...keywords: string[]) => new KeywordSpotter(keywords.map((text) => ({ text })), lexicon);
const speak = (words: string[], seed: number, lead = 3) => buildPosteriors(words.map((w) => ({ word: w, phones: [...PRONS.get(w)![0]] })), { seed, lead });
const row = (lp: Float32Array, t: number) => lp.subarray(t * U, (t + 1) * U);
const shifted = (hits: KeywordHit[], sec: number) => hits.map((h) => ({ ...h, start: expect.closeTo(h.start + sec, 9), end: expect.closeTo(h.end + sec, 9) }));

describe('extraKeywordWarps', () => {
  it('keeps the warps other than 1 once each, in order, and refuses one outside [0.5, 2]', () => {
    expect(extraKeywordWarps([1, 0.8, 1, 0.8, 1.2])).toEqual([0.8, 1.2]);
    expect(extraKeywordWarps([1])).toEqual([]);
    expect(() => extraKeywordWarps([1, 0.4])).toThrow(/\[0\.5, 2\], got 0\.4/);
  });
});

describe('KeywordWarpBank', () => {
  it('spots frame by frame what one pass spots, on the stream\'s timeline', () => {
    const p = speak(['three', 'seven', 'nine', 'seven'], 4);
    const s = spotter('seven', 'nine');
    const bank = new KeywordWarpBank(features, [], s);
    const hits: KeywordHit[] = [];
    for (let t = 0; t < p.T; t++) hits.push(...bank.spotFrame(row(p.lp, t), [], 0, U));
    hits.push(...bank.flush());
    const once = spotKeywords(s, p.lp, p.T, U, FRAME);
    expect(once.map((h) => h.keyword)).toEqual(['seven', 'nine', 'seven']);
    expect(hits).toEqual(shifted(once, SHIFT));
  });

  it('reports an occurrence heard under two warps once, and one heard under one warp only', () => {
    // Warp 0.8 hears the same "seven" a frame later, and a "nine" warp 1 misses (its frames are blank there).
    const plain = speak(['seven', 'three'], 5);
    const warped = speak(['seven', 'nine'], 6, 4);
    const seen: number[] = [];
    const bank = new KeywordWarpBank(features, [0.8], spotter('seven', 'nine'), (_lp, frames, units, warp) => { expect([frames, units]).toEqual([1, U]); seen.push(warp); });
    const T = Math.min(plain.T, warped.T);
    const hits: KeywordHit[] = [];
    for (let t = 0; t < T; t++) hits.push(...bank.spotFrame(row(plain.lp, t), [warped.lp], t, U));
    hits.push(...bank.flush());
    expect(hits.map((h) => h.keyword)).toEqual(['seven', 'nine']);
    expect(seen).toEqual(new Array<number>(T).fill(0.8));
    // Without the warp's rows (not fed) only warp 1 listens.
    const alone = new KeywordWarpBank(features, [0.8], spotter('seven', 'nine'));
    const solo: KeywordHit[] = [];
    for (let t = 0; t < T; t++) solo.push(...alone.spotFrame(row(plain.lp, t), [null], t, U));
    expect([...solo, ...alone.flush()].map((h) => h.keyword)).toEqual(['seven']);
  });

  it('counts a new keyword list from the frame it took effect, and reports what the old list held', () => {
    const p = speak(['seven'], 7);
    const bank = new KeywordWarpBank(features, [], spotter('nine'));
    expect(bank.setSpotter(spotter('seven'), 100)).toEqual([]);
    const hits: KeywordHit[] = [];
    for (let t = 0; t < p.T; t++) hits.push(...bank.spotFrame(row(p.lp, t), [], t, U));
    // Settles within the clip's trailing blanks, or on the next list change.
    hits.push(...bank.setSpotter(null, 100 + p.T));
    expect(hits).toEqual(shifted(spotKeywords(spotter('seven'), p.lp, p.T, U, FRAME), 100 * FRAME + SHIFT));
    expect(bank.spotFrame(row(p.lp, 0), [], 0, U)).toEqual([]);
    // A new stream forgets the hits reported: the same occurrence is new again.
    bank.setSpotter(spotter('seven'), 0);
    const again = () => {
      const out: KeywordHit[] = [];
      for (let t = 0; t < p.T; t++) out.push(...bank.spotFrame(row(p.lp, t), [], t, U));
      return [...out, ...bank.flush()];
    };
    expect(again()).toHaveLength(1);
    bank.reset();
    expect(again()).toHaveLength(1);
  });

  describe('chunks of the extra warps (random-weight streaming graph)', () => {
    let dir = '';
    let stream: OnlineAcousticSession;
    beforeAll(async () => {
      const pkg = await writeRandomModelPackage(3);
      dir = pkg.dir;
      stream = await OnlineAcousticSession.create(await loadModelPackage(dir));
    });
    afterAll(async () => {
      await stream?.release();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('carries each warp\'s forward state across chunks and restarts it with the utterance', async () => {
      const D = engineMetadata().architecture.inputDim;
      const next = rng(11);
      const rows = (n: number) => Float32Array.from({ length: n * D }, () => next() * 2 - 1);
      const frames = new UtteranceFrames(D, 2);
      frames.append(rows(40), new Uint8Array(40), 40, [rows(40), rows(40)]);
      const bank = new KeywordWarpBank(features, [0.8, 1.2], spotter('seven'));
      const first = await bank.runChunk(stream, frames, 0, 16, 24, true);
      const second = await bank.runChunk(stream, frames, 16, 32, 40, true);
      for (const k of [0, 1]) {
        const a = await stream.runChunk(frames.warpRows(k, 0, 16), frames.warpRows(k, 16, 24), stream.initialState());
        const b = await stream.runChunk(frames.warpRows(k, 16, 32), frames.warpRows(k, 32, 40), a.state);
        expect(first[k]).toEqual(a.logprobs);
        expect(second[k]).toEqual(b.logprobs);
      }
      bank.restartChunks();
      expect(await bank.runChunk(stream, frames, 0, 16, 24, true)).toEqual(first);
      // Not fed, or no keywords: no warp runs.
      expect(await bank.runChunk(stream, frames, 0, 16, 24, false)).toEqual([null, null]);
      bank.setSpotter(null, 0);
      expect(await bank.runChunk(stream, frames, 0, 16, 24, true)).toEqual([null, null]);
    });
  });
});
