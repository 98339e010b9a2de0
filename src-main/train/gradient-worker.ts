/**
 * A gradient worker thread for data-parallel training (batch-shards.ts): holds a replica of the
 * acoustic model, takes the current weights and a shard of the batch, returns the shard's
 * gradients. Messages:
 *   in:  { type: 'init', arch, backend, trainable } | { type: 'step', id, weights, batch }
 *   out: { type: 'ready' } | { type: 'grads', id, result: ShardGradients } | { type: 'error', message }
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from './acoustic-model.ts';
import type { Batch } from './batch.ts';
import { shardGradients } from './batch-shards.ts';
import { initTrainingBackend, type TrainingBackend } from './tf-backend.ts';

const port = parentPort;
if (port) {
  let model: AcousticModel | undefined;
  let trainable: tf.Variable[] = [];
  port.on('message', async (msg: { type: string; [k: string]: unknown }) => {
    try {
      if (msg.type === 'init') {
        await initTrainingBackend({ prefer: msg.backend as TrainingBackend });
        model = new AcousticModel(msg.arch as ArchitectureSpec);
        const vars = model.variables();
        trainable = (msg.trainable as number[]).map((i) => vars[i]);
        port.postMessage({ type: 'ready' });
      } else if (msg.type === 'step') {
        if (!model) throw new Error('gradient worker: step before init');
        const weights = msg.weights as Float32Array[];
        const vars = model.variables();
        if (weights.length !== vars.length) throw new Error(`gradient worker: ${weights.length} weight arrays for ${vars.length} variables`);
        tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
        const result = shardGradients(model, trainable, msg.batch as Batch);
        port.postMessage({ type: 'grads', id: msg.id, result }, result.grads.map((g) => g.buffer as ArrayBuffer));
      }
    } catch (err) {
      port.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
}
