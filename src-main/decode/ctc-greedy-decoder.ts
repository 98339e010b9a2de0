import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { checkPosteriors } from './decode-types.ts';

/**
 * Best-path CTC decoding: argmax unit per frame, repeats collapsed, blanks dropped.
 * Resumable: feed frames in any chunking and the result is the same as one pass.
 */
export interface GreedyState {
  /** Argmax unit of the last frame seen (BLANK_ID before the first frame). */
  last: number;
  /** Frames consumed so far. */
  frames: number;
  /** Emitted unit ids. */
  units: number[];
  /** frames[i] = frame index (from the start of the input) where units[i] was first emitted. */
  unitFrames: number[];
  /** Sum over frames of the best unit's log-probability: the best path score (natural log). */
  score: number;
}

export function createGreedyState(): GreedyState {
  return { last: BLANK_ID, frames: 0, units: [], unitFrames: [], score: 0 };
}

/** Consumes T frames of [T, U] log-probabilities; mutates and returns `state`. */
export function greedyAdvance(state: GreedyState, logprobs: Float32Array, T: number, U: number): GreedyState {
  checkPosteriors(logprobs, T, U);
  for (let t = 0; t < T; t++) {
    const row = t * U;
    let arg = 0;
    for (let u = 1; u < U; u++) if (logprobs[row + u] > logprobs[row + arg]) arg = u;
    state.score += logprobs[row + arg];
    if (arg !== BLANK_ID && arg !== state.last) {
      state.units.push(arg);
      state.unitFrames.push(state.frames + t);
    }
    state.last = arg;
  }
  state.frames += T;
  return state;
}

/** One-pass greedy decoding: unit ids and the frame index where each was emitted. */
export function greedyDecode(logprobs: Float32Array, T: number, U: number): { units: number[]; frames: number[]; score: number } {
  const s = greedyAdvance(createGreedyState(), logprobs, T, U);
  return { units: s.units, frames: s.unitFrames, score: s.score };
}
