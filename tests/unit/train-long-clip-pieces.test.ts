/** `hark adapt --split-long`: where long real clips are cut (planPieces, cutSample) and the option's checks. */
import { describe, expect, it } from 'vitest';
import { splitLongOption } from '../../src-main/cli/adapt-command.ts';
import { UsageError } from '../../src-main/cli/cli-args.ts';
import { cutSample, planPieces, type WordSpan } from '../../src-main/train/data/real/long-clip-pieces.ts';

const w = (first: number, last: number): WordSpan => ({ first, last });

describe('planPieces', () => {
  it('keeps a clip that fits whole', () => {
    expect(planPieces([w(2, 5), w(8, 12)], 20, 20)).toEqual([{ start: 0, end: 20, firstWord: 0, lastWord: 1 }]);
  });

  it('cuts in the middle of the widest pause where both sides then fit', () => {
    // Pauses: 1 frame (after word 0), 6 frames (after word 1), 2 frames (after word 2).
    const words = [w(0, 9), w(11, 19), w(26, 35), w(38, 45)];
    expect(planPieces(words, 48, 30)).toEqual([
      { start: 0, end: 23, firstWord: 0, lastWord: 1 },
      { start: 23, end: 48, firstWord: 2, lastWord: 3 },
    ]);
  });

  it('prefers a narrower pause that lets both sides fit over a wider one that does not', () => {
    // The 10-frame pause after word 0 leaves 38 frames on the right; the 1-frame pause after word 1 splits 25 / 25.
    const words = [w(0, 4), w(15, 23), w(25, 35), w(37, 49)];
    expect(planPieces(words, 50, 30).map((p) => [p.start, p.end])).toEqual([[0, 24], [24, 50]]);
  });

  it('cuts in two wide pauses rather than once in the middle when no single cut fits', () => {
    // Three phrases of 30 frames with 8-frame pauses between them and 1-frame pauses inside; the limit is 45 frames.
    const words = [w(0, 14), w(16, 29), w(38, 52), w(54, 67), w(76, 90), w(92, 105)];
    expect(planPieces(words, 106, 45).map((p) => [p.start, p.end, p.firstWord, p.lastWord])).toEqual([[0, 34, 0, 1], [34, 72, 2, 3], [72, 106, 4, 5]]);
  });

  it('cuts again and again until every piece fits, words never split', () => {
    const words = Array.from({ length: 10 }, (_, i) => w(i * 10, i * 10 + 7));
    const pieces = planPieces(words, 100, 25);
    expect(pieces.every((p) => p.end - p.start <= 25)).toBe(true);
    expect(pieces[0].start).toBe(0);
    expect(pieces.at(-1)!.end).toBe(100);
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i].start).toBe(pieces[i - 1].end);
      expect(pieces[i].firstWord).toBe(pieces[i - 1].lastWord + 1);
    }
    for (const p of pieces) for (let k = p.firstWord; k <= p.lastWord; k++) expect(words[k].first >= p.start && words[k].last < p.end).toBe(true);
  });

  it('drops a stretch that cannot be cut short enough, with its words, and keeps the rest', () => {
    // Word 1 runs 40 frames with no pause inside: the stretch that holds it is left out.
    const words = [w(0, 8), w(12, 51), w(55, 60)];
    expect(planPieces(words, 62, 20)).toEqual([
      { start: 0, end: 10, firstWord: 0, lastWord: 0 },
      { start: 53, end: 62, firstWord: 2, lastWord: 2 },
    ]);
  });

  it('does not cut between words with no blank frame between them', () => {
    expect(planPieces([w(0, 9), w(10, 19)], 20, 15)).toEqual([]);
    expect(planPieces([w(0, 9), w(11, 19)], 20, 15)).toEqual([{ start: 0, end: 10, firstWord: 0, lastWord: 0 }, { start: 10, end: 20, firstWord: 1, lastWord: 1 }]);
  });

  it('refuses spans out of order or outside the clip, and a limit that is not a positive whole number', () => {
    expect(() => planPieces([w(5, 9), w(3, 12)], 20, 10)).toThrow(/word 1 spans frames 3..12, not in order/);
    expect(() => planPieces([w(5, 25)], 20, 10)).toThrow(/not in order inside 0..19/);
    expect(() => planPieces([w(0, 1)], 20, 0)).toThrow(/maxFrames must be a positive whole number/);
    expect(() => planPieces([w(0, 1)], 20, 2.5)).toThrow(/maxFrames/);
  });
});

describe('cutSample', () => {
  const features = { sampleRate: 16000, frameLength: 512, hopLength: 160, numMfcc: 13, melBands: 40, deltaOrder: 2, deltaWindow: 2, stack: 3, subsample: 3 };
  it('puts the cut before frame j halfway between the centres of frames j - 1 and j', () => {
    // Model frame j covers samples j * 480 .. j * 480 + 832 (3 stacked 512-sample windows 160 apart): centre j * 480 + 416.
    expect(cutSample(10, features)).toBe(10 * 480 + 416 - 240);
    expect(cutSample(0, features)).toBe(176);
  });
});

describe('the --split-long option', () => {
  it('needs --max-clip-sec and --real', () => {
    expect(splitLongOption(true, 4.5, 'data/real')).toBe(true);
    expect(splitLongOption(false, undefined, undefined)).toBe(false);
    expect(() => splitLongOption(true, undefined, 'data/real')).toThrow(UsageError);
    expect(() => splitLongOption(true, 4.5, undefined)).toThrow(/give --max-clip-sec and --real too/);
  });
});
