// The second stage of live keyword spotting (src-main/engine/keyword-verifier.ts) on hand-built
// posteriors: a candidate waits for its right context, is kept when the verifying posteriors hold
// the keyword over it (with their times) and dropped when they do not, and one whose frames are
// gone is decided on its own streaming score.
import { describe, expect, it } from 'vitest';
import { KeywordSpotter, type KeywordHit } from '../../src-main/decode/keyword-spotter.ts';
import { KeywordVerifier, VERIFY_LEFT_SEC, VERIFY_RIGHT_SEC, type VerifyWindow } from '../../src-main/engine/keyword-verifier.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { buildPosteriors, framesToLogprobs, rng, U } from './decode-fixtures.ts';

const FRAME = 0.03;
const OFFSET = 0.01; // the timeline's shift of frame times
const lex = new Lexicon();
const strict = new KeywordSpotter([{ text: 'computer' }], lex, { llrThreshold: -0.7 });

/** An utterance's posteriors: `lead` frames of silence, then `text` (or silence as long), then 40 frames of silence. */
function utterance(text: string | null, lead = 50): { lp: Float32Array; T: number; wordStart: number; wordEnd: number } {
  const word = buildPosteriors([{ word: 'computer', phones: [...lex.pronounce('computer').pronunciations[0]] }], { lead: 0, tail: 0, seed: 3 });
  const sil = (n: number, seed: number) => framesToLogprobs(new Array<number>(n).fill(BLANK_ID), 0.9, rng(seed));
  const middle = text ? word.lp : sil(word.T, 5);
  const parts = [sil(lead, 1), middle, sil(40, 2)];
  const lp = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { lp.set(p, o); o += p.length; }
  return { lp, T: lp.length / U, wordStart: lead, wordEnd: lead + word.T };
}

/** The verifier's graph stand-in: the window of `u`'s posteriors, and the windows it was asked for. */
function graphOf(u: { lp: Float32Array }) {
  const asked: VerifyWindow[] = [];
  const run = async (w: VerifyWindow) => { asked.push(w); return { logprobs: u.lp.subarray(w.from * U, w.to * U), frames: w.to - w.from, numUnits: U }; };
  return { asked, run };
}

const candidate = (start: number, end: number, score = 0.2): KeywordHit => ({ keyword: 'computer', start: start * FRAME + OFFSET, end: end * FRAME + OFFSET, score });

describe('KeywordVerifier', () => {
  it('waits for the right context, then keeps a candidate the whole-utterance posteriors confirm, with their times and score', async () => {
    const u = utterance('computer');
    const v = new KeywordVerifier(strict, FRAME, OFFSET);
    // The streaming spotter's times are a little off the word's.
    const [candStart, candEnd] = [u.wordStart + 1, u.wordEnd - 1];
    v.add([candidate(candStart, candEnd)]);
    const g = graphOf(u);
    const right = Math.round(VERIFY_RIGHT_SEC / FRAME);
    // Not yet: the audio after the keyword has not all arrived.
    expect(await v.decide(0, candEnd + right - 1, false, g.run)).toEqual([]);
    expect(v.waiting).toBe(1);
    expect(g.asked).toEqual([]);
    const kept = await v.decide(0, candEnd + right, false, g.run);
    expect(g.asked).toEqual([{ from: candStart - Math.round(VERIFY_LEFT_SEC / FRAME), to: candEnd + right }]);
    expect(kept).toHaveLength(1);
    expect(kept[0].keyword).toBe('computer');
    expect(kept[0].score).toBeGreaterThan(0.5);
    expect(kept[0].start).toBeCloseTo(u.wordStart * FRAME + OFFSET, 5);
    expect(kept[0].end).toBeGreaterThan(kept[0].start);
    expect(v.waiting).toBe(0);
  });

  it('drops a candidate where the verifying posteriors hold no keyword, and decides the rest at the utterance end', async () => {
    const u = utterance(null);
    const v = new KeywordVerifier(strict, FRAME, OFFSET);
    v.add([candidate(u.wordStart, u.wordEnd)]);
    // `all`: the utterance ends before the right context has all come; it is decided on what there is.
    expect(await v.decide(0, u.wordEnd + 2, true, graphOf(u).run)).toEqual([]);
    expect(v.waiting).toBe(0);
  });

  it('decides a candidate whose frames have left the buffer on its own streaming score, at the strict threshold', async () => {
    const v = new KeywordVerifier(strict, FRAME, OFFSET);
    const g = graphOf(utterance('computer'));
    // The utterance now starts at global frame 500: both candidates lie before it.
    // The strict rule at sensitivity 0.5: ln(score) >= -0.7.
    const weak = candidate(100, 120, Math.exp(-1.0));
    const strong = candidate(200, 220, Math.exp(-0.5));
    v.add([weak, strong]);
    const kept = await v.decide(500, 10, false, g.run);
    expect(g.asked).toEqual([]);
    expect(kept).toEqual([strong]);
  });
});
