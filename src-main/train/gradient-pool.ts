/**
 * Gradient worker threads for data-parallel training: the main thread computes one shard of each
 * batch while every worker computes another (batch-shards.ts), so training uses every core it is
 * given. Workers receive the current weights with each shard: after the optimizer's step they are
 * the only state that changes. So a worker that dies (tfjs WASM aborts when its heap is exhausted,
 * which a wide network reaches after some hundred steps: the heap only grows) is replaced by a
 * fresh one that computes the same shard again, with the same result: training goes on, exactly.
 * A shard that a fresh worker cannot compute either (a deep network's longest batches: a 4 x 256
 * run died so on 2026-12-06) is split in two by sequence, each half computed on a fresh worker in
 * turn (and split again if need be), and the halves' gradients merged by the sequences each
 * counts: the same gradient up to the order of summation.
 */
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import type { Batch } from './batch.ts';
import { mergeShardGradients, splitBatch, type ShardGradients } from './batch-shards.ts';
import type { TrainingBackend } from './tf-backend.ts';

interface Pending {
  resolve: (r: ShardGradients) => void;
  reject: (e: Error) => void;
}

class GradientWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  readonly ready: Promise<void>;

  constructor(arch: ArchitectureSpec, backend: TrainingBackend, trainable: number[]) {
    this.worker = new Worker(new URL('./gradient-worker-entry.mjs', import.meta.url));
    let onReady: () => void = () => {};
    let onFail: (e: Error) => void = () => {};
    this.ready = new Promise((res, rej) => { onReady = res; onFail = rej; });
    // A failure before anyone awaits `ready` must not become an unhandled rejection.
    this.ready.catch(() => {});
    const fail = (e: Error) => {
      this.failure ??= e;
      onFail(e);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('message', (msg: { type: string; id?: number; result?: ShardGradients; message?: string }) => {
      if (msg.type === 'ready') onReady();
      else if (msg.type === 'grads') {
        const p = this.pending.get(msg.id!);
        this.pending.delete(msg.id!);
        p?.resolve(msg.result!);
      } else if (msg.type === 'error') fail(new Error(`gradient worker failed: ${msg.message}`));
    });
    this.worker.on('error', (e: Error) => fail(new Error(`gradient worker failed: ${e.message}`)));
    this.worker.on('exit', (code) => { if (code !== 0) fail(new Error(`gradient worker exited with code ${code}`)); });
    this.worker.postMessage({ type: 'init', arch, backend, trainable });
  }

  gradients(weights: readonly Float32Array[], batch: Batch): Promise<ShardGradients> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'step', id, weights, batch }, [batch.x.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('gradient worker closed');
    await this.worker.terminate();
  }

  /** Ends the thread without marking the worker closed: pending and later steps fail as after a crash. */
  async terminateThread(): Promise<void> {
    await this.worker.terminate();
  }
}

export class GradientPool {
  private readonly workers: GradientWorker[];
  private closed = false;
  /** Workers replaced after dying (see the file comment). */
  restarts = 0;
  private failAboveForTest = Infinity;

  /**
   * @param trainable indices (AcousticModel.variables() order) of the variables to differentiate
   * @param onRestart told why a worker was replaced
   */
  constructor(
    count: number,
    private readonly arch: ArchitectureSpec,
    private readonly backend: TrainingBackend,
    private readonly trainable: number[],
    private readonly onRestart: (reason: string) => void = (r) => console.warn(`hark: gradient worker restarted: ${r}`),
  ) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`gradient workers: ${count}`);
    this.workers = Array.from({ length: count }, () => new GradientWorker(arch, backend, trainable));
  }

  get size(): number {
    return this.workers.length;
  }

  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /**
   * Starts shard k on worker k with the variables' current values; returns the promises at once
   * so that the caller can compute its own shard meanwhile. Each shard's x buffer is transferred.
   */
  start(vars: readonly tf.Variable[], shards: readonly Batch[]): Promise<ShardGradients>[] {
    if (shards.length > this.workers.length) throw new Error(`${shards.length} shards for ${this.workers.length} gradient workers`);
    const weights = vars.map((v) => v.dataSync() as Float32Array);
    return shards.map((s, k) => this.shard(k, weights, s));
  }

  /**
   * Shard `batch` on worker k. A worker that dies is replaced and the shard computed again; when the
   * fresh worker dies on it too (`retryWhole` false), the shard is split in two and each half
   * computed the same way, down to single sequences (whose failure is the run's).
   */
  private async shard(k: number, weights: readonly Float32Array[], batch: Batch, retryWhole = true): Promise<ShardGradients> {
    // The x buffer is transferred to the worker: keep a copy for another try.
    const again: Batch = { ...batch, x: batch.x.slice() };
    try {
      if (batch.B > this.failAboveForTest) throw new Error(`gradient worker failed: simulated for a shard of ${batch.B} sequences`);
      return await this.workers[k].gradients(weights, batch);
    } catch (e) {
      if (this.closed) throw e;
      this.onRestart((e as Error).message.split('\n')[0]);
      this.restarts++;
      await this.workers[k].close().catch(() => undefined);
      this.workers[k] = new GradientWorker(this.arch, this.backend, this.trainable);
      await this.workers[k].ready;
      if (!retryWhole && again.B < 2) throw e;
    }
    if (retryWhole) return this.shard(k, weights, again, false);
    const [a, b] = splitBatch(again, 2);
    return mergeShardGradients(await this.shard(k, weights, a, false), await this.shard(k, weights, b, false));
  }

  /** Fault injection for tests: shards of more than `sequences` sequences fail as a dying worker's do. */
  failShardsAboveForTest(sequences: number): void {
    this.failAboveForTest = sequences;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }

  /** Ends worker k's thread as a crash would (tests of the replacement). */
  async killWorkerForTest(k: number): Promise<void> {
    await this.workers[k].terminateThread();
  }
}
