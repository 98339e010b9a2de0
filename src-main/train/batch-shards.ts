/**
 * Data-parallel training on several threads: a batch is split by sequence into shards, each
 * thread computes the CTC gradient of its shard, and the shard gradients are combined into the
 * gradient of the whole batch. The CTC loss is a mean over the sequences whose labels fit their
 * frames, so shard i (mean over c_i such sequences) is weighted by c_i / sum(c): the result is
 * the whole batch's gradient up to floating-point summation order (padding never reaches a valid
 * frame: the recurrent layers run within each sequence's length; dropout masks follow each
 * sequence's own seed, dropout.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { AcousticModel } from './acoustic-model.ts';
import type { Batch } from './batch.ts';
import { ctcLoss, type CtcBatchStats } from './ctc-loss.ts';

/**
 * Splits a batch into at most `n` shards, sequence b going to shard b mod n (batches hold
 * sequences of similar length, so the shards cost about the same). Empty shards are left out.
 */
export function splitBatch(batch: Batch, n: number): Batch[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`splitBatch: ${n} shards`);
  const shards: Batch[] = [];
  for (let k = 0; k < Math.min(n, batch.B); k++) {
    const members: number[] = [];
    for (let b = k; b < batch.B; b += n) members.push(b);
    const B = members.length, dim = batch.dim;
    const lengths = members.map((b) => batch.lengths[b]);
    const T = Math.max(...lengths);
    const x = new Float32Array(T * B * dim);
    members.forEach((src, dst) => {
      for (let t = 0; t < lengths[dst]; t++) x.set(batch.x.subarray((t * batch.B + src) * dim, (t * batch.B + src + 1) * dim), (t * B + dst) * dim);
    });
    const dropout = batch.dropout && { rate: batch.dropout.rate, seeds: members.map((b) => batch.dropout!.seeds[b]) };
    shards.push({ x, T, B, dim, lengths, labels: members.map((b) => batch.labels[b]), ...(dropout ? { dropout } : {}) });
  }
  return shards;
}

/** One shard's mean CTC loss gradient with respect to `vars`, and the counts that weight it. */
export interface ShardGradients {
  /** One array per variable, in the order given. */
  grads: Float32Array[];
  lossSum: number;
  /** Sequences whose loss counts (labels fit their frames). */
  counted: number;
  impossible: number;
}

export function shardGradients(model: AcousticModel, vars: readonly tf.Variable[], batch: Batch): ShardGradients {
  const stats: CtcBatchStats = { lossSum: 0, impossible: 0 };
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [batch.T, batch.B, batch.dim]);
    return ctcLoss(model.forward(x, batch.lengths, batch.dropout), batch.labels, batch.lengths, 0, stats);
  }), [...vars]);
  value.dispose();
  // Own copies (a backend may hand out its storage): they are transferred between threads.
  const out = vars.map((v) => new Float32Array(grads[v.name].dataSync() as Float32Array));
  tf.dispose(Object.values(grads));
  return { grads: out, lossSum: stats.lossSum, counted: batch.B - stats.impossible, impossible: stats.impossible };
}

/** Two shards' gradients as one shard's (each a mean over its counted sequences, so weighted by them). */
export function mergeShardGradients(a: ShardGradients, b: ShardGradients): ShardGradients {
  const counted = a.counted + b.counted;
  const wa = counted > 0 ? a.counted / counted : 0, wb = counted > 0 ? b.counted / counted : 0;
  const grads = a.grads.map((g, i) => {
    const h = b.grads[i];
    if (h.length !== g.length) throw new Error(`mergeShardGradients: gradient ${i} has ${g.length} and ${h.length} values`);
    const out = new Float32Array(g.length);
    for (let j = 0; j < g.length; j++) out[j] = wa * g[j] + wb * h[j];
    return out;
  });
  return { grads, lossSum: a.lossSum + b.lossSum, counted, impossible: a.impossible + b.impossible };
}

/**
 * The whole batch's gradient (mean over all counted sequences) from its shards' gradients, as
 * tensors named after `vars`, with the combined loss statistics.
 */
export function combineShards(shards: readonly ShardGradients[], vars: readonly tf.Variable[]): { grads: tf.NamedTensorMap; lossSum: number; counted: number; impossible: number } {
  const counted = shards.reduce((s, g) => s + g.counted, 0);
  const grads: tf.NamedTensorMap = {};
  vars.forEach((v, i) => {
    const sum = new Float32Array(v.size);
    if (counted > 0) {
      for (const s of shards) {
        if (s.grads[i].length !== v.size) throw new Error(`shard gradient ${i} has ${s.grads[i].length} values, ${v.name} ${v.size}`);
        const w = s.counted / counted;
        if (w === 0) continue;
        const g = s.grads[i];
        for (let j = 0; j < sum.length; j++) sum[j] += w * g[j];
      }
    }
    grads[v.name] = tf.tensor(sum, v.shape);
  });
  return { grads, lossSum: shards.reduce((s, g) => s + g.lossSum, 0), counted, impossible: shards.reduce((s, g) => s + g.impossible, 0) };
}
