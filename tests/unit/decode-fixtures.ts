/** Hand-built CTC posteriors for decoder tests (not a test file). */
import { BLANK_ID, UNITS, phonemeId } from '../../src-shared/units/phonemes.ts';

export const U = UNITS.length;

/** Deterministic uniform [0, 1) generator (LCG). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface BuiltPosteriors {
  lp: Float32Array;
  T: number;
  /** For each phoneme of each word: [firstFrame, lastFrame] where it peaks. */
  spans: { word: string; first: number; last: number }[];
}

/**
 * Peaky posteriors for a sequence of words given as phoneme lists: `lead` blank frames, then per
 * phoneme `perPhone` frames peaking (probability `peak`) on it followed by `gap` blank frames,
 * `wordGap` extra blank frames between words, `tail` blank frames at the end. The remaining
 * mass of each frame is spread over the other units with random weights (seeded).
 */
export function buildPosteriors(
  words: { word: string; phones: string[] }[],
  o: { perPhone?: number; gap?: number; wordGap?: number; lead?: number; tail?: number; peak?: number; seed?: number } = {},
): BuiltPosteriors {
  const perPhone = o.perPhone ?? 2;
  const gap = o.gap ?? 1;
  const wordGap = o.wordGap ?? 2;
  const peak = o.peak ?? 0.9;
  const next = rng(o.seed ?? 1);
  const frames: number[] = [];
  const spans: BuiltPosteriors['spans'] = [];
  for (let i = 0; i < (o.lead ?? 3); i++) frames.push(BLANK_ID);
  words.forEach((w, wi) => {
    if (wi > 0) for (let i = 0; i < wordGap; i++) frames.push(BLANK_ID);
    let first = -1;
    let last = -1;
    for (const p of w.phones) {
      const id = phonemeId(p);
      if (first < 0) first = frames.length;
      for (let i = 0; i < perPhone; i++) frames.push(id);
      last = frames.length - 1;
      for (let i = 0; i < gap; i++) frames.push(BLANK_ID);
    }
    spans.push({ word: w.word, first, last });
  });
  for (let i = 0; i < (o.tail ?? 3); i++) frames.push(BLANK_ID);
  return { lp: framesToLogprobs(frames, peak, next), T: frames.length, spans };
}

/** Log-posteriors peaking on the given unit per frame; the rest of the mass spread randomly. */
export function framesToLogprobs(frames: number[], peak: number, next: () => number): Float32Array {
  const lp = new Float32Array(frames.length * U);
  frames.forEach((unit, t) => {
    const w = Array.from({ length: U }, (_, u) => (u === unit ? 0 : 0.2 + next()));
    const z = w.reduce((a, b) => a + b, 0);
    for (let u = 0; u < U; u++) lp[t * U + u] = Math.log(u === unit ? peak : ((1 - peak) * w[u]) / z);
  });
  return lp;
}

/** Random posteriors: each frame a softmax of uniform noise times `sharpness`. */
export function noisePosteriors(T: number, sharpness: number, seed: number): Float32Array {
  const next = rng(seed);
  const lp = new Float32Array(T * U);
  for (let t = 0; t < T; t++) {
    const x = Array.from({ length: U }, () => next() * sharpness);
    const m = Math.max(...x);
    const z = Math.log(x.reduce((a, v) => a + Math.exp(v - m), 0)) + m;
    for (let u = 0; u < U; u++) lp[t * U + u] = x[u] - z;
  }
  return lp;
}
