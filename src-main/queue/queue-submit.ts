/**
 * `hark queue submit`: one BullMQ job per input file (transcription-job.ts). Each file is hashed
 * here (its content decides what counts as a duplicate); a job whose id is already in the queue
 * (waiting, running, done or failed and not yet cleaned) is not added again.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { sha256File } from '../system/sha256.ts';
import type { ModelIdentity } from '../model/model-identity.ts';
import type { DictationFormatting, OutputFormat } from '../engine/transcript-formats.ts';
import { JOB_DATA_VERSION, jobIdOf, type JobRecognizerOptions, type TranscriptionJobData } from './transcription-job.ts';
import type { QueueInput } from './queue-inputs.ts';
import { TRANSCRIBE_JOB } from './queue-connection.ts';

/** Retries of a job that failed for a reason that may pass (a worker crash, a full disk); damaged audio and a missing model fail at once. */
export const JOB_ATTEMPTS = 3;
const ADD_BATCH = 1000;
const HASH_CONCURRENCY = 4;

export interface SubmitOptions {
  model: ModelIdentity;
  options: JobRecognizerOptions;
  format: OutputFormat;
  formatting: DictationFormatting | null;
  /** BullMQ priority: 1 is the highest, larger numbers wait; 0 or absent: none (first in, first out). */
  priority?: number;
}

export interface SubmitSummary {
  /** Jobs added. */
  queued: number;
  /** Inputs whose job was already in the queue. */
  duplicates: number;
  /** Inputs that could not be read here, with the reason (nothing was queued for them). */
  unreadable: { file: string; error: string }[];
  seconds: number;
}

/** Runs `f` over `items`, `n` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

/** Adds a job for every input not queued yet; `progress` is told how many inputs were handled so far. */
export async function submitJobs(queue: Queue, redis: Redis, inputs: readonly QueueInput[], o: SubmitOptions, progress?: (done: number) => void): Promise<SubmitSummary> {
  const t0 = performance.now();
  const summary: SubmitSummary = { queued: 0, duplicates: 0, unreadable: [], seconds: 0 };
  for (let at = 0; at < inputs.length; at += ADD_BATCH) {
    const batch = inputs.slice(at, at + ADD_BATCH);
    const hashed = await mapLimited(batch, HASH_CONCURRENCY, async (i) => {
      try {
        return { i, sha: await sha256File(i.file) };
      } catch (e) {
        summary.unreadable.push({ file: i.file, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
        return null;
      }
    });
    const jobs = hashed.filter((h) => h !== null).map(({ i, sha }) => {
      const data: TranscriptionJobData = {
        v: JOB_DATA_VERSION, file: i.file, contentSha256: sha, model: o.model, options: o.options,
        format: o.format, formatting: o.formatting, output: i.output,
      };
      return { data, id: jobIdOf(data) };
    });
    // Two inputs of one batch with one id (the same file twice) count once.
    const fresh = new Map<string, TranscriptionJobData>();
    const pipe = redis.pipeline();
    for (const j of jobs) pipe.exists(queue.toKey(j.id));
    const exists = (await pipe.exec()) ?? [];
    jobs.forEach((j, k) => {
      if (exists[k]?.[1] === 1 || fresh.has(j.id)) summary.duplicates++;
      else fresh.set(j.id, j.data);
    });
    await queue.addBulk([...fresh].map(([jobId, data]) => ({
      name: TRANSCRIBE_JOB, data,
      opts: {
        jobId, attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 },
        ...(o.priority ? { priority: o.priority } : {}),
      },
    })));
    summary.queued += fresh.size;
    progress?.(Math.min(inputs.length, at + ADD_BATCH));
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}
