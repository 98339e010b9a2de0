/**
 * The L2-SP anchor of fine-tuning (TrainerConfig.anchor): it holds the weights near where they
 * started, and its per-variable scales let one layer move while the others stay. A tiny BiLSTM of
 * two layers trained a few steps on synthesized speech, from the same start, three ways. Weighed
 * weight by weight with the Fisher importance (anchor-importance.ts), it holds the weights the loss
 * depends on most more tightly than a uniform pull of the same mean, and lets the others move more.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { train, type TrainerConfig } from '../../src-main/train/trainer.ts';
import { fisherImportance, IMPORTANCE_CAP, IMPORTANCE_FLOOR } from '../../src-main/train/anchor-importance.ts';
import { fixedBatches, synthExamples } from '../helpers/synth-examples.ts';

describe('the fine-tuning anchor', () => {
  it('holds the anchored layers near their start, lets a layer scaled to 0 move, and refuses bad scales', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const { inputDim, examples } = await synthExamples(['next slide', 'scroll down', 'three seven nine', 'zoom in'], ['espeak:en-us+m3', 'flite:kal'], createRng(5));
    const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 16, inputDim, numUnits: UNITS.length };
    const source = fixedBatches([examples.slice(0, 4), examples.slice(4)], arch.inputDim);
    const start = new AcousticModel(arch, 3);
    const w0 = start.variables().map((v) => Float32Array.from(v.dataSync() as Float32Array));
    start.dispose();
    // Variables in model.variables() order: layer 0 (2 directions x kernel, recurrent, bias), layer 1, output kernel and bias.
    const lower = [0, 1, 2, 3, 4, 5];
    const upper = [6, 7, 8, 9, 10, 11, 12, 13];
    const run = async (anchor: TrainerConfig['anchor']): Promise<number[]> => {
      const init = new AcousticModel(arch, 3);
      const cfg: TrainerConfig = {
        arch, epochs: 4, learningRate: 0.01, lrDecay: 1, clipNorm: 5, seed: 1,
        checkpointDir: join(mkdtempSync(join(tmpdir(), 'hark-anchor-')), 'ckpt'), checkpointEverySec: 1e9, anchor,
      };
      const r = await train(cfg, source, {}, init);
      const drift = r.model.variables().map((v, i) => {
        const w = v.dataSync() as Float32Array;
        let s = 0;
        for (let k = 0; k < w.length; k++) s += (w[k] - w0[i][k]) ** 2;
        return s;
      });
      r.model.dispose();
      return drift;
    };
    const sum = (d: number[], idx: number[]) => idx.reduce((a, i) => a + d[i], 0);
    const free = await run(undefined);
    const held = await run({ weights: w0, strength: 50 });
    const upperFree = await run({ weights: w0, strength: 50, scales: w0.map((_, i) => (upper.includes(i) ? 0 : 1)) });
    expect(sum(free, lower)).toBeGreaterThan(0);
    // Anchored everywhere: both parts stay much nearer their start than when free.
    expect(sum(held, lower)).toBeLessThan(0.25 * sum(free, lower));
    expect(sum(held, upper)).toBeLessThan(0.25 * sum(free, upper));
    // Scale 0 on the upper layer and the output: they move as much as a free run's, the lower layer stays held.
    expect(sum(upperFree, upper)).toBeGreaterThan(0.5 * sum(free, upper));
    expect(sum(upperFree, lower)).toBeLessThan(0.25 * sum(free, lower));
    await expect(run({ weights: w0, strength: 50, scales: [1, 1] })).rejects.toThrow(/anchor scales: 2 given for 14 variables/);
    await expect(run({ weights: w0, strength: 50, scales: w0.map(() => -1) })).rejects.toThrow(/each a finite number >= 0/);
  }, 120_000);

  it('weighed by Fisher importance, holds the important weights tighter and frees the rest', async () => {
    await initTrainingBackend({ prefer: 'wasm' });
    const { inputDim, examples } = await synthExamples(['open the door', 'stop listening', 'four two', 'scroll up'], ['espeak:en-us+m3', 'flite:kal'], createRng(9));
    const arch: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 16, inputDim, numUnits: UNITS.length };
    const start = new AcousticModel(arch, 4);
    const w0 = start.variables().map((v) => Float32Array.from(v.dataSync() as Float32Array));
    // The importance measured on half the utterances; fine-tuning on the other half.
    const { values: importance, clips } = fisherImportance(start, examples.filter((_, i) => i % 2 === 0), inputDim);
    start.dispose();
    expect(clips).toBe(4);
    expect(importance.map((v) => v.length)).toEqual(w0.map((w) => w.length));
    const flat = importance.flatMap((v) => Array.from(v));
    const sorted = [...flat].sort((a, b) => a - b);
    const top = sorted[Math.floor(0.9 * sorted.length)], median = sorted[Math.floor(0.5 * sorted.length)];
    // Mean 1 before clamping: most weights matter little, a few a lot.
    expect(sorted[0]).toBeGreaterThanOrEqual(Math.fround(IMPORTANCE_FLOOR));
    expect(sorted[sorted.length - 1]).toBeLessThanOrEqual(IMPORTANCE_CAP);
    expect(median).toBeLessThan(1);
    expect(top).toBeGreaterThan(1);
    const source = fixedBatches([examples.filter((_, i) => i % 2 === 1)], arch.inputDim);
    const drift = async (anchor: TrainerConfig['anchor']) => {
      const r = await train({
        arch, epochs: 4, learningRate: 0.01, lrDecay: 1, clipNorm: 5, seed: 1,
        checkpointDir: join(mkdtempSync(join(tmpdir(), 'hark-anchor-')), 'ckpt'), checkpointEverySec: 1e9, anchor,
      }, source, {}, new AcousticModel(arch, 4));
      let important = 0, rest = 0;
      r.model.variables().forEach((v, i) => {
        const w = v.dataSync() as Float32Array;
        for (let k = 0; k < w.length; k++) {
          const d = (w[k] - w0[i][k]) ** 2;
          if (importance[i][k] >= top) important += d;
          else if (importance[i][k] <= median) rest += d;
        }
      });
      r.model.dispose();
      return { important, rest };
    };
    const uniform = await drift({ weights: w0, strength: 5 });
    const weighed = await drift({ weights: w0, strength: 5, masks: importance });
    expect(weighed.important).toBeLessThan(0.8 * uniform.important);
    expect(weighed.rest).toBeGreaterThan(1.25 * uniform.rest);
  }, 120_000);
});
