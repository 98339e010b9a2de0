/** One block of captured audio with its level, as posted by the capture worklet. */
export interface AudioBlock {
  /** Mono PCM in [-1, 1] at the capture rate; exactly `blockSamples` long. */
  samples: Float32Array;
  /** Largest |sample| of the block. */
  peak: number;
  /** Root mean square of the block. */
  rms: number;
}

/**
 * Joins audio render quanta (128 samples in an AudioWorklet, but any length is accepted) into
 * blocks of exactly `blockSamples`. Each emitted block owns a fresh buffer, so it can be
 * transferred to another thread. Samples are never dropped or reordered: a quantum that
 * straddles a block boundary is split across the two blocks.
 */
export class BlockBatcher {
  private buffer: Float32Array;
  private filled = 0;
  private peak = 0;
  private sumSquares = 0;

  constructor(readonly blockSamples: number) {
    if (!Number.isInteger(blockSamples) || blockSamples <= 0) throw new Error(`BlockBatcher: blockSamples must be a positive integer, got ${blockSamples}`);
    this.buffer = new Float32Array(blockSamples);
  }

  /** Adds samples; calls `emit` once per block they complete, in order. */
  push(samples: Float32Array, emit: (block: AudioBlock) => void): void {
    let i = 0;
    while (i < samples.length) {
      const n = Math.min(samples.length - i, this.blockSamples - this.filled);
      for (let k = 0; k < n; k++) {
        const x = samples[i + k];
        this.buffer[this.filled + k] = x;
        const a = Math.abs(x);
        if (a > this.peak) this.peak = a;
        this.sumSquares += x * x;
      }
      this.filled += n;
      i += n;
      if (this.filled === this.blockSamples) {
        const block: AudioBlock = { samples: this.buffer, peak: this.peak, rms: Math.sqrt(this.sumSquares / this.blockSamples) };
        this.buffer = new Float32Array(this.blockSamples);
        this.filled = 0;
        this.peak = 0;
        this.sumSquares = 0;
        emit(block);
      }
    }
  }
}

/** Samples per block for a push interval: `pushMs` milliseconds at `sampleRate` Hz (at least one). */
export function blockSamplesFor(pushMs: number, sampleRate: number): number {
  return Math.max(1, Math.round((pushMs * sampleRate) / 1000));
}

/** A linear amplitude as dBFS, floored at `floorDb` (silence is not -Infinity). */
export function toDbfs(amplitude: number, floorDb = -90): number {
  if (!(amplitude > 0)) return floorDb;
  return Math.max(floorDb, 20 * Math.log10(amplitude));
}
