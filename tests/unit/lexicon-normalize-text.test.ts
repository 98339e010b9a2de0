import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src-main/lexicon/normalize-text.ts';
import { cardinalWords, ordinalWords } from '../../src-main/lexicon/number-words.ts';

describe('normalizeText', () => {
  it('lower-cases, strips punctuation and keeps inner apostrophes', () => {
    expect(normalizeText("Don't STOP, 'Believin'!  O'Clock... rock-n-roll")).toEqual(
      ["don't", 'stop', 'believin', "o'clock", 'rock', 'n', 'roll']);
  });
  it('spells out numbers, ordinals, decimals and years', () => {
    expect(normalizeText('42')).toEqual(['forty', 'two']);
    expect(normalizeText('the 2nd and 21st')).toEqual(['the', 'second', 'and', 'twenty', 'first']);
    expect(normalizeText('3.5')).toEqual(['three', 'point', 'five']);
    expect(normalizeText('in 1999')).toEqual(['in', 'nineteen', 'ninety', 'nine']);
    expect(normalizeText('1905 2000 2021')).toEqual(['nineteen', 'oh', 'five', 'two', 'thousand', 'twenty', 'twenty', 'one']);
    expect(normalizeText('1,234,567')).toEqual(
      ['one', 'million', 'two', 'hundred', 'thirty', 'four', 'thousand', 'five', 'hundred', 'sixty', 'seven']);
    expect(normalizeText('007 mp3 50% -4')).toEqual(['zero', 'zero', 'seven', 'mp', 'three', 'fifty', 'percent', 'minus', 'four']);
  });
  it('every output word is letters with inner apostrophes only', () => {
    const out = normalizeText('Hello, World! #1 — «quotes» (parens) 12th; ‘curly’ it’s ok 3rd-party 100.');
    for (const w of out) expect(w).toMatch(/^[a-z]+('[a-z]+)*$/);
    expect(out).toContain("it's");
    expect(out).toContain('third');
  });
  it('rejects non-strings', () => {
    expect(() => normalizeText(42 as unknown as string)).toThrow(/string/);
  });
});

describe('number words', () => {
  // Independent reference: compose the name from the decimal digits of each 3-digit group.
  const small = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
    'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
  const tens = { 2: 'twenty', 3: 'thirty', 4: 'forty', 5: 'fifty', 6: 'sixty', 7: 'seventy', 8: 'eighty', 9: 'ninety' } as Record<number, string>;
  function ref(n: number): string {
    if (n === 0) return 'zero';
    const s = String(n).padStart(9, '0');
    const parts: string[] = [];
    ['million', 'thousand', ''].forEach((scale, g) => {
      const d = s.slice(g * 3, g * 3 + 3);
      if (d === '000') return;
      const [h, t, o] = [...d].map(Number);
      if (h) parts.push(small[h], 'hundred');
      if (t >= 2) parts.push(tens[t], small[o]);
      else parts.push(small[t * 10 + o]);
      parts.push(scale);
    });
    return parts.filter(Boolean).join(' ');
  }
  it('cardinals match a digit-by-digit reference on a sweep', () => {
    for (let n = 0; n < 1_000_000_000; n = n * 3 + 7) expect(cardinalWords(n).join(' ')).toBe(ref(n));
    for (let n = 0; n <= 1200; n++) expect(cardinalWords(n).join(' ')).toBe(ref(n));
  });
  it('ordinals', () => {
    expect(ordinalWords(1)).toEqual(['first']);
    expect(ordinalWords(12)).toEqual(['twelfth']);
    expect(ordinalWords(40)).toEqual(['fortieth']);
    expect(ordinalWords(103)).toEqual(['one', 'hundred', 'third']);
  });
});
