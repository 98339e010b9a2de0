/** Shared input/output types of the CTC decoders. */
import type { PhraseRejectionWire, WordWire } from '../../src-shared/ipc/recognition-contract.ts';

/**
 * Acoustic model output: log-probabilities (natural log, log-softmax over units) row-major
 * [T, U], unit 0 = CTC blank (src-shared/units/phonemes.ts), one row every `frameSec` seconds.
 */
export interface Posteriors {
  logprobs: Float32Array;
  T: number;
  U: number;
  frameSec: number;
}

/** One recognized word; times in seconds from the start of the input, confidence in [0, 1]: the wire type itself. */
export type WordResult = WordWire;

/**
 * What every decoder returns. `phrase` is set only in phrase mode (null = rejected); a rejection
 * (text '') says in `rejection` which listed phrase came closest and what the model heard.
 */
export interface DecodeResult {
  text: string;
  words: WordResult[];
  confidence?: number;
  phrase?: string | null;
  rejection?: PhraseRejectionWire;
}

/** Throws a clear error unless `logprobs` holds T*U values with T >= 0 and U >= 2. */
export function checkPosteriors(logprobs: Float32Array, T: number, U: number): void {
  if (!(logprobs instanceof Float32Array)) throw new Error('logprobs must be a Float32Array');
  if (!Number.isInteger(T) || T < 0) throw new Error(`T must be a non-negative integer, got ${T}`);
  if (!Number.isInteger(U) || U < 2) throw new Error(`U must be an integer >= 2, got ${U}`);
  if (logprobs.length !== T * U) throw new Error(`logprobs has ${logprobs.length} values, expected T*U = ${T * U}`);
}

/** Seconds of a frame index, rounded to 0.1 ms so 3 * 0.03 prints as 0.09. */
export function frameTime(frame: number, frameSec: number): number {
  return Math.round(frame * frameSec * 1e4) / 1e4;
}

/**
 * The certainty gate of the phrase decoder and the keyword spotter: how far the geometric-mean
 * best-unit probability over a span (`certainty`) rises above that of flat posteriors (1 / units)
 * towards `minCertainty`, clamped to [0, 1]. Flat or weakly peaked posteriors (noise, silence)
 * close it; it is fully open at and above minCertainty.
 */
export function certaintyGate(certainty: number, minCertainty: number, units: number): number {
  const floor = 1 / units;
  return Math.min(1, Math.max(0, (certainty - floor) / Math.max(1e-9, minCertainty - floor)));
}
