// Deltas, normalization and stacking against direct formulas written independently here.
import { describe, expect, it } from 'vitest';
import { baseDim, DEFAULT_FEATURE_CONFIG, modelInputDim, type FeatureConfig } from '../../src-shared/features/config.ts';
import { computeBaseFeatures, computeFeatures } from '../../src-shared/features/compute-features.ts';
import { addDeltas } from '../../src-shared/features/deltas.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { modelFrameCenterSec, modelFramesForSamples } from '../../src-shared/features/framing.ts';
import { computeMfcc } from '../../src-shared/features/mfcc.ts';
import { normalize } from '../../src-shared/features/normalize.ts';
import { stackAndSubsample } from '../../src-shared/features/stack.ts';
import { rng, speechNoiseSines } from './features-test-audio.ts';

const cfg = DEFAULT_FEATURE_CONFIG;

function randomMatrix(frames: number, dim: number, seed: number): FeatureMatrix {
  const r = rng(seed);
  return { data: Float32Array.from({ length: frames * dim }, () => 10 * (r() - 0.5)), frames, dim };
}

/** Delta of a sequence of rows by the textbook formula on an edge-padded copy. */
function directDelta(rows: number[][], n: number): number[][] {
  const t = rows.length;
  const padded = [...Array<number[]>(n).fill(rows[0]), ...rows, ...Array<number[]>(n).fill(rows[t - 1])];
  let denom = 0;
  for (let k = 1; k <= n; k++) denom += 2 * k * k;
  return rows.map((row, s) => row.map((_, j) => {
    let num = 0;
    for (let k = 1; k <= n; k++) num += k * (padded[s + n + k][j] - padded[s + n - k][j]);
    return num / denom;
  }));
}

function rowsOf(m: FeatureMatrix): number[][] {
  return Array.from({ length: m.frames }, (_, t) => Array.from(m.data.subarray(t * m.dim, (t + 1) * m.dim)));
}

describe('addDeltas', () => {
  it('matches the regression formula with replicated edges (orders 0-3, windows 1-3)', () => {
    for (const [order, window, frames] of [[0, 2, 9], [1, 1, 7], [2, 2, 50], [2, 3, 4], [3, 2, 13], [2, 2, 1]]) {
      const c: FeatureConfig = { ...cfg, deltaOrder: order, deltaWindow: window };
      const mfcc = randomMatrix(frames, c.numMfcc, order * 100 + window);
      const got = addDeltas(mfcc, c);
      expect(got.dim).toBe(baseDim(c));
      const levels = [rowsOf(mfcc)];
      for (let k = 1; k <= order; k++) levels.push(directDelta(levels[k - 1], window));
      const expected = rowsOf(mfcc).map((_, t) => levels.flatMap((l) => l[t]));
      const actual = rowsOf(got);
      for (let t = 0; t < frames; t++) for (let j = 0; j < expected[t].length; j++) expect(actual[t][j]).toBeCloseTo(expected[t][j], 5);
    }
  });

  it('gives zero deltas for a constant sequence and handles no frames', () => {
    const rows = 6;
    const constant: FeatureMatrix = { data: new Float32Array(rows * 13).fill(3.5), frames: rows, dim: 13 };
    const got = addDeltas(constant, cfg);
    for (let t = 0; t < rows; t++) {
      expect(Array.from(got.data.subarray(t * 39 + 13, t * 39 + 39)).every((v) => v === 0)).toBe(true);
    }
    expect(addDeltas({ data: new Float32Array(0), frames: 0, dim: 13 }, cfg).frames).toBe(0);
  });

  it('rejects a matrix of the wrong width or inconsistent shape', () => {
    expect(() => addDeltas(randomMatrix(4, 12, 1), cfg)).toThrow(/expected dim 13/);
    expect(() => addDeltas({ data: new Float32Array(10), frames: 1, dim: 13 }, cfg)).toThrow(/data length/);
  });
});

describe('normalize', () => {
  it('applies (x - mean) / std per column and validates the statistics', () => {
    const base = randomMatrix(5, 39, 9);
    const mean = Array.from({ length: 39 }, (_, j) => j - 20);
    const std = Array.from({ length: 39 }, (_, j) => 0.5 + j / 10);
    const got = normalize(base, { mean, std }, cfg);
    for (let t = 0; t < 5; t++) for (let j = 0; j < 39; j++) {
      expect(got.data[t * 39 + j]).toBeCloseTo((base.data[t * 39 + j] - mean[j]) / std[j], 5);
    }
    expect(() => normalize(base, { mean: mean.slice(1), std }, cfg)).toThrow(/length baseDim = 39/);
    expect(() => normalize(base, { mean, std: std.map((s, j) => (j === 4 ? 0 : s)) }, cfg)).toThrow(/std\[4\]/);
  });
});

describe('stackAndSubsample', () => {
  it('concatenates frames j*S .. j*S+K-1 for several stack / subsample settings', () => {
    for (const [stack, subsample, frames] of [[3, 3, 20], [3, 3, 2], [3, 3, 3], [1, 1, 5], [4, 2, 11], [2, 5, 13]]) {
      const c: FeatureConfig = { ...cfg, stack, subsample };
      const base = randomMatrix(frames, 4, stack * 10 + subsample);
      const got = stackAndSubsample(base, c);
      const expected: number[][] = [];
      for (let start = 0; start + stack <= frames; start += subsample) {
        const row: number[] = [];
        for (let k = 0; k < stack; k++) row.push(...base.data.subarray((start + k) * 4, (start + k + 1) * 4));
        expected.push(row);
      }
      expect(got.dim).toBe(4 * stack);
      expect(rowsOf(got)).toEqual(expected);
    }
  });
});

describe('computeFeatures', () => {
  it('composes MFCC, deltas, normalization and stacking on speech', () => {
    const pcm = speechNoiseSines(5).subarray(0, 16000);
    const mean = Array.from({ length: 39 }, (_, j) => j);
    const std = Array.from({ length: 39 }, (_, j) => 1 + j);
    const got = computeFeatures(pcm, cfg, { mean, std });
    const manual = stackAndSubsample(normalize(addDeltas(computeMfcc(pcm, cfg), cfg), { mean, std }, cfg), cfg);
    expect(got.dim).toBe(modelInputDim(cfg));
    expect(got.frames).toBe(modelFramesForSamples(16000, cfg));
    expect(got.frames).toBe(32);
    expect(Array.from(got.data)).toEqual(Array.from(manual.data));
    const unnormalized = computeFeatures(pcm, cfg);
    expect(Array.from(unnormalized.data)).toEqual(Array.from(stackAndSubsample(computeBaseFeatures(pcm, cfg), cfg).data));
  });

  it('places model frame j at the centre of its stacked windows', () => {
    // Frame 0 stacks analysis frames 0..2 (samples 0..831): centre at sample 416 = 26 ms.
    expect(modelFrameCenterSec(0, cfg)).toBeCloseTo(0.026, 12);
    expect(modelFrameCenterSec(10, cfg) - modelFrameCenterSec(9, cfg)).toBeCloseTo(0.03, 12);
  });
});
