// Keyword spotter on hand-built posteriors: times, rejections, sensitivity, overlaps, chunking, bounded state.
import { describe, expect, it } from 'vitest';
import { KeywordSpotter, spotKeywords, type KeywordHit, type KeywordSpec, type KeywordSpotterOptions, type KeywordState } from '../../src-main/decode/keyword-spotter.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { MAX_KEYWORDS } from '../../src-shared/ipc/recognition-contract.ts';
import { BLANK_ID, phonemeId } from '../../src-shared/units/phonemes.ts';
import { buildPosteriors, framesToLogprobs, noisePosteriors, rng, U, type BuiltPosteriors } from './decode-fixtures.ts';

const FRAME = 0.03;
const lex = new Lexicon();
/** buildPosteriors default layout: each phoneme 2 frames followed by 1 blank. */
const PHONE_STRIDE = 3;

const speak = (text: string, seed = 1, o: Parameters<typeof buildPosteriors>[1] = {}): BuiltPosteriors =>
  buildPosteriors(text.split(' ').map((w) => ({ word: w, phones: [...lex.pronounce(w).pronunciations[0]] })), { seed, ...o });
const spotter = (keywords: (string | KeywordSpec)[], opts: Partial<KeywordSpotterOptions> = {}) =>
  new KeywordSpotter(keywords.map((k) => (typeof k === 'string' ? { text: k } : k)), lex, opts);
const spot = (s: KeywordSpotter, p: { lp: Float32Array; T: number }): KeywordHit[] => spotKeywords(s, p.lp, p.T, U, FRAME);
const silence = (T: number, seed = 9) => ({ lp: framesToLogprobs(new Array<number>(T).fill(BLANK_ID), 0.9, rng(seed)), T });

function concat(...parts: { lp: Float32Array; T: number }[]): { lp: Float32Array; T: number } {
  const lp = new Float32Array(parts.reduce((a, p) => a + p.lp.length, 0));
  let o = 0;
  for (const p of parts) {
    lp.set(p.lp, o);
    o += p.lp.length;
  }
  return { lp, T: lp.length / U };
}

/** Overwrites frame t with the given unit probabilities; the rest of the mass is spread evenly. */
function setFrame(lp: Float32Array, t: number, probs: Record<string, number>): void {
  const ids = new Map(Object.entries(probs).map(([p, v]) => [phonemeId(p), v]));
  const rest = (1 - [...ids.values()].reduce((a, b) => a + b, 0)) / (U - ids.size);
  for (let u = 0; u < U; u++) lp[t * U + u] = Math.log(ids.get(u) ?? rest);
}

/** Sets both frames of the first phonemes of word `w`, one entry of `phones` per phoneme. */
function setPhones(p: BuiltPosteriors, w: number, phones: Record<string, number>[]): void {
  phones.forEach((probs, k) => {
    for (let i = 0; i < 2; i++) setFrame(p.lp, p.spans[w].first + k * PHONE_STRIDE + i, probs);
  });
}

/** Geometric-mean best-unit probability over a hit's frames (the header comment's certainty). */
function certaintyOf(p: { lp: Float32Array }, hit: KeywordHit): number {
  const first = Math.round(hit.start / FRAME);
  const end = Math.round(hit.end / FRAME);
  let sum = 0;
  for (let t = first; t < end; t++) sum += Math.max(...p.lp.subarray(t * U, (t + 1) * U));
  return Math.exp(sum / (end - first));
}

/** Values held by the state: typed-array lengths plus one per scalar. */
function slots(x: unknown): number {
  if (ArrayBuffer.isView(x)) return (x as Float64Array).length;
  if (Array.isArray(x)) return x.reduce((a: number, v) => a + slots(v), 0);
  if (x !== null && typeof x === 'object') return Object.values(x).reduce((a: number, v) => a + slots(v), 0);
  return 1;
}

/** Advances in random chunks of 1..7 frames, then flushes. */
function spotChunked(s: KeywordSpotter, p: { lp: Float32Array; T: number }, seed: number): KeywordHit[] {
  const next = rng(seed);
  const state = s.init();
  const hits: KeywordHit[] = [];
  for (let t = 0; t < p.T;) {
    const n = Math.min(p.T - t, 1 + Math.floor(next() * 7));
    hits.push(...s.advance(state, p.lp.subarray(t * U, (t + n) * U), n, U, FRAME));
    t += n;
  }
  return [...hits, ...s.flush(state, FRAME)];
}

describe('KeywordSpotter', () => {
  it('fires once for a keyword spoken alone, from its first phoneme to the end of its last', () => {
    const p = speak('open the door', 3);
    const hits = spot(spotter(['Open the door!']), p);
    expect(hits).toHaveLength(1);
    expect(hits[0].keyword).toBe('open the door');
    expect(hits[0].start).toBeCloseTo(p.spans[0].first * FRAME, 9);
    expect(hits[0].end).toBeCloseTo((p.spans[2].last + 1) * FRAME, 9);
    // The keyword is the best path (likelihood ratio 1): the score is the span's certainty, about the fixture's 0.9 peak.
    expect(hits[0].score).toBeCloseTo(certaintyOf(p, hits[0]), 6);
    expect(hits[0].score).toBeGreaterThan(0.85);
    expect(hits[0].score).toBeLessThan(0.95);
  });

  it('finds a keyword inside other speech, with or without pauses around it', () => {
    const s = spotter(['open the door', 'stop']);
    for (const o of [{}, { gap: 0, wordGap: 0, lead: 0, tail: 0 }]) {
      const p = speak('please open the door now', 4, o);
      expect(spot(s, p).map((h) => [h.keyword, h.start, h.end])).toEqual([
        ['open the door', expect.closeTo(p.spans[1].first * FRAME, 9), expect.closeTo((p.spans[3].last + 1) * FRAME, 9)],
      ]);
    }
  });

  it('does not fire on other phoneme sequences', () => {
    const s = spotter(['open the door', 'play music', 'stop']);
    for (const text of ['open the window', 'close the door', 'open', 'the door', 'play', 'music', 'stomp', 'top', 'please turn on the lights']) {
      expect({ text, hits: spot(s, speak(text, 5)) }).toEqual({ text, hits: [] });
    }
  });

  it('never fires on flat (noise) or all-blank posteriors, even at sensitivity 1', () => {
    const T = 2000;
    const s = spotter(['open the door', 'play', 'stop', 'up'].map((text) => ({ text, sensitivity: 1 })));
    const flat = { lp: new Float32Array(T * U).fill(-Math.log(U)), T };
    expect(spot(s, flat)).toEqual([]);
    expect(spot(s, silence(T))).toEqual([]);
    // Log-softmax of logits equal up to 1e-6: the best unit beats 1/U only by rounding noise.
    const next = rng(11);
    const nearlyFlat = new Float32Array(T * U);
    for (let t = 0; t < T; t++) {
      const x = Array.from({ length: U }, () => next() * 1e-6);
      const z = Math.log(x.reduce((a, v) => a + Math.exp(v), 0));
      for (let u = 0; u < U; u++) nearlyFlat[t * U + u] = x[u] - z;
    }
    expect(spot(s, { lp: nearlyFlat, T })).toEqual([]);
  });

  it('needs a blank between two equal phonemes in a row (CTC), also across words', () => {
    // A single S run would be a perfect match without the rule; with it, it costs a mismatched frame.
    const s = spotter([{ text: 'bus stop', sensitivity: 0.25 }]);
    expect(spot(s, speak('bus stop')).map((h) => h.keyword)).toEqual(['bus stop']);
    const oneS = buildPosteriors([{ word: 'bustop', phones: ['B', 'AH', 'S', 'T', 'AA', 'P'] }], { seed: 2 });
    expect(spot(s, oneS)).toEqual([]);
  });

  it('sensitivity moves the decision in the documented direction; the score does not depend on it', () => {
    // "stop" with its AA frames heard as AO (0.7) over AA (0.2): llrPerPhone = 2 ln(0.2/0.7) / 4;
    // with the span's certainty c the score is exp(llrPerPhone) * c (gate open: c > 0.5), and a
    // candidate needs ln(score) >= -1 * 2s.
    const p = speak('stop');
    setPhones(p, 0, [{ S: 0.9 }, { T: 0.9 }, { AO: 0.7, AA: 0.2 }]);
    const llr = (2 * Math.log(0.2 / 0.7)) / 4;
    const lenient = spot(spotter([{ text: 'stop', sensitivity: 1 }], { llrThreshold: -1 }), p);
    expect(lenient).toHaveLength(1);
    const certainty = certaintyOf(p, lenient[0]);
    expect(certainty).toBeGreaterThan(0.5);
    expect(certainty).toBeLessThan(0.9);
    const score = Math.exp(llr) * certainty;
    expect(lenient[0].score).toBeCloseTo(score, 6);
    const boundary = Math.log(score) / -2;
    expect(boundary).toBeGreaterThan(0.35);
    expect(boundary).toBeLessThan(0.5);
    for (const s of [0.1, 0.3, boundary - 0.01, boundary + 0.01, 0.5, 1]) {
      const hits = spot(spotter([{ text: 'stop', sensitivity: s }], { llrThreshold: -1 }), p);
      expect({ s, fires: hits.length === 1 }).toEqual({ s, fires: s > boundary });
      if (hits.length) expect(hits[0].score).toBeCloseTo(score, 6);
    }
  });

  it('a keyword that is a prefix of another: the longer wins when spoken, the shorter alone fires alone', () => {
    const s = spotter(['play', 'play music']);
    const both = speak('play music');
    expect(spot(s, both).map((h) => [h.keyword, h.start, h.end])).toEqual([
      ['play music', expect.closeTo(both.spans[0].first * FRAME, 9), expect.closeTo((both.spans[1].last + 1) * FRAME, 9)],
    ]);
    expect(spot(s, speak('play')).map((h) => h.keyword)).toEqual(['play']);
    expect(spot(s, speak('play please')).map((h) => h.keyword)).toEqual(['play']);
    expect(spot(s, concat(speak('play'), silence(20), speak('play music'))).map((h) => h.keyword)).toEqual(['play', 'play music']);
  });

  it('of two overlapping hits of different keywords only the higher-scoring one is reported', () => {
    const kws = [{ text: 'volume up', sensitivity: 1 }, { text: 'volume down', sensitivity: 1 }];
    // The last word is ambiguous: heard mostly as "down" (first case) or as "up" (second case).
    const down = speak('volume down');
    setPhones(down, 1, [{ D: 0.6, AH: 0.3 }, { AW: 0.6, P: 0.3 }, { N: 0.6, P: 0.3 }]);
    const up = speak('volume up');
    setPhones(up, 1, [{ AH: 0.6, D: 0.3 }, { P: 0.6, AW: 0.3 }]);
    for (const [p, winner, loser] of [[down, 'volume down', 'volume up'], [up, 'volume up', 'volume down']] as const) {
      const hits = spot(spotter(kws), p);
      expect(hits.map((h) => h.keyword)).toEqual([winner]);
      // The loser alone would have fired, with a lower score.
      const alone = spot(spotter(kws.filter((k) => k.text === loser)), p);
      expect(alone.map((h) => h.keyword)).toEqual([loser]);
      expect(alone[0].score).toBeLessThan(hits[0].score);
    }
  });

  it('repeated occurrences fire once each, also when the next one ends before the previous has settled', () => {
    const stop = speak('stop');
    const offsets = [0, stop.T + 20, 2 * (stop.T + 20)];
    const stream = concat(stop, silence(20), stop, silence(20), stop);
    const hits = spot(spotter(['stop']), stream);
    expect(hits.map((h) => [h.start, h.end])).toEqual(offsets.map((o) => [
      expect.closeTo((o + stop.spans[0].first) * FRAME, 9), expect.closeTo((o + stop.spans[0].last + 1) * FRAME, 9)]));
    const close = speak('stop stop stop');
    for (const settleFrames of [0, 3, 20]) {
      const got = spot(spotter(['stop'], { settleFrames }), close);
      expect({ settleFrames, got: got.map((h) => h.start) }).toEqual({ settleFrames, got: close.spans.map((sp) => expect.closeTo(sp.first * FRAME, 9)) });
    }
  });

  it('streams: a hit comes out settleFrames frames after its last phoneme, or as soon as a later occurrence completes', () => {
    const p = speak('stop', 1, { tail: 12 });
    const last = p.spans[0].last;
    for (const settleFrames of [1, 3, 5]) {
      const s = spotter(['stop'], { settleFrames });
      const state = s.init();
      let at = -1;
      for (let t = 0; t < p.T; t++) {
        if (s.advance(state, p.lp.subarray(t * U, (t + 1) * U), 1, U, FRAME).length > 0) at = t;
      }
      expect({ settleFrames, at }).toEqual({ settleFrames, at: last + settleFrames });
    }
    const twice = speak('stop stop', 1, { tail: 12 });
    const s = spotter(['stop'], { settleFrames: 1000 });
    const state = s.init();
    const early = s.advance(state, twice.lp, twice.T, U, FRAME);
    expect(early.map((h) => h.start)).toEqual([expect.closeTo(twice.spans[0].first * FRAME, 9)]);
    expect(s.flush(state, FRAME).map((h) => h.start)).toEqual([expect.closeTo(twice.spans[1].first * FRAME, 9)]);
    expect(s.flush(state, FRAME)).toEqual([]);
  });

  it('a later occurrence that completes while an earlier hit is held back is reported after it', () => {
    // "play" is held while "play stop please" could still complete; "stop" completes meanwhile.
    const p = speak('play stop');
    const hits = spot(spotter(['play', 'stop', 'play stop please']), p);
    expect(hits.map((h) => [h.keyword, h.start])).toEqual([
      ['play', expect.closeTo(p.spans[0].first * FRAME, 9)], ['stop', expect.closeTo(p.spans[1].first * FRAME, 9)],
    ]);
  });

  it('decoding in random chunks of 1..7 frames gives exactly the hits of one pass', () => {
    const ambiguous = speak('volume down', 6);
    setPhones(ambiguous, 1, [{ D: 0.6, AH: 0.3 }, { AW: 0.6, P: 0.3 }]);
    const stream = concat(
      speak('please open the door now', 2), speak('play music', 3), silence(5), speak('play', 4), ambiguous,
      { lp: noisePosteriors(60, 6, 7), T: 60 }, speak('stop stop', 8), speak('close the door', 9), speak('stop', 10, { tail: 0 }),
    );
    const kws = ['open the door', 'play', { text: 'play music', sensitivity: 0.8 }, 'stop', { text: 'volume up', sensitivity: 1 }, { text: 'volume down', sensitivity: 1 }];
    for (const settleFrames of [0, 3, 20]) {
      const s = spotter(kws, { settleFrames });
      const whole = spot(s, stream);
      expect(whole.length).toBeGreaterThanOrEqual(6);
      whole.forEach((h, i) => {
        expect(h.score).toBeGreaterThan(0);
        expect(h.score).toBeLessThanOrEqual(1);
        expect(h.end).toBeGreaterThan(h.start);
        if (i > 0) expect(h.start).toBeGreaterThanOrEqual(whole[i - 1].end);
      });
      for (const seed of [1, 2, 3, 4, 5]) expect(spotChunked(s, stream, seed)).toEqual(whole);
    }
  });

  it('keeps its state the same size over 10,000 frames', () => {
    const s = spotter(['open the door', 'play', 'play music', 'stop']);
    const unit = concat(speak('please open the door now', 2), speak('stop', 3), silence(7), speak('play music', 4));
    const reps = Math.ceil(10_000 / unit.T);
    const stream = concat(...new Array(reps).fill(unit));
    const state: KeywordState = s.init();
    const base = slots(state);
    let hits = 0;
    let largest = base;
    for (let t = 0; t < stream.T; t += 50) {
      const n = Math.min(50, stream.T - t);
      hits += s.advance(state, stream.lp.subarray(t * U, (t + n) * U), n, U, FRAME).length;
      largest = Math.max(largest, slots(state));
    }
    hits += s.flush(state, FRAME).length;
    expect(state.frames).toBe(stream.T);
    expect(stream.T).toBeGreaterThanOrEqual(10_000);
    expect(hits).toBe(3 * reps);
    // A pending candidate (5 numbers) in place of null is the only change allowed.
    expect(largest - base).toBeLessThanOrEqual(4);
  });

  it('validates keywords, options and posteriors', () => {
    expect(() => spotter([])).toThrow(/no keywords/);
    expect(() => spotter(['stop', ' !! '])).toThrow(/keyword has no words: " !! "/);
    expect(() => spotter(['Stop', 'stop!'])).toThrow(/duplicate keyword "stop"/);
    for (const sensitivity of [0, -0.5, 1.5, NaN]) {
      expect(() => spotter([{ text: 'stop', sensitivity }])).toThrow(/keyword "stop": sensitivity must be in \(0, 1\]/);
    }
    expect(spotter(['Stop!', { text: 'go', sensitivity: 1 }]).keywords).toEqual([{ keyword: 'stop', sensitivity: 0.5 }, { keyword: 'go', sensitivity: 1 }]);
    expect(() => spotter(['stop'], { llrThreshold: 0.5 })).toThrow(/llrThreshold/);
    expect(() => spotter(['stop'], { minCertainty: 0 })).toThrow(/minCertainty/);
    expect(() => spotter(['stop'], { settleFrames: -1 })).toThrow(/settleFrames/);
    expect(() => spotter(['stop'], { maxVariants: 0 })).toThrow(/maxVariants/);

    const s = spotter(['stop']);
    const p = speak('stop');
    const state = s.init();
    s.advance(state, p.lp.subarray(0, 2 * U), 2, U, FRAME);
    expect(() => s.advance(state, new Float32Array(2 * (U - 1)), 2, U - 1, FRAME)).toThrow(/posteriors have 39 units, earlier frames of this stream had 40/);
    expect(() => s.advance(s.init(), new Float32Array(2 * 10), 2, 10, FRAME)).toThrow(/posteriors have 10 units, the keywords use unit/);
    expect(() => s.advance(s.init(), new Float32Array(3), 1, U, FRAME)).toThrow(/expected T\*U/);
    expect(() => spotKeywords(s, p.lp, p.T + 1, U, FRAME)).toThrow(/expected T\*U/);
    expect(() => s.advance(s.init(), p.lp, p.T, U, 0)).toThrow(/frameSec/);
    expect(() => spotter(['stop', 'go']).advance(state, p.lp, p.T, U, FRAME)).toThrow(/another spotter/);
  });
});

describe('keyword spotter: bounded work', () => {
  it('spots up to MAX_KEYWORDS long keywords at once and refuses more with a clear error', () => {
    const words = ['computer', 'emergency', 'telephone', 'television', 'understand', 'yesterday', 'tomorrow', 'everybody', 'wonderful', 'beautiful'];
    const list = Array.from({ length: MAX_KEYWORDS }, (_, i) => `${words[i % 10]} ${words[Math.floor(i / 10) % 10]} ${words[(i + 3) % 10]}`);
    const s = spotter(list);
    const p = concat(silence(20), speak('emergency'), silence(40));
    expect(() => spot(s, p)).not.toThrow();
    expect(() => spotter([...list, 'one more'])).toThrow(`at most ${MAX_KEYWORDS} keywords can be spotted at once, got ${MAX_KEYWORDS + 1}`);
  });
});
