/**
 * Ctrl-C and SIGTERM on `hark train` (src-main/cli/interrupt.ts): once training has begun, the run
 * stops after the current step with a checkpoint and says how to continue (exit 130), and the same
 * command run again resumes from that checkpoint; before the first step it stops at once with
 * nothing to save. A tiny network on six synthesized clips, so that an epoch takes a moment.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src-main/train/checkpoint.ts';
import { runHark, runHarkSignalled } from './cli-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-train-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trainArgs = (name: string, epochs: number) => [
  'train', '--out', join(dir, name), '--data', join(dir, `${name}-data`), '--clips', '6', '--heldout-clips', '2', '--eval-clips', '2',
  '--layers', '1', '--hidden', '8', '--epochs', String(epochs), '--batch-frames', '600',
];

describe('hark train interrupted', () => {
  it('Ctrl-C after training began: a checkpoint after the current step, exit 130, and the same command resumes from it', async () => {
    const out = join(dir, 'a');
    // Far more epochs than run before the signal: only Ctrl-C ends this run.
    const r = await runHarkSignalled(trainArgs('a', 100000), /epoch 2 loss/, 'SIGINT');
    expect(r.sent).toBe(true);
    expect(r.stderr).toMatch(/hark train: SIGINT: stopping after the current training step, with a checkpoint/);
    expect(r.stderr).toContain(`hark train: stopped; checkpoint in ${join(out, 'checkpoint')}: run the same command again to continue`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(130);
    const saved = await loadCheckpoint(join(out, 'checkpoint'));
    expect(saved).toBeDefined();
    // Epoch 2 had ended (its progress line is printed at its last batch) and the run stopped after the next step.
    expect(saved!.step).toBeGreaterThanOrEqual(4);
    expect(saved!.history.length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(out, 'model.onnx'))).toBe(false);

    // The same command with no time left trains nothing: it exports the checkpoint's state.
    const again = await runHark([...trainArgs('a', 100000), '--time-budget', '0']);
    expect(again.stderr).toMatch(/model written to/);
    expect(again.code).toBe(0);
    const card = JSON.parse(await readFile(join(out, 'model.json'), 'utf8')) as { training: { steps: number; epochsCompleted: number } };
    expect(card.training.steps).toBe(saved!.step);
    expect(card.training.epochsCompleted).toBe(saved!.history.length);
  }, 120_000);

  it('SIGTERM before the first training step: stopped at once, nothing written', async () => {
    const out = join(dir, 'b');
    const r = await runHarkSignalled(trainArgs('b', 3), /synthesizing 6 utterances/, 'SIGTERM');
    expect(r.sent).toBe(true);
    expect(r.stderr).toContain(`hark train: SIGTERM before the first training step: stopped; nothing to save (the checkpoint in ${join(out, 'checkpoint')}, if any, is as it was)`);
    expect(r.stderr).not.toMatch(/training lstm/);
    expect(r.code).toBe(130);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
  }, 120_000);
});
