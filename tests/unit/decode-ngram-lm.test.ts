import { describe, expect, it } from 'vitest';
import { buildArpa } from '../../src-main/decode/arpa-builder.ts';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';

const TINY = `
\\data\\
ngram 1=5
ngram 2=3
ngram 3=1

\\1-grams:
-1.0\t</s>
-99\t<s>\t-0.5
-0.5\ta\t-0.2
-0.7\tb\t-0.3
-1.5\t<unk>

\\2-grams:
-0.3\t<s> a\t-0.1
-0.4\ta b
-0.6\tb </s>

\\3-grams:
-0.05\t<s> a b

\\end\\
`;

describe('ARPA reader', () => {
  const lm = parseArpa(TINY);
  const L = Math.LN10;
  it('scores listed n-grams directly (natural log)', () => {
    expect(lm.order).toBe(3);
    expect(lm.score([], 'a')).toBeCloseTo(-0.3 * L, 5);
    expect(lm.score(['a'], 'b')).toBeCloseTo(-0.05 * L, 5);
    expect(lm.logProb([lm.wordId('b')], lm.eosId)).toBeCloseTo(-0.6 * L, 5);
  });
  it('backs off with the context weights', () => {
    // P(b | <s>): bigram not listed -> bow(<s>) + P(b)
    expect(lm.score([], 'b')).toBeCloseTo((-0.5 - 0.7) * L, 5);
    // P(a | a b): trigram "a b a" and bigram "b a" missing: bow(a b)=0 (absent), bow(b) + P(a)
    expect(lm.score(['a', 'b'], 'a')).toBeCloseTo((-0.3 - 0.5) * L, 5);
    // P(</s> | <s> a): trigram missing, bow(<s> a) = -0.1, bigram "a </s>" missing -> bow(a) + P(</s>)
    expect(lm.score(['a'], '</s>')).toBeCloseTo((-0.1 - 0.2 - 1.0) * L, 5);
  });
  it('maps unknown words to <unk>', () => {
    expect(lm.score(['b'], 'zebra')).toBeCloseTo((-0.3 - 1.5) * L, 5);
  });
  it('reports malformed files with a line number', () => {
    expect(() => parseArpa('hello')).toThrow(/missing \\data\\/);
    expect(() => parseArpa(TINY.replace('ngram 2=3', 'ngram 2=4'))).toThrow(/ARPA line \d+/);
    expect(() => parseArpa(TINY.replace('-0.4\ta b', '-0.4\ta zz'))).toThrow(/"zz" is not among the unigrams/);
  });
});

describe('ARPA builder (interpolated Kneser-Ney)', () => {
  const sentences = [
    'the cat sat on the mat', 'the dog sat on the log', 'a cat saw the dog', 'the cat ate',
    'a dog ate the bone', 'the cat sat', 'on the mat the cat sat', 'the dog saw a cat',
  ].map((s) => s.split(' '));
  for (const minCount of [[1, 1, 1], [1, 2, 2]]) {
    it(`gives normalized conditional distributions (minCount ${minCount})`, () => {
      const { arpa, vocab } = buildArpa(sentences, { order: 3, minWordCount: 1, minCount });
      const lm = parseArpa(arpa);
      const predicted = vocab.filter((w) => w !== '<s>');
      for (const h of [[], ['the'], ['the', 'cat'], ['cat', 'sat'], ['zebra'], ['on', 'the'], ['a', 'bone']]) {
        const ctx = [lm.bosId, ...h.map((w) => lm.wordId(w))];
        const total = predicted.reduce((s, w) => s + Math.exp(lm.logProb(ctx, lm.wordId(w))), 0);
        expect(total).toBeCloseTo(1, 4);
      }
      // Seen continuations are more likely than unseen ones.
      expect(lm.score(['the'], 'cat')).toBeGreaterThan(lm.score(['the'], 'ate'));
    });
  }
  it('keeps frequent words, maps the rest to <unk>, and forces requested words in', () => {
    const { vocab } = buildArpa(sentences, { minWordCount: 2, forceVocab: ['bone', 'zebra'] });
    expect(vocab).toContain('cat');
    expect(vocab).toContain('zebra');
    expect(vocab).toContain('bone');
    expect(vocab).not.toContain('log');
    expect(vocab).toContain('<unk>');
  });
});
