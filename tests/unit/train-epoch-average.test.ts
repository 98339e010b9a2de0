/**
 * `hark adapt --average-epochs N`: the mean of a run's last epochs' weights (epoch-average.ts), the
 * choice of epochs, the snapshots on disk and the option's checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { averageWeights, epochSnapshotDir, epochsToAverage, loadAveragedEpochs, saveEpochSnapshot, snapshotEpochs } from '../../src-main/train/epoch-average.ts';
import { averageEpochsOption } from '../../src-main/cli/adapt-command.ts';
import type { NamedArray } from '../../src-main/train/checkpoint.ts';

const set = (a: number[], b: number[]): NamedArray[] => [
  { name: 'w0', shape: [2], data: Float32Array.from(a) },
  { name: 'w1', shape: [1, 2], data: Float32Array.from(b) },
];

describe('averageWeights', () => {
  it('takes the element-wise mean of every tensor', () => {
    const m = averageWeights([set([1, 2], [0, -4]), set([3, 4], [1, 4]), set([2, 0], [2, 3])]);
    expect(m.map((t) => t.name)).toEqual(['w0', 'w1']);
    expect(m[1].shape).toEqual([1, 2]);
    expect(Array.from(m[0].data)).toEqual([2, 2]);
    expect(Array.from(m[1].data)).toEqual([1, 1]);
  });
  it('sums in double precision: the mean of values that differ in the last float32 bit stays between them', () => {
    const x = Math.fround(1 + 2 ** -23);
    const m = averageWeights(Array.from({ length: 4 }, (_, k) => set([k % 2 ? 1 : x, 1e8], [1e-8, 0])));
    expect(m[0].data[0]).toBeGreaterThanOrEqual(1);
    expect(m[0].data[0]).toBeLessThanOrEqual(x);
    expect(m[0].data[1]).toBe(1e8);
  });
  it('is the identity for one set, and refuses none', () => {
    expect(Array.from(averageWeights([set([5, 6], [7, 8])])[1].data)).toEqual([7, 8]);
    expect(() => averageWeights([])).toThrow(/no weight sets/);
  });
  it('refuses sets of other tensors, naming the mismatch', () => {
    expect(() => averageWeights([set([1, 2], [3, 4]), set([1, 2], [3, 4]).slice(0, 1)])).toThrow(/set 1 has 1 tensors, set 0 has 2/);
    const other = set([1, 2], [3, 4]);
    other[1] = { name: 'w1', shape: [2, 1], data: Float32Array.from([3, 4]) };
    expect(() => averageWeights([set([1, 2], [3, 4]), other])).toThrow(/tensor 1 of set 1 is w1 \[2, 1\], of set 0 w1 \[1, 2\]/);
  });
});

describe('epochsToAverage', () => {
  it('takes the last N epochs ending at the last measured one', () => {
    expect(epochsToAverage([9, 10, 11, 12, 13], 13, 4)).toEqual([10, 11, 12, 13]);
    expect(epochsToAverage([1, 2, 3], 3, 2)).toEqual([2, 3]);
  });
  it('takes fewer when the run has fewer epochs', () => {
    expect(epochsToAverage([1, 2, 3], 3, 5)).toEqual([1, 2, 3]);
  });
  it('gives nothing for one epoch, a gap, a missing last epoch or N below 2', () => {
    expect(epochsToAverage([1], 1, 4)).toEqual([]);
    expect(epochsToAverage([10, 12, 13], 13, 4)).toEqual([]);
    expect(epochsToAverage([10, 11, 12], 13, 3)).toEqual([]);
    expect(epochsToAverage([10, 11, 12, 13], 13, 1)).toEqual([]);
  });
});

describe('epoch snapshots', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('keeps the last N on disk and averages them back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hark-epoch-avg-'));
    for (let n = 1; n <= 5; n++) await saveEpochSnapshot(dir, n, set([n, 2 * n], [n, -n]), 0.3, 3);
    expect(await snapshotEpochs(dir)).toEqual([3, 4, 5]);
    expect(existsSync(epochSnapshotDir(dir, 2))).toBe(false);
    const m = await loadAveragedEpochs(dir, epochsToAverage(await snapshotEpochs(dir), 5, 3));
    expect(Array.from(m[0].data)).toEqual([4, 8]);
    expect(Array.from(m[1].data)).toEqual([4, -4]);
    await expect(loadAveragedEpochs(dir, [2, 3])).rejects.toThrow(/no snapshot of epoch 2/);
  });
  it('lists nothing in a run folder without snapshots', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hark-epoch-avg-'));
    expect(await snapshotEpochs(dir)).toEqual([]);
  });
});

describe('--average-epochs', () => {
  it('takes a whole number of epochs from 1 to 50', () => {
    expect(averageEpochsOption(1)).toBe(1);
    expect(averageEpochsOption('4')).toBe(4);
    for (const bad of [0, 2.5, 51, 'x', -1]) expect(() => averageEpochsOption(bad)).toThrow(/--average-epochs must be a whole number of epochs from 1 to 50/);
  });
});
