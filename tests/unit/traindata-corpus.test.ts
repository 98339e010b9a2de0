import { describe, expect, it } from 'vitest';
import { buildTextCorpus, HELDOUT_TEXT_SEED } from '../../src-main/train/data/text-corpus.ts';
import { spellCardinal, spellOrdinal, digitString } from '../../src-main/train/data/text-numbers.ts';
import { cleanBrownSentence, brownSentences } from '../../src-main/train/data/text-brown.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

/** Independent reference: parses spelled cardinals back to numbers by accumulating scales. */
function parseCardinal(text: string): number {
  const small: Record<string, number> = {};
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'
    .split(' ').forEach((w, i) => { small[w] = i; });
  'twenty thirty forty fifty sixty seventy eighty ninety'.split(' ').forEach((w, i) => { small[w] = 20 + 10 * i; });
  const scales: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9 };
  let total = 0, group = 0;
  for (const w of text.split(' ')) {
    if (w === 'and') continue;
    if (w in small) group += small[w];
    else if (w === 'hundred') group *= 100;
    else if (w in scales) { total += group * scales[w]; group = 0; }
    else throw new Error(`unexpected word ${w}`);
  }
  return total + group;
}

describe('text corpus', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = buildTextCorpus({ seed: 42, count: 300 });
    const b = buildTextCorpus({ seed: 42, count: 300 });
    const c = buildTextCorpus({ seed: 43, count: 300 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('contains only lower-case [a-z\'] words separated by single spaces, no digits', () => {
    const texts = buildTextCorpus({ seed: 1, count: 2000 });
    for (const t of texts) expect(t).toMatch(/^[a-z']+( [a-z']+)*$/);
    expect(texts.some((t) => /\d/.test(t))).toBe(false);
  });

  it('mixes the four kinds of text roughly in the requested proportions', () => {
    const onlyDigits = buildTextCorpus({ seed: 3, count: 200, mix: { commands: 0, digits: 1, numbers: 0, sentences: 0 } });
    const digitWords = new Set('zero oh one two three four five six seven eight nine'.split(' '));
    for (const t of onlyDigits) {
      const words = t.split(' ');
      expect(words.length).toBeGreaterThanOrEqual(1);
      expect(words.length).toBeLessThanOrEqual(10);
      for (const w of words) expect(digitWords.has(w)).toBe(true);
    }
    const sentences = new Set(brownSentences());
    const mixed = buildTextCorpus({ seed: 4, count: 1000 });
    const fromBrown = mixed.filter((t) => sentences.has(t)).length;
    expect(fromBrown / 1000).toBeGreaterThan(0.3);
    expect(fromBrown / 1000).toBeLessThan(0.5);
    expect(new Set(mixed).size).toBeGreaterThan(600);
  });

  it('keeps held-out Brown sentences out of the training draw', () => {
    const train = new Set(buildTextCorpus({ seed: 5, count: 3000, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 } }));
    const held = buildTextCorpus({ seed: HELDOUT_TEXT_SEED, count: 300, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 } });
    for (const s of held) expect(train.has(s)).toBe(false);
  });

  it('spells cardinals that parse back to the same number', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(0, 10 ** rng.int(0, 11) - 1);
      expect(parseCardinal(spellCardinal(n))).toBe(n);
      expect(parseCardinal(spellCardinal(n, true))).toBe(n);
    }
    expect(spellCardinal(2006, true)).toBe('two thousand and six');
    expect(spellCardinal(42)).toBe('forty two');
    expect(spellOrdinal(21)).toBe('twenty first');
    expect(() => spellCardinal(-1)).toThrow(/unsupported number -1/);
  });

  it('reads digit strings of 1..10 digits', () => {
    const rng = createRng(2);
    for (let i = 0; i < 200; i++) {
      const n = digitString(rng).split(' ').length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(10);
    }
  });

  it('cleans Brown sentences: strips tags and punctuation, splits hyphens, rejects numbers', () => {
    expect(cleanBrownSentence("The/at jury/nn did/dod not/* say/vb ,/, ``/`` term-end/nn ''/'' ./.")).toBe('the jury did not say term end');
    expect(cleanBrownSentence('In/in 1960/cd they/ppss left/vbd ./.')).toBeNull();
    expect(cleanBrownSentence('Go/vb ./.')).toBeNull();
    expect(brownSentences().length).toBeGreaterThan(15000);
  });

  it('rejects bad options with a clear error', () => {
    expect(() => buildTextCorpus({ seed: 1, count: -1 })).toThrow(/count/);
    expect(() => buildTextCorpus({ seed: 1, count: 1, mix: { commands: 0, digits: 0, numbers: 0, sentences: 0 } })).toThrow(/mix/);
  });
});
