/**
 * CTC loss as a tfjs op with a custom gradient (tfjs has no CTC). The forward-backward runs in
 * plain Float64 JavaScript (ctc-forward-backward.ts); the gradient is handed back to tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { ctcForwardBackward, logSoftmaxRows } from './ctc-forward-backward.ts';

export interface CtcBatchStats {
  /** Sum of per-sequence losses over sequences with a finite loss. */
  lossSum: number;
  /** Sequences whose labels cannot fit their frames (loss infinite); they contribute no gradient. */
  impossible: number;
}

/**
 * Mean CTC loss over the batch, differentiable with respect to `logits`.
 * @param logits time-major [T, B, U] unnormalized scores (softmax is applied inside)
 * @param labels per sequence target unit ids (no blanks)
 * @param lengths per sequence number of valid frames (frames past it get zero gradient)
 * @param stats filled with batch statistics when given
 */
export function ctcLoss(logits: tf.Tensor3D, labels: readonly (readonly number[])[], lengths: readonly number[], blank = 0, stats?: CtcBatchStats): tf.Scalar {
  const [T, B, U] = logits.shape;
  if (labels.length !== B || lengths.length !== B) throw new Error(`ctcLoss: batch ${B} but ${labels.length} label sequences and ${lengths.length} lengths`);
  const op = tf.customGrad(((x: tf.Tensor) => {
    const values = x.dataSync();
    const grad = new Float32Array(T * B * U);
    let lossSum = 0, impossible = 0, counted = 0;
    for (let b = 0; b < B; b++) {
      const len = lengths[b];
      if (len > T || len < 0) throw new Error(`ctcLoss: length ${len} outside [0, ${T}]`);
      // Rows of sequence b are strided by B*U in the time-major layout.
      const lp = logSoftmaxRows(values, len, U, b * U, B * U);
      const r = ctcForwardBackward(lp, len, U, labels[b], blank);
      if (!Number.isFinite(r.loss)) { impossible++; continue; }
      lossSum += r.loss;
      counted++;
      for (let t = 0; t < len; t++) {
        const dst = t * B * U + b * U, src = t * U;
        for (let k = 0; k < U; k++) grad[dst + k] = r.grad[src + k];
      }
    }
    if (stats) { stats.lossSum = lossSum; stats.impossible = impossible; }
    const scale = counted > 0 ? 1 / counted : 0;
    for (let i = 0; i < grad.length; i++) grad[i] *= scale;
    const value = tf.scalar(lossSum * scale);
    return { value, gradFunc: (dy: tf.Tensor) => [tf.mul(dy, tf.tensor3d(grad, [T, B, U]))] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(logits) as tf.Scalar;
}
