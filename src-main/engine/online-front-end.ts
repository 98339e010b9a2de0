/**
 * The live front-end of the main process: 16 kHz PCM, or MFCC rows as the renderer computes them
 * (src-shared/features, 10 ms hop), in; normalized, stacked model frames out, each with a voice
 * activity flag (any of its stacked analysis frames voiced, energy-vad.ts). The same stages as
 * computeFeatures, so a stream's frames equal the whole-file features bit for bit (tested in
 * src-shared). One input kind per stream: the first push decides, reset() forgets it.
 */
import { baseDim, modelInputDim, type FeatureConfig, type Normalization } from '../../src-shared/features/config.ts';
import { createMatrix, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { StreamingDeltas } from '../../src-shared/features/streaming-deltas.ts';
import { StreamingFrameStacker } from '../../src-shared/features/streaming-frame-stacker.ts';
import { StreamingMfcc } from '../../src-shared/features/streaming-mfcc.ts';
import { StreamingNormalizer } from '../../src-shared/features/streaming-normalizer.ts';
import { EnergyVad, type VadOptions } from './energy-vad.ts';

export interface FrontEndOutput {
  /** Model frames (modelInputDim wide). */
  frames: FeatureMatrix;
  /** voiced[i]: voice activity of frames row i. */
  voiced: Uint8Array;
}

export class OnlineFrontEnd {
  private readonly mfcc: StreamingMfcc;
  private readonly deltas: StreamingDeltas;
  /** Global normalization, after sliding-window CMN when cfg.cmn (its window spans the whole stream, utterances included). */
  private readonly norm: StreamingNormalizer;
  private readonly stacker: StreamingFrameStacker;
  private readonly vad: EnergyVad;
  /** VAD decisions of analysis frames not yet covered by an emitted model frame; [0] = analysis frame `vadFirst`. */
  private vadPending: number[] = [];
  private vadFirst = 0;
  private analysisFrames = 0;
  private modelFrames = 0;
  private input: 'pcm' | 'mfcc' | null = null;
  private finished = false;

  /** `warp`: frequency warp of the MFCC analysis (PCM input only; 1 = none). */
  constructor(readonly cfg: FeatureConfig, norm: Normalization, vad: Partial<VadOptions> = {}, readonly warp = 1) {
    this.mfcc = new StreamingMfcc(cfg, warp);
    this.deltas = new StreamingDeltas(cfg);
    this.norm = new StreamingNormalizer(cfg, norm);
    this.stacker = new StreamingFrameStacker(cfg, baseDim(cfg));
    this.vad = new EnergyVad(cfg.hopLength / cfg.sampleRate, vad);
  }

  get dim(): number {
    return modelInputDim(this.cfg);
  }

  /** Adds 16 kHz PCM. */
  pushPcm(pcm: Float32Array): FrontEndOutput {
    this.use('pcm');
    return this.fromMfcc(this.mfcc.push(pcm));
  }

  /** Adds MFCC rows (numMfcc wide, row-major), one per analysis hop. */
  pushMfcc(rows: Float32Array): FrontEndOutput {
    this.use('mfcc');
    const d = this.cfg.numMfcc;
    if (!(rows instanceof Float32Array) || rows.length % d !== 0) {
      throw new Error(`MFCC input must be a Float32Array of whole rows of ${d} coefficients, got ${rows instanceof Float32Array ? rows.length : typeof rows} values`);
    }
    for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i])) throw new Error(`MFCC input holds a non-finite value at index ${i}`);
    return this.fromMfcc({ data: rows, frames: rows.length / d, dim: d });
  }

  /** End of stream: the frames still held back by the deltas' look-ahead. */
  flush(): FrontEndOutput {
    if (this.finished) return { frames: createMatrix(0, this.dim), voiced: new Uint8Array(0) };
    this.finished = true;
    if (this.input === 'pcm') this.mfcc.flush();
    return this.stage(this.deltas.flush());
  }

  reset(): void {
    this.mfcc.reset();
    this.deltas.reset();
    this.norm.reset();
    this.stacker.reset();
    this.vad.reset();
    this.vadPending = [];
    this.vadFirst = 0;
    this.analysisFrames = 0;
    this.modelFrames = 0;
    this.input = null;
    this.finished = false;
  }

  private use(kind: 'pcm' | 'mfcc'): void {
    if (this.finished) throw new Error('the stream has ended; start a new one');
    if (this.input && this.input !== kind) throw new Error(`this stream takes ${this.input === 'pcm' ? 'PCM' : 'MFCC frames'}; it cannot switch to ${kind === 'pcm' ? 'PCM' : 'MFCC frames'}`);
    this.input = kind;
  }

  private fromMfcc(m: FeatureMatrix): FrontEndOutput {
    const d = this.cfg.numMfcc;
    for (let i = 0; i < m.frames; i++) this.vadPending.push(this.vad.push(m.data[i * d]) ? 1 : 0);
    this.analysisFrames += m.frames;
    return this.stage(this.deltas.push(m));
  }

  private stage(base: FeatureMatrix): FrontEndOutput {
    this.norm.apply(base);
    const frames = this.stacker.push(base);
    const { stack, subsample } = this.cfg;
    const voiced = new Uint8Array(frames.frames);
    for (let r = 0; r < frames.frames; r++) {
      const first = (this.modelFrames + r) * subsample;
      for (let a = first; a < first + stack; a++) if (this.vadPending[a - this.vadFirst]) voiced[r] = 1;
    }
    this.modelFrames += frames.frames;
    const keepFrom = this.modelFrames * subsample;
    if (keepFrom > this.vadFirst) {
      this.vadPending.splice(0, Math.min(this.vadPending.length, keepFrom - this.vadFirst));
      this.vadFirst = keepFrom;
    }
    return { frames, voiced };
  }
}
