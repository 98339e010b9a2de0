import { describe, expect, it } from 'vitest';
import { ETA_MIN_ELAPSED_SEC, ETA_MIN_FRACTION, remainingSecAtRate } from '../../src-main/train/retrain-eta.ts';

describe('retraining ETA from the rate so far', () => {
  it('says nothing until enough time has passed and enough of the job is done', () => {
    expect(remainingSecAtRate(0, 0)).toBeNull();
    expect(remainingSecAtRate(ETA_MIN_ELAPSED_SEC - 0.1, 0.5)).toBeNull();
    expect(remainingSecAtRate(600, ETA_MIN_FRACTION / 2)).toBeNull();
    expect(remainingSecAtRate(Number.NaN, 0.5)).toBeNull();
    expect(remainingSecAtRate(30, Number.NaN)).toBeNull();
  });

  it('extrapolates the rate: elapsed * (1 - f) / f, whole seconds, 0 when done', () => {
    // 10% in 90 s: 810 s to go; 3% in 20 s: 646.67 -> 647; half in a minute: a minute.
    expect(remainingSecAtRate(90, 0.1)).toBe(810);
    expect(remainingSecAtRate(20, 0.03)).toBe(647);
    expect(remainingSecAtRate(60, 0.5)).toBe(60);
    expect(remainingSecAtRate(ETA_MIN_ELAPSED_SEC, ETA_MIN_FRACTION)).toBe(Math.round(ETA_MIN_ELAPSED_SEC * 99));
    expect(remainingSecAtRate(300, 1)).toBe(0);
    // A steady job's estimate plus the time spent is the same total at every point.
    for (const f of [0.05, 0.2, 0.6, 0.95]) expect(f * 400 + remainingSecAtRate(f * 400, f)!).toBeCloseTo(400, 0);
  });
});
