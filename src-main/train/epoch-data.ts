/**
 * A BatchSource over a synthesized corpus: the data worker builds freshly augmented examples for
 * each epoch (the next epoch is prepared while the current one trains); batches group similar
 * lengths up to a padded-frame budget.
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { shippedPath } from '../system/app-layout.ts';
import { createRng } from './data/rng.ts';
import { packBatch, planBatches, type Batch, type Example } from './batch.ts';
import type { BatchSource } from './trainer.ts';
import type { ExampleOptions } from './example-builder.ts';
import type { WorkerClip, WorkerExample } from './data-worker.ts';
import { minFramesFor } from './text-labels.ts';

export class EpochData implements BatchSource {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Promise<Example[]>>();
  private readonly collecting = new Map<number, { items: WorkerExample[]; resolve: (e: Example[]) => void; reject: (e: Error) => void }>();
  private ready: Promise<void>;
  /** Examples dropped in the last prepared epoch because their frames could not fit their labels. */
  dropped = 0;

  constructor(
    private readonly clips: readonly WorkerClip[],
    private readonly options: ExampleOptions,
    private readonly dim: number,
    private readonly maxBatchFrames: number,
    private readonly seed: number,
    private readonly log: (line: string) => void = () => {},
  ) {
    // Next to this module: the tsx entry from source, the bundle next to retrain-worker.mjs (bin/build.mjs).
    this.worker = new Worker(pathToFileURL(shippedPath('./data-worker-entry.mjs', import.meta.url)));
    let onReady: () => void = () => {};
    let onFail: (e: Error) => void = () => {};
    this.ready = new Promise((res, rej) => { onReady = res; onFail = rej; });
    this.worker.on('message', (msg: { type: string; epoch?: number; items?: WorkerExample[]; message?: string }) => {
      if (msg.type === 'ready') { this.log(`data worker: ${clips.length} clips loaded`); onReady(); }
      else if (msg.type === 'examples') this.collecting.get(msg.epoch!)?.items.push(...msg.items!);
      else if (msg.type === 'done') {
        const c = this.collecting.get(msg.epoch!);
        this.collecting.delete(msg.epoch!);
        const examples = this.toExamples(c?.items ?? []);
        this.log(`data worker: epoch ${msg.epoch! + 1} prepared (${examples.length} examples, ${this.dropped} too short for their labels)`);
        c?.resolve(examples);
      } else if (msg.type === 'error') {
        const err = new Error(`data worker failed: ${msg.message}`);
        onFail(err);
        for (const c of this.collecting.values()) c.reject(err);
      }
    });
    this.worker.on('error', (e: Error) => { onFail(e); for (const c of this.collecting.values()) c.reject(e); });
    this.worker.postMessage({ type: 'init', clips, options });
  }

  private toExamples(items: WorkerExample[]): Example[] {
    let dropped = 0;
    const out: Example[] = [];
    for (const it of items) {
      const labels = this.clips[it.index].labels;
      if (it.frames < minFramesFor(labels) + 2) { dropped++; continue; }
      out.push({ features: it.features, frames: it.frames, labels, id: String(it.index) });
    }
    this.dropped = dropped;
    return out;
  }

  private request(epoch: number): Promise<Example[]> {
    let p = this.pending.get(epoch);
    if (!p) {
      p = this.ready.then(() => new Promise<Example[]>((resolve, reject) => {
        this.collecting.set(epoch, { items: [], resolve, reject });
        this.worker.postMessage({ type: 'epoch', epoch, seed: this.seed });
      }));
      this.pending.set(epoch, p);
    }
    return p;
  }

  batchesPerEpoch(_epoch: number): number {
    // Known exactly once the epoch is prepared; estimated from the clip count before.
    return this.lastBatchCount ?? 0;
  }

  private lastBatchCount: number | undefined;

  async *batches(epoch: number, skip: number): AsyncIterable<Batch> {
    const examples = await this.request(epoch);
    this.pending.delete(epoch);
    void this.request(epoch + 1);
    const rng = createRng(this.seed * 7919 + epoch);
    const plan = planBatches(examples.map((e) => e.frames), this.maxBatchFrames, rng.shuffle);
    this.lastBatchCount = plan.length;
    for (let b = skip; b < plan.length; b++) yield packBatch(plan[b].map((i) => examples[i]), this.dim);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
