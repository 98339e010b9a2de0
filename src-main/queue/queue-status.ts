/**
 * `hark queue status`: what a queue holds now. Counts are BullMQ's; throughput is the jobs
 * finished in the last minute (BullMQ's completed set is ordered by finish time), the ETA what
 * is left at that rate; timings are the means over the latest finished jobs (JobOutcome.timings).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobOutcome } from './queue-worker.ts';
import type { TranscriptionJobData } from './transcription-job.ts';

export interface QueueStatus {
  queue: string;
  counts: { waiting: number; active: number; delayed: number; completed: number; failed: number };
  /** Completed jobs per second over the last minute (or since the first of them finished). */
  throughputPerSec: number;
  /** Seconds until waiting, delayed and active jobs are done at that rate; null when nothing is finishing. */
  etaSec: number | null;
  /** Means over the latest finished jobs (up to TIMING_SAMPLE), ms; null when none. */
  timings: { jobs: number; cached: number; audioSec: number; waitMs: number; hashMs: number; recognizeMs: number; writeMs: number; totalMs: number } | null;
  active: { job: string; file: string; progress: number; runningSec: number }[];
  /** The latest failures (up to FAILURE_SAMPLE), with their error. */
  failures: { job: string; file: string; error: string; attempts: number }[];
}

const TIMING_SAMPLE = 100;
const FAILURE_SAMPLE = 20;
const WINDOW_MS = 60_000;

export async function queueStatus(queue: Queue, client: Redis): Promise<QueueStatus> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  const counts = { waiting: c.waiting + c.prioritized, active: c.active, delayed: c.delayed, completed: c.completed, failed: c.failed };
  const now = Date.now();
  const recent = await client.zrangebyscore(queue.keys.completed, now - WINDOW_MS, '+inf', 'WITHSCORES', 'LIMIT', 0, 1);
  const inWindow = await client.zcount(queue.keys.completed, now - WINDOW_MS, '+inf');
  const first = recent.length === 2 ? Number(recent[1]) : now;
  const spanSec = Math.max(1, (now - Math.min(first, now - 1000)) / 1000);
  const throughputPerSec = inWindow / Math.max(spanSec, inWindow > 1 ? 1 : WINDOW_MS / 1000);
  const left = counts.waiting + counts.delayed + counts.active;
  const etaSec = left === 0 ? 0 : throughputPerSec > 0 ? left / throughputPerSec : null;

  const done = (await queue.getJobs(['completed'], 0, TIMING_SAMPLE - 1)).filter((j) => j?.returnvalue);
  const sum = { jobs: 0, cached: 0, audioSec: 0, waitMs: 0, hashMs: 0, recognizeMs: 0, writeMs: 0, totalMs: 0 };
  for (const j of done) {
    const r = j.returnvalue as JobOutcome;
    if (!r.timings) continue;
    sum.jobs++;
    sum.cached += r.cached ? 1 : 0;
    sum.audioSec += r.audioSec;
    for (const k of ['waitMs', 'hashMs', 'recognizeMs', 'writeMs', 'totalMs'] as const) sum[k] += r.timings[k];
  }
  const mean = (x: number) => Math.round((x / sum.jobs) * 10) / 10;
  const timings = sum.jobs === 0 ? null : {
    jobs: sum.jobs, cached: sum.cached, audioSec: mean(sum.audioSec),
    waitMs: mean(sum.waitMs), hashMs: mean(sum.hashMs), recognizeMs: mean(sum.recognizeMs), writeMs: mean(sum.writeMs), totalMs: mean(sum.totalMs),
  };
  const file = (d: unknown) => String((d as Partial<TranscriptionJobData>)?.file ?? '?');
  const active = (await queue.getJobs(['active'], 0, 99)).filter(Boolean).map((j) => ({
    job: String(j.id), file: file(j.data), progress: typeof j.progress === 'number' ? j.progress : 0, runningSec: Math.round((now - (j.processedOn ?? now)) / 100) / 10,
  }));
  const failures = (await queue.getJobs(['failed'], 0, FAILURE_SAMPLE - 1)).filter(Boolean).map((j) => ({
    job: String(j.id), file: file(j.data), error: j.failedReason, attempts: j.attemptsMade,
  }));
  return { queue: queue.name, counts, throughputPerSec: Math.round(throughputPerSec * 1000) / 1000, etaSec: etaSec === null ? null : Math.round(etaSec), timings, active, failures };
}
