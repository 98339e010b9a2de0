/**
 * `hark adapt` exports the best-validating epoch when the last one measured worse or the time budget
 * stopped it mid-epoch, and refuses to start from an int8 package (the shipped one) before any work.
 */
import { describe, expect, it } from 'vitest';
import { bestEpochToExport, runAdaptation } from '../../src-main/train/adapt-run.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';

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

describe('runAdaptation', () => {
  it('refuses an int8 package, naming the float reference to adapt instead', async () => {
    const lines: string[] = [];
    const opts = { modelDir: DEFAULT_MODEL_DIR, out: '/nonexistent/hark-adapt-out', dataDir: '/nonexistent/data', log: (s: string) => lines.push(s) };
    await expect(runAdaptation(opts as unknown as Parameters<typeof runAdaptation>[0]))
      .rejects.toThrow(/holds int8 weights \(hark-en \d{4}-\d{2}-\d{2}[a-z]*\): adapt its float reference instead \(the shipped model's is models-float\/hark-en\)/);
    expect(lines.join('\n')).not.toMatch(/data:/);
  });
});
