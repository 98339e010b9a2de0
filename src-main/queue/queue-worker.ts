/**
 * `hark queue worker`: a BullMQ worker that takes transcription jobs (transcription-job.ts) and
 * writes their outputs. Recognition runs in worker threads (OfflineRecognizerPool, one thread per
 * concurrent job), so this thread stays free to renew job locks however long a file is: a lock
 * that expires means the worker is gone (killed, frozen, cut off), and after `lockMs` another
 * worker's stalled-job check puts the job back for someone else, who produces the same output.
 *
 * Per job: check the data; find the job's model among this worker's (by hash: a worker without
 * it refuses the job, naming what it has); hash the file (a file changed since submit is refused);
 * take the recognition kept for its result key, or claim the key and recognize (queue-results.ts);
 * write the output atomically. Damaged audio, a missing file or model fail at once
 * (UnrecoverableError: one attempt, its error kept); anything else is retried with backoff.
 *
 * Every event is one JSON object on `log`: worker-ready, job-start, job-recognizing, job-done
 * (with per-job timings), job-failed, job-refused, job-waiting (another worker is recognizing the
 * same content), job-stalled, worker-error, worker-closed.
 */
import { hostname } from 'node:os';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AudioDecodeError } from '../audio/index.ts';
import { OfflineRecognizerPool } from '../engine/offline-recognizer-pool.ts';
import type { Recognition } from '../engine/offline-recognizer.ts';
import { describeModelIdentity, type ModelIdentity } from '../model/model-identity.ts';
import { sha256File } from '../system/sha256.ts';
import { BadJobError, canonicalJson, checkJobData, resultKey, type JobRecognizerOptions, type TranscriptionJobData } from './transcription-job.ts';
import { checkQueueName, redisClient } from './queue-connection.ts';
import { QueueResults } from './queue-results.ts';
import { writeJobOutput } from './job-output.ts';

export interface WorkerModel {
  dir: string;
  identity: ModelIdentity;
}

export interface QueueWorkerOptions {
  redisUrl: string;
  queueName: string;
  /** Jobs at once (and recognizer threads). */
  concurrency: number;
  /** The model packages this worker runs; a job naming another is refused. */
  models: readonly WorkerModel[];
  provider: 'cpu' | 'cuda';
  /** Job lock duration; a job whose worker stopped renewing it is taken over after about this long. */
  lockMs: number;
  /** Stop once no job is waiting, delayed or running anywhere. */
  untilEmpty: boolean;
  log: (record: Record<string, unknown>) => void;
}

/** What a completed job returns (kept in Redis with the job). */
export interface JobOutcome {
  output: string;
  bytes: number;
  /** The recognition was one already made for the same content, options and model. */
  cached: boolean;
  audioSec: number;
  warnings: string[];
  worker: string;
  timings: { waitMs: number; hashMs: number; recognizeMs: number; writeMs: number; totalMs: number };
}

/** Recognizer pools by model and options: at most MAX_IDLE_POOLS kept once unused. */
const MAX_IDLE_POOLS = 2;

class RecognizerPools {
  private readonly pools = new Map<string, { pool: Promise<OfflineRecognizerPool>; users: number; used: number }>();
  constructor(private readonly threads: number, private readonly provider: 'cpu' | 'cuda') {}

  async use<T>(model: WorkerModel, options: JobRecognizerOptions, f: (p: OfflineRecognizerPool) => Promise<T>): Promise<T> {
    const key = `${model.identity.sha256}|${canonicalJson(options)}`;
    let e = this.pools.get(key);
    if (!e) {
      const pool = OfflineRecognizerPool.create({ ...options, modelDir: model.dir, provider: this.provider, threads: 1 }, this.threads);
      e = { pool, users: 0, used: 0 };
      this.pools.set(key, e);
      pool.catch(() => this.pools.delete(key));
    }
    e.users++;
    e.used = performance.now();
    try {
      let pool: OfflineRecognizerPool;
      try {
        pool = await e.pool;
      } catch (err) {
        throw new UnrecoverableError(`the recognizer could not start with this job's options: ${(err as Error).message}`);
      }
      return await f(pool);
    } finally {
      e.users--;
      this.trim();
    }
  }

  private trim(): void {
    const idle = [...this.pools].filter(([, e]) => e.users === 0).sort(([, a], [, b]) => a.used - b.used);
    while (idle.length > MAX_IDLE_POOLS) {
      const [key, e] = idle.shift()!;
      this.pools.delete(key);
      void e.pool.then((p) => p.dispose(), () => undefined);
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((e) => e.pool.then((p) => p.dispose(), () => undefined)));
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Jobs that still have to run somewhere (BullMQ's counts). */
export async function pendingJobs(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/**
 * Runs a worker until `stop` is called (or, with untilEmpty, until nothing is left to do);
 * resolves with how many jobs it completed and failed.
 */
export function startQueueWorker(o: QueueWorkerOptions): { done: Promise<{ completed: number; failed: number }>; stop: () => Promise<void> } {
  const name = checkQueueName(o.queueName);
  const workerId = `${hostname()}:${process.pid}`;
  const connection = redisClient(o.redisUrl, 'worker');
  const results = new QueueResults(connection as Redis, name);
  const pools = new RecognizerPools(o.concurrency, o.provider);
  const byHash = new Map(o.models.map((m) => [m.identity.sha256, m]));
  const log = (event: string, fields: Record<string, unknown>) => o.log({ time: new Date().toISOString(), event, queue: name, worker: workerId, ...fields });
  let completed = 0;
  let failed = 0;
  let running = 0;

  const processor = async (job: Job, token?: string): Promise<JobOutcome> => {
    const started = Date.now();
    running++;
    try {
      let d: TranscriptionJobData;
      try {
        d = checkJobData(job.data);
      } catch (e) {
        throw new UnrecoverableError((e as BadJobError).message);
      }
      log('job-start', { job: job.id, file: d.file, attempt: job.attemptsMade + 1 });
      const model = byHash.get(d.model.sha256);
      if (!model) {
        const has = o.models.map((m) => describeModelIdentity(m.identity)).join(', ') || 'none';
        const reason = `this worker (${workerId}) has no model ${describeModelIdentity(d.model)}; it has ${has}. Install that version where the worker runs (hark models import DIR) or start the worker with --model DIR`;
        log('job-refused', { job: job.id, file: d.file, reason });
        throw new UnrecoverableError(reason);
      }
      const t0 = performance.now();
      let sha: string;
      try {
        sha = await sha256File(d.file);
      } catch (e) {
        throw new UnrecoverableError(`cannot read ${d.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): every worker must see the file at the path it was submitted with`);
      }
      if (sha !== d.contentSha256) throw new UnrecoverableError(`${d.file} changed since it was submitted: submit it again`);
      const t1 = performance.now();
      const key = resultKey(d);
      let rec: Recognition | null = await results.get(key);
      const cached = rec !== null;
      if (!rec) {
        const claim = await results.claim(key, `${workerId}:${String(job.id)}`, Math.max(2 * o.lockMs, 2000));
        if (!claim) {
          // Another job of the same content, options and model is being recognized: come back for its result.
          log('job-waiting', { job: job.id, file: d.file });
          await job.moveToDelayed(Date.now() + 500, token);
          throw new DelayedError();
        }
        try {
          rec = await results.get(key);
          if (!rec) {
            await job.updateProgress(10);
            rec = await pools.use(model, d.options, (p) => {
              log('job-recognizing', { job: job.id, file: d.file, model: describeModelIdentity(model.identity) });
              return p.recognizeFile(d.file);
            }).catch((e: unknown) => {
              if (e instanceof AudioDecodeError) throw new UnrecoverableError(e.reason);
              throw e;
            });
            await results.put(key, rec);
          }
        } finally {
          await claim.release();
        }
      }
      const t2 = performance.now();
      await job.updateProgress(90);
      const bytes = await writeJobOutput(d, rec);
      const t3 = performance.now();
      const ms = (x: number) => Math.round(x * 10) / 10;
      return {
        output: d.output, bytes, cached, audioSec: rec.durationSec, warnings: rec.warnings ?? [], worker: workerId,
        timings: { waitMs: Math.max(0, started - job.timestamp), hashMs: ms(t1 - t0), recognizeMs: ms(t2 - t1), writeMs: ms(t3 - t2), totalMs: ms(Date.now() - started) },
      };
    } finally {
      running--;
    }
  };

  const worker = new Worker(name, processor, {
    connection, concurrency: o.concurrency, autorun: false,
    lockDuration: o.lockMs, stalledInterval: o.lockMs, maxStalledCount: 2,
    // Finished jobs are kept (BullMQ's default): they make resubmits no-ops and `status` reads their
    // timings, until `hark queue clean`.
  });
  worker.on('completed', (job: Job, r: JobOutcome) => {
    completed++;
    log('job-done', { job: job.id, file: (job.data as TranscriptionJobData).file, output: r.output, cached: r.cached, audioSec: r.audioSec, attempt: job.attemptsMade, ...(r.warnings.length ? { warnings: r.warnings } : {}), timings: r.timings });
  });
  worker.on('failed', (job: Job | undefined, err: Error) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) failed++;
    log('job-failed', { job: job.id, file: (job.data as Partial<TranscriptionJobData>).file, error: err.message, attempt: job.attemptsMade, final });
  });
  worker.on('stalled', (jobId: string) => log('job-stalled', { job: jobId }));
  worker.on('error', (err: Error) => log('worker-error', { error: err.message }));

  const queue = new Queue(name, { connection });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await worker.close();
      await pools.dispose();
      await queue.close();
      connection.disconnect();
    })();
    return stopping;
  };
  const done = (async () => {
    log('worker-ready', { concurrency: o.concurrency, models: o.models.map((m) => ({ ...m.identity, dir: m.dir })), lockMs: o.lockMs });
    const run = worker.run();
    if (o.untilEmpty) {
      // Polls: a job of a killed worker counts as running until its lock expires and it is taken over.
      while (!stopping) {
        await sleep(500);
        if (running === 0 && !stopping && (await pendingJobs(queue).catch(() => 1)) === 0) {
          await stop();
          break;
        }
      }
    }
    await run;
    await stop();
    log('worker-closed', { completed, failed });
    return { completed, failed };
  })();
  return { done, stop };
}
