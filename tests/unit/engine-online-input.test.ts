/**
 * OnlineInput, what a live stream was fed: PCM in uneven pieces gives the whole-file features of
 * every warp, MFCC rows give the same frames, the stream's clock, the PCM kept for VTLN, and the
 * refusals of acceptMfcc's warped rows.
 */
import { describe, expect, it } from 'vitest';
import { computeFeatures, computeMfcc, SAMPLE_RATE } from '../../src-shared/features/index.ts';
import { OnlineInput, type InputFrames } from '../../src-main/engine/online-input.ts';
import { engineMetadata } from '../helpers/random-model-package.ts';
import { voiceLike } from '../helpers/voice-like.ts';

const { features, normalization } = engineMetadata();
const pcm = voiceLike(1.3, 180);
const input = (warps: number[] = [0.8], keepPcm = true) => new OnlineInput(features, normalization, undefined, warps, keepPcm);

/** Concatenated frames of pushes: the front-end's and each warp's. */
function collect(outs: InputFrames[]): { frames: number[]; warped: number[][]; voiced: number } {
  return {
    frames: outs.flatMap((o) => [...o.frames.data]),
    warped: outs[0].warped.map((_, k) => outs.flatMap((o) => [...o.warped[k].data])),
    voiced: outs.reduce((a, o) => a + o.voiced.length, 0),
  };
}

describe('OnlineInput', () => {
  it('turns PCM pushed in uneven pieces into the whole-file features, for each warp too', () => {
    const inp = input();
    const outs: InputFrames[] = [];
    for (let i = 0, k = 0; i < pcm.length; k++) {
      const n = [1, 700, 160, 3333][k % 4];
      outs.push(inp.pushPcm(pcm.subarray(i, i + n)));
      i += n;
    }
    outs.push(inp.flush());
    const got = collect(outs);
    const whole = computeFeatures(pcm, features, normalization);
    const warped = computeFeatures(pcm, features, normalization, 0.8);
    expect(got.frames.length).toBe(whole.data.length);
    got.frames.forEach((x, i) => expect(x).toBeCloseTo(whole.data[i], 4));
    got.warped[0].forEach((x, i) => expect(x).toBeCloseTo(warped.data[i], 4));
    expect(got.voiced).toBe(whole.frames);
    expect(inp.source).toBe('pcm');
    expect(inp.warpsFed).toBe(true);
    expect(inp.audioSec).toBeCloseTo(1.3, 9);
  });

  it('gives the same frames from MFCC rows, with the warped rows or without them', () => {
    const fromPcm = input();
    const pcmFrames = collect([fromPcm.pushPcm(pcm), fromPcm.flush()]);
    const m = computeMfcc(pcm, features);
    const w = computeMfcc(pcm, features, 0.8);
    const per = 7 * m.dim;
    const withWarps = input();
    const outs: InputFrames[] = [];
    for (let i = 0; i < m.data.length; i += per) outs.push(withWarps.pushMfcc(m.data.slice(i, i + per), [w.data.slice(i, i + per)]));
    outs.push(withWarps.flush());
    expect(collect(outs)).toEqual(pcmFrames);
    expect(withWarps.audioSec).toBeCloseTo((m.frames * features.hopLength) / SAMPLE_RATE, 9);
    const plain = input();
    expect(plain.pushMfcc(m.data).warped).toEqual([]);
    expect(plain.warpsFed).toBe(false);
    expect(plain.flush().warped).toEqual([]);
  });

  it('refuses warped rows that do not match the warps or the stream, and a switch of input kind', () => {
    const m = computeMfcc(pcm, features);
    const rows = m.data.slice(0, 10 * m.dim);
    const inp = input();
    expect(() => inp.pushMfcc(rows, [])).toThrow(/one array per keyword warp \(0\.8\)/);
    expect(() => inp.pushMfcc(rows, [rows.subarray(0, 13)])).toThrow(/warped\[0\] must be a Float32Array of 130 values/);
    inp.pushMfcc(rows);
    expect(() => inp.pushMfcc(rows, [rows])).toThrow(/every push of a stream, or with none/);
    expect(() => inp.pushPcm(pcm)).toThrow(/cannot switch/);
    expect(() => input().pushPcm(Float32Array.of(0, Infinity))).toThrow(/non-finite sample at index 1/);
    inp.reset();
    expect(inp.source).toBeNull();
    expect(inp.audioSec).toBe(0);
    expect(inp.pushMfcc(rows, [rows]).warped).toHaveLength(1);
  });

  it('keeps the PCM of the current utterance\'s frames for VTLN, when asked to', () => {
    const inp = input([]);
    inp.pushPcm(pcm);
    const spf = features.hopLength * features.subsample;
    // Frame j starts at sample j * spf and spans its stacked analysis windows.
    const span = (features.stack - 1) * features.hopLength + features.frameLength;
    expect(inp.framesPcm(2, 5)).toEqual(pcm.subarray(2 * spf, 4 * spf + span));
    expect(inp.framesPcm(2, null)).toEqual(pcm.subarray(2 * spf));
    inp.dropPcmBefore(10);
    expect(inp.framesPcm(0, null)).toEqual(pcm.subarray(10 * spf));
    const none = input([], false);
    none.pushPcm(pcm);
    expect(none.framesPcm(0, null).length).toBe(0);
  });
});
