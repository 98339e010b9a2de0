// Decoders over a model with sound units, on hand-built posteriors: a `<sound:clap>` phrase item
// wins when the clap unit spikes and is rejected when it does not; a model without the unit is a
// clear error; the word loop emits listed sounds; dictation (and any search not listing a sound)
// counts unused sound units as blank.
import { describe, expect, it } from 'vitest';
import { BLANK_ID, UNITS, phonemeId } from '../../src-shared/units/phonemes.ts';
import { PhraseDecoder } from '../../src-main/decode/phrase-decoder.ts';
import { KeywordSpotter } from '../../src-main/decode/keyword-spotter.ts';
import { CtcPrefixBeamSearch, ctcPrefixBeamSearch } from '../../src-main/decode/ctc-prefix-beam-search.ts';
import { LexiconTrie } from '../../src-main/decode/lexicon-trie.ts';
import { UniformLM } from '../../src-main/decode/ngram-lm.ts';
import { buildArpa } from '../../src-main/decode/arpa-builder.ts';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';
import { createDictationDecoder, createWordLoopDecoder } from '../../src-main/decode/word-decoders.ts';
import { buildDecoders } from '../../src-main/engine/recognition-decoders.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { rng } from './decode-fixtures.ts';

const FRAME = 0.03;
const lex = new Lexicon();
const UNITS_SOUNDS = [...UNITS, '<sound:clap>', '<sound:whistle>'];
const US = UNITS_SOUNDS.length;
const CLAP = UNITS.length;
const WHISTLE = CLAP + 1;
const MISSING = 'this model has no sound <sound:clap>; retrain with recordings of it';

/** A frame's peak unit, or explicit probabilities for some units (the rest spread randomly). */
type Frame = number | Record<number, number>;

/** Log-posteriors [T, U]: each frame puts `peak` on its unit (or the given masses), the rest spread over the other units. */
function posteriors(frames: Frame[], U: number, peak = 0.9, seed = 1): Float32Array {
  const next = rng(seed);
  const lp = new Float32Array(frames.length * U);
  frames.forEach((f, t) => {
    const fixed: Record<number, number> = typeof f === 'number' ? { [f]: peak } : f;
    const mass = Object.values(fixed).reduce((a, b) => a + b, 0);
    const w = Array.from({ length: U }, (_, u) => (u in fixed ? 0 : 0.2 + next()));
    const z = w.reduce((a, b) => a + b, 0);
    for (let u = 0; u < U; u++) lp[t * U + u] = Math.log(u in fixed ? fixed[u] : ((1 - mass) * w[u]) / z);
  });
  return lp;
}

/** Frames of words (first pronunciations), sounds given as unit ids: 2 frames per unit, blanks between. */
function utterance(items: (string | number)[]): number[] {
  const frames: number[] = [BLANK_ID, BLANK_ID, BLANK_ID];
  for (const it of items) {
    const ids = typeof it === 'number' ? [it] : lex.pronounce(it).pronunciations[0].map(phonemeId);
    for (const id of ids) frames.push(id, id, BLANK_ID);
    frames.push(BLANK_ID, BLANK_ID);
  }
  frames.push(BLANK_ID, BLANK_ID);
  return frames;
}

describe('phrase decoding with a sound item', () => {
  const PHRASES = ['next slide', 'previous slide', '<sound:clap>'];
  const dec = new PhraseDecoder(PHRASES, lex, { threshold: 0.5, minCertainty: 0.5 }, UNITS_SOUNDS);

  it('fires <sound:clap> when the clap unit spikes, with its time span', () => {
    const frames = utterance([CLAP]);
    const r = dec.decode(posteriors(frames, US), frames.length, US, FRAME);
    expect(r.phrase).toBe('<sound:clap>');
    expect(r.text).toBe('<sound:clap>');
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.words).toHaveLength(1);
    expect(r.words[0].word).toBe('<sound:clap>');
    expect(r.words[0].start).toBeCloseTo(3 * FRAME, 6);
    expect(r.words[0].end).toBeCloseTo(5 * FRAME, 6);
    expect(r.scores.find((s) => s.phrase === '<sound:clap>')!.phones).toBe(1);
    // The live scorer agrees with the whole-utterance decision.
    const sc = dec.createScorer();
    sc.advance(posteriors(frames, US), frames.length, US);
    expect(sc.current()).toEqual({ phrase: '<sound:clap>', confidence: expect.closeTo(r.confidence, 6) });
  });

  it('still recognizes the spoken phrases next to it', () => {
    const frames = utterance(['next', 'slide']);
    expect(dec.decode(posteriors(frames, US, 0.8, 2), frames.length, US, FRAME).phrase).toBe('next slide');
  });

  it('rejects when the clap unit is absent: silence, another sound, a word outside the list', () => {
    const cases: [string, number[]][] = [
      ['silence', new Array<number>(20).fill(BLANK_ID)],
      ['whistle', utterance([WHISTLE])],
      ['word', utterance(['hello'])],
    ];
    for (const [name, frames] of cases) {
      const r = dec.decode(posteriors(frames, US, 0.9, 3), frames.length, US, FRAME);
      expect({ name, phrase: r.phrase }).toEqual({ name, phrase: null });
    }
  });

  it('a model without the sound unit gives a clear error, and posteriors of another width are refused', () => {
    expect(() => new PhraseDecoder(PHRASES, lex, {}, UNITS)).toThrow(MISSING);
    expect(() => new PhraseDecoder(PHRASES, lex)).toThrow(MISSING);
    expect(() => buildDecoders({ mode: { kind: 'phrases', items: PHRASES }, lexicon: lex }, FRAME)).toThrow(MISSING);
    const frames = utterance([CLAP]);
    expect(() => dec.decode(posteriors(frames, UNITS.length), frames.length, UNITS.length, FRAME)).toThrow(/posteriors have 40 units, the phrases were built for a model of 42/);
  });

  it('buildDecoders resolves sounds against the model units it is given', () => {
    const set = buildDecoders({ mode: { kind: 'phrases', items: PHRASES }, lexicon: lex, phrase: { threshold: 0.5, minCertainty: 0.5 }, units: UNITS_SOUNDS }, FRAME);
    const frames = utterance([CLAP]);
    expect(set.decode(posteriors(frames, US), frames.length, US).phrase).toBe('<sound:clap>');
  });
});

describe('word loop and keywords with sounds', () => {
  it('the word loop emits a listed sound as its token', () => {
    const frames = utterance(['next', CLAP, 'next']);
    const r = ctcPrefixBeamSearch(posteriors(frames, US, 0.8, 4), frames.length, US, FRAME, createWordLoopDecoder(['next', 'back', '<sound:clap>'], lex, {}, UNITS_SOUNDS));
    expect(r.words.map((w) => w.word)).toEqual(['next', '<sound:clap>', 'next']);
    expect(() => createWordLoopDecoder(['next', '<sound:clap>'], lex)).toThrow(MISSING);
  });

  it('the keyword spotter finds a sound keyword and refuses one the model lacks', () => {
    const frames = utterance(['hello', CLAP, 'there']);
    const sp = new KeywordSpotter([{ text: '<sound:clap>' }], lex, {}, UNITS_SOUNDS);
    const st = sp.init();
    const hits = [...sp.advance(st, posteriors(frames, US, 0.9, 5), frames.length, US, FRAME), ...sp.flush(st, FRAME)];
    expect(hits.map((h) => h.keyword)).toEqual(['<sound:clap>']);
    expect(() => new KeywordSpotter([{ text: '<sound:clap>' }], lex, {}, UNITS)).toThrow(MISSING);
  });
});

describe('searches that do not list a sound treat it as blank', () => {
  // Clap frames: the clap unit holds most of the mass, AH ("a") a little more than blank.
  const clapFrame: Frame = { [CLAP]: 0.9, [phonemeId('AH')]: 0.05, [BLANK_ID]: 0.02 };
  const frames: Frame[] = [...utterance(['one']).slice(0, -2), clapFrame, clapFrame, clapFrame, clapFrame, BLANK_ID, BLANK_ID, BLANK_ID];
  const lp = posteriors(frames, US, 0.9, 6);

  it('a trie over the model units marks the sounds it does not use', () => {
    expect(LexiconTrie.fromWords(['one', 'a'], lex, UNITS_SOUNDS).unusedSoundUnits).toEqual([CLAP, WHISTLE]);
    expect(LexiconTrie.fromWords(['one', '<sound:clap>'], lex, UNITS_SOUNDS).unusedSoundUnits).toEqual([WHISTLE]);
    expect(LexiconTrie.fromWords(['one'], lex).unusedSoundUnits).toEqual([]);
  });

  it('a clap does not turn into words in the loop (and would without folding it into blank)', () => {
    // No word bonus: the default 3 nats would pay for an "a" even on frames that are mostly blank.
    const search = createWordLoopDecoder(['one', 'a'], lex, { wordBonus: 0 }, UNITS_SOUNDS);
    expect(ctcPrefixBeamSearch(lp, frames.length, US, FRAME, search).text).toBe('one');
    // Control: the same trie entries with the clap not declared a sound (a plain 42-wide table).
    const entries = ['one', 'a'].map((w) => ({ word: w, pronunciations: lex.pronounce(w).pronunciations }));
    const unfolded = new CtcPrefixBeamSearch(new LexiconTrie(entries, US), new UniformLM(-Math.log(2)), search.opts);
    expect(ctcPrefixBeamSearch(lp, frames.length, US, FRAME, unfolded).text).toBe('one a');
  });

  it('dictation over a model with sound units never outputs a sound', () => {
    const { arpa } = buildArpa([['one'], ['a', 'one'], ['one', 'a'], ['one', 'one']], { order: 2, minCount: [1, 1] });
    const dict = createDictationDecoder(parseArpa(arpa), lex, {}, UNITS_SOUNDS);
    expect(dict.trie.numUnits).toBe(US);
    const r = ctcPrefixBeamSearch(lp, frames.length, US, FRAME, dict);
    expect(r.text).toBe('one');
    expect(r.nbest.every((h) => !h.text.includes('<sound'))).toBe(true);
  });
});
