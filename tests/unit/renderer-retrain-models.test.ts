/** The Retrain and Models screens' state and texts (src-renderer/view-state/retrain-plan.ts, model-versions.ts). */
import { describe, expect, it } from 'vitest';
import type { ModelCard, ModelList, RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import {
  addPlanItem, addPlanSound, decisionText, figureRows, jobItemsText, progressPercent, progressText, recordingCountText, recordingsByItem,
  removePlanItem, startProblem, startRequest, withRecordedItems,
} from '../../src-renderer/view-state/retrain-plan.ts';
import { cardLines, useActionOf } from '../../src-renderer/view-state/model-versions.ts';

const rec = (id: string, item: string): RecordingWire => ({ id, item, durationSec: 1, createdAt: 't' });
const status = (over: Partial<RetrainJobStatus>): RetrainJobStatus => ({
  jobId: 'j', createdAt: '2026-11-22T07:00:00Z', updatedAt: 't', items: ['zorblat'], sounds: [{ name: 'clap' }], baseModel: 'hark-en 1.0.0', baseModelDir: '/m',
  phase: 'training', fraction: 0.4567, etaSec: 150, message: 'training: epoch 1 of 3', recordingsTrain: 4, recordingsHeldOut: 1, ...over,
});
const fig = (a: number, c: number, t: number) => ({ accuracy: a, correct: c, total: t });

describe('retrain plan', () => {
  it('adds words, phrases and sounds in one spelling, refusing duplicates and bad text', () => {
    let plan: readonly string[] = [];
    const add = (r: ReturnType<typeof addPlanItem>) => {
      if ('error' in r) throw new Error(r.error);
      plan = r.plan;
    };
    add(addPlanItem(plan, '  Open  Zorblat '));
    add(addPlanSound(plan, 'Clap'));
    expect(plan).toEqual(['open zorblat', '<sound:clap>']);
    expect(addPlanItem(plan, 'open zorblat')).toEqual({ error: '“open zorblat” is already in the list.' });
    expect(addPlanSound(plan, '<sound:clap>')).toEqual({ error: '“sound: clap” is already in the list.' });
    expect(addPlanItem(plan, 'hi!')).toEqual({ error: expect.stringMatching(/^"hi!" is not a word or phrase to teach: use letters a-z.*\.$/) });
    expect(addPlanSound(plan, 'two words')).toEqual({ error: expect.stringMatching(/not a sound name/) });
    expect(addPlanSound(plan, ' ')).toEqual({ error: 'Type a sound name first, e.g. clap.' });
    expect(removePlanItem(plan, 'open zorblat')).toEqual(['<sound:clap>']);
    expect(startRequest(plan)).toEqual({ items: ['open zorblat'], sounds: ['clap'] });
    expect(startRequest(['quux'])).toEqual({ items: ['quux'] });
    expect(startRequest(['quux'], true)).toEqual({ items: ['quux'], installAnyway: true });
  });

  it('keeps every recorded item in the plan and says when it cannot start', () => {
    const recs = [rec('a', 'zorblat'), rec('b', '<sound:snap>'), rec('c', 'zorblat')];
    const plan = withRecordedItems(['quux'], recs);
    expect(plan).toEqual(['quux', 'zorblat', '<sound:snap>']);
    const byItem = recordingsByItem(recs);
    expect(byItem.get('zorblat')?.map((r) => r.id)).toEqual(['a', 'c']);
    expect(startProblem(plan, byItem, false)).toBeNull();
    expect(startProblem(plan, byItem, true)).toMatch(/is running/);
    expect(startProblem([], byItem, false)).toMatch(/Add a word/);
    expect(startProblem(['<sound:clap>', 'quux'], byItem, false)).toBe('Record sound: clap first: a sound is learned from your recordings only.');
    expect(recordingCountText(0)).toBe('no recordings yet');
    expect(recordingCountText(2)).toBe('2 of 5 recordings');
    expect(recordingCountText(6)).toBe('6 recordings');
  });

  it('describes a job: progress, items, figures and the decision', () => {
    const s = status({});
    expect(progressPercent(s)).toBe(46);
    expect(progressText(s)).toBe('Training — training: epoch 1 of 3 · 3 min left');
    expect(progressText(status({ phase: 'synthesizing', etaSec: null, message: '' }))).toBe('Preparing training speech · estimating…');
    expect(progressText(status({ phase: 'synthesizing', etaSec: 95, message: 'synthesizing training speech: 4 of 40 utterances' })))
      .toBe('Preparing training speech — synthesizing training speech: 4 of 40 utterances · 2 min left');
    // Only a running job is estimating: a queued, finished or stopped one has no time left to tell.
    for (const phase of ['queued', 'done', 'failed', 'interrupted'] as const) expect(progressText(status({ phase, etaSec: null, message: '' }))).not.toMatch(/estimating|left/);
    expect(jobItemsText(s)).toBe('zorblat, sound: clap');
    expect(figureRows(s)).toEqual([]);
    const done = status({
      phase: 'done', fraction: 1, etaSec: null,
      before: { newItems: fig(0.5, 4, 8), original: fig(0.95, 19, 20), recordings: fig(0, 0, 1), digits: { wer: 0.0625, errors: 6, words: 96 } },
      after: { newItems: fig(0.875, 7, 8), original: fig(0.95, 19, 20), recordings: fig(1, 1, 1), digits: { wer: 0.0729, errors: 7, words: 96 } },
      decision: { installed: true, reason: 'new items 50.0% -> 87.5%', modelDir: '/u/m', name: 'hark-en', version: '1.0.0+r1' },
    });
    expect(figureRows(done)).toEqual([
      { label: 'New items', before: '50.0% (4/8)', after: '87.5% (7/8)' },
      { label: 'Original commands', before: '95.0% (19/20)', after: '95.0% (19/20)' },
      { label: 'Your recordings', before: '0.0% (0/1)', after: '100.0% (1/1)' },
      { label: 'Digit strings', before: '6.3% word errors (6/96)', after: '7.3% word errors (7/96)' },
    ]);
    expect(decisionText(done)).toBe('Installed as version 1.0.0+r1 of hark-en: new items 50.0% -> 87.5%.');
    expect(decisionText({ ...done, decision: { installed: false, reason: 'it forgot original commands' } })).toBe('Not installed because it forgot original commands. The model in use is unchanged.');
    expect(decisionText(status({ phase: 'failed', error: 'disk full' }))).toBe('Failed: disk full');
    expect(decisionText(s)).toBe('');
  });
});

describe('model versions', () => {
  const card = (over: Partial<ModelCard>): ModelCard => ({
    dir: '/m', name: 'hark-en', version: '1.0.0', createdAt: '2026-01-01T00:00:00Z', architecture: 'a', sizeMB: 9, chunkFrames: 8, lookaheadFrames: 4,
    trainingSummary: '10.0 h of synthesized speech', shipped: false, inUse: false, sounds: [], ...over,
  });
  it('says Use, Roll back or in use, and what a card holds', () => {
    const shipped = card({ dir: '/s', shipped: true });
    const newer = card({ dir: '/n', version: '1.0.0+r2', createdAt: '2026-11-22T00:00:00Z', inUse: true, sounds: ['clap'], retrain: {
      from: 'hark-en 1.0.0', items: ['zorblat', '<sound:clap>'], clips: 800, recordings: 4, epochs: 1,
      before: { newItems: fig(0.5, 1, 2), original: fig(1, 2, 2) }, after: { newItems: fig(1, 2, 2), original: fig(1, 2, 2) }, decision: 'better',
    } });
    const other = card({ dir: '/o', name: 'tiny', createdAt: '2025-01-01T00:00:00Z' });
    const list: ModelList = { models: [shipped, newer, other], inUse: '/n', broken: [] };
    expect(useActionOf(newer, list)).toBe('in use');
    expect(useActionOf(shipped, list)).toBe('roll back');
    expect(useActionOf(other, list)).toBe('use');
    expect(cardLines(newer)).toEqual([
      'Retrained from hark-en 1.0.0; taught zorblat, sound: clap.',
      'Data: 800 clips, 4 of your recordings, 1 epoch.',
      'New items: 50.0% (1/2) → 100.0% (2/2)',
      'Original commands: 100.0% (2/2) → 100.0% (2/2)',
      'Decision: better.',
      'Sounds: clap.',
    ]);
    expect(cardLines(shipped)).toEqual(['Trained on 10.0 h of synthesized speech.']);
  });
});
