/** The Retrain screen's state store (src-renderer/ui/retrain-plan-store.ts): its updates, what it derives, and who it tells. */
import { describe, expect, it } from 'vitest';
import type { RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { listedJobs, progressJob, readyJob, RetrainPlanStore, startState, upsertJob } from '../../src-renderer/ui/retrain-plan-store.ts';

const rec = (id: string, item: string): RecordingWire => ({ id, item, durationSec: 1, createdAt: 't' });
const job = (jobId: string, over: Partial<RetrainJobStatus> = {}): RetrainJobStatus => ({
  jobId, createdAt: 't', updatedAt: 't', items: ['zorblat'], sounds: [], baseModel: 'hark-en 1.0.0', baseModelDir: '/m',
  phase: 'training', fraction: 0.5, etaSec: 60, message: '', recordingsTrain: 1, recordingsHeldOut: 0, ...over,
});
const installed = (jobId: string, modelDir: string) => job(jobId, { phase: 'done', decision: { installed: true, reason: 'better', modelDir, name: 'hark-en', version: '1.0.0+r1' } });

describe('retrain plan store', () => {
  it('keeps every recorded item in the plan and persists only the plans the user edits', () => {
    const saved: (readonly string[])[] = [];
    const store = new RetrainPlanStore(['quux'], '/m', (p) => saved.push(p));
    store.setRecordings([rec('a', 'zorblat'), rec('b', '<sound:snap>')]);
    expect(store.state.plan).toEqual(['quux', 'zorblat', '<sound:snap>']);
    expect(saved).toEqual([]);
    store.editPlan(['zorblat']);
    expect(saved).toEqual([['zorblat']]);
    expect(store.state.plan).toEqual(['zorblat', '<sound:snap>']);

    store.recordingsSaved('zorblat', [rec('c', 'zorblat'), rec('d', 'zorblat')]);
    expect(store.state.recordings.map((r) => r.id)).toEqual(['b', 'c', 'd']);
    store.recordingRemoved('c');
    expect(store.state.recordings.map((r) => r.id)).toEqual(['b', 'd']);
    // Deleting an item's last recording leaves the item in the plan.
    store.recordingRemoved('d');
    expect(store.state.plan).toEqual(['zorblat', '<sound:snap>']);
  });

  it('says whether Start can be pressed and why not', () => {
    const store = new RetrainPlanStore([], '');
    expect(startState(store.state)).toEqual({ enabled: false, hint: 'Add a word, phrase or sound to teach first.' });
    store.editPlan(['zorblat', 'quux']);
    store.setRecordings([rec('a', 'zorblat'), rec('b', 'zorblat')]);
    expect(startState(store.state)).toEqual({
      enabled: true,
      hint: 'Teaches zorblat, quux to the model in use, with your 2 recordings of them. The current model stays in use until you choose the new version.',
    });
    store.setRecordingSlot({ item: 'quux', stage: 'opening' });
    expect(startState(store.state).enabled).toBe(false);
    store.setRecordingSlot(null);
    store.jobStarted(job('j1'));
    expect(startState(store.state)).toEqual({ enabled: false, hint: 'A retraining job is running.' });
  });

  it('follows jobs: listing, starting, status events and removal', () => {
    const store = new RetrainPlanStore([], '/m');
    store.jobStarted(job('new'));
    expect(store.state.running).toBe('new');
    // A listing that does not know the job this window started yet keeps it in front.
    store.jobsListed([job('old1', { phase: 'interrupted' }), job('old2', { phase: 'done' })], null);
    expect(store.state.jobs.map((j) => j.jobId)).toEqual(['new', 'old1', 'old2']);
    expect(store.state.running).toBeNull();

    store.jobChanged(job('old1', { phase: 'training', fraction: 0.7 }));
    expect(store.state.running).toBe('old1');
    expect(store.state.jobs.map((j) => [j.jobId, j.phase])).toEqual([['new', 'training'], ['old1', 'training'], ['old2', 'done']]);
    expect(progressJob(store.state)?.fraction).toBe(0.7);
    expect(listedJobs(store.state).map((j) => j.jobId)).toEqual(['new', 'old2']);
    // Another job ending does not stop the running one; the running one ending does.
    store.jobChanged(job('new', { phase: 'failed' }));
    expect(store.state.running).toBe('old1');
    store.jobChanged(job('old1', { phase: 'interrupted' }));
    expect(store.state.running).toBeNull();
    expect(progressJob(store.state)).toBeUndefined();

    store.jobsRemoved([job('old2', { phase: 'done' })]);
    expect(store.state.jobs.map((j) => j.jobId)).toEqual(['old2']);
    expect(upsertJob([job('a'), job('b')], job('c')).map((j) => j.jobId)).toEqual(['c', 'a', 'b']);
  });

  it('offers the newest installed version that is not in use until it is used or dismissed', () => {
    const store = new RetrainPlanStore([], '/shipped');
    store.jobsListed([installed('j2', '/v2'), installed('j1', '/v1'), job('j0', { phase: 'done', decision: { installed: false, reason: 'worse' } })], null);
    expect(readyJob(store.state)?.jobId).toBe('j2');
    store.dismissReady('j2');
    expect(readyJob(store.state)?.jobId).toBe('j1');
    store.setInUseDir('/v1');
    expect(readyJob(store.state)).toBeUndefined();
  });

  it('tells a watcher only when a part it watches is replaced', () => {
    const store = new RetrainPlanStore([], '');
    let wordsRenders = 0;
    let jobRenders = 0;
    store.watch((s) => [s.words], () => wordsRenders++);
    const stop = store.watch((s) => [s.jobs, s.running], () => jobRenders++);
    store.setWords([]);
    store.editPlan(['quux']);
    store.setInUseDir('/m');
    expect([wordsRenders, jobRenders]).toEqual([1, 0]);
    store.jobStarted(job('j'));
    expect(jobRenders).toBe(1);
    stop();
    store.jobChanged(job('j', { phase: 'done' }));
    expect(jobRenders).toBe(1);
  });
});
