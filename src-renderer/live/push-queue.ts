import type { FeatureRows } from './live-features.ts';

/** Sends one batch of rows; resolves when the recognizer has taken it. */
export type SendRows = (rows: FeatureRows) => Promise<unknown>;

/**
 * Keeps pushes to the recognizer strictly sequential: one push in flight at a time; rows that
 * arrive meanwhile are held and sent together (concatenated, warped rows alongside) as the next
 * push, so nothing is dropped or reordered and a slow recognizer gets fewer, larger pushes.
 * A push never exceeds `maxValues` values in `data` (the contract's per-message limit); a larger
 * backlog goes out in several pushes. After a failed push the queue stops (`failed`), drops what it
 * holds and reports the error once through `onError`.
 */
export class PushQueue {
  private pending: FeatureRows[] = [];
  private inFlight: Promise<void> | null = null;
  private error: unknown = null;

  constructor(
    private readonly send: SendRows,
    private readonly onError: (error: unknown) => void,
    private readonly rowWidth: number,
    private readonly maxValues: number,
  ) {}

  /** True once a push has failed; later rows are ignored. */
  get failed(): boolean {
    return this.error !== null;
  }

  /** Rows waiting behind the push in flight. */
  get pendingRows(): number {
    return this.pending.reduce((n, r) => n + r.data.length / this.rowWidth, 0);
  }

  /** Queues rows (sent at once when nothing is in flight). */
  add(rows: FeatureRows): void {
    if (this.failed || rows.data.length === 0) return;
    this.pending.push(rows);
    if (!this.inFlight) this.inFlight = this.pump();
  }

  /** Resolves once everything queued so far has been sent (or the queue failed). */
  async drain(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.failed) {
        const batch = takeRows(this.pending, Math.max(1, Math.floor(this.maxValues / this.rowWidth)) * this.rowWidth);
        try {
          await this.send(batch);
        } catch (e) {
          this.error = e;
          this.pending = [];
          this.onError(e);
        }
      }
    } finally {
      this.inFlight = null;
    }
  }
}

/**
 * Removes up to `maxValues` values of rows from the front of `queue` (splitting a part when
 * needed) and returns them as one FeatureRows. Parts must agree on whether they carry warped rows.
 */
export function takeRows(queue: FeatureRows[], maxValues: number): FeatureRows {
  let total = 0;
  let parts = 0;
  while (parts < queue.length && total + queue[parts].data.length <= maxValues) total += queue[parts++].data.length;
  if (parts === 0) {
    // The first part alone is too big: split it.
    const head = queue[0];
    const cut = (a: Float32Array) => a.subarray(0, maxValues);
    const rest = (a: Float32Array) => a.subarray(maxValues);
    queue[0] = head.warped ? { data: rest(head.data), warped: head.warped.map(rest) } : { data: rest(head.data) };
    return head.warped ? { data: cut(head.data), warped: head.warped.map(cut) } : { data: cut(head.data) };
  }
  const taken = queue.splice(0, parts);
  if (taken.length === 1) return taken[0];
  const join = (arrays: Float32Array[]) => {
    const out = new Float32Array(total);
    let o = 0;
    for (const a of arrays) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  const data = join(taken.map((t) => t.data));
  const warps = taken[0].warped?.length ?? 0;
  if (warps === 0) return { data };
  const warped: Float32Array[] = [];
  for (let w = 0; w < warps; w++) warped.push(join(taken.map((t) => t.warped![w])));
  return { data, warped };
}
