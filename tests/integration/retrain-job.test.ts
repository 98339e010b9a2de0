/**
 * Retraining jobs end to end at a tiny scale (a random-weight package, a few synthesized clips,
 * one short epoch): the job folder and its status, held-out recordings, evaluation before and
 * after on held-out voices, the install decision (a random model never measures better, so it is
 * not installed unless asked), cancel -> interrupted -> resume, a crashed job read back as
 * interrupted, and failures that leave the installed models exactly as they were.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/audio/index.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesizeSound } from '../../src-main/train/data/synth-sounds.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { createRetrainJob, listRetrainJobs, removeRetrainJob, runRetrainJob } from '../../src-main/train/retrain-job.ts';
import { isRunningPhase, type RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { ETA_MIN_ELAPSED_SEC, ETA_MIN_FRACTION } from '../../src-main/train/retrain-eta.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-retrain-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const jobs = join(dir, 'jobs');
const models = join(dir, 'models');
const tuning = { examplesPerItem: 2, replayClips: 2, epochs: 1, learningRate: 1e-3, maxBatchFrames: 1500, seed: 3 };
let baseDir = '';
const recordings: { item: string; file: string }[] = [];

/** Hash of every file under `d` (to prove nothing changed). */
function treeHash(d: string): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const q = join(p, e.name);
      if (e.isDirectory()) walk(q);
      else h.update(q).update(readFileSync(q));
    }
  };
  walk(d);
  return h.digest('hex');
}

beforeAll(async () => {
  baseDir = (await writeRandomModelPackage(5, { dir: join(dir, 'base'), name: 'tiny' })).dir;
  mkdirSync(join(dir, 'rec'));
  const rng = createRng(5);
  for (let i = 0; i < 3; i++) {
    const file = join(dir, 'rec', `${i}.wav`);
    writeFileSync(file, encodeWav(await synthesize('open zorblat', 'espeak:en-us+m7', rng.fork()), 16000));
    recordings.push({ item: 'open zorblat', file });
  }
  // An installed model that every failure below must leave untouched.
  await writeRandomModelPackage(6, { dir: join(models, 'tiny-installed'), name: 'tiny' });
}, 60_000);

describe('retraining jobs', () => {
  it('refuses requests it cannot run, with clear errors, and leaves no folder behind', async () => {
    await expect(createRetrainJob(jobs, { baseModelDir: baseDir, items: [] })).rejects.toThrow(/nothing to teach/);
    await expect(createRetrainJob(jobs, { baseModelDir: baseDir, items: ['x'], sounds: [{ name: 'clap' }] })).rejects.toThrow(/"clap" has no recordings/);
    await expect(createRetrainJob(jobs, { baseModelDir: baseDir, items: [], sounds: [{ name: 'clap' }], recordings: [{ item: '<sound:clap>', file: recordings[0].file }] })).rejects.toThrow(/"clap" has 1 recording: record it at least 3 times/);
    await expect(createRetrainJob(jobs, { baseModelDir: baseDir, items: [], sounds: [{ name: 'Clap!' }] })).rejects.toThrow(/not a sound name/);
    await expect(createRetrainJob(jobs, { baseModelDir: baseDir, items: ['x'], recordings: [{ item: 'other', file: recordings[0].file }] })).rejects.toThrow(/not being taught/);
    await expect(createRetrainJob(jobs, { baseModelDir: join(dir, 'nope'), items: ['x'] })).rejects.toThrow(/nope/);
    expect(await listRetrainJobs(jobs)).toEqual([]);
  });

  it('runs a job: held-out recordings, before/after figures, and no install when the model is no better', async () => {
    const installed = treeHash(models);
    const created = await createRetrainJob(jobs, { baseModelDir: baseDir, items: ['Open  Zorblat'], recordings, tuning });
    expect(created).toMatchObject({ phase: 'queued', items: ['open zorblat'], recordingsTrain: 2, recordingsHeldOut: 1, baseModel: expect.stringMatching(/^tiny /) });
    const seen: RetrainJobStatus[] = [];
    const seenAtSec: number[] = [];
    const t0 = performance.now();
    const final = await runRetrainJob(jobs, created.jobId, { modelsDir: models, onStatus: (s) => { seen.push(s); seenAtSec.push((performance.now() - t0) / 1000); } });
    expect(final.phase).toBe('done');
    expect(new Set(seen.map((s) => s.phase))).toEqual(new Set(['synthesizing', 'training', 'exporting', 'evaluating', 'done']));
    for (let i = 1; i < seen.length; i++) expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
    // Every running phase tells the time left once the job has run long enough to tell a rate. How
    // much of the job passes that mark depends on the machine's speed (on a fast one the whole job
    // can end before it), so evaluating is required to tell it only when it ran past the mark.
    const telling = seen.filter((s, i) => isRunningPhase(s.phase) && seenAtSec[i] > ETA_MIN_ELAPSED_SEC + 1 && s.fraction >= ETA_MIN_FRACTION);
    if (seenAtSec.some((t, i) => t > ETA_MIN_ELAPSED_SEC + 1 && seen[i].phase === 'evaluating')) expect(telling.map((s) => s.phase)).toContain('evaluating');
    for (const s of telling) expect({ phase: s.phase, message: s.message, eta: s.etaSec }).toMatchObject({ eta: expect.any(Number) });
    // Training tells its own (from its steps' pace) whatever the machine.
    expect(seen.some((s) => s.phase === 'training' && typeof s.etaSec === 'number')).toBe(true);
    expect(final.etaSec).toBeNull();
    // 4 held-out voices x (1 item + 12 original commands + 6 digit strings of 24 digits in all); the held-out recording.
    expect(final.before).toMatchObject({ newItems: { total: 4 }, original: { total: 48 }, recordings: { total: 1 }, digits: { words: 96 } });
    expect(final.after).toMatchObject({ newItems: { total: 4 }, original: { total: 48 }, recordings: { total: 1 }, digits: { words: 96 } });
    expect(final.before!.digits!.wer).toBeCloseTo(final.before!.digits!.errors / 96, 9);
    expect(final.decision?.installed).toBe(false);
    expect(final.decision?.reason).toMatch(/no better|worse|forgot/);
    expect(treeHash(models)).toBe(installed);
    expect((await listRetrainJobs(jobs))[0]).toMatchObject({ jobId: created.jobId, phase: 'done' });
    await expect(runRetrainJob(jobs, created.jobId, { modelsDir: models })).rejects.toThrow(/is done/);
    await removeRetrainJob(jobs, created.jobId);
    expect(await listRetrainJobs(jobs)).toEqual([]);
  }, 240_000);

  it('cancels into an interrupted job that resumes, and installs on request with the figures in its card', async () => {
    const installed = treeHash(join(models, 'tiny-installed'));
    const created = await createRetrainJob(jobs, { baseModelDir: baseDir, items: ['kivvik'], tuning: { ...tuning, epochs: 2 }, installPolicy: 'always' });
    const abort = new AbortController();
    const run = runRetrainJob(jobs, created.jobId, { modelsDir: models, signal: abort.signal, onStatus: (s) => { if (s.phase === 'training') abort.abort(); } });
    await expect(run).rejects.toThrow(/cancel/);
    const [interrupted] = await listRetrainJobs(jobs);
    expect(interrupted).toMatchObject({ jobId: created.jobId, phase: 'interrupted' });
    expect(readdirSync(join(jobs, created.jobId, 'work', 'checkpoint')).length).toBeGreaterThan(0);

    const final = await runRetrainJob(jobs, created.jobId, { modelsDir: models });
    expect(final.phase).toBe('done');
    expect(final.decision).toMatchObject({ installed: true, reason: expect.stringMatching(/installed on request/) });
    const pkg = await loadModelPackage(final.decision!.modelDir!);
    expect(pkg.metadata.version).toMatch(/\+r\d{14}$/);
    expect(pkg.metadata.training).toMatchObject({ retrainedFrom: expect.stringMatching(/^tiny /), retrain: { items: ['kivvik'] } });
    expect(pkg.metadata.metrics).toMatchObject({ retrain: { before: { newItems: { total: 4 } }, after: { original: { total: 48 } } } });
    expect(treeHash(join(models, 'tiny-installed'))).toBe(installed);
  }, 300_000);

  it('teaches a sound as a new output unit that a phrase list can then bind to a command', async () => {
    const rng = createRng(9);
    const claps: { item: string; file: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const file = join(dir, 'rec', `clap-${i}.wav`);
      writeFileSync(file, encodeWav(synthesizeSound('clap', rng.fork()), 16000));
      claps.push({ item: '<sound:clap>', file });
    }
    const created = await createRetrainJob(jobs, { baseModelDir: baseDir, items: [], sounds: [{ name: 'clap' }], recordings: claps, tuning, installPolicy: 'always' });
    expect(created).toMatchObject({ recordingsTrain: 2, recordingsHeldOut: 1 });
    const final = await runRetrainJob(jobs, created.jobId, { modelsDir: models });
    expect(final.phase).toBe('done');
    // The base model has no clap unit: its held-out clap counts as a miss.
    expect(final.before).toMatchObject({ newItems: { total: 0 }, recordings: { correct: 0, total: 1 } });
    const pkg = await loadModelPackage(final.decision!.modelDir!);
    expect(pkg.metadata.units.at(-1)).toBe('<sound:clap>');
    expect(pkg.architecture.numUnits).toBe(pkg.metadata.units.length);
    expect(pkg.metadata.training).toMatchObject({ retrain: { sounds: ['clap'] } });
    const rec = await OfflineRecognizer.create({ modelDir: pkg.dir, mode: { kind: 'phrases', items: ['<sound:clap>', 'next slide'] } });
    const r = await rec.recognizePcm(synthesizeSound('clap', rng.fork()));
    // A random model decides nothing in particular: the point is that the sound is a listable phrase of this model.
    expect(['<sound:clap>', 'next slide', null]).toContain(r.phrase);
    await rec.dispose();
    await expect(OfflineRecognizer.create({ modelDir: baseDir, mode: { kind: 'phrases', items: ['<sound:clap>'] } })).rejects.toThrow(/no sound <sound:clap>/);
  }, 180_000);

  it('reads a job left running by a dead process as interrupted, and a failed job never touches the installed models', async () => {
    const installed = treeHash(models);
    const created = await createRetrainJob(jobs, { baseModelDir: baseDir, items: ['quindle'], tuning });
    const jobDir = join(jobs, created.jobId);
    const job = JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8'));
    job.status.phase = 'training';
    writeFileSync(join(jobDir, 'job.json'), JSON.stringify(job));
    writeFileSync(join(jobDir, 'lock.json'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    expect((await listRetrainJobs(jobs)).find((s) => s.jobId === created.jobId)).toMatchObject({ phase: 'interrupted', message: /interrupted while training/ });
    // The base model disappears before the resume: the job fails with the reason, nothing is installed.
    const moved = join(dir, 'base-moved');
    rmSync(moved, { recursive: true, force: true });
    const { renameSync } = await import('node:fs');
    renameSync(baseDir, moved);
    try {
      const final = await runRetrainJob(jobs, created.jobId, { modelsDir: models });
      expect(final.phase).toBe('failed');
      expect(final.error).toMatch(/base/);
    } finally {
      renameSync(moved, baseDir);
    }
    expect(treeHash(models)).toBe(installed);
    // A damaged job.json is skipped by the list and refused by run, with its path.
    writeFileSync(join(jobDir, 'job.json'), '{"version": 1, "sta');
    expect((await listRetrainJobs(jobs)).some((s) => s.jobId === created.jobId)).toBe(false);
    await expect(runRetrainJob(jobs, created.jobId, { modelsDir: models })).rejects.toThrow(/JSON|job/);
    await expect(runRetrainJob(jobs, '../etc', { modelsDir: models })).rejects.toThrow(/not a retraining job id/);
  }, 120_000);
});
