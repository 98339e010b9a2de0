/**
 * Dropout between the recurrent layers (train/dropout.ts): masks drop the asked share and scale
 * the rest, follow each sequence's seed alone (not the batch's padding or its place in a shard),
 * change the model's output only when the rate is above 0, and bad rates are refused, by the
 * trainer and by the CLI option.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { dropoutMask, sequenceSeed, validateDropoutRate } from '../../src-main/train/dropout.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { train } from '../../src-main/train/trainer.ts';
import { dropoutOption } from '../../src-main/cli/dropout-option.ts';
import { UsageError } from '../../src-main/cli/cli-args.ts';

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });

const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 3, hidden: 6, inputDim: 10, numUnits: UNITS.length };

describe('dropout masks', () => {
  it('drop about the asked share and scale the kept values by 1 / (1 - rate)', () => {
    const m = dropoutMask({ rate: 0.25, seeds: [11, 12, 13, 14] }, 1, 200, 64);
    expect(m).toHaveLength(200 * 4 * 64);
    const zeros = m.filter((v) => v === 0).length;
    expect(zeros / m.length).toBeGreaterThan(0.23);
    expect(zeros / m.length).toBeLessThan(0.27);
    expect(new Set(m.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.75)]));
    const mean = m.reduce((s, v) => s + v, 0) / m.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
    expect(dropoutMask({ rate: 0, seeds: [1, 2] }, 2, 5, 3).every((v) => v === 1)).toBe(true);
  });

  it('follow each sequence\'s seed: the same frames whatever the padding, the batch order or the shard', () => {
    const T = 9, W = 5;
    const pair = dropoutMask({ rate: 0.5, seeds: [101, 202] }, 1, T, W);
    const alone = dropoutMask({ rate: 0.5, seeds: [202] }, 1, 6, W);
    // Sequence 202 is column 1 of the pair; alone, with 6 frames of padding fewer, its first 6 frames are the same.
    for (let t = 0; t < 6; t++) expect(Array.from(pair.subarray((t * 2 + 1) * W, (t * 2 + 2) * W))).toEqual(Array.from(alone.subarray(t * W, (t + 1) * W)));
    const swapped = dropoutMask({ rate: 0.5, seeds: [202, 101] }, 1, T, W);
    for (let t = 0; t < T; t++) expect(Array.from(swapped.subarray((t * 2) * W, (t * 2 + 1) * W))).toEqual(Array.from(pair.subarray((t * 2 + 1) * W, (t * 2 + 2) * W)));
    // Another layer, another seed or another step: another mask.
    expect(Array.from(dropoutMask({ rate: 0.5, seeds: [101, 202] }, 2, T, W))).not.toEqual(Array.from(pair));
    expect(sequenceSeed(4, 10, 0)).not.toBe(sequenceSeed(4, 11, 0));
    expect(sequenceSeed(4, 10, 0)).not.toBe(sequenceSeed(4, 10, 1));
    expect(sequenceSeed(4, 10, 1)).toBe(sequenceSeed(4, 10, 1));
  });

  it('refuse rates outside 0 to 0.9, in the trainer and as a CLI option', async () => {
    for (const bad of [-0.1, 0.95, 1, NaN]) expect(() => validateDropoutRate(bad)).toThrow(/dropout rate must be from 0 to 0.9/);
    expect(validateDropoutRate(0.9)).toBe(0.9);
    const source = { batchesPerEpoch: () => 0, async *batches() {} };
    await expect(train({ arch, epochs: 1, learningRate: 0.01, lrDecay: 1, clipNorm: 1, seed: 1, checkpointEverySec: 1e9, dropout: 1.5 }, source)).rejects.toThrow(/dropout rate must be from 0 to 0.9, got 1.5/);
    expect(dropoutOption('adapt', undefined)).toBe(0);
    expect(dropoutOption('adapt', '0.2')).toBe(0.2);
    expect(() => dropoutOption('adapt', 'lots')).toThrow(UsageError);
    expect(() => dropoutOption('train', 2)).toThrow(/^train: --dropout must be from 0 to 0.9, got 2$/);
  });
});

describe('the model with dropout', () => {
  const T = 12, B = 3;
  const rng = createRng(8);
  const x = () => tf.tensor3d(Float32Array.from({ length: T * B * arch.inputDim }, () => rng.uniform(-1, 1)), [T, B, arch.inputDim]);

  it('is unchanged at rate 0, changed above it, and the same for the same seeds', () => {
    const model = new AcousticModel(arch, 3);
    const input = x();
    const lengths = [12, 9, 7];
    const plain = model.forward(input, lengths).dataSync();
    expect(Array.from(model.forward(input, lengths, { rate: 0, seeds: [1, 2, 3] }).dataSync())).toEqual(Array.from(plain));
    const a = model.forward(input, lengths, { rate: 0.3, seeds: [1, 2, 3] }).dataSync();
    const b = model.forward(input, lengths, { rate: 0.3, seeds: [1, 2, 3] }).dataSync();
    const c = model.forward(input, lengths, { rate: 0.3, seeds: [1, 2, 4] }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(plain));
    // Only sequence 2's seed changed: sequences 0 and 1 are the same, sequence 2 is not.
    const seq = (v: ArrayLike<number>, s: number) => Array.from({ length: T }, (_, t) => Array.from({ length: arch.numUnits }, (_, u) => v[(t * B + s) * arch.numUnits + u])).flat();
    expect(seq(c, 0)).toEqual(seq(a, 0));
    expect(seq(c, 1)).toEqual(seq(a, 1));
    expect(seq(c, 2)).not.toEqual(seq(a, 2));
    expect(() => model.forward(input, lengths, { rate: 0.3, seeds: [1, 2] })).toThrow(/2 sequence seeds for a batch of 3/);
    tf.dispose(input);
    model.dispose();
  });
});
