import { describe, expect, it } from 'vitest';
import { PhraseDecoder } from '../../src-main/decode/phrase-decoder.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { buildPosteriors, framesToLogprobs, noisePosteriors, rng, U } from './decode-fixtures.ts';

const FRAME = 0.03;
const lex = new Lexicon();
const PHRASES = ['Open the door', 'close the door', 'turn on the light', 'turn off the light', 'play music', 'stop'];
// Synthetic posteriors: the options these cases were designed for, not the shipped calibration.
const dec = new PhraseDecoder(PHRASES, lex, { threshold: 0.5, minCertainty: 0.5 });
const utter = (text: string, seed: number, peak = 0.8) =>
  buildPosteriors(text.split(' ').map((w) => ({ word: w, phones: [...lex.pronounce(w).pronunciations[0]] })), { seed, peak });

describe('PhraseDecoder', () => {
  it('picks the spoken phrase with word times from the alignment', () => {
    for (const [text, phrase] of [['open the door', 'Open the door'], ['turn off the light', 'turn off the light'], ['stop', 'stop']]) {
      const p = utter(text, 3, 0.75);
      const r = dec.decode(p.lp, p.T, U, FRAME);
      expect(r.phrase).toBe(phrase);
      expect(r.text).toBe(text);
      expect(r.confidence).toBeGreaterThan(0.5);
      r.words.forEach((w, i) => {
        expect(w.word).toBe(p.spans[i].word);
        expect(w.start).toBeCloseTo(p.spans[i].first * FRAME, 6);
        expect(w.end).toBeCloseTo((p.spans[i].last + 1) * FRAME, 6);
        expect(w.confidence).toBeGreaterThan(0.3);
      });
    }
  });

  it('exposes raw scores: the forward log-likelihood and Viterbi score per phrase', () => {
    const p = utter('play music', 5);
    const r = dec.decode(p.lp, p.T, U, FRAME);
    expect(r.scores.map((s) => s.phrase)).toEqual(PHRASES);
    for (const s of r.scores) {
      expect(s.viterbi).toBeLessThanOrEqual(s.logLik + 1e-9);
      expect(s.viterbi).toBeLessThanOrEqual(r.bestPathScore + 1e-9);
      expect(s.llrPerPhone).toBeLessThanOrEqual(1e-9);
    }
    expect(r.scores.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1, 6);
    expect(r.frames).toBe(p.T);
  });

  it('rejects speech outside the list', () => {
    for (const text of ['open the window', 'turn on the light please', 'close', 'play the music']) {
      const r = dec.decode(utter(text, 7).lp, utter(text, 7).T, U, FRAME);
      expect({ text, phrase: r.phrase }).toEqual({ text, phrase: null });
      expect(r.confidence).toBeLessThan(0.5);
      expect(r.words).toEqual([]);
    }
  });

  it('says what a rejection heard: the most likely phrase, its confidence and the greedy phoneme reading', () => {
    for (const text of ['play the music', 'open the window']) {
      const words = text.split(' ').map((w) => ({ word: w, phones: [...lex.pronounce(w).pronunciations[0]] }));
      const p = buildPosteriors(words, { seed: 7, peak: 0.8 });
      const r = dec.decode(p.lp, p.T, U, FRAME);
      expect(r.phrase).toBeNull();
      expect(r.text).toBe('');
      const likeliest = r.scores.reduce((a, s) => (s.logLik > a.logLik ? s : a));
      expect(r.rejection).toEqual({ closest: likeliest.phrase, confidence: r.confidence, heard: words.flatMap((w) => w.phones).join(' ') });
    }
    expect(dec.decode(utter('play the music', 7).lp, utter('play the music', 7).T, U, FRAME).rejection?.closest).toBe('play music');
    // Flat posteriors: blank wins every frame (ties go to unit 0), so nothing was heard.
    const T = 40;
    const flat = dec.decode(new Float32Array(T * U).fill(-Math.log(U)), T, U, FRAME);
    expect(flat.rejection).toMatchObject({ heard: '', confidence: 0 });
    // Too short for any phrase to align: no closest phrase.
    const short = dec.decode(framesToLogprobs([0], 0.95, rng(1)), 1, U, FRAME);
    expect(short.rejection).toEqual({ closest: null, confidence: 0, heard: '' });
    // An accepted phrase carries no rejection.
    expect(dec.decode(utter('stop', 3, 0.75).lp, utter('stop', 3, 0.75).T, U, FRAME).rejection).toBeUndefined();
  });

  it('rejects silence, flat and noisy posteriors', () => {
    const T = 80;
    const flat = new Float32Array(T * U).fill(-Math.log(U));
    const silence = framesToLogprobs(new Array<number>(T).fill(0), 0.95, rng(2));
    for (const [name, lp] of [['flat', flat], ['silence', silence], ['noise', noisePosteriors(T, 6, 3)], ['peaky noise', noisePosteriors(T, 20, 4)]] as const) {
      const r = dec.decode(lp, T, U, FRAME);
      expect({ name, phrase: r.phrase }).toEqual({ name, phrase: null });
      expect(r.confidence).toBeLessThan(0.2);
    }
  });

  it('validates its inputs', () => {
    expect(() => new PhraseDecoder([], lex)).toThrow(/no phrases/);
    expect(() => new PhraseDecoder(['!!'], lex)).toThrow(/no words/);
    expect(() => new PhraseDecoder(['stop'], lex, { threshold: 2 })).toThrow(/threshold/);
    expect(() => dec.decode(new Float32Array(3), 1, U, FRAME)).toThrow(/expected T\*U/);
  });

  it('the live scorer gives decode()\'s phrase and confidence on every prefix, in any chunking', () => {
    const a = utter('turn on the light', 5, 0.7);
    const b = utter('stop', 6, 0.8);
    const noise = noisePosteriors(20, 4, 9);
    const lp = new Float32Array(a.lp.length + noise.length + b.lp.length);
    lp.set(a.lp);
    lp.set(noise, a.lp.length);
    lp.set(b.lp, a.lp.length + noise.length);
    const T = lp.length / U;
    for (const seed of [1, 2]) {
      const next = rng(seed);
      const scorer = dec.createScorer();
      let done = 0;
      let accepted = 0;
      while (done < T) {
        const n = Math.min(T - done, 1 + Math.floor(next() * 6));
        scorer.advance(lp.subarray(done * U, (done + n) * U), n, U);
        done += n;
        const ref = dec.decode(lp.subarray(0, done * U), done, U, FRAME);
        const got = scorer.current();
        expect(got.phrase).toBe(ref.phrase);
        expect(got.confidence).toBeCloseTo(ref.confidence, 9);
        if (got.phrase) accepted++;
      }
      expect(accepted).toBeGreaterThan(0);
    }
    expect(dec.createScorer().current()).toEqual({ phrase: null, confidence: 0 });
  });
});
