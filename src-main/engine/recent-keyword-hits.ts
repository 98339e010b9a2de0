/**
 * The keyword hits reported lately, so that one occurrence heard under several spectral warps (the
 * online recognizer spots keywords in each warp's posteriors) is reported once: a hit that overlaps
 * a remembered hit of the same keyword in time is a repeat. Only the last `capacity` hits are
 * remembered: warps hear an occurrence within a chunk or two of each other.
 */
export class RecentKeywordHits {
  private hits: { keyword: string; start: number; end: number }[] = [];

  constructor(private readonly capacity = 32) {}

  /** True (and remembered) when the hit is new; false when it repeats a remembered one. Times in seconds. */
  accept(keyword: string, start: number, end: number): boolean {
    if (this.hits.some((r) => r.keyword === keyword && r.start < end && start < r.end)) return false;
    this.hits.push({ keyword, start, end });
    if (this.hits.length > this.capacity) this.hits.splice(0, this.hits.length - this.capacity);
    return true;
  }

  clear(): void {
    this.hits = [];
  }
}
