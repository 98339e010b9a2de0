/**
 * The lock of a running retraining job names its holder by pid and start time, so a lock whose
 * pid now belongs to an unrelated live process (the pid was reused after a crash) is read as
 * stale: the job shows as interrupted (resumable) and can be removed, while a lock whose holder
 * really runs keeps the job running and unremovable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownIdentity, processStartTime } from '../../src-main/system/process-alive.ts';
import { createRetrainJob, listRetrainJobs, removeRetrainJob } from '../../src-main/train/retrain-job.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-retrain-lock-'));
const jobs = join(dir, 'jobs');
let baseDir = '';
let unrelated: ChildProcess;

beforeAll(async () => {
  baseDir = (await writeRandomModelPackage(5, { dir: join(dir, 'base'), name: 'tiny' })).dir;
  unrelated = spawn('sleep', ['120'], { stdio: 'ignore' });
  await new Promise((r) => unrelated.once('spawn', r));
}, 60_000);
afterAll(() => {
  unrelated?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A job left in phase 'training' with `lock` as its lock.json. */
async function jobLockedBy(lock: object): Promise<string> {
  const { jobId } = await createRetrainJob(jobs, { baseModelDir: baseDir, items: ['quindle'] });
  const jobDir = join(jobs, jobId);
  const job = JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8'));
  job.status.phase = 'training';
  writeFileSync(join(jobDir, 'job.json'), JSON.stringify(job));
  writeFileSync(join(jobDir, 'lock.json'), JSON.stringify(lock));
  return jobId;
}

const phaseOf = async (jobId: string) => (await listRetrainJobs(jobs)).find((s) => s.jobId === jobId)?.phase;

describe('retraining job lock', () => {
  it('reads the start time of a process from /proc (field 22), the same for the same process', () => {
    const start = processStartTime(unrelated.pid!);
    expect(Number.isSafeInteger(start)).toBe(true);
    expect(processStartTime(unrelated.pid!)).toBe(start);
    expect(processStartTime(2 ** 22 + 12345)).toBeNull();
    expect(ownIdentity()).toEqual({ pid: process.pid, startTime: processStartTime(process.pid) });
  });

  it('treats a lock naming a live pid with another start time as stale: the job is resumable and removable', async () => {
    const start = processStartTime(unrelated.pid!)!;
    const jobId = await jobLockedBy({ pid: unrelated.pid, startTime: start - 1, startedAt: new Date().toISOString() });
    expect(await phaseOf(jobId)).toBe('interrupted');
    await removeRetrainJob(jobs, jobId);
    expect(await phaseOf(jobId)).toBeUndefined();
  });

  it('keeps a job whose lock names a live process with its start time running and unremovable', async () => {
    const jobId = await jobLockedBy({ pid: unrelated.pid, startTime: processStartTime(unrelated.pid!), startedAt: new Date().toISOString() });
    expect(await phaseOf(jobId)).toBe('training');
    await expect(removeRetrainJob(jobs, jobId)).rejects.toThrow(/is running; cancel it first/);
  });
});
