import { describe, expect, it } from 'vitest';
import { parseArpa } from '../../src-main/decode/arpa-reader.ts';
import { MixtureLM } from '../../src-main/decode/mixture-lm.ts';

const A = parseArpa(`\\data\\\nngram 1=4\nngram 2=2\n\n\\1-grams:\n-0.5 </s>\n-99 <s> -0.2\n-0.5 a -0.1\n-99 <unk>\n\n\\2-grams:\n-0.1 <s> a\n-0.3 a </s>\n\n\\end\\\n`);
const B = parseArpa(`\\data\\\nngram 1=4\n\n\\1-grams:\n-0.6 </s>\n-99 <s>\n-0.4 b\n-0.7 a\n\n\\end\\\n`);

describe('MixtureLM', () => {
  const mix = new MixtureLM([{ lm: A, weight: 0.25 }, { lm: B, weight: 0.75 }]);

  it('covers the union of the vocabularies, without <unk>', () => {
    expect([...mix.vocab].sort()).toEqual(['</s>', '<s>', 'a', 'b']);
    expect(mix.wordId('zebra')).toBe(-1);
  });

  it('interpolates the models, a missing word taking only the other model\'s share', () => {
    const id = (w: string) => mix.wordId(w);
    const pA = Math.exp(A.score([], 'a')), pB = Math.exp(B.score([], 'a'));
    expect(mix.logProb([id('<s>')], id('a'))).toBeCloseTo(Math.log(0.25 * pA + 0.75 * pB), 6);
    expect(mix.logProb([id('<s>')], id('b'))).toBeCloseTo(Math.log(0.75 * Math.exp(B.score([], 'b'))), 6);
    // Context word unknown to A ("b") is A's <unk>: A backs off to its unigram.
    expect(mix.logProb([id('<s>'), id('b')], id('a'))).toBeCloseTo(Math.log(0.25 * Math.exp(A.logProb([A.unkId], A.wordId('a'))) + 0.75 * pB), 6);
  });

  it('rejects bad weights', () => {
    expect(() => new MixtureLM([{ lm: A, weight: 0 }])).toThrow(/weights/);
    expect(() => new MixtureLM([])).toThrow(/no models/);
  });
});
