// NormalizationAccumulator against a plain two-pass mean / variance over all rows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/config.ts';
import { computeBaseFeatures } from '../../src-shared/features/compute-features.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { computeNormalization, NormalizationAccumulator, STD_FLOOR } from '../../src-shared/features/normalization-stats.ts';
import { normalize } from '../../src-shared/features/normalize.ts';
import { rng, speechNoiseSines } from './features-test-audio.ts';

function twoPass(matrices: FeatureMatrix[]): { mean: number[]; std: number[] } {
  const dim = matrices[0].dim;
  const rows = matrices.flatMap((m) => Array.from({ length: m.frames }, (_, t) => Array.from(m.data.subarray(t * dim, (t + 1) * dim))));
  const mean = Array.from({ length: dim }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  const std = mean.map((mu, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mu) ** 2, 0) / rows.length));
  return { mean, std };
}

describe('computeNormalization', () => {
  it('matches a two-pass computation over matrices of varied sizes with a large offset', () => {
    const r = rng(17);
    const matrices: FeatureMatrix[] = [1, 0, 7, 250, 3, 1000].map((frames) => ({
      data: Float32Array.from({ length: frames * 5 }, (_, i) => 1e4 + (i % 5) * 100 + 3 * (r() - 0.5)),
      frames,
      dim: 5,
    }));
    const got = computeNormalization(matrices);
    const ref = twoPass(matrices);
    for (let j = 0; j < 5; j++) {
      expect(got.mean[j]).toBeCloseTo(ref.mean[j], 8);
      expect(got.std[j] / ref.std[j]).toBeCloseTo(1, 9);
    }
  });

  it('normalizes real base features to zero mean and unit variance', () => {
    const pcm = speechNoiseSines(2);
    const a = computeBaseFeatures(pcm.subarray(0, 20000), DEFAULT_FEATURE_CONFIG);
    const b = computeBaseFeatures(pcm.subarray(20000), DEFAULT_FEATURE_CONFIG);
    const acc = new NormalizationAccumulator(39);
    acc.add(a);
    acc.add(b);
    expect(acc.frames).toBe(a.frames + b.frames);
    const norm = acc.result();
    const after = twoPass([normalize(a, norm, DEFAULT_FEATURE_CONFIG), normalize(b, norm, DEFAULT_FEATURE_CONFIG)]);
    for (let j = 0; j < 39; j++) {
      expect(after.mean[j]).toBeCloseTo(0, 4);
      expect(after.std[j]).toBeCloseTo(1, 4);
    }
  });

  it('floors the std of a constant column and rejects empty or mismatched input', () => {
    const constant: FeatureMatrix = { data: new Float32Array(12).fill(2), frames: 4, dim: 3 };
    expect(computeNormalization([constant]).std).toEqual([STD_FLOOR, STD_FLOOR, STD_FLOOR]);
    expect(() => computeNormalization([])).toThrow(/non-empty/);
    expect(() => new NormalizationAccumulator(3).result()).toThrow(/no frames/);
    expect(() => computeNormalization([constant, { data: new Float32Array(4), frames: 1, dim: 4 }])).toThrow(/expected dim 3/);
  });
});
