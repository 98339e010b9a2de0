/**
 * Per-weight importance for the retraining anchor (elastic weight consolidation, Kirkpatrick et al.,
 * "Overcoming catastrophic forgetting in neural networks", PNAS 2017): the diagonal of the empirical
 * Fisher information, the mean over real utterances of each weight's squared CTC-loss gradient.
 * Retraining pulls each weight back to the package's value in proportion to it (trainer.ts anchor
 * masks), so the weights that real voices rely on stay put and the others are free to learn the
 * user's words. Computed once per shipped model from the real set's train speakers (`tools/
 * anchor-importance.ts`) and stored in the package as `anchor-importance.bin`.
 *
 * File: "HARKIMP1", a little-endian uint32 length of a JSON header, the header ({ version, model,
 * sizes, lo, hi, floor, cap, clips }), then one byte per weight in the order of
 * AcousticModel.variables(): q in 0..255 stands for exp(lo + q (hi - lo) / 255), importance
 * normalized to mean 1 over all weights and clamped to [floor, cap] before the log.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcousticModel } from './acoustic-model.ts';
import { weightArrays, type AcousticModelWeights } from '../model/weights.ts';
import { ANCHOR_IMPORTANCE_FILE } from '../model/package-files.ts';
import { packBatch, type Example } from './batch.ts';
import { shardGradients } from './batch-shards.ts';

export { ANCHOR_IMPORTANCE_FILE };
const MAGIC = 'HARKIMP1';
/** Importance is clamped to this range around its mean (1) before it is stored. */
export const IMPORTANCE_FLOOR = 1e-3;
export const IMPORTANCE_CAP = 100;

export interface AnchorImportance {
  /** One array per model variable (AcousticModel.variables() order), mean 1 over all weights. */
  values: Float32Array[];
  /** The model it was computed for ("name version"). */
  model: string;
  /** How many utterances the Fisher diagonal averaged. */
  clips: number;
}

/**
 * The diagonal empirical Fisher of `model` on `examples` (one utterance at a time), normalized to
 * mean 1 and clamped to [IMPORTANCE_FLOOR, IMPORTANCE_CAP]. Utterances whose labels cannot fit
 * their frames add nothing.
 */
export function fisherImportance(model: AcousticModel, examples: readonly Example[], dim: number, onProgress?: (done: number) => void): { values: Float32Array[]; clips: number } {
  const vars = model.variables();
  const sums = vars.map((v) => new Float64Array(v.size));
  let counted = 0;
  examples.forEach((e, k) => {
    const g = shardGradients(model, vars, packBatch([e], dim));
    if (g.counted > 0) {
      counted++;
      g.grads.forEach((a, i) => { const s = sums[i]; for (let j = 0; j < a.length; j++) s[j] += a[j] * a[j]; });
    }
    onProgress?.(k + 1);
  });
  if (counted === 0) throw new Error('anchor importance: no utterance could be aligned to its labels');
  return { values: normalizeImportance(sums), clips: counted };
}

/** Scales to mean 1 over all entries, then clamps to [IMPORTANCE_FLOOR, IMPORTANCE_CAP]. */
export function normalizeImportance(raw: readonly ArrayLike<number>[]): Float32Array[] {
  let total = 0, n = 0;
  for (const a of raw) for (let j = 0; j < a.length; j++) { total += a[j]; n++; }
  if (!(total > 0) || !Number.isFinite(total)) throw new Error('anchor importance: every gradient was zero (or not finite)');
  const mean = total / n;
  return raw.map((a) => Float32Array.from(a, (x) => Math.min(IMPORTANCE_CAP, Math.max(IMPORTANCE_FLOOR, x / mean))));
}

/** The file's bytes for `imp` (log-quantized to one byte a weight). */
export function encodeAnchorImportance(imp: AnchorImportance): Uint8Array {
  const lo = Math.log(IMPORTANCE_FLOOR), hi = Math.log(IMPORTANCE_CAP);
  const sizes = imp.values.map((v) => v.length);
  const header = new TextEncoder().encode(JSON.stringify({ version: 1, model: imp.model, sizes, lo, hi, floor: IMPORTANCE_FLOOR, cap: IMPORTANCE_CAP, clips: imp.clips }));
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(MAGIC.length + 4 + header.length + total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  let o = MAGIC.length + 4 + header.length;
  for (const v of imp.values) {
    for (let j = 0; j < v.length; j++) {
      const x = Math.min(hi, Math.max(lo, Math.log(v[j])));
      out[o++] = Math.round(((x - lo) / (hi - lo)) * 255);
    }
  }
  return out;
}

/** Reads the bytes of an anchor-importance file; a damaged file is refused with what is wrong. */
export function decodeAnchorImportance(bytes: Uint8Array, name = ANCHOR_IMPORTANCE_FILE): AnchorImportance {
  const fail = (why: string): never => { throw new Error(`${name}: ${why}`); };
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) fail('not an anchor importance file');
  const hlen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + hlen > bytes.length) fail('its header is cut short');
  let h: { version?: unknown; model?: unknown; sizes?: unknown; lo?: unknown; hi?: unknown; clips?: unknown };
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + hlen)));
  } catch {
    return fail('its header is not JSON');
  }
  const { sizes, lo, hi } = h;
  if (h.version !== 1) fail(`version ${String(h.version)} is not 1`);
  if (!Array.isArray(sizes) || !sizes.every((s) => Number.isInteger(s) && s > 0)) fail('its header has no list of variable sizes');
  if (typeof lo !== 'number' || typeof hi !== 'number' || !(hi > lo)) fail('its header has no valid range');
  const total = (sizes as number[]).reduce((a, b) => a + b, 0);
  const body = bytes.subarray(MAGIC.length + 4 + hlen);
  if (body.length !== total) fail(`it holds ${body.length} weights, its header says ${total}`);
  const step = ((hi as number) - (lo as number)) / 255;
  const table = Float32Array.from({ length: 256 }, (_, q) => Math.exp((lo as number) + q * step));
  let o = 0;
  const values = (sizes as number[]).map((s) => {
    const v = new Float32Array(s);
    for (let j = 0; j < s; j++) v[j] = table[body[o++]];
    return v;
  });
  return { values, model: String(h.model ?? ''), clips: Number(h.clips ?? 0) };
}

/** The sizes of a network's variables in AcousticModel.variables() order, from its weights. */
export function anchorVariableSizes(w: AcousticModelWeights): number[] {
  return weightArrays(w).map((a) => a.length);
}

/**
 * The package's anchor importance, or null when it has none. A file whose variables do not match
 * `sizes` (the package's own weights, AcousticModel.variables() order) is refused.
 */
export async function readAnchorImportance(packageDir: string, sizes: readonly number[]): Promise<AnchorImportance | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(packageDir, ANCHOR_IMPORTANCE_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const imp = decodeAnchorImportance(bytes, join(packageDir, ANCHOR_IMPORTANCE_FILE));
  if (imp.values.length !== sizes.length || imp.values.some((v, i) => v.length !== sizes[i])) {
    throw new Error(`${join(packageDir, ANCHOR_IMPORTANCE_FILE)}: made for another network (${imp.values.length} variables of ${imp.values.map((v) => v.length).join(', ')}; this model's: ${sizes.join(', ')})`);
  }
  return imp;
}
