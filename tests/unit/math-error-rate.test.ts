/** Edit distance and error rates (src-main/math/edit-distance.ts) against hand-counted cases. */
import { describe, expect, it } from 'vitest';
import { editDistance, errorRate, transcriptWords, wordErrorRate } from '../../src-main/math/edit-distance.ts';
import { logAddExp, logSumExp } from '../../src-main/math/log-math.ts';

describe('error rates', () => {
  it('counts substitutions, insertions and deletions', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toBe(2);
    expect(editDistance([], [1, 2])).toBe(2);
    expect(editDistance([1, 2], [])).toBe(2);
  });

  it('sums errors and reference lengths over pairs', () => {
    const r = errorRate([{ ref: [1, 2, 3, 4], hyp: [1, 3, 4] }, { ref: [5], hyp: [6, 5] }]);
    expect(r).toEqual({ rate: 2 / 5, errors: 2, total: 5 });
    expect(errorRate([])).toEqual({ rate: 0, errors: 0, total: 0 });
  });

  it('word error rate splits transcripts at spaces', () => {
    expect(transcriptWords(' turn  on the light ')).toEqual(['turn', 'on', 'the', 'light']);
    expect(wordErrorRate([{ ref: 'turn on the light', hyp: 'turn the lights' }, { ref: 'stop', hyp: 'stop' }])).toEqual({ rate: 2 / 5, errors: 2, total: 5 });
  });

  it('adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 12);
    expect(logAddExp(-Infinity, 1.5)).toBe(1.5);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 9);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([Math.log(1), Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(6), 12);
  });
});
