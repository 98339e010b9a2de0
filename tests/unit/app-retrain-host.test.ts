/**
 * RetrainHost against scripted worker threads (no tfjs): status relay, one job at a time, a
 * graceful cancel, a cancel that the worker ignores (terminated after the grace period), a worker
 * that dies mid-job (the job reads 'interrupted' and the next call starts a fresh worker), a run
 * that fails before it starts, and the idle exit.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetrainHost } from '../../src-main/backend/retrain-host.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';

let dir: string;
let workerUrl: URL;

/**
 * A scripted worker: `create` makes job "j1" (then "j2", ...); `run` reports synthesizing, then
 * behaves as the job id says: "...-done" finishes, "...-die" exits the thread, "...-stubborn"
 * ignores cancels, "...-refuse" fails before any status, anything else waits for a cancel and
 * reports 'interrupted' with an AbortError ("...-slow": the reply 300 ms after the status). `list`
 * returns what it has seen.
 */
const SCRIPT = `
import { parentPort } from 'node:worker_threads';
const jobs = new Map();
let n = 0;
const status = (jobId, phase, extra = {}) => ({ jobId, createdAt: 't', updatedAt: 't', items: ['x'], sounds: [], baseModel: 'b 1', baseModelDir: '/b', phase, fraction: 0, etaSec: null, message: phase, recordingsTrain: 0, recordingsHeldOut: 0, ...extra });
const waiting = new Map();
let deaf = false;
parentPort.on('message', (m) => {
  if (m.kind === 'close') {
    if (deaf) return;
    parentPort.postMessage({ kind: 'log', line: 'closing' });
    parentPort.close();
    return;
  }
  const reply = (value) => parentPort.postMessage({ kind: 'result', id: m.id, ok: true, value });
  const fail = (name, message) => parentPort.postMessage({ kind: 'result', id: m.id, ok: false, error: { name, message } });
  if (m.kind === 'cancel') {
    const w = waiting.get(m.jobId);
    if (w && !m.jobId.endsWith('stubborn')) w();
    return;
  }
  if (m.kind === 'create') { const id = 'j' + (++n) + '-' + m.request.items[0]; jobs.set(id, status(id, 'queued')); return reply(jobs.get(id)); }
  if (m.kind === 'list') return reply([...jobs.values()].reverse());
  if (m.kind === 'remove') { jobs.delete(m.jobId); return reply(null); }
  if (m.kind === 'run') {
    if (m.jobId.endsWith('refuse')) return fail('Error', 'retraining job ' + m.jobId + ' is done; only a queued, interrupted or failed job can run');
    const s = status(m.jobId, 'synthesizing');
    jobs.set(m.jobId, s);
    parentPort.postMessage({ kind: 'status', status: s });
    parentPort.postMessage({ kind: 'log', line: 'working on ' + m.jobId });
    if (m.jobId.endsWith('deaf')) deaf = true;
    if (m.jobId.endsWith('done') || m.jobId.endsWith('deaf')) {
      setTimeout(() => {
        const d = status(m.jobId, 'done', { fraction: 1, decision: { installed: true, reason: 'better', modelDir: '/m', name: 'b', version: '2' } });
        jobs.set(m.jobId, d);
        parentPort.postMessage({ kind: 'status', status: d });
        reply(d);
      }, 20);
    } else if (m.jobId.endsWith('die')) {
      setTimeout(() => process.exit(3), 20);
    } else {
      waiting.set(m.jobId, () => {
        const i = status(m.jobId, 'interrupted', { message: 'cancelled: resume to continue from the last checkpoint' });
        jobs.set(m.jobId, i);
        parentPort.postMessage({ kind: 'status', status: i });
        if (m.jobId.endsWith('slow')) setTimeout(() => fail('AbortError', 'retraining was cancelled'), 300);
        else fail('AbortError', 'retraining was cancelled');
      });
    }
  }
});
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-retrain-host-'));
  await writeFile(join(dir, 'worker.mjs'), SCRIPT);
  workerUrl = pathToFileURL(join(dir, 'worker.mjs'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function makeHost(opts: { cancelGraceMs?: number; idleExitMs?: number; endGraceMs?: number } = {}) {
  const statuses: RetrainJobStatus[] = [];
  const ended: RetrainJobStatus[] = [];
  const logs: string[] = [];
  const host = new RetrainHost({
    jobsDir: join(dir, 'jobs'), modelsDir: join(dir, 'models'), workerUrl, ...opts,
    onStatus: (s) => statuses.push(s), onEnd: (s) => ended.push(s), log: (l) => logs.push(l),
  });
  return { host, statuses, ended, logs };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RetrainHost', () => {
  it('relays a job to its end and reports the end', async () => {
    const { host, statuses, ended, logs } = makeHost();
    const first = await host.createAndStart({ baseModelDir: '/b', items: ['done'] });
    expect(first).toMatchObject({ jobId: 'j1-done', phase: 'synthesizing' });
    expect(host.running).toBe('j1-done');
    await until(() => ended.length === 1);
    expect(ended[0]).toMatchObject({ phase: 'done', decision: { installed: true } });
    expect(statuses.map((s) => s.phase)).toEqual(['synthesizing', 'done']);
    expect(logs).toEqual(['working on j1-done']);
    expect(host.running).toBeNull();
    expect((await host.list()).map((j) => j.phase)).toEqual(['done']);
    await host.dispose();
  });

  it('runs one job at a time, cancels gracefully, resumes and refuses to remove a running job', async () => {
    const { host, statuses, ended } = makeHost();
    const job = await host.createAndStart({ baseModelDir: '/b', items: ['wait'] });
    await expect(host.createAndStart({ baseModelDir: '/b', items: ['done'] })).rejects.toThrow(/a retraining job is running \(j1-wait\)/);
    await expect(host.remove(job.jobId)).rejects.toThrow(/is running; cancel it first/);
    expect((await host.list())[0]).toMatchObject({ jobId: 'j1-wait', phase: 'synthesizing' });
    await expect(host.cancel('other')).rejects.toThrow(/not running/);
    await host.cancel(job.jobId);
    await until(() => ended.length === 1);
    expect(ended[0]).toMatchObject({ phase: 'interrupted', message: /cancelled/ });
    expect(statuses.at(-1)?.phase).toBe('interrupted');
    expect(host.running).toBeNull();
    expect(await host.resume(job.jobId)).toMatchObject({ phase: 'synthesizing' });
    await host.cancel(job.jobId);
    await until(() => ended.length === 2);
    await host.remove(job.jobId);
    expect(await host.list()).toEqual([]);
    await host.dispose();
  });

  it('lists no job running once the job reported its end, though the worker has not replied yet; a resume then waits for the reply', async () => {
    const { host, statuses, ended } = makeHost();
    const job = await host.createAndStart({ baseModelDir: '/b', items: ['slow'] });
    await host.cancel(job.jobId);
    await until(() => statuses.at(-1)?.phase === 'interrupted');
    expect(ended).toEqual([]);
    expect(host.running).toBeNull();
    expect(await host.resume(job.jobId)).toMatchObject({ jobId: job.jobId, phase: 'synthesizing' });
    expect(ended).toEqual([expect.objectContaining({ phase: 'interrupted' })]);
    expect(host.running).toBe(job.jobId);
    await host.cancel(job.jobId);
    await until(() => ended.length === 2);
    await host.dispose();
  });

  it('terminates a worker that ignores a cancel, and a dead worker leaves the job interrupted', async () => {
    const { host, statuses, ended, logs } = makeHost({ cancelGraceMs: 100 });
    const stubborn = await host.createAndStart({ baseModelDir: '/b', items: ['stubborn'] });
    await host.cancel(stubborn.jobId);
    await until(() => ended.length === 1);
    expect(ended[0]).toMatchObject({ jobId: 'j1-stubborn', phase: 'interrupted', message: 'cancelled: resume to continue from the last checkpoint' });
    expect(statuses.at(-1)).toEqual(ended[0]);
    expect(logs.some((l) => /did not stop within 0.1 s/.test(l))).toBe(true);
    // A fresh worker (the scripted one counts jobs from 1 again).
    const dying = await host.createAndStart({ baseModelDir: '/b', items: ['die'] });
    expect(dying.jobId).toBe('j1-die');
    await until(() => ended.length === 2);
    expect(ended[1]).toMatchObject({ jobId: 'j1-die', phase: 'interrupted', message: /interrupted \(the retraining worker stopped \(exit code 3\)\): resume to continue/ });
    expect(host.running).toBeNull();
    expect(await host.list()).toEqual([]);
    await host.dispose();
  });

  it('rejects a run that fails before it starts, and ends an idle worker', async () => {
    const { host, ended } = makeHost({ idleExitMs: 50 });
    await expect(host.createAndStart({ baseModelDir: '/b', items: ['refuse'] })).rejects.toThrow(/only a queued, interrupted or failed job can run/);
    expect(host.running).toBeNull();
    expect(ended).toEqual([]);
    const w = (host as unknown as { worker: unknown }).worker;
    expect(w).not.toBeNull();
    await until(() => (host as unknown as { worker: unknown }).worker === null);
    await host.dispose();
    await expect(host.list()).rejects.toThrow(/shut down/);
  });

  it('asks a worker to end by itself (never terminating it inside onnxruntime), and terminates one that does not', async () => {
    const polite = makeHost({ endGraceMs: 5_000 });
    await polite.host.createAndStart({ baseModelDir: '/b', items: ['done'] });
    await until(() => polite.ended.length === 1);
    let t0 = Date.now();
    await polite.host.dispose();
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(polite.logs).toContain('closing');

    const deaf = makeHost({ endGraceMs: 300 });
    await deaf.host.createAndStart({ baseModelDir: '/b', items: ['deaf'] });
    await until(() => deaf.ended.length === 1);
    t0 = Date.now();
    await deaf.host.dispose();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(deaf.logs).not.toContain('closing');
    await expect(deaf.host.list()).rejects.toThrow(/shut down/);
  });
});
