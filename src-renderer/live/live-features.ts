import type { FeatureConfig } from '../../src-shared/features/config.ts';
import { StreamingMfcc } from '../../src-shared/features/streaming-mfcc.ts';

/** MFCC rows of one stretch of audio, in the shape recognition:push wants. */
export interface FeatureRows {
  /** numMfcc-wide rows, row-major. */
  data: Float32Array;
  /** Rows of the same frames under each keyword warp, in StartResponse.keywordWarps order; absent when there are none. */
  warped?: Float32Array[];
}

/**
 * The renderer's front-end for a live stream: Hark's Meyda MFCC (src-shared StreamingMfcc) with
 * the configuration the recognizer returned at start, plus one more StreamingMfcc per keyword warp
 * (a warp of 1 reuses the plain rows). Every analyzer sees the same PCM, so all outputs have the
 * same number of rows.
 */
export class LiveFeatures {
  private readonly plain: StreamingMfcc;
  /** One entry per keyword warp: null = same as the plain rows. */
  private readonly warpers: (StreamingMfcc | null)[];

  constructor(readonly config: FeatureConfig, readonly keywordWarps: readonly number[]) {
    this.plain = new StreamingMfcc(config, 1);
    this.warpers = keywordWarps.map((w) => (w === 1 ? null : new StreamingMfcc(config, w)));
  }

  /** Feeds PCM at config.sampleRate; returns the completed rows, or null when no frame completed yet. */
  push(pcm: Float32Array): FeatureRows | null {
    const plain = this.plain.push(pcm);
    const warped = this.warpers.map((m) => (m ? m.push(pcm).data : plain.data));
    if (plain.frames === 0) return null;
    return warped.length > 0 ? { data: plain.data, warped } : { data: plain.data };
  }
}
