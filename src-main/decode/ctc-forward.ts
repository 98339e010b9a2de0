import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { logAddExp } from '../math/log-math.ts';

/**
 * CTC forward and Viterbi over one label sequence (Graves et al. 2006, "Connectionist temporal
 * classification", section 4.1): the extended sequence l' = blank, l1, blank, l2, ..., lL, blank;
 * a path may skip a blank between two different labels; it starts in l'(0) or l'(1) and ends in
 * the last label or the final blank. Leading and trailing blanks are therefore always allowed.
 */

/** ln P(labels | logprobs): log-sum over all alignments. -Infinity when T is too short. */
export function ctcForward(lp: Float32Array, T: number, U: number, labels: readonly number[]): number {
  return run(lp, T, U, labels, false).score;
}

/** Frames aligned to one label by the Viterbi path: [first, last] inclusive. */
export interface LabelSpan {
  first: number;
  last: number;
}

/** Best single alignment: its ln score and each label's frame span; null when impossible. */
export function ctcViterbiAlign(lp: Float32Array, T: number, U: number, labels: readonly number[]): { score: number; spans: LabelSpan[] } | null {
  const r = run(lp, T, U, labels, true);
  if (r.score === -Infinity || !r.back) return null;
  const S = 2 * labels.length + 1;
  const spans: LabelSpan[] = labels.map(() => ({ first: -1, last: -1 }));
  let s = r.endState;
  for (let t = T - 1; t >= 0; t--) {
    if (s % 2 === 1) {
      const span = spans[(s - 1) / 2];
      if (span.last < 0) span.last = t;
      span.first = t;
    }
    if (t > 0) s = r.back[t * S + s];
  }
  return { score: r.score, spans };
}

function run(lp: Float32Array, T: number, U: number, labels: readonly number[], viterbi: boolean):
  { score: number; back: Int32Array | null; endState: number } {
  const L = labels.length;
  const S = 2 * L + 1;
  for (const l of labels) {
    if (!Number.isInteger(l) || l <= BLANK_ID || l >= U) throw new Error(`CTC label ${l} out of range 1..${U - 1}`);
  }
  if (T === 0) return { score: L === 0 ? 0 : -Infinity, back: null, endState: 0 };
  const ext = (s: number): number => (s % 2 === 0 ? BLANK_ID : labels[(s - 1) / 2]);
  let prev = new Float64Array(S).fill(-Infinity);
  let cur = new Float64Array(S);
  const back = viterbi ? new Int32Array(T * S) : null;
  prev[0] = lp[BLANK_ID];
  if (S > 1) prev[1] = lp[ext(1)];
  const combine = viterbi ? Math.max : logAddExp;
  for (let t = 1; t < T; t++) {
    const row = t * U;
    for (let s = 0; s < S; s++) {
      let a = prev[s];
      let arg = s;
      if (s >= 1) {
        if (viterbi && prev[s - 1] > a) arg = s - 1;
        a = combine(a, prev[s - 1]);
      }
      if (s >= 2 && s % 2 === 1 && ext(s) !== ext(s - 2)) {
        if (viterbi && prev[s - 2] > a) arg = s - 2;
        a = combine(a, prev[s - 2]);
      }
      cur[s] = a + lp[row + ext(s)];
      if (back) back[t * S + s] = arg;
    }
    [prev, cur] = [cur, prev];
  }
  if (S === 1) return { score: prev[0], back, endState: 0 };
  const last = prev[S - 1];
  const lastLabel = prev[S - 2];
  const endState = lastLabel > last ? S - 2 : S - 1;
  return { score: viterbi ? Math.max(last, lastLabel) : logAddExp(last, lastLabel), back, endState };
}
