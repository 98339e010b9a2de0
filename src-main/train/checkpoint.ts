/**
 * Training checkpoints: a folder with checkpoint.json (step, epoch, config, tensor index) and
 * checkpoint.bin (model weights then optimizer slots, float32 little-endian). Written to a
 * temporary folder and renamed, so a crash never leaves a half-written checkpoint.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JsonSyntaxError, parseJson } from '../system/parse-json.ts';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface CheckpointState {
  step: number;
  epoch: number;
  /** Batches of `epoch` already done (resume continues after them). */
  batchInEpoch: number;
  config: unknown;
  history: unknown[];
  weights: NamedArray[];
  optimizer: NamedArray[];
  /**
   * Adam's running products beta1^t and beta2^t. tfjs's Adam.setWeights recomputes them as
   * pow(beta, t), which can differ in the last bit from the product the uninterrupted run has
   * accumulated, so a resume restores them as saved (absent in older checkpoints).
   */
  adamBetaPowers?: [number, number];
}

export async function saveCheckpoint(dir: string, state: CheckpointState): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const all = [...state.weights, ...state.optimizer];
  const total = all.reduce((n, a) => n + a.data.length, 0);
  const bin = new Float32Array(total);
  let off = 0;
  const index = all.map((a) => {
    bin.set(a.data, off);
    const entry = { name: a.name, shape: a.shape, offset: off, length: a.data.length };
    off += a.data.length;
    return entry;
  });
  const meta = { ...state, weights: index.slice(0, state.weights.length), optimizer: index.slice(state.weights.length) };
  await writeFile(join(tmp, 'checkpoint.bin'), new Uint8Array(bin.buffer));
  await writeFile(join(tmp, 'checkpoint.json'), JSON.stringify(meta));
  const old = `${dir}.old`;
  await rm(old, { recursive: true, force: true });
  if (existsSync(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

export async function loadCheckpoint(dir: string): Promise<CheckpointState | undefined> {
  // A crash between the two renames leaves only the .old copy: use it.
  const source = existsSync(join(dir, 'checkpoint.json')) ? dir : existsSync(join(`${dir}.old`, 'checkpoint.json')) ? `${dir}.old` : undefined;
  if (!source) return undefined;
  let meta: Omit<CheckpointState, 'weights' | 'optimizer'> & { weights: unknown; optimizer: unknown };
  try {
    meta = parseJson(await readFile(join(source, 'checkpoint.json'), 'utf8')) as typeof meta;
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new Error(`checkpoint ${source}: checkpoint.json is ${e.message}`);
    throw e;
  }
  const buf = await readFile(join(source, 'checkpoint.bin'));
  const bin = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  type Entry = { name: string; shape: number[]; offset: number; length: number };
  const take = (e: Entry): NamedArray => {
    if (e.offset + e.length > bin.length) throw new Error(`checkpoint ${source}: tensor ${e.name} runs past the end of checkpoint.bin`);
    return { name: e.name, shape: e.shape, data: bin.slice(e.offset, e.offset + e.length) };
  };
  return { ...meta, weights: (meta.weights as Entry[]).map(take), optimizer: (meta.optimizer as Entry[]).map(take) };
}
