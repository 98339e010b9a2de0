/**
 * The backend's side of retraining: runs the job API (src-main/train/retrain-job.ts) in its own
 * worker thread (retrain-worker.ts), so tfjs training never shares a thread with live
 * recognition and the backend bundle never loads tfjs. Jobs live in `jobsDir`
 * (<user data>/retrain/); accepted models are installed into `modelsDir` (<user data>/models/).
 *
 * Contracts:
 * - One job at a time: starting one while a job runs (here, or in another process such as
 *   `hark retrain`) is an Error that says which.
 * - Every status the job reports goes to `onStatus`; the job's last status goes to `onEnd` too.
 * - cancel() posts a cancel message (the job's AbortSignal: it stops at its next step with its
 *   checkpoint, phase 'interrupted'); if it has not ended after `cancelGraceMs`, the worker is
 *   terminated. A worker that dies with a job running (crash, termination) leaves the job
 *   'interrupted' (reported through onStatus / onEnd); the next call starts a fresh worker, and
 *   the job can be resumed. Jobs a dead process left running list as 'interrupted'.
 * - The worker (and tfjs with it) is started on demand and ends after `idleExitMs` without a job
 *   or a call, so an idle app does not hold the training libraries.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { isRunningPhase } from '../../src-shared/retrain/retrain-types.ts';
import type { RetrainJobRequest } from '../train/retrain-job.ts';
import { shippedPath } from '../system/app-layout.ts';
import type { HostToRetrainWorker, RetrainWorkerToHost } from './retrain-protocol.ts';

/**
 * retrain-worker.mjs next to the module `from` (this one by default) when bundled (dist-electron/),
 * else the tsx entry (source); a real file, in app.asar.unpacked when packaged (src-main/system/app-layout.ts).
 */
export function retrainWorkerUrl(from: string | URL = import.meta.url): URL {
  const bundled = shippedPath('./retrain-worker.mjs', from);
  return pathToFileURL(existsSync(bundled) ? bundled : shippedPath('./retrain-worker-entry.mjs', from));
}

export interface RetrainHostOptions {
  jobsDir: string;
  modelsDir: string;
  onStatus: (status: RetrainJobStatus) => void;
  /** The running job ended: done, failed, or interrupted (cancelled, or its worker died). */
  onEnd?: (status: RetrainJobStatus) => void;
  log?: (line: string) => void;
  workerUrl?: URL;
  /** How long a cancelled job may take to stop before its worker is terminated (default 15 s). */
  cancelGraceMs?: number;
  /** The worker ends after this long without a job or a call (default 20 s). */
  idleExitMs?: number;
  /** How long an ending worker may take to finish by itself before it is terminated (default 10 s). */
  endGraceMs?: number;
}

/** An error from the retraining worker, with the name it had there. */
export class RetrainError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Call = Exclude<HostToRetrainWorker, { kind: 'cancel' }>;
type CallWithoutId = Call extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

interface Running {
  jobId: string;
  last: RetrainJobStatus | null;
  cancelling: boolean;
  graceTimer: ReturnType<typeof setTimeout> | null;
  /** Called with every status; resolves the start at the first one. */
  onStatus: (s: RetrainJobStatus) => void;
  /** Resolves when the job has ended (whatever the outcome). */
  ended: Promise<void>;
  markEnded: () => void;
}

export class RetrainHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private job: Running | null = null;
  /** Set while a start is being checked and created (a second start must wait its turn). */
  private starting = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly opts: RetrainHostOptions) {}

  /** The id of the job running now, or null. */
  get running(): string | null {
    return this.live?.jobId ?? null;
  }

  /**
   * The running job, or null once its latest status says it ended: the worker posts the job's last
   * status (done, failed, interrupted) before its reply to the run, and everyone who saw that status
   * must see no job running, though the reply is still on its way.
   */
  private get live(): Running | null {
    const job = this.job;
    return job && (!job.last || isRunningPhase(job.last.phase)) ? job : null;
  }

  /** Waits for the reply of a job that has already reported its end, so nothing overlaps it in the worker. */
  private async settled(): Promise<void> {
    const job = this.job;
    if (job && !this.live) await job.ended;
  }

  /** The running job's latest status, or null. */
  get runningStatus(): RetrainJobStatus | null {
    return this.job?.last ?? null;
  }

  /** Every job, newest first (a job a dead process left running reads 'interrupted'). */
  async list(): Promise<RetrainJobStatus[]> {
    const jobs = (await this.call({ kind: 'list', jobsDir: this.opts.jobsDir })) as RetrainJobStatus[];
    // The worker's view lags the host's by a message: the running job's latest status wins.
    const mine = this.job?.last;
    return mine ? jobs.map((j) => (j.jobId === mine.jobId ? mine : j)) : jobs;
  }

  /** Creates a job and starts it; resolves with its first running status. */
  async createAndStart(request: RetrainJobRequest): Promise<RetrainJobStatus> {
    return this.exclusive(async () => {
      const created = (await this.call({ kind: 'create', jobsDir: this.opts.jobsDir, request })) as RetrainJobStatus;
      return this.run(created.jobId);
    });
  }

  /** Runs (resumes) an existing job; resolves with its first running status. */
  async resume(jobId: string): Promise<RetrainJobStatus> {
    return this.exclusive(() => this.run(jobId));
  }

  /** Stops the running job `jobId` (see the file comment); resolves once the request is posted. */
  async cancel(jobId: string): Promise<void> {
    const job = this.job;
    if (!job || job.jobId !== jobId) throw new Error(`retraining job ${jobId} is not running`);
    if (job.cancelling) return;
    job.cancelling = true;
    this.worker?.postMessage({ kind: 'cancel', jobId } satisfies HostToRetrainWorker);
    job.graceTimer = setTimeout(() => {
      if (this.job === job) {
        this.opts.log?.(`retraining job ${jobId} did not stop within ${this.grace / 1000} s of the cancel: ending its worker`);
        void this.worker?.terminate();
      }
    }, this.grace);
  }

  /** Deletes a job's folder; refuses the running job. */
  async remove(jobId: string): Promise<void> {
    await this.settled();
    if (this.job?.jobId === jobId) throw new Error(`retraining job ${jobId} is running; cancel it first`);
    await this.call({ kind: 'remove', jobsDir: this.opts.jobsDir, jobId });
  }

  /** Cancels a running job (waiting up to the grace period), then ends the worker. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    const job = this.job;
    if (job && this.worker) {
      await this.cancel(job.jobId).catch(() => undefined);
      await job.ended;
    }
    this.disposed = true;
    this.clearIdle();
    const w = this.worker;
    this.worker = null;
    if (w) await RetrainHost.endWorker(w, this.opts.endGraceMs ?? 10_000);
    for (const p of this.pending.values()) p.reject(new Error('retraining has been shut down'));
    this.pending.clear();
  }

  private get grace(): number {
    return this.opts.cancelGraceMs ?? 15_000;
  }

  private async exclusive(step: () => Promise<RetrainJobStatus>): Promise<RetrainJobStatus> {
    await this.settled();
    if (this.job) throw new Error(`a retraining job is running (${this.job.jobId}); wait for it to finish or cancel it first`);
    if (this.starting) throw new Error('a retraining job is being started; wait for it or cancel it first');
    this.starting = true;
    try {
      const elsewhere = (await this.list()).find((j) => isRunningPhase(j.phase));
      if (elsewhere) throw new Error(`retraining job ${elsewhere.jobId} is running in another Hark process (${elsewhere.phase}); wait for it to finish`);
      return await step();
    } finally {
      this.starting = false;
    }
  }

  /**
   * Posts the run and resolves at the job's first status (it is running), or rejects when the run
   * ends before reporting one (e.g. a job that is already done).
   */
  private run(jobId: string): Promise<RetrainJobStatus> {
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const job: Running = { jobId, last: null, cancelling: false, graceTimer: null, onStatus: () => {}, ended, markEnded };
    this.job = job;
    return new Promise<RetrainJobStatus>((resolve, reject) => {
      let started = false;
      const first = (s: RetrainJobStatus) => {
        if (!started) {
          started = true;
          resolve(s);
        }
      };
      job.onStatus = first;
      this.call({ kind: 'run', jobsDir: this.opts.jobsDir, jobId, modelsDir: this.opts.modelsDir }).then(
        (final) => {
          this.endJob(job, final as RetrainJobStatus);
          first(final as RetrainJobStatus);
        },
        (e: Error) => {
          const last = job.last;
          if (last) {
            // It had started: cancelled (the job wrote 'interrupted'), or its worker died. Resumable.
            const interrupted: RetrainJobStatus = last.phase === 'interrupted' ? last : {
              ...last, phase: 'interrupted', etaSec: null, updatedAt: new Date().toISOString(),
              message: job.cancelling ? 'cancelled: resume to continue from the last checkpoint' : `interrupted (${e.message}): resume to continue`,
            };
            if (interrupted !== last) this.opts.onStatus(interrupted);
            this.endJob(job, interrupted);
          } else {
            this.endJob(job, null);
          }
          if (!started) {
            started = true;
            reject(e);
          }
        },
      );
    });
  }

  private endJob(job: Running, final: RetrainJobStatus | null): void {
    if (job.graceTimer) clearTimeout(job.graceTimer);
    job.markEnded();
    if (this.job !== job) return;
    this.job = null;
    if (final) {
      job.last = final;
      this.opts.onEnd?.(final);
    }
    this.scheduleIdle();
  }

  private call(m: CallWithoutId): Promise<unknown> {
    if (this.disposed) return Promise.reject(new Error('retraining has been shut down'));
    this.clearIdle();
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    worker.postMessage({ ...m, id });
    return reply.finally(() => this.scheduleIdle());
  }

  private spawn(): Worker {
    const worker = new Worker(this.opts.workerUrl ?? retrainWorkerUrl());
    this.worker = worker;
    worker.on('message', (m: RetrainWorkerToHost) => {
      if (m.kind === 'status') {
        const job = this.job;
        if (job && job.jobId === m.status.jobId) {
          job.last = m.status;
          job.onStatus(m.status);
        }
        this.opts.onStatus(m.status);
      } else if (m.kind === 'log') {
        this.opts.log?.(m.line);
      } else if (m.kind === 'result') {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new RetrainError(m.error.name, m.error.message));
      }
    });
    const died = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const err = new Error(`the retraining worker stopped (${reason})`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', (e: unknown) => died(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return worker;
  }

  /**
   * Asks an idle worker to end by itself and waits for it; terminates it only when it is still
   * there after `graceMs` (terminating a thread inside onnxruntime aborts the process).
   */
  private static async endWorker(w: Worker, graceMs: number): Promise<void> {
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    try {
      w.postMessage({ kind: 'close' } satisfies HostToRetrainWorker);
    } catch {
      // already gone
    }
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), graceMs); })]);
    clearTimeout(timer);
    if (late) await w.terminate();
  }

  private scheduleIdle(): void {
    this.clearIdle();
    if (this.disposed || this.job || this.pending.size > 0 || !this.worker) return;
    this.idleTimer = setTimeout(() => {
      if (this.job || this.pending.size > 0 || !this.worker) return;
      const w = this.worker;
      this.worker = null;
      void RetrainHost.endWorker(w, this.opts.endGraceMs ?? 10_000);
    }, this.opts.idleExitMs ?? 20_000);
    this.idleTimer.unref?.();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
