/** Logistic regression, reliability diagrams, ROC area and word alignment (src-main/math). */
import { describe, expect, it } from 'vitest';
import { fitLogistic, logisticPredict, sigmoid } from '../../src-main/math/logistic-regression.ts';
import { reliability, rocAuc } from '../../src-main/math/calibration-metrics.ts';
import { alignedHits } from '../../src-main/math/edit-distance.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

describe('logistic regression', () => {
  it('recovers the weights of data drawn from a known logistic model', () => {
    const rng = createRng(3);
    const truth = { bias: -0.5, weights: [2, -1] };
    const xs: number[][] = [], ys: boolean[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = [rng.gauss(), rng.gauss()];
      xs.push(x);
      ys.push(rng.uniform(0, 1) < logisticPredict(truth, x));
    }
    const m = fitLogistic(xs, ys, { l2: 0 });
    expect(m.bias).toBeCloseTo(-0.5, 1);
    expect(m.weights[0]).toBeCloseTo(2, 1);
    expect(m.weights[1]).toBeCloseTo(-1, 1);
  });

  it('keeps weights finite on separable data through the L2 penalty', () => {
    const xs = [[-2], [-1], [1], [2]], ys = [false, false, true, true];
    const m = fitLogistic(xs, ys, { l2: 0.1 });
    expect(Number.isFinite(m.weights[0])).toBe(true);
    expect(logisticPredict(m, [2])).toBeGreaterThan(0.9);
    expect(logisticPredict(m, [-2])).toBeLessThan(0.1);
  });

  it('refuses mismatched, empty and non-finite input', () => {
    expect(() => fitLogistic([], [])).toThrow(/no samples/);
    expect(() => fitLogistic([[1]], [true, false])).toThrow(/1 samples, 2 labels/);
    expect(() => fitLogistic([[1], [1, 2]], [true, false])).toThrow(/features/);
    expect(() => fitLogistic([[NaN]], [true])).toThrow(/non-finite/);
    expect(() => logisticPredict({ bias: 0, weights: [1] }, [1, 2])).toThrow(/2 features for 1 weights/);
  });

  it('sigmoid is stable at the extremes', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});

describe('reliability and ROC area', () => {
  it('bins predictions and weighs the gaps by the bins\' shares', () => {
    const r = reliability([
      { p: 0.05, correct: false }, { p: 0.05, correct: false },
      { p: 0.95, correct: true }, { p: 0.95, correct: false },
    ]);
    expect(r.bins[0]).toMatchObject({ count: 2, meanPredicted: 0.05, observed: 0 });
    expect(r.bins[9]).toMatchObject({ count: 2, meanPredicted: 0.95, observed: 0.5 });
    expect(r.ece).toBeCloseTo(0.5 * 0.05 + 0.5 * 0.45, 10);
    expect(r.count).toBe(4);
    expect(reliability([{ p: 1, correct: true }]).bins[9].count).toBe(1);
    expect(() => reliability([{ p: 1.5, correct: true }])).toThrow(/not in \[0, 1\]/);
  });

  it('ROC area: 1 for a perfect ranking, 0 for a reversed one, ties half', () => {
    expect(rocAuc([{ p: 0.9, correct: true }, { p: 0.1, correct: false }])).toBe(1);
    expect(rocAuc([{ p: 0.1, correct: true }, { p: 0.9, correct: false }])).toBe(0);
    expect(rocAuc([{ p: 0.5, correct: true }, { p: 0.5, correct: false }])).toBe(0.5);
    expect(rocAuc([{ p: 0.5, correct: true }])).toBe(0.5);
  });
});

describe('alignedHits', () => {
  it('marks hypothesis words matched to the reference', () => {
    expect(alignedHits(['the', 'cat', 'sat'], ['the', 'bat', 'sat', 'down'])).toEqual([true, false, true, false]);
    expect(alignedHits([], ['a', 'b'])).toEqual([false, false]);
    expect(alignedHits(['a', 'b'], [])).toEqual([]);
    expect(alignedHits(['a', 'b', 'c'], ['x', 'a', 'b', 'c'])).toEqual([false, true, true, true]);
  });
});
