/**
 * What a live stream has been fed: 16 kHz PCM or MFCC rows (one input kind per stream) through
 * the front-end and through one more front-end per extra keyword warp, into model frames with
 * voice activity; how much audio came (the stream's clock); and the PCM from the current
 * utterance's first frame on, for test-time VTLN in finals.
 */
import type { FeatureConfig, Normalization } from '../../src-shared/features/config.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import type { VadOptions } from './energy-vad.ts';
import { OnlineFrontEnd, type FrontEndOutput } from './online-front-end.ts';
import { PcmWindow } from './pcm-window.ts';

/** Model frames of one push: the front-end's, and the same frames from each extra warp's (empty when those are not fed). */
export interface InputFrames extends FrontEndOutput {
  warped: FeatureMatrix[];
}

export class OnlineInput {
  private readonly frontEnd: OnlineFrontEnd;
  private readonly warpFrontEnds: OnlineFrontEnd[];
  private kind: 'pcm' | 'mfcc' | null = null;
  /** MFCC input came with the extra warps' rows. */
  private warpedMfcc = false;
  private samplesIn = 0;
  private mfccRowsIn = 0;
  private readonly pcm = new PcmWindow();
  /** Samples per model frame: frame j starts at sample j * samplesPerFrame. */
  private readonly samplesPerFrame: number;

  /**
   * @param warps the extra keyword warps (not 1), each with its own front-end
   * @param keepPcm whether PCM is kept for VTLN
   */
  constructor(private readonly cfg: FeatureConfig, norm: Normalization, vad: Partial<VadOptions> | undefined, readonly warps: readonly number[], private readonly keepPcm: boolean) {
    this.frontEnd = new OnlineFrontEnd(cfg, norm, vad);
    this.warpFrontEnds = warps.map((w) => new OnlineFrontEnd(cfg, norm, vad, w));
    this.samplesPerFrame = cfg.hopLength * cfg.subsample;
  }

  /** Width of a model frame. */
  get dim(): number {
    return this.frontEnd.dim;
  }

  /** What the stream takes (null before its first push). */
  get source(): 'pcm' | 'mfcc' | null {
    return this.kind;
  }

  /** Seconds of audio pushed so far. */
  get audioSec(): number {
    const f = this.cfg;
    return this.kind === 'mfcc' ? (this.mfccRowsIn * f.hopLength) / f.sampleRate : this.samplesIn / f.sampleRate;
  }

  /** Whether the extra warps' frames are being fed (always for PCM; for MFCC when their rows come too). */
  get warpsFed(): boolean {
    return this.kind === 'pcm' || (this.kind === 'mfcc' && this.warpedMfcc);
  }

  /** Adds 16 kHz mono PCM. */
  pushPcm(samples: Float32Array): InputFrames {
    if (!(samples instanceof Float32Array)) throw new Error('acceptPcm: samples must be a Float32Array of 16 kHz mono PCM');
    for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) throw new Error(`acceptPcm: non-finite sample at index ${i}`);
    const out = this.frontEnd.pushPcm(samples);
    // Warped front-ends run even without keywords, so that keywords set later find their frames.
    const warped = this.warpFrontEnds.map((w) => w.pushPcm(samples).frames);
    this.kind = 'pcm';
    this.samplesIn += samples.length;
    // Kept whenever VTLN may run: a hot swap can bring a model that uses it from the next utterance.
    if (this.keepPcm) this.pcm.append(samples);
    return this.inputFrames(out, warped);
  }

  /**
   * Adds MFCC rows (numMfcc wide, one per 10 ms hop). `warped`: the same frames analysed with each
   * extra warp, in order; with every push of a stream or never.
   */
  pushMfcc(rows: Float32Array, warped?: readonly Float32Array[]): InputFrames {
    if (warped !== undefined) {
      if (!Array.isArray(warped) || warped.length !== this.warps.length) {
        throw new Error(`acceptMfcc: warped must hold one array per keyword warp (${this.warps.join(', ') || 'none'})`);
      }
      warped.forEach((w, i) => {
        if (!(w instanceof Float32Array) || w.length !== rows.length) throw new Error(`acceptMfcc: warped[${i}] must be a Float32Array of ${rows.length} values like the rows`);
      });
    }
    const withWarps = warped !== undefined && this.warps.length > 0;
    if (this.mfccRowsIn > 0 && withWarps !== this.warpedMfcc) {
      throw new Error('acceptMfcc: give the warped rows with every push of a stream, or with none');
    }
    const out = this.frontEnd.pushMfcc(rows);
    const frames = withWarps ? this.warpFrontEnds.map((w, i) => w.pushMfcc(warped![i]).frames) : [];
    this.kind = 'mfcc';
    this.warpedMfcc = withWarps;
    this.mfccRowsIn += rows.length / this.cfg.numMfcc;
    return this.inputFrames(out, frames);
  }

  /** End of stream: the frames the front-ends still held. */
  flush(): InputFrames {
    const warped = this.warpsFed ? this.warpFrontEnds.map((w) => w.flush().frames) : [];
    return this.inputFrames(this.frontEnd.flush(), warped);
  }

  /** A new stream: nothing pushed yet. */
  reset(): void {
    this.frontEnd.reset();
    for (const w of this.warpFrontEnds) w.reset();
    this.kind = null;
    this.warpedMfcc = false;
    this.samplesIn = 0;
    this.mfccRowsIn = 0;
    this.pcm.clear();
  }

  /**
   * The PCM kept for model frames [from, to) of the stream (to = null: every sample received):
   * a frame spans its stacked analysis windows. A view, valid until the next push or drop.
   */
  framesPcm(from: number, to: number | null): Float32Array {
    const f = this.cfg;
    const end = to === null ? this.pcm.end : to * this.samplesPerFrame + (f.stack - 1) * f.hopLength + f.frameLength - this.samplesPerFrame;
    return this.pcm.view(from * this.samplesPerFrame, end);
  }

  /** Forgets the PCM before model frame `frame` (the next utterance's first). */
  dropPcmBefore(frame: number): void {
    this.pcm.dropBefore(frame * this.samplesPerFrame);
  }

  private inputFrames(out: FrontEndOutput, warped: FeatureMatrix[]): InputFrames {
    const n = out.frames.frames;
    warped.forEach((m, i) => {
      if (m.frames !== n) throw new Error(`keyword warp ${this.warps[i]}: ${m.frames} frames where the front-end made ${n}`);
    });
    return { ...out, warped };
  }
}
