import { describe, expect, it } from 'vitest';
import { cmudict } from '../../src-main/lexicon/cmudict.ts';
import { G2PModel } from '../../src-main/lexicon/g2p-model.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { isPhoneme } from '../../src-shared/units/phonemes.ts';

/** Levenshtein distance between phoneme sequences. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

describe('Lexicon', () => {
  const lex = new Lexicon();
  it('returns all CMUdict pronunciations without stress', () => {
    const e = lex.pronounce('Read');
    expect(e.source).toBe('cmudict');
    expect(e.pronunciations).toEqual([['R', 'EH', 'D'], ['R', 'IY', 'D']]);
    expect(lex.pronounce('the').pronunciations).toEqual([['DH', 'AH'], ['DH', 'IY']]);
  });
  it('user entries take precedence and can be removed', () => {
    const l = new Lexicon();
    l.add('tomato', ['T AH0 M AA1 T OW']);
    expect(l.pronounce('TOMATO')).toEqual({ word: 'tomato', pronunciations: [['T', 'AH', 'M', 'AA', 'T', 'OW']], source: 'user' });
    expect(l.remove('tomato')).toBe(true);
    expect(l.pronounce('tomato').source).toBe('cmudict');
    expect(() => l.add('x', ['K QQ'])).toThrow(/not ARPAbet: QQ/);
    expect(() => l.add('x', [])).toThrow(/no pronunciations/);
  });
  it('falls back to G2P for unknown words and spells consonant clusters', () => {
    const e = lex.pronounce('zorbify');
    expect(e.source).toBe('g2p');
    const p = e.pronunciations[0];
    expect(p[0]).toBe('Z');
    expect(p.slice(-2)).toEqual(['F', 'AY']);
    expect(p.every(isPhoneme)).toBe(true);
    expect(lex.pronounce('xqj').pronunciations[0]).toEqual(['EH', 'K', 'S', 'K', 'Y', 'UW', 'JH', 'EY']);
  });
  it('pronounces digits and multi-word tokens by normalizing them', () => {
    const e = lex.pronounce('42');
    expect(e.pronunciations[0]).toEqual([...cmudict().get('forty')![0], ...cmudict().get('two')![0]]);
    expect(() => lex.pronounce('  ')).toThrow(/empty word/);
    expect(() => lex.pronounce('!!')).toThrow(/no letters or digits/);
  });
});

describe('G2PModel', () => {
  it('has a phoneme error rate under 12% on 1000 held-out CMUdict words', () => {
    const dict = cmudict();
    const words = [...dict.keys()].filter((w) => /^[a-z]+$/.test(w));
    let s = 7;
    const held = new Set<string>();
    while (held.size < 1000) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      held.add(words[s % words.length]);
    }
    const t0 = performance.now();
    const model = G2PModel.train([...dict].filter(([w]) => !held.has(w)));
    const trainMs = performance.now() - t0;
    let errors = 0;
    let total = 0;
    for (const w of held) {
      const hyp = model.predict(w);
      const best = dict.get(w)!.map((r) => ({ d: editDistance(hyp, r), n: r.length })).sort((a, b) => a.d - b.d)[0];
      errors += best.d;
      total += best.n;
    }
    const per = errors / total;
    console.log(`G2P held-out PER ${(100 * per).toFixed(2)}% (train ${trainMs.toFixed(0)} ms)`);
    expect(per).toBeLessThan(0.12);
    expect(model.predict('phone')).toEqual(['F', 'OW', 'N']);
  });
});
