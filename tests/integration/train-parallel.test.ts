/**
 * Data-parallel training (batch-shards.ts, gradient-pool.ts): a batch split into shards whose
 * gradients are combined gives the whole batch's gradient, also when a sequence's labels cannot
 * fit its frames; training with a gradient worker thread follows single-thread training, resumes
 * exactly, a worker whose thread dies is replaced and its shard computed again with the same
 * result, and a worker that fails every time rejects the run with its error instead of hanging.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { packBatch, type Batch, type Example } from '../../src-main/train/batch.ts';
import { combineShards, shardGradients, splitBatch } from '../../src-main/train/batch-shards.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { train, type BatchSource } from '../../src-main/train/trainer.ts';
import { GradientPool } from '../../src-main/train/gradient-pool.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });

const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 8, inputDim: 12, numUnits: UNITS.length };

function examples(seed: number, n: number, labelsOf = (rng: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => rng.int(1, UNITS.length - 1))): Example[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const frames = 15 + rng.int(0, 15);
    return { features: Float32Array.from({ length: frames * arch.inputDim }, () => rng.uniform(-1, 1)), frames, labels: labelsOf(rng) };
  });
}

function source(batches: Batch[]): BatchSource {
  return {
    batchesPerEpoch: () => batches.length,
    async *batches(epoch, skip) { for (let i = skip; i < batches.length; i++) yield { ...batches[(i + epoch) % batches.length], x: batches[(i + epoch) % batches.length].x.slice() }; },
  };
}

const flat = (m: AcousticModel) => m.variables().flatMap((v) => [...(v.dataSync() as Float32Array)]);

describe('data-parallel training', () => {
  it('combined shard gradients equal the whole batch gradient', () => {
    const ex = examples(3, 7);
    // Sequence 4 (shard 1 of 3) cannot fit its labels: it counts in no shard's mean.
    ex[4] = { ...ex[4], frames: 3, features: ex[4].features.subarray(0, 3 * arch.inputDim), labels: [5, 5, 5, 5, 5] };
    const batch = packBatch(ex, arch.inputDim);
    const model = new AcousticModel(arch, 9);
    const vars = model.variables();
    const whole = shardGradients(model, vars, batch);
    expect(whole.counted).toBe(6);
    const shards = splitBatch(batch, 3);
    expect(shards.map((s) => s.B)).toEqual([3, 2, 2]);
    expect(shards[1].lengths).toEqual([ex[1].frames, ex[4].frames]);
    const combined = combineShards(shards.map((s) => shardGradients(model, vars, s)), vars);
    expect(combined.counted).toBe(6);
    expect(combined.impossible).toBe(1);
    expect(combined.lossSum).toBeCloseTo(whole.lossSum, 3);
    let maxDiff = 0, maxAbs = 0;
    vars.forEach((v, i) => {
      const c = combined.grads[v.name].dataSync();
      whole.grads[i].forEach((g, j) => { maxDiff = Math.max(maxDiff, Math.abs(g - c[j])); maxAbs = Math.max(maxAbs, Math.abs(g)); });
    });
    tf.dispose(Object.values(combined.grads));
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(maxDiff / maxAbs).toBeLessThan(1e-4);
    expect(splitBatch(batch, 20)).toHaveLength(7);
  });

  it('with dropout, combined shard gradients equal the whole batch gradient (masks follow each sequence)', () => {
    const batch = { ...packBatch(examples(5, 5), arch.inputDim), dropout: { rate: 0.3, seeds: [41, 42, 43, 44, 45] } };
    const model = new AcousticModel(arch, 10);
    const vars = model.variables();
    const whole = shardGradients(model, vars, batch);
    const shards = splitBatch(batch, 2);
    expect(shards[1].dropout).toEqual({ rate: 0.3, seeds: [42, 44] });
    const combined = combineShards(shards.map((s) => shardGradients(model, vars, s)), vars);
    const plain = shardGradients(model, vars, { ...batch, dropout: undefined });
    let maxDiff = 0, maxAbs = 0, plainDiff = 0;
    vars.forEach((v, i) => {
      const c = combined.grads[v.name].dataSync();
      whole.grads[i].forEach((g, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(g - c[j]));
        maxAbs = Math.max(maxAbs, Math.abs(g));
        plainDiff = Math.max(plainDiff, Math.abs(g - plain.grads[i][j]));
      });
    });
    tf.dispose(Object.values(combined.grads));
    expect(maxDiff / maxAbs).toBeLessThan(1e-4);
    expect(plainDiff / maxAbs).toBeGreaterThan(1e-2);
  });

  it('training with dropout on workers resumes exactly and is not training without it', async () => {
    const batches = [0, 1, 2].map((k) => packBatch(examples(80 + k, 4), arch.inputDim));
    const cfg = { arch, epochs: 2, learningRate: 0.003, lrDecay: 0.8, clipNorm: 1, seed: 6, checkpointEverySec: 1e9, gradientWorkers: 2, mainThreadShard: false };
    const whole = await train({ ...cfg, dropout: 0.25, checkpointDir: join(dir, 'drop-whole') }, source(batches));
    const none = await train({ ...cfg, checkpointDir: join(dir, 'drop-none') }, source(batches));
    const a = flat(whole.model), n = flat(none.model);
    expect(Math.max(...a.map((v, i) => Math.abs(v - n[i])))).toBeGreaterThan(1e-4);
    const ac = new AbortController();
    await expect(train({ ...cfg, dropout: 0.25, checkpointDir: join(dir, 'drop-cut'), signal: ac.signal }, source(batches), {
      onStep: (r) => { if (r.step === 4) ac.abort(); },
    })).rejects.toThrow(/cancelled/);
    const resumed = await train({ ...cfg, dropout: 0.25, checkpointDir: join(dir, 'drop-cut') }, source(batches));
    const r = flat(resumed.model);
    expect(Math.max(...a.map((v, i) => Math.abs(v - r[i])))).toBe(0);
  });

  it('training with a gradient worker follows the single-thread run and resumes exactly', async () => {
    const batches = [0, 1, 2, 3].map((k) => packBatch(examples(20 + k, 4), arch.inputDim));
    const cfg = { arch, epochs: 2, learningRate: 0.003, lrDecay: 0.8, clipNorm: 1, seed: 4, checkpointEverySec: 1e9 };
    const single = await train({ ...cfg, checkpointDir: join(dir, 'single') }, source(batches));
    const parallel = await train({ ...cfg, gradientWorkers: 1, checkpointDir: join(dir, 'parallel') }, source(batches));
    expect(parallel.steps).toBe(single.steps);
    parallel.history.forEach((h, i) => expect(h.meanLoss).toBeCloseTo(single.history[i].meanLoss, 3));
    const a = flat(single.model), b = flat(parallel.model);
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i])))).toBeLessThan(1e-3);

    const ac = new AbortController();
    await expect(train({ ...cfg, gradientWorkers: 1, checkpointDir: join(dir, 'cut'), signal: ac.signal }, source(batches), {
      onStep: (r) => { if (r.step === 5) ac.abort(); },
    })).rejects.toThrow(/cancelled/);
    const resumed = await train({ ...cfg, gradientWorkers: 1, checkpointDir: join(dir, 'cut') }, source(batches));
    const c = flat(resumed.model);
    expect(Math.max(...b.map((x, i) => Math.abs(x - c[i])))).toBe(0);
  });

  it('with every shard on a worker (the main thread only steps the optimizer) training is the same', async () => {
    const batches = [0, 1, 2].map((k) => packBatch(examples(70 + k, 4), arch.inputDim));
    const cfg = { arch, epochs: 1, learningRate: 0.003, lrDecay: 0.8, clipNorm: 1, seed: 5, checkpointEverySec: 1e9 };
    const mixed = await train({ ...cfg, gradientWorkers: 1, checkpointDir: join(dir, 'mixed') }, source(batches));
    const workers = await train({ ...cfg, gradientWorkers: 2, mainThreadShard: false, checkpointDir: join(dir, 'workers') }, source(batches));
    expect(workers.steps).toBe(mixed.steps);
    const a = flat(mixed.model), b = flat(workers.model);
    expect(Math.max(...a.map((x, i) => Math.abs(x - b[i])))).toBe(0);
  });

  it('a worker whose thread dies is replaced, and the shard computed again gives the same gradients', async () => {
    const model = new AcousticModel(arch, 12);
    const vars = model.variables();
    const batch = packBatch(examples(60, 3), arch.inputDim);
    const reasons: string[] = [];
    const pool = new GradientPool(1, arch, 'wasm', vars.map((_, i) => i), (r) => reasons.push(r));
    try {
      await pool.ready();
      const [first] = pool.start(vars, [{ ...batch, x: batch.x.slice() }]);
      const before = await first;
      await pool.killWorkerForTest(0);
      const [second] = pool.start(vars, [{ ...batch, x: batch.x.slice() }]);
      const after = await second;
      expect(pool.restarts).toBe(1);
      expect(reasons[0]).toMatch(/gradient worker (exited|failed)/);
      expect(after.lossSum).toBe(before.lossSum);
      after.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(before.grads[i])));
    } finally {
      await pool.close();
    }
  });

  it('a shard no fresh worker can compute is split by sequence, and the halves give the same gradients', async () => {
    const model = new AcousticModel(arch, 13);
    const vars = model.variables();
    const batch = packBatch(examples(61, 5), arch.inputDim);
    const whole = new GradientPool(1, arch, 'wasm', vars.map((_, i) => i), () => {});
    const reasons: string[] = [];
    const split = new GradientPool(1, arch, 'wasm', vars.map((_, i) => i), (r) => reasons.push(r));
    try {
      await Promise.all([whole.ready(), split.ready()]);
      const [ref] = await Promise.all(whole.start(vars, [{ ...batch, x: batch.x.slice() }]));
      // Shards of 3 or more sequences fail as a worker out of memory does: 5 -> 3 + 2 -> (2 + 1) + 2.
      split.failShardsAboveForTest(2);
      const [got] = await Promise.all(split.start(vars, [{ ...batch, x: batch.x.slice() }]));
      expect(reasons).toHaveLength(3);
      expect(reasons.every((r) => /simulated for a shard of (5|3) sequences/.test(r))).toBe(true);
      expect(got.counted).toBe(ref.counted);
      expect(got.lossSum).toBeCloseTo(ref.lossSum, 3);
      got.grads.forEach((g, i) => {
        const scale = Math.max(1e-6, ...Array.from(ref.grads[i], Math.abs));
        for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - ref.grads[i][j]) / scale).toBeLessThan(1e-4);
      });
    } finally {
      await whole.close();
      await split.close();
    }
  });

  it('a worker that fails rejects the run with its error', async () => {
    // Sequence 1 goes to the worker's shard; its label is outside the unit set.
    const bad = examples(40, 2);
    bad[1] = { ...bad[1], labels: [UNITS.length + 3] };
    const run = train({ arch, epochs: 1, learningRate: 0.003, lrDecay: 1, clipNorm: 1, seed: 1, checkpointEverySec: 1e9, gradientWorkers: 1 }, source([packBatch(bad, arch.inputDim)]));
    await expect(run).rejects.toThrow(/gradient worker failed: .*CTC label \d+ is out of range/);
  });
});
