/**
 * CTC loss and its gradient for one sequence, by the forward-backward algorithm in log space.
 * ref: Graves et al., "Connectionist Temporal Classification", ICML 2006, sections 4.1-4.2.
 *
 * Input: unnormalized scores (logits) [T, U] row-major for the valid frames of one sequence;
 * the loss is -log p(labels | x) with p from a softmax over each frame. The returned gradient is
 * d loss / d logits [T, U]: softmax(logits) - (1/p) * sum over states s with label k of alpha*beta.
 * An impossible alignment (T too short for the labels) gives loss = +Infinity and a zero gradient.
 */
import { logAddExp } from '../math/log-math.ts';

const NEG_INF = -Infinity;

export interface CtcResult {
  loss: number;
  /** d loss / d logits, [T, U] row-major. */
  grad: Float64Array;
}

/** Log-softmax of each row of `logits` [T, U] (offset `offset`, row stride `stride`) in Float64. */
export function logSoftmaxRows(logits: ArrayLike<number>, T: number, U: number, offset = 0, stride = U): Float64Array {
  const out = new Float64Array(T * U);
  for (let t = 0; t < T; t++) {
    const base = offset + t * stride;
    let max = NEG_INF;
    for (let k = 0; k < U; k++) max = Math.max(max, logits[base + k]);
    let sum = 0;
    for (let k = 0; k < U; k++) sum += Math.exp(logits[base + k] - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < U; k++) out[t * U + k] = logits[base + k] - lse;
  }
  return out;
}

/**
 * @param logProbs log-softmax outputs [T, U]
 * @param labels target unit ids, none equal to `blank`
 */
export function ctcForwardBackward(logProbs: Float64Array, T: number, U: number, labels: readonly number[], blank = 0): CtcResult {
  const L = labels.length;
  const S = 2 * L + 1;
  // Extended label sequence: blank, l1, blank, l2, ..., lL, blank.
  const ext = new Int32Array(S);
  for (let s = 0; s < S; s++) ext[s] = s % 2 === 0 ? blank : labels[(s - 1) / 2];
  for (const l of labels) if (l === blank || l < 0 || l >= U) throw new Error(`CTC label ${l} is out of range or the blank`);
  const grad = new Float64Array(T * U);
  if (T === 0) return { loss: L === 0 ? 0 : Infinity, grad };
  // A label may skip the blank before it unless it repeats the previous label.
  const canSkip = new Uint8Array(S);
  for (let s = 2; s < S; s++) canSkip[s] = ext[s] !== blank && ext[s] !== ext[s - 2] ? 1 : 0;

  const alpha = new Float64Array(T * S).fill(NEG_INF);
  const beta = new Float64Array(T * S).fill(NEG_INF);
  alpha[0] = logProbs[ext[0]];
  if (S > 1) alpha[1] = logProbs[ext[1]];
  for (let t = 1; t < T; t++) {
    const row = t * S, prev = (t - 1) * S, lp = t * U;
    for (let s = 0; s < S; s++) {
      let a = alpha[prev + s];
      if (s >= 1) a = logAddExp(a, alpha[prev + s - 1]);
      if (canSkip[s]) a = logAddExp(a, alpha[prev + s - 2]);
      alpha[row + s] = a === NEG_INF ? NEG_INF : a + logProbs[lp + ext[s]];
    }
  }
  const last = (T - 1) * S;
  beta[last + S - 1] = logProbs[(T - 1) * U + ext[S - 1]];
  if (S > 1) beta[last + S - 2] = logProbs[(T - 1) * U + ext[S - 2]];
  for (let t = T - 2; t >= 0; t--) {
    const row = t * S, next = (t + 1) * S, lp = t * U;
    for (let s = 0; s < S; s++) {
      let b = beta[next + s];
      if (s + 1 < S) b = logAddExp(b, beta[next + s + 1]);
      if (s + 2 < S && canSkip[s + 2]) b = logAddExp(b, beta[next + s + 2]);
      beta[row + s] = b === NEG_INF ? NEG_INF : b + logProbs[lp + ext[s]];
    }
  }
  const logP = S > 1 ? logAddExp(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last];
  if (logP === NEG_INF) return { loss: Infinity, grad };

  // alpha_t(s) * beta_t(s) counts y_t(ext[s]) twice: divide it out once; occ[k] is then
  // log(p * posterior that frame t emits k), and d loss / d logit = y - posterior (Graves eq. 16).
  const occ = new Float64Array(U);
  for (let t = 0; t < T; t++) {
    occ.fill(NEG_INF);
    const row = t * S, lp = t * U;
    for (let s = 0; s < S; s++) {
      const ab = alpha[row + s] + beta[row + s];
      if (ab !== NEG_INF) occ[ext[s]] = logAddExp(occ[ext[s]], ab - logProbs[lp + ext[s]]);
    }
    for (let k = 0; k < U; k++) {
      const post = occ[k] === NEG_INF ? 0 : Math.exp(occ[k] - logP);
      grad[lp + k] = Math.exp(logProbs[lp + k]) - post;
    }
  }
  return { loss: -logP, grad };
}
