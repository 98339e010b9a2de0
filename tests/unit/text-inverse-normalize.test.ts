/**
 * Inverse text normalization (src-shared/text/inverse-normalize.ts): the written-case table in
 * tests/fixtures/inverse-normalize-cases.txt (one test per line), the token-to-word mapping, and
 * round trips through the words Hark's own number speller (src-main/lexicon/number-words.ts) says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardinalWords, digitWords, numberTokenWords, ordinalWords, yearWords } from '../../src-main/lexicon/number-words.ts';
import { normalizeText } from '../../src-main/lexicon/normalize-text.ts';
import { inverseNormalize, type WrittenToken } from '../../src-shared/text/inverse-normalize.ts';
import { ordinalSuffix, parseCardinal, parseOrdinalSpan } from '../../src-shared/text/spoken-numbers.ts';

interface Case {
  category: string;
  input: string;
  expected: string;
  line: number;
}

/** The table: "## category" headings, "#" comments, "words => written" cases. */
function readCases(): Case[] {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'inverse-normalize-cases.txt'), 'utf8');
  const cases: Case[] = [];
  let category = '';
  text.split('\n').forEach((raw, k) => {
    const line = raw.trim();
    if (line.startsWith('## ')) category = line.slice(3);
    else if (line && !line.startsWith('#')) {
      const parts = line.split(' => ');
      if (parts.length !== 2) throw new Error(`fixture line ${k + 1}: expected "words => written"`);
      cases.push({ category, input: parts[0], expected: parts[1], line: k + 1 });
    }
  });
  return cases;
}

const CASES = readCases();
const words = (s: string) => (s ? s.split(' ') : []);
const itn = (s: string) => inverseNormalize(words(s)).text;

/** Tokens cover words[0..n) in order, each word once, and join to the text. */
function expectCoverage(input: readonly string[], tokens: readonly WrittenToken[], text: string) {
  let next = 0;
  for (const t of tokens) {
    expect(t.start).toBe(next);
    expect(t.end).toBeGreaterThan(t.start);
    // A token that is one unchanged word keeps its text exactly.
    if (t.end - t.start === 1 && t.text.toLowerCase() === input[t.start].toLowerCase()) expect(t.text).toBe(input[t.start]);
    next = t.end;
  }
  expect(next).toBe(input.length);
  expect(tokens.map((t) => t.text).join(' ')).toBe(text);
}

describe('inverse normalization table', () => {
  it('has at least 250 cases and every category', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(250);
    const categories = new Set(CASES.map((c) => c.category));
    for (const c of ['cardinals', 'small numbers stay words in running text', 'negative cases: words that stay words',
      'ambiguous number sequences stay words', 'digit strings and phone-number-like runs', 'ordinals', 'times', 'dates',
      'money', 'percentages', 'decimals', 'negative numbers', 'years', 'mixed sentences']) expect(categories).toContain(c);
    expect(new Set(CASES.map((c) => c.input)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(`${c.category}: "${c.input}" -> "${c.expected}" (line ${c.line})`, () => {
      const input = words(c.input);
      const out = inverseNormalize(input);
      expect(out.text).toBe(c.expected);
      expectCoverage(input, out.tokens, out.text);
    });
  }
});

describe('inverse normalization tokens', () => {
  it('maps each written token to the words it came from', () => {
    const input = words('on march third twenty twenty four we paid twenty five dollars at seven thirty p m');
    expect(inverseNormalize(input).tokens).toEqual([
      { text: 'on', start: 0, end: 1 },
      { text: 'March 3, 2024', start: 1, end: 6 },
      { text: 'we', start: 6, end: 7 },
      { text: 'paid', start: 7, end: 8 },
      { text: '$25', start: 8, end: 11 },
      { text: 'at', start: 11, end: 12 },
      { text: '7:30 p.m.', start: 12, end: 16 },
    ]);
  });

  it('does not change its input and keeps words outside expressions as given', () => {
    const input = ['Hello', 'twenty', 'one', '<sound:cough>', "don't"];
    const copy = [...input];
    const out = inverseNormalize(input);
    expect(input).toEqual(copy);
    expect(out.text).toBe("Hello 21 <sound:cough> don't");
    expectCoverage(input, out.tokens, out.text);
  });

  it('reads upper-case number words like lower-case ones', () => {
    expect(itn('Twenty Five DOLLARS')).toBe('$25');
  });

  it('an empty utterance has no tokens', () => {
    expect(inverseNormalize([])).toEqual({ tokens: [], text: '' });
  });
});

describe('inverse normalization on random word sequences', () => {
  const VOCAB = ['zero', 'one', 'two', 'three', 'five', 'nine', 'ten', 'twelve', 'nineteen', 'twenty', 'forty', 'hundred',
    'thousand', 'million', 'first', 'second', 'third', 'twentieth', 'a', 'and', 'point', 'oh', 'the', 'at', 'in', 'minus',
    'half', 'past', 'quarter', 'to', 'p', 'm', 'am', 'percent', 'per', 'cent', 'dollars', 'cents', 'euro', "o'clock",
    'march', 'may', 'june', 'of', 'eighties', 'hundreds', 'people', 'i'];
  /** Deterministic pseudo-random sequences (a 32-bit linear congruential generator). */
  function* sequences(count: number): Generator<string[]> {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let k = 0; k < count; k++) {
      const n = 1 + Math.floor(next() * 12);
      yield Array.from({ length: n }, () => VOCAB[Math.floor(next() * VOCAB.length)]);
    }
  }

  it('covers every word exactly once, in order, and writes again to itself', () => {
    for (const input of sequences(5000)) {
      const out = inverseNormalize(input);
      expectCoverage(input, out.tokens, out.text);
      // Written text has no number words left that a second pass would read differently.
      expect(itn(out.text)).toBe(out.text);
    }
  });
});

describe('round trips through number-words.ts', () => {
  /** The style rules, written independently of the implementation: the written form of an integer. */
  function written(n: number): string {
    for (const [name, scale] of [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]] as const) {
      if (n >= scale && n % scale === 0 && n / scale < 1000) return `${n / scale} ${name}`;
    }
    return n >= 10000 ? n.toLocaleString('en-US') : String(n);
  }

  const CARDINALS = [10, 13, 20, 42, 99, 100, 101, 110, 115, 250, 999, 1000, 1001, 1010, 1204, 2024, 9999, 10000, 10001,
    12345, 99999, 100000, 100100, 123456, 999999, 1000000, 1000001, 2500000, 7000000, 12345678, 300000000, 1000000000,
    1234567890, 5000000000000, 123456789012345];
  for (const n of CARDINALS) {
    it(`cardinal ${n}: ${cardinalWords(n).join(' ')}`, () => {
      expect(itn(cardinalWords(n).join(' '))).toBe(written(n));
    });
  }

  it('every cardinal 10..3000 and a sweep to 10^15 read back', () => {
    for (let n = 10; n <= 3000; n++) expect(itn(cardinalWords(n).join(' '))).toBe(written(n));
    for (let n = 10; n < 1e15; n = Math.floor(n * 1.7) + 3) expect(itn(cardinalWords(n).join(' '))).toBe(written(n));
  });

  it('cardinals 0..9 stay the words number-words.ts says', () => {
    for (let n = 0; n < 10; n++) expect(itn(cardinalWords(n).join(' '))).toBe(cardinalWords(n).join(' '));
  });

  const ORDINALS = [10, 11, 12, 13, 20, 21, 22, 23, 31, 44, 100, 101, 102, 111, 112, 113, 1000, 2021];
  for (const n of ORDINALS) {
    it(`ordinal ${n}: the ${ordinalWords(n).join(' ')}`, () => {
      expect(itn(['the', ...ordinalWords(n)].join(' '))).toBe(`the ${n}${ordinalSuffix(n)}`);
    });
  }

  it('every ordinal 10..1200 reads back after "the"; first..ninth stay words', () => {
    const suffix = (n: number) => (n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
    for (let n = 10; n <= 1200; n++) expect(itn(['the', ...ordinalWords(n)].join(' '))).toBe(`the ${n}${suffix(n)}`);
    for (let n = 1; n < 10; n++) expect(itn(ordinalWords(n).join(' '))).toBe(ordinalWords(n).join(' '));
  });

  it('every year 1100..2099 read back after "in"', () => {
    for (let y = 1100; y <= 2099; y++) expect(itn(['in', ...yearWords(y)].join(' '))).toBe(`in ${y}`);
  });

  it('years 1900..2099 read back without a cue', () => {
    for (let y = 1900; y <= 2099; y++) expect(itn(yearWords(y).join(' '))).toBe(String(y));
  });

  for (const digits of ['007', '911', '47291', '5551212', '0123456789', '402']) {
    it(`digit string ${digits}`, () => {
      expect(itn(digitWords(digits).join(' '))).toBe(digits);
    });
  }

  for (const token of ['3.14', '0.5', '10.25', '2.0', '1,234,567', '12.75', '3rd', '21st', '2024', '1999', '1905']) {
    it(`number token ${token}`, () => {
      const spoken = numberTokenWords(token);
      expect(spoken).not.toBeNull();
      const expected = /^[1-9]st|^[1-9]nd|^[1-9]rd|^[1-9]th/.test(token) ? spoken!.join(' ') : token;
      expect(itn(spoken!.join(' '))).toBe(expected);
    });
  }

  const WRITTEN_TEXTS: [string, string][] = [
    ['50%', '50%'], ['3.5%', '3.5%'], ['-4', '-4'], ['-12.5', '-12.5'], ['25 dollars', '$25'],
    ['3 dollars and 50 cents', '$3.50'], ['March 3rd 2024', 'March 3, 2024'], ['at 7:30 pm', 'at 7:30 p.m.'],
  ];
  for (const [text, expected] of WRITTEN_TEXTS) {
    it(`normalizeText("${text}") reads back as "${expected}"`, () => {
      expect(itn(normalizeText(text).join(' '))).toBe(expected);
    });
  }
});

describe('spoken number parsing', () => {
  it('parseCardinal reads the longest well-formed cardinal', () => {
    expect(parseCardinal(words('three hundred twenty one people'), 0)).toEqual({ value: 321, end: 4, usesA: false });
    expect(parseCardinal(words('three twenty one'), 0)).toEqual({ value: 3, end: 1, usesA: false });
    expect(parseCardinal(words('a hundred and five'), 0)).toEqual({ value: 105, end: 4, usesA: true });
    expect(parseCardinal(words('two thousand and five'), 0)).toEqual({ value: 2005, end: 4, usesA: false });
    expect(parseCardinal(words('one thousand twelve hundred'), 0)).toEqual({ value: 1000, end: 2, usesA: false });
    expect(parseCardinal(words('one million one million'), 0)).toEqual({ value: 1_000_001, end: 3, usesA: false });
    expect(parseCardinal(words('people'), 0)).toBeNull();
    expect(parseCardinal(words('hundred'), 0)).toBeNull();
  });

  it('parseOrdinalSpan reads an ordinal that ends the span', () => {
    expect(parseOrdinalSpan(words('one hundred twenty first'), 0, 4)).toBe(121);
    expect(parseOrdinalSpan(words('thousandth'), 0, 1)).toBe(1000);
    expect(parseOrdinalSpan(words('twenty one'), 0, 2)).toBeNull();
    expect(parseOrdinalSpan(words('first twenty'), 0, 2)).toBeNull();
  });

  it('ordinalSuffix', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 1000].map((n) => `${n}${ordinalSuffix(n)}`)).toEqual(
      ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '112th', '1000th']);
  });
});
