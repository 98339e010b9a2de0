/**
 * Whether a retraining job installs its model (decideInstall): better on the new items or the
 * user's recordings, and forgetting neither the original commands nor spoken digits beyond their
 * tolerances; a job measured before the digit check existed is judged without it.
 */
import { describe, expect, it } from 'vitest';
import { decideInstall, digitTolerance, forgettingTolerance } from '../../src-main/train/retrain-eval.ts';
import type { RetrainFigures } from '../../src-shared/retrain/retrain-types.ts';

const score = (correct: number, total: number) => ({ accuracy: correct / total, correct, total });
const digits = (errors: number, words = 96) => ({ wer: errors / words, errors, words });
const before: RetrainFigures = { newItems: score(2, 8), original: score(46, 48), digits: digits(4) };

describe('the install decision', () => {
  it('installs a model better on the new items that forgets nothing beyond the tolerances, and says so', () => {
    const d = decideInstall(before, { newItems: score(8, 8), original: score(46, 48), digits: digits(6) });
    expect(d).toEqual({ install: true, reason: 'better: new items 25.0% -> 100.0%, original commands 95.8% -> 95.8%, digit word errors 4.2% -> 6.3%' });
  });

  it('refuses a model whose digit word errors rose by more than three points (or two words)', () => {
    expect(digitTolerance(digits(4))).toBeCloseTo(0.03, 6);
    expect(digitTolerance(digits(1, 20))).toBeCloseTo(0.1, 6);
    // 4 -> 7 of 96 words: 3.1 points.
    expect(decideInstall(before, { newItems: score(8, 8), original: score(46, 48), digits: digits(7) }))
      .toEqual({ install: false, reason: 'it forgot too much: word errors on spoken digit strings went from 4.2% to 7.3%' });
    // The commands are judged first.
    expect(decideInstall(before, { newItems: score(8, 8), original: score(40, 48), digits: digits(7) }).reason).toMatch(/original commands went from 95.8% to 83.3%/);
    expect(forgettingTolerance(score(46, 48))).toBeCloseTo(1 / 48, 6);
  });

  it('judges a job measured before the digit check without it', () => {
    const old: RetrainFigures = { newItems: score(2, 8), original: score(46, 48) };
    expect(decideInstall(old, { newItems: score(8, 8), original: score(46, 48), digits: digits(40) }))
      .toEqual({ install: true, reason: 'better: new items 25.0% -> 100.0%, original commands 95.8% -> 95.8%' });
  });
});
