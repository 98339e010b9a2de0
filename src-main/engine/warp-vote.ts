/**
 * Stream-level test-time VTLN: while undecided every final tries all candidate warps, and the one
 * each final chose gets that final's seconds as votes; once `maxProbeSec` seconds have been voted
 * on, the most voted warp is kept for the rest of the stream.
 */
export class WarpVote {
  private votes = new Map<number, number>();
  private probedSec = 0;
  /** The warp kept for the stream, or null while still voting. */
  fixed: number | null = null;

  constructor(private readonly maxProbeSec: number) {}

  /** The warps the next final should try. */
  candidates(all: readonly number[]): readonly number[] {
    return this.fixed !== null ? [this.fixed] : all;
  }

  /** Counts `sec` seconds for `warp` (ignored once a warp is kept). */
  vote(warp: number, sec: number): void {
    if (this.fixed !== null) return;
    this.votes.set(warp, (this.votes.get(warp) ?? 0) + sec);
    this.probedSec += sec;
    if (this.probedSec >= this.maxProbeSec) this.fixed = [...this.votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
  }
}
