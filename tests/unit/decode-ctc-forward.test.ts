import { describe, expect, it } from 'vitest';
import { ctcForward, ctcViterbiAlign } from '../../src-main/decode/ctc-forward.ts';
import { createGreedyState, greedyAdvance, greedyDecode } from '../../src-main/decode/ctc-greedy-decoder.ts';
import { rng } from './decode-fixtures.ts';

/** Random log-softmax matrix [T, U]. */
function randomLogprobs(T: number, U: number, seed: number): Float32Array {
  const next = rng(seed);
  const lp = new Float32Array(T * U);
  for (let t = 0; t < T; t++) {
    const x = Array.from({ length: U }, () => 3 * next());
    const z = Math.log(x.reduce((a, v) => a + Math.exp(v), 0));
    for (let u = 0; u < U; u++) lp[t * U + u] = x[u] - z;
  }
  return lp;
}

/** Every path of length T over U units with its collapsed label string and log-probability. */
function allPaths(lp: Float32Array, T: number, U: number): { labels: string; logp: number; path: number[] }[] {
  const out: { labels: string; logp: number; path: number[] }[] = [];
  const path = new Array<number>(T).fill(0);
  for (let n = 0; n < U ** T; n++) {
    let m = n;
    let logp = 0;
    for (let t = 0; t < T; t++) { path[t] = m % U; m = Math.floor(m / U); logp += lp[t * U + path[t]]; }
    const labels = path.filter((u, t) => u !== 0 && (t === 0 || path[t - 1] !== u)).join(',');
    out.push({ labels, logp, path: [...path] });
  }
  return out;
}

describe('ctcForward / ctcViterbiAlign', () => {
  const T = 6;
  const U = 4;
  const lp = randomLogprobs(T, U, 11);
  const paths = allPaths(lp, T, U);
  for (const labels of [[1], [1, 2], [2, 2], [1, 2, 1], [3, 3, 3], [1, 2, 3, 1]]) {
    it(`matches brute-force path enumeration for labels ${labels}`, () => {
      const mine = paths.filter((p) => p.labels === labels.join(','));
      const sum = Math.log(mine.reduce((a, p) => a + Math.exp(p.logp), 0));
      expect(ctcForward(lp, T, U, labels)).toBeCloseTo(sum, 4);
      const best = mine.reduce((a, p) => (p.logp > a.logp ? p : a));
      const v = ctcViterbiAlign(lp, T, U, labels)!;
      expect(v.score).toBeCloseTo(best.logp, 4);
      // The spans reproduce the best path's label frames.
      v.spans.forEach((s, i) => {
        for (let t = s.first; t <= s.last; t++) expect(best.path[t]).toBe(labels[i]);
      });
    });
  }
  it('is -Infinity when the input is too short, and rejects bad labels', () => {
    expect(ctcForward(lp, T, U, [1, 1, 1, 1])).toBe(-Infinity);
    expect(ctcViterbiAlign(lp, T, U, [1, 1, 1, 1])).toBeNull();
    expect(() => ctcForward(lp, T, U, [0])).toThrow(/out of range/);
    expect(() => ctcForward(lp, T, U, [4])).toThrow(/out of range/);
  });
});

describe('greedyDecode', () => {
  it('equals the argmax path collapsed, and chunked equals one pass', () => {
    const T = 200;
    const U = 5;
    const lp = randomLogprobs(T, U, 3);
    const units: number[] = [];
    const frames: number[] = [];
    let prev = 0;
    let score = 0;
    for (let t = 0; t < T; t++) {
      const row = Array.from(lp.subarray(t * U, t * U + U));
      const a = row.indexOf(Math.max(...row));
      score += row[a];
      if (a !== 0 && a !== prev) { units.push(a); frames.push(t); }
      prev = a;
    }
    const one = greedyDecode(lp, T, U);
    expect(one.units).toEqual(units);
    expect(one.frames).toEqual(frames);
    expect(one.score).toBeCloseTo(score, 3);
    const st = createGreedyState();
    for (let t = 0; t < T;) {
      const n = Math.min(T - t, 1 + (t % 7));
      greedyAdvance(st, lp.subarray(t * U, (t + n) * U), n, U);
      t += n;
    }
    expect(st.units).toEqual(one.units);
    expect(st.unitFrames).toEqual(one.frames);
  });
  it('rejects a wrongly sized matrix', () => {
    expect(() => greedyDecode(new Float32Array(10), 3, 4)).toThrow(/expected T\*U = 12/);
  });
});
