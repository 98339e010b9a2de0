/**
 * Training examples and batches. A batch is time-major and padded with zeros to its longest
 * sequence; sequences are grouped by length so that padding stays small.
 */
import type { DropoutSpec } from './dropout.ts';

export interface Example {
  /** Model frames [frames, dim] row-major (normalized, stacked). */
  features: Float32Array;
  frames: number;
  /** Target unit ids (no blanks). */
  labels: number[];
  id?: string;
}

export interface Batch {
  /** [T, B, dim] time-major, zero-padded. */
  x: Float32Array;
  T: number;
  B: number;
  dim: number;
  lengths: number[];
  labels: number[][];
  /** Training noise: dropout with one seed per sequence (dropout.ts); set by the trainer per step. */
  dropout?: DropoutSpec;
}

/** Packs examples into one time-major batch. */
export function packBatch(examples: readonly Example[], dim: number): Batch {
  const B = examples.length;
  const T = Math.max(...examples.map((e) => e.frames));
  const x = new Float32Array(T * B * dim);
  examples.forEach((e, b) => {
    if (e.features.length !== e.frames * dim) throw new Error(`example ${e.id ?? b}: ${e.features.length} values for ${e.frames} frames of ${dim}`);
    for (let t = 0; t < e.frames; t++) x.set(e.features.subarray(t * dim, (t + 1) * dim), (t * B + b) * dim);
  });
  return { x, T, B, dim, lengths: examples.map((e) => e.frames), labels: examples.map((e) => e.labels) };
}

/**
 * Groups example indices into batches of at most `maxFrames` padded frames (T * B), similar
 * lengths together, batch order shuffled by `shuffle` (a permutation function of the caller's RNG).
 */
export function planBatches(frames: readonly number[], maxFrames: number, shuffle: <T>(xs: T[]) => T[]): number[][] {
  const order = shuffle(frames.map((_, i) => i));
  // Sort a shuffled order by length: equal lengths end up in random order.
  order.sort((a, b) => frames[a] - frames[b]);
  const batches: number[][] = [];
  let cur: number[] = [];
  let curMax = 0;
  for (const i of order) {
    const m = Math.max(curMax, frames[i]);
    if (cur.length > 0 && m * (cur.length + 1) > maxFrames) {
      batches.push(cur);
      cur = [];
    }
    cur.push(i);
    curMax = cur.length === 1 ? frames[i] : m;
  }
  if (cur.length) batches.push(cur);
  return shuffle(batches);
}
