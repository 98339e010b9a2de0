/**
 * Resume exactness: a training run interrupted inside an epoch (cancelled after a step,
 * checkpointed) and run again with the same checkpoint folder ends with exactly the weights of
 * the same run done in one go: the batch position, the optimizer's moments and step count, the
 * learning-rate schedule and the loss history all carry over. This is what lets a long training
 * run continue across sessions (docs/DEVELOPERS.md, "Long training runs").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { packBatch, type Batch, type Example } from '../../src-main/train/batch.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { train, type BatchSource } from '../../src-main/train/trainer.ts';
import { loadCheckpoint } from '../../src-main/train/checkpoint.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function source(arch: ArchitectureSpec): BatchSource {
  const rng = createRng(5);
  const batches: Batch[] = [];
  for (let b = 0; b < 4; b++) {
    const ex: Example[] = [];
    for (let i = 0; i < 3; i++) {
      const frames = 20 + rng.int(0, 10);
      const features = Float32Array.from({ length: frames * arch.inputDim }, () => rng.uniform(-1, 1));
      ex.push({ features, frames, labels: Array.from({ length: 5 }, () => rng.int(1, UNITS.length - 1)) });
    }
    batches.push(packBatch(ex, arch.inputDim));
  }
  return {
    batchesPerEpoch: () => batches.length,
    async *batches(epoch, skip) { for (let i = skip; i < batches.length; i++) yield batches[(i + epoch) % batches.length]; },
  };
}

describe('training resume', () => {
  it('a run cancelled mid-epoch and resumed ends with the weights of the uninterrupted run', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 8, inputDim: 12, numUnits: UNITS.length };
    const cfg = { arch, epochs: 3, learningRate: 0.01, lrDecay: 0.7, clipNorm: 1, seed: 4, checkpointEverySec: 1e9 };
    const whole = await train({ ...cfg, checkpointDir: join(dir, 'a') }, source(arch));

    // Cancelled after step 5 (the middle of epoch 2), then resumed from its checkpoint. At step 5
    // tfjs's pow(beta, t) differs in the last bit from Adam's running product: the checkpoint keeps it.
    const ac = new AbortController();
    const stepsBefore: number[] = [];
    await expect(train({ ...cfg, checkpointDir: join(dir, 'b'), signal: ac.signal }, source(arch), {
      onStep: (r) => { stepsBefore.push(r.step); if (r.step === 5) ac.abort(); },
    })).rejects.toThrow(/cancelled/);
    expect(stepsBefore).toEqual([1, 2, 3, 4, 5]);
    const resumedSteps: number[] = [];
    const resumed = await train({ ...cfg, checkpointDir: join(dir, 'b') }, source(arch), { onStep: (r) => resumedSteps.push(r.step) });
    expect(resumedSteps[0]).toBe(6);
    expect(resumed.steps).toBe(whole.steps);
    // Epoch 2's mean loss is over the batches the resumed run trained (it starts after the cancel); the others are equal.
    expect([resumed.history[0].meanLoss, resumed.history[2].meanLoss]).toEqual([whole.history[0].meanLoss, whole.history[2].meanLoss]);
    const a = whole.model.getWeights(), b = resumed.model.getWeights();
    const dirs = (l: (typeof a.layers)[number]) => [l.forward, ...(l.backward ? [l.backward] : [])];
    const flat = (w: typeof a) => w.layers.flatMap((l) => dirs(l).flatMap((d) => [...d.kernel, ...d.recurrent, ...d.bias])).concat([...w.output.kernel, ...w.output.bias]);
    const fa = flat(a), fb = flat(b);
    expect(fb.length).toBe(fa.length);
    let maxDiff = 0;
    for (let i = 0; i < fa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fa[i] - fb[i]));
    expect(maxDiff).toBe(0);
  });

  it('a time budget of 0 trains nothing and asks for no data: the checkpoint and its history come back as they were', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 1, hidden: 6, inputDim: 12, numUnits: UNITS.length };
    const cfg = { arch, epochs: 2, learningRate: 0.01, lrDecay: 0.7, clipNorm: 1, seed: 4, checkpointEverySec: 1e9, checkpointDir: join(dir, 'budget') };
    const one = await train({ ...cfg, epochs: 1 }, source(arch));
    expect(one.history).toHaveLength(1);
    // The next sitting with no time: no batch is asked for (an epoch's preparation takes minutes in hark adapt).
    const inner = source(arch);
    let asked = 0;
    const counting: BatchSource = { batchesPerEpoch: inner.batchesPerEpoch, async *batches(epoch, skip) { asked++; yield* inner.batches(epoch, skip); } };
    const steps: number[] = [];
    const none = await train({ ...cfg, timeBudgetSec: 0 }, counting, { onStep: (r) => steps.push(r.step) });
    expect(asked).toBe(0);
    expect(steps).toEqual([]);
    expect(none.stoppedEarly).toBe(true);
    expect(none.steps).toBe(one.steps);
    expect(none.history.map((h) => h.meanLoss)).toEqual(one.history.map((h) => h.meanLoss));
    expect(Array.from(none.model.getWeights().output.bias)).toEqual(Array.from(one.model.getWeights().output.bias));
    // With time, the same checkpoint goes on into epoch 2.
    const two = await train({ ...cfg, timeBudgetSec: 3600 }, counting);
    expect(asked).toBe(1);
    expect(two.history).toHaveLength(2);
    expect(two.stoppedEarly).toBe(false);
  });

  it('a cancellation seen at an epoch\'s start asks for no data and leaves the checkpoint as it was', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const arch: ArchitectureSpec = { cell: 'gru', bidirectional: false, layers: 1, hidden: 6, inputDim: 12, numUnits: UNITS.length };
    const cfg = { arch, epochs: 3, learningRate: 0.01, lrDecay: 0.7, clipNorm: 1, seed: 4, checkpointEverySec: 1e9, checkpointDir: join(dir, 'cancel-at-start') };
    // Cancelled during epoch 1's evaluation (the onEpoch hook): the run stops before epoch 2 asks for data.
    const ac = new AbortController();
    const inner = source(arch);
    const asked: number[] = [];
    const counting: BatchSource = { batchesPerEpoch: inner.batchesPerEpoch, async *batches(epoch, skip) { asked.push(epoch); yield* inner.batches(epoch, skip); } };
    await expect(train({ ...cfg, signal: ac.signal }, counting, { onEpoch: async () => { ac.abort(); return {}; } })).rejects.toThrow(/cancelled/);
    expect(asked).toEqual([0]);
    const saved = await loadCheckpoint(cfg.checkpointDir);
    expect([saved?.step, saved?.epoch, saved?.batchInEpoch, saved?.history.length]).toEqual([4, 1, 0, 1]);
    // Cancelled before anything: nothing asked, nothing written.
    const before = new AbortController();
    before.abort();
    await expect(train({ ...cfg, signal: before.signal }, counting)).rejects.toThrow(/cancelled/);
    expect(asked).toEqual([0]);
    expect((await loadCheckpoint(cfg.checkpointDir))?.step).toBe(4);
    // The next sitting goes on with epoch 2.
    const rest = await train(cfg, counting);
    expect(asked).toEqual([0, 1, 2]);
    expect(rest.history).toHaveLength(3);
  });
});
