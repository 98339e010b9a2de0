import type { FileJobEvent, FileJobState, FileResult, WordWire } from '../../src-shared/ipc/app-contract.ts';

/** What the Files screen knows about one transcription job. */
export interface FileJob {
  jobId: string;
  name: string;
  state: FileJobState;
  /** 0..1 while running, 1 when done. */
  progress: number;
  etaSec: number | null;
  /** Transcript so far while running. */
  partialText: string;
  result: FileResult | null;
  error: string | null;
}

/**
 * The file queue as data: job records updated from 'files:event' in arrival order. Events of a
 * job the user removed are ignored (the backend may still be finishing it). DOM-free.
 */
export class FileJobList {
  readonly jobs = new Map<string, FileJob>();
  private readonly removed = new Set<string>();

  /** Records a job announced by files:add (its 'queued' event may come before or after). */
  add(jobId: string, name: string): FileJob | null {
    if (this.removed.has(jobId)) return null;
    let job = this.jobs.get(jobId);
    if (!job) this.jobs.set(jobId, (job = { jobId, name, state: 'queued', progress: 0, etaSec: null, partialText: '', result: null, error: null }));
    return job;
  }

  /** Applies an event; returns the updated job, or null when the job was removed. */
  apply(e: FileJobEvent): FileJob | null {
    const job = this.add(e.jobId, e.name);
    if (!job) return null;
    // A finished job stays finished (a late 'running' progress event must not revive it).
    if (isFinished(job.state) && e.state !== job.state) return job;
    job.state = e.state;
    if (e.state === 'running') {
      job.progress = Math.max(0, Math.min(1, e.progress));
      job.etaSec = e.etaSec;
      job.partialText = e.text;
    } else if (e.state === 'done') {
      job.progress = 1;
      job.etaSec = null;
      job.result = e.result;
    } else if (e.state === 'error') {
      job.error = withoutFileName(e.error, job.name);
    }
    return job;
  }

  /** Forgets a job for good. */
  remove(jobId: string): void {
    this.jobs.delete(jobId);
    this.removed.add(jobId);
  }
}

/** Whether a job will not change any more. */
export function isFinished(state: FileJobState): boolean {
  return state === 'done' || state === 'error' || state === 'canceled';
}

/** Index of the word being spoken at `timeSec` (start <= t < end), or -1; `words` sorted by start. */
export function wordIndexAt(words: readonly WordWire[], timeSec: number): number {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid].start <= timeSec) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && timeSec < words[found].end ? found : -1;
}

/**
 * A job's error without the file name (or path) that the decoder puts in front of it
 * ("notes.wav: not an audio file…" -> "not an audio file…"): the row and the toast name the file
 * once themselves.
 */
export function withoutFileName(error: string, name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return error.replace(new RegExp(`^(?:.*?[\\\\/])?${escaped}: `), '');
}
