import * as tf from '@tensorflow/tfjs';

/**
 * Scales all gradients by min(1, maxNorm / globalNorm), where globalNorm is the L2 norm of all
 * gradients together (Pascanu et al. 2013, as tf.clip_by_global_norm). Returns the clipped
 * gradients (new tensors; the inputs are disposed) and the norm before clipping.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: number } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => Math.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))).dataSync()[0]));
  if (!Number.isFinite(norm)) {
    tf.dispose(Object.values(grads));
    throw new Error(`gradient norm is ${norm}: the loss diverged`);
  }
  const scale = norm > maxNorm ? maxNorm / norm : 1;
  if (scale === 1) return { grads, norm };
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n], scale);
  tf.dispose(Object.values(grads));
  return { grads: out, norm };
}
