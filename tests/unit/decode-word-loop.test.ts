import { describe, expect, it } from 'vitest';
import { ctcPrefixBeamSearch } from '../../src-main/decode/ctc-prefix-beam-search.ts';
import { createWordLoopDecoder } from '../../src-main/decode/word-decoders.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { buildPosteriors, U } from './decode-fixtures.ts';

const FRAME = 0.03;
const lex = new Lexicon();
const ITEMS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'turn on', 'lights'];

describe('word-loop decoding', () => {
  it('recognizes any sequence of the listed words, phrases emitted whole', () => {
    const spoken = ['turn', 'on', 'lights', 'two', 'two', 'eight', 'oh'];
    const p = buildPosteriors(spoken.map((w) => ({ word: w, phones: [...lex.pronounce(w).pronunciations[0]] })), { seed: 4, peak: 0.7 });
    const dec = createWordLoopDecoder(ITEMS, lex);
    const r = ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, dec);
    expect(r.text).toBe('turn on lights two two eight oh');
    expect(r.words.map((w) => w.word)).toEqual(['turn on', 'lights', 'two', 'two', 'eight', 'oh']);
    expect(r.words[0].start).toBeCloseTo(p.spans[0].first * FRAME, 6);
    expect(r.words[0].end).toBeCloseTo((p.spans[1].last + 1) * FRAME, 6);
    expect(r.words[3].start).toBeCloseTo(p.spans[4].first * FRAME, 6);
    for (const w of r.words) expect(w.confidence).toBeGreaterThan(0.5);
  });
  it('a large negative word bonus suppresses output', () => {
    const p = buildPosteriors([{ word: 'one', phones: ['W', 'AH', 'N'] }], { seed: 1 });
    expect(ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, createWordLoopDecoder(ITEMS, lex)).text).toBe('one');
    expect(ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, createWordLoopDecoder(ITEMS, lex, { wordBonus: -100 })).text).toBe('');
  });
  it('rejects an empty list', () => {
    expect(() => createWordLoopDecoder(['  '], lex)).toThrow(/no words/);
  });
});
