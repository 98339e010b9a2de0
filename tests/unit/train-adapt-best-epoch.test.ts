/** `hark adapt` exports the best-validating epoch when the last one measured worse or the time budget stopped it mid-epoch. */
import { describe, expect, it } from 'vitest';
import { bestEpochToExport } from '../../src-main/train/adapt-run.ts';

const h = (...pers: number[]) => pers.map((p) => ({ realValidationPer: p }));

describe('bestEpochToExport', () => {
  it('keeps the final weights when the last epoch is the best', () => {
    expect(bestEpochToExport({ realValidationPer: 0.36, epoch: 2 }, h(0.38, 0.37, 0.36), false)).toBeUndefined();
  });
  it('exports an earlier epoch that validated better than the last', () => {
    expect(bestEpochToExport({ realValidationPer: 0.367, epoch: 1 }, h(0.373, 0.367, 0.370, 0.368), false)).toBe(1);
  });
  it('keeps the final weights when the last epoch ties the best', () => {
    expect(bestEpochToExport({ realValidationPer: 0.367, epoch: 1 }, h(0.373, 0.367, 0.367), false)).toBeUndefined();
  });
  it('exports the best epoch when the time budget stopped the run mid-epoch', () => {
    expect(bestEpochToExport({ realValidationPer: 0.37, epoch: 0 }, h(0.37), true)).toBe(0);
  });
  it('has nothing to export before an epoch finished', () => {
    expect(bestEpochToExport({ realValidationPer: Infinity, epoch: -1 }, [], true)).toBeUndefined();
    expect(bestEpochToExport({ realValidationPer: Infinity, epoch: -1 }, [], false)).toBeUndefined();
  });
});
