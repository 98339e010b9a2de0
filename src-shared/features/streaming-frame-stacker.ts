import type { FeatureConfig } from './config.ts';
import { assertMatrix, createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { RowBuffer } from './row-buffer.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Streaming stackAndSubsample: base rows in, model frames out as soon as their last stacked row
 * has arrived (no padding, so flush() emits nothing new). The subsampling phase is counted from
 * the first row after construction or reset(). Keeps at most stack + subsample rows.
 */
export class StreamingFrameStacker {
  private readonly stack: number;
  private readonly subsample: number;
  private readonly dim: number;
  private readonly buf: RowBuffer;
  private emitted = 0;

  /** `dim` is the width of the incoming rows (baseDim for the standard pipeline). */
  constructor(cfg: FeatureConfig, dim: number) {
    validateFeatureConfig(cfg);
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`StreamingFrameStacker: dim must be a positive integer, got ${dim}`);
    this.stack = cfg.stack;
    this.subsample = cfg.subsample;
    this.dim = dim;
    this.buf = new RowBuffer(dim, cfg.stack + cfg.subsample + 16);
  }

  /** Model frames emitted so far. */
  get framesEmitted(): number {
    return this.emitted;
  }

  /** Adds base rows; returns the model frames completed by them. */
  push(base: FeatureMatrix): FeatureMatrix {
    assertMatrix(base, 'StreamingFrameStacker.push input', this.dim);
    this.buf.append(base.data, 0, base.frames);
    const rowLen = this.dim * this.stack;
    const end = this.buf.end;
    let ready = 0;
    while ((this.emitted + ready) * this.subsample + this.stack <= end) ready++;
    const out = createMatrix(ready, rowLen);
    for (let r = 0; r < ready; r++) {
      const first = (this.emitted + r) * this.subsample;
      const start = (first - this.buf.first) * this.dim;
      out.data.set(this.buf.data.subarray(start, start + rowLen), r * rowLen);
    }
    this.emitted += ready;
    this.buf.dropBefore(this.emitted * this.subsample);
    return out;
  }

  /** End of stream: trailing rows that cannot fill a stack are dropped (as in stackAndSubsample). */
  flush(): FeatureMatrix {
    return createMatrix(0, this.dim * this.stack);
  }

  /** Forgets everything; the next push starts a new stream (phase 0). */
  reset(): void {
    this.buf.clear();
    this.emitted = 0;
  }
}
