/**
 * Two-stage keyword spotting for a live stream. The streaming spotter (KeywordWarpBank) listens to
 * the LC-BLSTM's chunk posteriors, which see at most a chunk and its look-ahead of the future, with
 * a threshold KEYWORD_CANDIDATE_FACTOR times as lenient as the user's: what it reports is a
 * candidate. Once VERIFY_RIGHT_SEC of audio after a candidate has arrived, the whole-utterance graph
 * (the one finals use, which sees all of it) runs over the candidate with VERIFY_LEFT_SEC before it
 * and that much after, and the keyword spotter at the user's threshold (file mode's, spotKeywords)
 * decides on those posteriors: the candidate is reported (with the verified times and score) only
 * when the same keyword is found there overlapping it.
 *
 * Why: on the real validation slice's keyword stream, file mode (whole-segment posteriors) found
 * 72.9% of the twelve content words at 4.4 false alarms an hour where streaming found 62.5% at the
 * same rate (bench/real-keywords.bench.ts --file-mode, 2026-12-06). The cost is latency: a keyword
 * is reported VERIFY_RIGHT_SEC later, and a short whole-graph run per candidate.
 *
 * The constants were chosen on that stream (48 occurrences, 27 minutes; the user's threshold -0.7,
 * streamed once per setting): candidates at 1.6x the threshold and 0.4 s of right context found
 * 70.8% at 4.4 false alarms an hour; 0.25 s 72.9% at 4.4, 0.6 s 70.8% at 6.6; candidates at 2x
 * 75.0% at 4.4 (with 0.4 s or 0.25 s), at 3x 75.0% at 4.4 too. One occurrence is 2.1 points there.
 *
 * A candidate whose frames have already left the utterance buffer (an endpoint cut came between)
 * is decided on its streaming score at the user's threshold, as a one-stage spotter would.
 */
import type { KeywordHit, KeywordSpotter } from '../decode/keyword-spotter.ts';
import { spotKeywords } from '../decode/keyword-spotter.ts';

/** The streaming (candidate) threshold is the user's times this (more lenient). */
export const KEYWORD_CANDIDATE_FACTOR = 2;
/** Audio before a candidate that the verifying graph reads (seconds). */
export const VERIFY_LEFT_SEC = 1.0;
/** Audio after a candidate that must have arrived before it is verified (seconds). */
export const VERIFY_RIGHT_SEC = 0.25;

/** A window of the current utterance's frames to verify candidates over. */
export interface VerifyWindow { from: number; to: number }

export class KeywordVerifier {
  private pending: KeywordHit[] = [];
  private readonly leftFrames: number;
  private readonly rightFrames: number;

  /**
   * @param strict the spotter at the user's threshold (file mode's)
   * @param frameSec model frame period; @param timeOffsetSec the stream timeline's shift of frame times (frameTimeOffsetSec)
   */
  constructor(private readonly strict: KeywordSpotter, private readonly frameSec: number, private readonly timeOffsetSec: number, rightSec = VERIFY_RIGHT_SEC, leftSec = VERIFY_LEFT_SEC) {
    this.leftFrames = Math.round(leftSec / frameSec);
    this.rightFrames = Math.round(rightSec / frameSec);
  }

  /** Streaming hits to verify. */
  add(hits: readonly KeywordHit[]): void {
    this.pending.push(...hits);
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Frame of the utterance (starting at global frame `uttStart`) where stream time `t` falls. */
  private frameOf(t: number, uttStart: number): number {
    return Math.round((t - this.timeOffsetSec) / this.frameSec) - uttStart;
  }

  /**
   * Decides the candidates whose right context has arrived (all of them when `all`: the utterance
   * ends) over an utterance whose frames [0, held) are buffered from global frame `uttStart`;
   * `posteriors` runs the whole-utterance graph over frames [from, to). Returns the accepted hits,
   * in time order.
   */
  async decide(uttStart: number, held: number, all: boolean, posteriors: (w: VerifyWindow) => Promise<{ logprobs: Float32Array; frames: number; numUnits: number }>): Promise<KeywordHit[]> {
    const out: KeywordHit[] = [];
    const keep: KeywordHit[] = [];
    for (const hit of this.pending) {
      const start = this.frameOf(hit.start, uttStart);
      const end = this.frameOf(hit.end, uttStart);
      if (!all && end + this.rightFrames > held) { keep.push(hit); continue; }
      if (start < 0 || end > held || end <= start) {
        // Its frames are gone (or never came): the streaming score at the user's threshold decides.
        if (this.strict.accepts(hit.keyword, hit.score)) out.push(hit);
        continue;
      }
      const w = { from: Math.max(0, start - this.leftFrames), to: Math.min(held, end + this.rightFrames) };
      const lp = await posteriors(w);
      const shift = (uttStart + w.from) * this.frameSec + this.timeOffsetSec;
      const found = spotKeywords(this.strict, lp.logprobs, lp.frames, lp.numUnits, this.frameSec)
        .map((h) => ({ ...h, start: h.start + shift, end: h.end + shift }))
        .filter((h) => h.keyword === hit.keyword && h.start < hit.end && hit.start < h.end)
        .sort((a, b) => b.score - a.score);
      if (found.length) out.push(found[0]);
    }
    this.pending = keep;
    return out.sort((a, b) => a.start - b.start);
  }

  /** A new stream: nothing pending. */
  reset(): void {
    this.pending = [];
  }
}
