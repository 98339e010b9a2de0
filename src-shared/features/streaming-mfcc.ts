import type { FeatureConfig } from './config.ts';
import { createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { assertPcm } from './mfcc.ts';
import { MfccKernel } from './mfcc-kernel.ts';
import { validateFeatureConfig } from './validate-config.ts';

/**
 * Streaming computeMfcc: PCM chunks of any size in, MFCC rows out as soon as each analysis frame
 * is complete; identical bit for bit to computeMfcc on the concatenated PCM (same framing, same
 * kernel arithmetic). Keeps fewer than frameLength + chunk samples.
 */
export class StreamingMfcc {
  private readonly cfg: FeatureConfig;
  private readonly kernel: MfccKernel;
  /** Pending samples; pending[0] is global sample `pendingStart`. */
  private pending: Float32Array;
  private pendingLength = 0;
  private pendingStart = 0;
  private emitted = 0;

  /** `warp`: frequency warp of the analysis (MfccKernel), 1 = none. */
  constructor(cfg: FeatureConfig, warp = 1) {
    validateFeatureConfig(cfg);
    this.cfg = { ...cfg };
    // Own kernel: its scratch buffers must not be shared with other streams.
    this.kernel = new MfccKernel(this.cfg, warp);
    this.pending = new Float32Array(cfg.frameLength * 4);
  }

  /** Analysis frames emitted so far. */
  get framesEmitted(): number {
    return this.emitted;
  }

  /** Adds PCM samples (cfg.sampleRate Hz); returns the MFCC rows of the frames they completed. */
  push(pcm: Float32Array): FeatureMatrix {
    assertPcm(pcm, 'StreamingMfcc.push');
    const { frameLength, hopLength, numMfcc } = this.cfg;
    if (this.pendingLength + pcm.length > this.pending.length) {
      const grown = new Float32Array(Math.max(this.pendingLength + pcm.length, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(pcm, this.pendingLength);
    this.pendingLength += pcm.length;
    const available = this.pendingStart + this.pendingLength;
    let ready = 0;
    while ((this.emitted + ready) * hopLength + frameLength <= available) ready++;
    const out = createMatrix(ready, numMfcc);
    for (let r = 0; r < ready; r++) {
      const offset = (this.emitted + r) * hopLength - this.pendingStart;
      this.kernel.compute(this.pending, offset, out.data, r * numMfcc);
    }
    this.emitted += ready;
    const keepFrom = Math.min(this.emitted * hopLength, available);
    const drop = keepFrom - this.pendingStart;
    if (drop > 0) {
      this.pending.copyWithin(0, drop, this.pendingLength);
      this.pendingLength -= drop;
      this.pendingStart = keepFrom;
    }
    return out;
  }

  /** End of stream: the trailing partial frame is dropped (framing contract), so nothing is emitted. */
  flush(): FeatureMatrix {
    return createMatrix(0, this.cfg.numMfcc);
  }

  /** Forgets everything; the next push starts a new stream at sample 0. */
  reset(): void {
    this.pendingLength = 0;
    this.pendingStart = 0;
    this.emitted = 0;
  }
}
