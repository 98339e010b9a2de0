/**
 * A sliding window over a stream of fixed-width rows: rows [first, end) are stored contiguously
 * in `data` from offset 0. Appending grows the storage geometrically; dropping old rows shifts the
 * rest down, so memory stays bounded by the rows a streaming stage still needs.
 */
export class RowBuffer {
  readonly width: number;
  /** Stored rows; row (first + r) is data[r * width, (r + 1) * width). Valid up to `rows`. */
  data: Float32Array;
  /** Global index of the first stored row. */
  first = 0;
  /** Number of stored rows. */
  rows = 0;

  constructor(width: number, initialRows = 64) {
    this.width = width;
    this.data = new Float32Array(width * initialRows);
  }

  /** Global index one past the last stored row. */
  get end(): number {
    return this.first + this.rows;
  }

  /** Makes room for `count` more rows and returns the offset where they start. */
  reserve(count: number): number {
    const need = (this.rows + count) * this.width;
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.rows * this.width));
      this.data = grown;
    }
    return this.rows * this.width;
  }

  /** Appends `count` rows from src[srcOffset ...]. */
  append(src: Float32Array, srcOffset: number, count: number): void {
    const at = this.reserve(count);
    this.data.set(src.subarray(srcOffset, srcOffset + count * this.width), at);
    this.rows += count;
  }

  /** Forgets rows with global index < `index`. */
  dropBefore(index: number): void {
    const drop = Math.min(this.rows, index - this.first);
    if (drop <= 0) return;
    this.data.copyWithin(0, drop * this.width, this.rows * this.width);
    this.first += drop;
    this.rows -= drop;
  }

  /** Empties the buffer and restarts global indexing at 0. */
  clear(): void {
    this.first = 0;
    this.rows = 0;
  }
}
