/**
 * Whole-file recognition on several cores: worker threads (offline-recognizer-worker.ts), each with
 * its own OfflineRecognizer built from the same plain-data options, one file per worker at a time.
 * `recognizeFile` has OfflineRecognizer's contract (same result, same AudioDecodeError), whichever
 * worker runs it. A worker that dies (process.exit, an uncaught exception, out of memory) fails only
 * the file it held, with RecognizerWorkerCrash, and is replaced; the queue goes on.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AudioDecodeError } from '../audio/index.ts';
import { shippedPath } from '../system/app-layout.ts';
import type { Recognition } from './offline-recognizer.ts';
import type { PoolRecognizerOptions, PoolReply, PoolRequest, WireError } from './offline-recognizer-worker.ts';

export type { PoolRecognizerOptions } from './offline-recognizer-worker.ts';

/** The worker script next to this module: the tsx entry from source, the bundle's worker when bundled. */
export function recognizerWorkerUrl(from: string | URL = import.meta.url): URL {
  return pathToFileURL(shippedPath('./offline-recognizer-worker-entry.mjs', from));
}

/** The file a worker was recognizing when the worker died. */
export class RecognizerWorkerCrash extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`the recognition worker crashed on this file (${reason}); a new worker took its place`);
    this.name = 'RecognizerWorkerCrash';
  }
}

interface Job {
  file: string;
  resolve: (r: Recognition) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Sent 'close'. */
  closing: boolean;
}

/** The error a worker reported, rebuilt with its class where callers test for it (AudioDecodeError). */
function fromWire(e: WireError, file?: string): Error {
  if (e.name === 'AudioDecodeError' && e.reason !== undefined && file !== undefined) return new AudioDecodeError(file, e.reason);
  return Object.assign(new Error(e.message), { name: e.name });
}

export class OfflineRecognizerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private closed = false;
  /** Set when no worker is left and none can be started: every later file fails with it. */
  private broken: Error | null = null;

  private constructor(private readonly options: PoolRecognizerOptions, private readonly workerUrl: URL) {}

  /**
   * Starts `workers` threads and resolves once the first has loaded the model (the others join
   * as they get ready); when the first to finish starting failed (a missing or mismatched model,
   * an unreadable LM: every worker would) the pool is closed and its error thrown. A later worker
   * that cannot start leaves the pool smaller, or, when none is left, fails the queued files.
   * `options.threads` defaults to 1: the cores go to the workers, not to onnxruntime's intra-op pool.
   */
  static async create(options: PoolRecognizerOptions, workers: number, workerUrl: URL = recognizerWorkerUrl()): Promise<OfflineRecognizerPool> {
    if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`workers must be a positive integer, got ${workers}`);
    const pool = new OfflineRecognizerPool({ threads: 1, ...options }, workerUrl);
    const starts = Array.from({ length: workers }, () => pool.spawn());
    for (const s of starts) s.catch((e: Error) => pool.startFailed(e));
    try {
      await Promise.race(starts);
    } catch (e) {
      await pool.dispose();
      throw e;
    }
    return pool;
  }

  /** Workers alive now. */
  get size(): number {
    return this.slots.size;
  }

  /** Recognizes one file on the next free worker (OfflineRecognizer.recognizeFile). */
  recognizeFile(file: string): Promise<Recognition> {
    if (this.closed) return Promise.reject(new Error('the recognizer pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ file, resolve, reject });
      this.pump();
    });
  }

  /**
   * Queued files fail; each worker releases its session and ends once idle (one still starting or
   * recognizing is not cut off inside onnxruntime), or is stopped after 10 s.
   */
  async dispose(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the recognizer pool is closed'));
    await Promise.all([...this.slots].map((s) => new Promise<void>((resolve) => {
      s.worker.once('exit', () => resolve());
      this.closeIfIdle(s);
      setTimeout(() => void s.worker.terminate(), 10_000).unref();
    })));
  }

  private closeIfIdle(slot: Slot): void {
    if (!slot.ready || slot.job || slot.closing) return;
    slot.closing = true;
    slot.worker.postMessage({ type: 'close' } satisfies PoolRequest);
  }

  private pump(): void {
    if (this.closed) {
      for (const slot of this.slots) this.closeIfIdle(slot);
      return;
    }
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      slot.job = this.queue.shift()!;
      slot.worker.postMessage({ type: 'recognize', file: slot.job.file } satisfies PoolRequest);
    }
  }

  /** Starts one worker; resolves when its recognizer is built. */
  private spawn(): Promise<void> {
    const worker = new Worker(this.workerUrl, { workerData: { options: this.options } });
    const slot: Slot = { worker, ready: false, job: null, closing: false };
    this.slots.add(slot);
    return new Promise((resolve, reject) => {
      let crash: string | undefined;
      let startError: Error | undefined;
      worker.on('message', (m: PoolReply) => {
        if (m.type === 'ready') {
          slot.ready = true;
          resolve();
          this.pump();
        } else if (m.type === 'start-failed') {
          startError = fromWire(m.error);
          void worker.terminate();
        } else {
          const job = slot.job;
          slot.job = null;
          if (job) {
            if (m.type === 'done') job.resolve(m.recognition);
            else job.reject(fromWire(m.error, job.file));
          }
          this.pump();
        }
      });
      worker.on('error', (e: Error) => { crash ??= `${e.name}: ${e.message}`; });
      worker.on('exit', (code) => {
        this.slots.delete(slot);
        const cause = crash ?? `exit code ${code}`;
        if (!slot.ready) reject(startError ?? new Error(`the recognition worker could not start (${cause})`));
        if (slot.job) slot.job.reject(new RecognizerWorkerCrash(slot.job.file, cause));
        if (this.closed || !slot.ready) return;
        this.spawn().catch((e: Error) => this.startFailed(e));
      });
    });
  }

  /** A worker could not start: the others carry on with the queue; with none left, it fails. */
  private startFailed(e: Error): void {
    if (this.closed || this.slots.size > 0) return;
    this.broken = e;
    for (const job of this.queue.splice(0)) job.reject(e);
  }
}
