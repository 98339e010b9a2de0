import { baseDim, modelInputDim, type FeatureConfig, type Normalization } from './config.ts';
import type { FeatureMatrix } from './feature-matrix.ts';
import { StreamingDeltas } from './streaming-deltas.ts';
import { StreamingFrameStacker } from './streaming-frame-stacker.ts';
import { StreamingMfcc } from './streaming-mfcc.ts';
import { StreamingNormalizer } from './streaming-normalizer.ts';

/**
 * Streaming computeFeatures: PCM chunks of any sizes in, model frames out. The concatenation of
 * every push() result and the final flush() equals computeFeatures(whole signal, cfg, norm) bit for
 * bit. Output lags the input by one frameLength, deltaOrder * deltaWindow analysis frames (deltas
 * need look-ahead) and up to the stack / subsample span. Composed of StreamingMfcc ->
 * StreamingDeltas -> StreamingNormalizer (CMN when cfg.cmn, then global) -> StreamingFrameStacker; those stages can also be used alone
 * (e.g. MFCC + deltas in the renderer, stacking in the main process).
 */
export class StreamingFeatureExtractor {
  readonly cfg: FeatureConfig;
  private readonly norm: StreamingNormalizer | null = null;
  private readonly mfcc: StreamingMfcc;
  private readonly deltas: StreamingDeltas;
  private readonly stacker: StreamingFrameStacker;

  constructor(cfg: FeatureConfig, norm?: Normalization) {
    this.cfg = { ...cfg };
    this.mfcc = new StreamingMfcc(this.cfg);
    if (norm) this.norm = new StreamingNormalizer(this.cfg, norm);
    this.deltas = new StreamingDeltas(this.cfg);
    this.stacker = new StreamingFrameStacker(this.cfg, baseDim(this.cfg));
  }

  /** Model frames emitted so far (push and flush results together). */
  get framesEmitted(): number {
    return this.stacker.framesEmitted;
  }

  /** Adds PCM samples; returns the model frames that are ready now (possibly none). */
  push(pcm: Float32Array): FeatureMatrix {
    return this.stage(this.deltas.push(this.mfcc.push(pcm)));
  }

  /** Ends the stream and returns the remaining model frames. Call reset() before reusing. */
  flush(): FeatureMatrix {
    this.mfcc.flush();
    const tail = this.stage(this.deltas.flush());
    this.stacker.flush();
    return tail;
  }

  /** Forgets all buffered audio and frames; the next push starts a new stream. */
  reset(): void {
    this.mfcc.reset();
    this.deltas.reset();
    this.norm?.reset();
    this.stacker.reset();
  }

  /** Output width: modelInputDim(cfg). */
  get dim(): number {
    return modelInputDim(this.cfg);
  }

  private stage(base: FeatureMatrix): FeatureMatrix {
    this.norm?.apply(base);
    return this.stacker.push(base);
  }
}
