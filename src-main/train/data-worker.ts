/**
 * The training data worker: holds the clean clips in memory and builds each epoch's augmented
 * examples on the second core while the main thread trains. Messages:
 *   in:  { type: 'init', clips: WorkerClip[], options } | { type: 'epoch', epoch, seed }
 *   out: { type: 'ready' } | { type: 'examples', epoch, items } (chunks) | { type: 'done', epoch } | { type: 'error', message }
 */
import { parentPort } from 'node:worker_threads';
import { decodeAudioFile } from '../audio/index.ts';
import { createRng } from './data/rng.ts';
import { buildFeatures, type ExampleOptions } from './example-builder.ts';

export interface WorkerClip {
  path: string;
  labels: number[];
}

export interface WorkerExample {
  index: number;
  features: Float32Array;
  frames: number;
}

/** Seed of example `index` in `epoch`: every epoch augments every clip differently. */
export function exampleSeed(seed: number, epoch: number, index: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

const port = parentPort;
if (port) {
  let clips: Float32Array[] = [];
  let options: ExampleOptions | undefined;
  port.on('message', async (msg: { type: string; [k: string]: unknown }) => {
    try {
      if (msg.type === 'init') {
        const list = msg.clips as WorkerClip[];
        options = msg.options as ExampleOptions;
        clips = [];
        for (const c of list) clips.push((await decodeAudioFile(c.path)).samples);
        port.postMessage({ type: 'ready' });
      } else if (msg.type === 'epoch') {
        if (!options) throw new Error('data worker: epoch requested before init');
        const epoch = msg.epoch as number, seed = msg.seed as number;
        let items: WorkerExample[] = [];
        const flush = () => {
          port.postMessage({ type: 'examples', epoch, items }, items.map((x) => x.features.buffer as ArrayBuffer));
          items = [];
        };
        for (let i = 0; i < clips.length; i++) {
          const m = buildFeatures(clips[i], options, createRng(exampleSeed(seed, epoch, i)));
          items.push({ index: i, features: m.data, frames: m.frames });
          if (items.length >= 256) flush();
        }
        flush();
        port.postMessage({ type: 'done', epoch });
      }
    } catch (err) {
      port.postMessage({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
}
