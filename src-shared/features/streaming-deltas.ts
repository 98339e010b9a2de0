import { baseDim, type FeatureConfig } from './config.ts';
import { regressionDeltas } from './deltas.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { RowBuffer } from './row-buffer.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Streaming addDeltas: MFCC rows in, [c, d1, ..., dK] rows (baseDim) out, identical bit for bit
 * to addDeltas on the concatenated input. Order k at frame s needs order k - 1 up to s + N, so
 * output lags the input by K * N frames (4 with the defaults) until flush(), which replicates the
 * last frame as the right edge.
 */
export class StreamingDeltas {
  private readonly cfg: FeatureConfig;
  private readonly dim: number;
  private readonly buf: RowBuffer;
  /** levelDone[k]: frames [0, levelDone[k]) have order-k values stored (index 0 = MFCC). */
  private readonly levelDone: number[];
  private emitted = 0;
  private finished = false;

  constructor(cfg: FeatureConfig) {
    validateFeatureConfig(cfg);
    this.cfg = { ...cfg };
    this.dim = baseDim(cfg);
    this.buf = new RowBuffer(this.dim);
    this.levelDone = new Array<number>(cfg.deltaOrder + 1).fill(0);
  }

  /** Output rows emitted so far. */
  get framesEmitted(): number {
    return this.emitted;
  }

  /** Adds MFCC rows (dim numMfcc); returns the rows that became complete. */
  push(mfcc: FeatureMatrix): FeatureMatrix {
    if (this.finished) throw new Error('StreamingDeltas.push: called after flush(); call reset() first');
    assertMatrix(mfcc, 'StreamingDeltas.push input', this.cfg.numMfcc);
    const d = this.cfg.numMfcc;
    const at = this.buf.reserve(mfcc.frames);
    for (let r = 0; r < mfcc.frames; r++) this.buf.data.set(mfcc.data.subarray(r * d, (r + 1) * d), at + r * this.dim);
    this.buf.rows += mfcc.frames;
    this.levelDone[0] = this.buf.end;
    return this.advance(false);
  }

  /** Ends the stream: returns the remaining rows, computed with the right edge replicated. */
  flush(): FeatureMatrix {
    if (this.finished) return createMatrix(0, this.dim);
    this.finished = true;
    return this.advance(true);
  }

  /** Forgets everything; the next push starts a new stream. */
  reset(): void {
    this.buf.clear();
    this.levelDone.fill(0);
    this.emitted = 0;
    this.finished = false;
  }

  private advance(final: boolean): FeatureMatrix {
    const have = this.buf.end;
    const n = this.cfg.deltaWindow;
    const d = this.cfg.numMfcc;
    for (let k = 1; k <= this.cfg.deltaOrder; k++) {
      const target = final ? have : Math.max(0, have - k * n);
      const from = this.levelDone[k];
      if (target <= from) continue;
      const first = this.buf.first;
      const dstOffset = (from - first) * this.dim;
      regressionDeltas(this.buf.data, first, this.dim, (k - 1) * d, d,
        this.buf.data.subarray(dstOffset), this.dim, k * d, from, target, have - 1, n);
      this.levelDone[k] = target;
    }
    const ready = this.levelDone[this.cfg.deltaOrder];
    const count = ready - this.emitted;
    const out = createMatrix(count, this.dim);
    const start = (this.emitted - this.buf.first) * this.dim;
    out.data.set(this.buf.data.subarray(start, start + count * this.dim));
    this.emitted = ready;
    // Future reads reach back at most N frames before the first frame not yet emitted.
    this.buf.dropBefore(Math.max(0, this.emitted - n));
    return out;
  }
}
