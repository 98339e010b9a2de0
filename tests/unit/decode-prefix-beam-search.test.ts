import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadArpa } from '../../src-main/decode/arpa-reader.ts';
import { CtcPrefixBeamSearch, ctcPrefixBeamSearch } from '../../src-main/decode/ctc-prefix-beam-search.ts';
import { LexiconTrie } from '../../src-main/decode/lexicon-trie.ts';
import { UniformLM } from '../../src-main/decode/ngram-lm.ts';
import { createDictationDecoder } from '../../src-main/decode/word-decoders.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { buildPosteriors, framesToLogprobs, rng, U } from './decode-fixtures.ts';

const FRAME = 0.03;

describe('CtcPrefixBeamSearch against brute force (tiny case)', () => {
  // Units 1..3 = AA, AE, AH; words over them, including a prefix pair (x, y) and a double letter.
  const words = [
    { word: 'x', pronunciations: [['AA']] }, { word: 'y', pronunciations: [['AA', 'AE']] },
    { word: 'z', pronunciations: [['AE', 'AH']] }, { word: 'w', pronunciations: [['AH']] },
    { word: 'v', pronunciations: [['AA', 'AA']] },
  ];
  const trie = new LexiconTrie(words, 4);
  const T = 6;
  const uu = 4;
  const next = rng(5);
  const lp = new Float32Array(T * uu);
  for (let t = 0; t < T; t++) {
    const x = Array.from({ length: uu }, () => 2 * next());
    const z = Math.log(x.reduce((a, v) => a + Math.exp(v), 0));
    for (let u = 0; u < uu; u++) lp[t * uu + u] = x[u] - z;
  }
  /** Word sequence -> log of summed probability of the paths whose collapse spells it. */
  function bruteForce(): Map<string, number> {
    const byLabels = new Map<string, number>();
    for (let n = 0; n < uu ** T; n++) {
      const path: number[] = [];
      let m = n;
      let p = 1;
      for (let t = 0; t < T; t++) { path.push(m % uu); m = Math.floor(m / uu); p *= Math.exp(lp[t * uu + path[t]]); }
      const labels = path.filter((u, t) => u !== 0 && (t === 0 || path[t - 1] !== u));
      const key = labels.join(',');
      byLabels.set(key, (byLabels.get(key) ?? 0) + p);
    }
    const units: Record<string, number> = { AA: 1, AE: 2, AH: 3 };
    const prons = words.map((w) => ({ word: w.word, ids: w.pronunciations[0].map((s) => units[s]) }));
    const out = new Map<string, number>();
    for (const [key, p] of byLabels) {
      const labels = key === '' ? [] : key.split(',').map(Number);
      // All segmentations of the label string into words.
      const segment = (i: number): string[][] => {
        if (i === labels.length) return [[]];
        return prons.filter((w) => w.ids.every((u, k) => labels[i + k] === u))
          .flatMap((w) => segment(i + w.ids.length).map((rest) => [w.word, ...rest]));
      };
      for (const seq of segment(0)) out.set(seq.join(' '), Math.log(p));
    }
    return out;
  }
  it('n-best acoustic scores equal the summed path probabilities of each word sequence', () => {
    const dec = new CtcPrefixBeamSearch(trie, new UniformLM(0), {
      beamSize: 100000, unitTopK: 3, unitThreshold: 1e9, scoreBeam: 1e9, lmWeight: 0, wordBonus: 0, nBest: 100000,
    });
    const r = ctcPrefixBeamSearch(lp, T, uu, FRAME, dec);
    const ref = bruteForce();
    expect(r.nbest.length).toBe(ref.size);
    for (const h of r.nbest) expect(h.acousticScore).toBeCloseTo(ref.get(h.text)!, 4);
    const bestRef = [...ref].sort((a, b) => b[1] - a[1])[0][0];
    expect(r.text).toBe(bestRef);
    expect(r.nbest.reduce((s, h) => s + h.posterior, 0)).toBeCloseTo(1, 6);
  });
});

describe('dictation decoding with the shipped LM', () => {
  const lex = new Lexicon();
  let dec: CtcPrefixBeamSearch;
  beforeAll(() => {
    dec = createDictationDecoder(loadArpa(resolve('models/lm/brown-3gram.arpa.gz')), lex, { beamSize: 12 });
  });
  const utter = (text: string, seed: number, peak = 0.8) =>
    buildPosteriors(text.split(' ').map((w) => ({ word: w, phones: [...lex.pronounce(w).pronunciations[0]] })), { seed, peak });

  it('recognizes "open the door" from noisy peaky posteriors, with word times where the peaks are', () => {
    const p = utter('open the door', 2, 0.7);
    const r = ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, dec);
    expect(r.text).toBe('open the door');
    r.words.forEach((w, i) => {
      expect(w.start).toBeCloseTo(p.spans[i].first * FRAME, 6);
      expect(w.end).toBeCloseTo((p.spans[i].last + 1) * FRAME, 6);
      expect(w.confidence).toBeGreaterThan(0);
      expect(w.confidence).toBeLessThanOrEqual(1);
    });
  });

  it('decoding in chunks gives the same result as one pass', () => {
    const p = utter('the jury said the city should open the door', 9, 0.6);
    const one = ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, dec);
    const next = rng(4);
    const st = dec.init();
    for (let t = 0; t < p.T;) {
      const n = Math.min(p.T - t, 1 + Math.floor(next() * 9));
      dec.advance(st, p.lp.subarray(t * U, (t + n) * U), n, U);
      // Partial results along the way must not disturb the state.
      dec.result(st, FRAME, false);
      t += n;
    }
    expect(dec.result(st, FRAME, true)).toEqual(one);
    expect(one.text).toBe('the jury said the city should open the door');
  });

  it('a preview of frames to come leaves the state as it was, and reads as far as advancing would', () => {
    const p = utter('the jury said the city should open the door', 9, 0.6);
    const one = ctcPrefixBeamSearch(p.lp, p.T, U, FRAME, dec);
    const st = dec.init();
    const half = Math.floor(p.T / 2);
    dec.advance(st, p.lp.subarray(0, half * U), half, U);
    // Noisy look-ahead rows (not the ones that will come), previewed and thrown away, several times.
    const noise = utter('a city of open doors', 3, 0.5);
    for (let k = 0; k < 3; k++) {
      const n = 4 + k;
      const view = dec.preview(st, noise.lp.subarray(0, n * U), n, U);
      expect(view.frames).toBe(half + n);
      expect(st.frames).toBe(half);
    }
    // A preview of the true rest reads what advancing over it gives.
    const rest = p.lp.subarray(half * U);
    const viewed = dec.result(dec.preview(st, rest, p.T - half, U), FRAME, true);
    dec.advance(st, rest, p.T - half, U);
    expect(dec.result(st, FRAME, true)).toEqual(one);
    expect(viewed).toEqual(one);
  });

  // Its speed is a benchmark's business (bench/dictation-lm.bench.ts: decodeRtf), not a timed test's.
  it('decodes 2000 frames (60 s) with a 20k-word lexicon', () => {
    const text = 'the jury said that the city should open the door for the people of the state';
    const p = utter(Array.from({ length: 12 }, () => text).join(' '), 3, 0.7);
    const T = 2000;
    const r = ctcPrefixBeamSearch(p.lp.subarray(0, T * U), T, U, FRAME, dec);
    expect(r.text.startsWith(`${text} ${text}`)).toBe(true);
  });

  it('returns an empty result for silence and rejects bad input', () => {
    const T = 50;
    const lp = framesToLogprobs(new Array<number>(T).fill(0), 0.95, rng(1));
    expect(ctcPrefixBeamSearch(lp, T, U, FRAME, dec).text).toBe('');
    expect(() => dec.advance(dec.init(), new Float32Array(5 * 10), 5, 10)).toThrow(/10 units/);
    expect(() => new CtcPrefixBeamSearch(dec.trie, new UniformLM(0), { beamSize: 0 })).toThrow(/beamSize/);
  });
});

describe('CtcPrefixBeamSearch.settle (the stable words of partial results)', () => {
  // Units 1..3 = AA, AE, AH; one word per unit (a word loop).
  const trie = new LexiconTrie([
    { word: 'x', pronunciations: [['AA']] }, { word: 'z', pronunciations: [['AE']] }, { word: 'w', pronunciations: [['AH']] },
  ], 4);
  const dec = new CtcPrefixBeamSearch(trie, new UniformLM(0), { scoreBeam: 10, lmWeight: 0, wordBonus: 0 });
  const row = (probs: number[]) => probs.map((p) => Math.log(p));
  /**
   * A faint "x" in the first frame (log-odds `faint` nats against blank), then "w z w z w" clearly,
   * each unit for two frames with a blank between.
   */
  function utterance(faint: number): { lp: Float32Array; T: number } {
    const eps = 1e-6;
    const px = 1 / (1 + Math.exp(-faint));
    const rows = [row([1 - px - 2 * eps, px, eps, eps])];
    for (const u of [3, 2, 3, 2, 3]) {
      for (let k = 0; k < 2; k++) rows.push(row([0, 1, 2, 3].map((i) => (i === u ? 1 - 3 * eps : eps))));
      rows.push(row([1 - 3 * eps, eps, eps, eps]));
    }
    return { lp: Float32Array.from(rows.flat()), T: rows.length };
  }
  const words = (st: ReturnType<typeof dec.init>) => dec.result(st, FRAME, true).words.map((w) => w.word);

  it('an alternative under 1% that differs in the first word no longer keeps every word unstable', () => {
    const { lp, T } = utterance(-5.5);
    const plain = dec.advance(dec.init(), lp, T, 4);
    expect(words(plain)).toEqual(['w', 'z', 'w', 'z', 'w']);
    // "x w z w z w" trails by about 5.5 nats to the end, inside the 10-nat beam: nothing is shared.
    expect(dec.stableWordCount(plain)).toBe(0);
    const settled = dec.init();
    const counts: number[] = [];
    for (let t = 0; t < T; t++) {
      dec.advance(settled, lp.subarray(t * 4, (t + 1) * 4), 1, 4);
      const n = dec.settle(settled, 0.99);
      expect(dec.stableWordCount(settled)).toBeGreaterThanOrEqual(n);
      counts.push(dec.stableWordCount(settled));
    }
    // Words settle as they are heard, never un-settle, and lead the result at every step.
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts.at(-1)).toBeGreaterThanOrEqual(4);
    expect(words(settled)).toEqual(['w', 'z', 'w', 'z', 'w']);
  });

  it('an alternative holding more than 1% keeps its words unsettled, and stays in the beam', () => {
    const { lp, T } = utterance(-2);
    const st = dec.advance(dec.init(), lp, T, 4);
    const before = st.hyps.length;
    expect(dec.settle(st, 0.99)).toBe(0);
    expect(st.hyps).toHaveLength(before);
    expect(dec.stableWordCount(st)).toBe(0);
    // At a share it does not reach, the first words settle and the alternative goes.
    expect(dec.settle(st, 0.8)).toBeGreaterThanOrEqual(4);
    expect(words(st)).toEqual(['w', 'z', 'w', 'z', 'w']);
    expect(() => dec.settle(st, 0)).toThrow(/share/);
    expect(() => dec.settle(st, 1.5)).toThrow(/share/);
  });
});
