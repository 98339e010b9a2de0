/**
 * Averaging the weights of a run's last epochs (`hark adapt --average-epochs N`).
 *
 * At a small, decaying learning rate the epochs of one run wander around the same minimum, and
 * their mean often sits nearer its centre than any one of them (checkpoint averaging, as in
 * Polyak averaging and SWA). The run keeps the weights of its last N measured epochs in
 * `<out>/epochs/epoch-<n>/` (checkpoint format, weights only; n counts from 1), and at export the
 * mean of those ending at the last measured epoch is measured on the validation slice: it is
 * exported when it beats every single epoch there.
 */
import { readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint, type NamedArray } from './checkpoint.ts';

export const EPOCHS_DIR = 'epochs';

/** The folder of epoch `n`'s snapshot (1-based: the number of epochs finished). */
export function epochSnapshotDir(outDir: string, n: number): string {
  return join(outDir, EPOCHS_DIR, `epoch-${n}`);
}

/**
 * The element-wise mean of several sets of the same tensors (same count, names and shapes, in the
 * same order), summed in float64. Throws on any mismatch, naming it.
 */
export function averageWeights(sets: readonly (readonly NamedArray[])[]): NamedArray[] {
  if (sets.length === 0) throw new Error('averageWeights: no weight sets to average');
  const first = sets[0];
  sets.forEach((s, k) => {
    if (s.length !== first.length) throw new Error(`averageWeights: set ${k} has ${s.length} tensors, set 0 has ${first.length}`);
    s.forEach((t, i) => {
      const f = first[i];
      if (t.name !== f.name || t.shape.join('x') !== f.shape.join('x') || t.data.length !== f.data.length) {
        throw new Error(`averageWeights: tensor ${i} of set ${k} is ${t.name} [${t.shape.join(', ')}], of set 0 ${f.name} [${f.shape.join(', ')}]`);
      }
    });
  });
  return first.map((f, i) => {
    const sum = new Float64Array(f.data.length);
    for (const s of sets) {
      const d = s[i].data;
      for (let k = 0; k < d.length; k++) sum[k] += d[k];
    }
    return { name: f.name, shape: [...f.shape], data: Float32Array.from(sum, (v) => v / sets.length) };
  });
}

/**
 * Which snapshots to average: the `count` epochs ending at `lastEpoch` (1-based), all of which must
 * be available; fewer than two, or a gap, gives [] (nothing to average).
 */
export function epochsToAverage(available: readonly number[], lastEpoch: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2 || lastEpoch < 2) return [];
  const want = Array.from({ length: Math.min(count, lastEpoch) }, (_, k) => lastEpoch - k).reverse();
  const have = new Set(available);
  return want.length >= 2 && want.every((e) => have.has(e)) ? want : [];
}

/** The epoch numbers with a snapshot under `<outDir>/epochs/`. */
export async function snapshotEpochs(outDir: string): Promise<number[]> {
  const dir = join(outDir, EPOCHS_DIR);
  if (!existsSync(dir)) return [];
  const out: number[] = [];
  for (const name of await readdir(dir)) {
    const m = /^epoch-(\d+)$/.exec(name);
    if (m && existsSync(join(dir, name, 'checkpoint.json'))) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/** Writes epoch `n`'s weights and drops the snapshots older than the last `keep`. */
export async function saveEpochSnapshot(outDir: string, n: number, weights: NamedArray[], realValidationPer: number, keep: number): Promise<void> {
  await saveCheckpoint(epochSnapshotDir(outDir, n), { step: 0, epoch: n, batchInEpoch: 0, config: { realValidationPer }, history: [], weights, optimizer: [] });
  for (const e of await snapshotEpochs(outDir)) {
    if (e <= n - keep) await rm(epochSnapshotDir(outDir, e), { recursive: true, force: true });
  }
}

/** The mean weights of the given epochs' snapshots. */
export async function loadAveragedEpochs(outDir: string, epochs: readonly number[]): Promise<NamedArray[]> {
  const sets: NamedArray[][] = [];
  for (const e of epochs) {
    const c = await loadCheckpoint(epochSnapshotDir(outDir, e));
    if (!c) throw new Error(`no snapshot of epoch ${e} in ${join(outDir, EPOCHS_DIR)}`);
    sets.push(c.weights);
  }
  return averageWeights(sets);
}
