/**
 * Streaming recognition of one live stream (microphone or a file fed in pieces).
 *
 * PCM or MFCC rows -> OnlineFrontEnd (model frames + voice activity) -> the utterance's frame
 * buffer -> chunks of Nc frames with Nr look-ahead through the streaming graph (LC-BLSTM,
 * forward state carried) -> per frame: keyword spotter, endpoint detector, partial decoder ->
 * events. At an endpoint the utterance is decoded again with the whole-utterance graph (with
 * test-time VTLN when PCM is available and the model uses it), so finals are as accurate as
 * offline transcription; then every per-utterance buffer and state starts afresh, which bounds
 * memory however long the stream runs (an utterance is cut at rule3's length, at most
 * MAX_UTTERANCE_SEC).
 *
 * Event order within one call: keyword hits as they settle, partials after each chunk when the
 * text changed, and at an endpoint `final` (only when the utterance contained speech) then
 * `endpoint`. Times (`start`, `end`, word times) are seconds from the start of the stream on the
 * audio timeline; `audioSec` is how much audio had been pushed when the event was produced.
 * A final's `model` names the package ("name version") whose graphs decoded it.
 *
 * Hot swap (swapModel): the stream moves to another package with the same front-end
 * (model-swap.ts) at an utterance boundary, so every pushed frame is run through exactly one
 * model: the old one up to the boundary, the new one after (stats.framesProcessed still ends
 * equal to the frames the audio makes).
 */
import { withUserWords } from '../lexicon/user-lexicon.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { modelFrameSec } from '../../src-shared/features/config.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import type { RecognitionEvent } from '../../src-shared/ipc/recognition-contract.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';

import type { BeamSearchOptions } from '../decode/ctc-prefix-beam-search.ts';
import { KeywordSpotter, type KeywordHit, type KeywordSpec, type KeywordSpotterOptions, type KeywordState } from '../decode/keyword-spotter.ts';
import type { PhraseDecoderOptions } from '../decode/phrase-decoder.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { AcousticSession, type ExecutionProvider } from './acoustic-session.ts';
import { EndpointDetector, endpointConfig, type EndpointConfig, type EndpointRule, type EndpointRuleName } from './endpoint-detector.ts';
import type { VadOptions } from './energy-vad.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../model/model-package.ts';
import { checkSwappable, modelLabel } from './model-swap.ts';
import { OnlineFrontEnd, type FrontEndOutput } from './online-front-end.ts';
import { resolveModelDir } from '../model/package-paths.ts';
import { buildDecoders, type DecoderSet, type PartialDecoder, type RecognitionMode } from './recognition-decoders.ts';
import { StreamingAcousticSession, type ChunkState } from './streaming-acoustic-session.ts';
import { posteriorsWithVtln, vtlnForModel, type VtlnOptions } from './vtln.ts';
import { PcmWindow } from './pcm-window.ts';
import { UtteranceFrames } from './utterance-frames.ts';
import { RecentKeywordHits } from './recent-keyword-hits.ts';
import { WarpVote } from './warp-vote.ts';
import { frameTimeOffsetSec } from './word-times.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/** Hard cap on one utterance, whatever rule3 says (bounds every per-utterance buffer). */
export const MAX_UTTERANCE_SEC = 60;

/**
 * A frame counts as silent when the VAD hears nothing and the model's best unit is blank, or when
 * the model has heard no phoneme for this long (a loud noise or music ends an utterance too; a
 * vowel's tail after its CTC spike, voiced but blank, does not).
 */
export const LONG_BLANK_SEC = 1.0;

/**
 * Keyword spotting listens unwarped and with the spectrum scaled by 0.8 (vocal tract length
 * normalization for higher voices, which the training voices under-represent): a keyword counts
 * when either spots it. Measured on the held-out hour (bench/keywords.bench.ts).
 */
export const DEFAULT_KEYWORD_WARPS: readonly number[] = [1, 0.8];

/** The events of a stream: the IPC contract's RecognitionEvent (src-shared/ipc). */
export type StreamEvent = RecognitionEvent;

export interface OnlineRecognizerOptions {
  modelDir?: string;
  model?: ModelPackage;
  mode: RecognitionMode;
  /** Keywords to spot all the time (any mode); empty or omitted: none. */
  keywords?: readonly KeywordSpec[];
  keyword?: Partial<KeywordSpotterOptions>;
  lexicon?: PronunciationLookup;
  /** The user's own words (pronounced first; added to dictation's vocabulary). */
  userWords?: readonly UserWord[];
  lmPath?: string;
  beam?: Partial<BeamSearchOptions>;
  phrase?: Partial<PhraseDecoderOptions>;
  endpoint?: { [K in EndpointRuleName]?: Partial<EndpointRule> };
  vad?: Partial<VadOptions>;
  /** LC-BLSTM chunk and look-ahead in model frames (default: the model's metadata.streaming). */
  chunkFrames?: number;
  lookaheadFrames?: number;
  provider?: ExecutionProvider;
  /** onnxruntime intra-op threads: the streaming graph defaults to 1, the final pass to onnxruntime's default. */
  threads?: number;
  /**
   * Test-time VTLN for finals (PCM input only); false disables it, an object (even {}) enables it.
   * Default: as the model's metadata.decoding.testTimeVtln says (vtlnForModel), after a hot swap too.
   */
  vtln?: Partial<VtlnOptions> | false;
  /** Builds (or reuses) the decoders of a mode; default buildDecoders with these options. */
  decoders?: (mode: RecognitionMode) => DecoderSet;
  /**
   * Frequency warps the keyword spotter listens with (PCM input; MFCC input when acceptMfcc gets
   * the warped rows too): each
   * runs its own front-end and streaming graph, and a keyword heard under any of them is reported
   * once. Default DEFAULT_KEYWORD_WARPS; [1] turns it off.
   */
  keywordWarps?: readonly number[];
  /**
   * Sees every streaming posterior row the keyword spotter and partial decoder see, in stream
   * order ([frames, numUnits] log-probabilities), with the frequency warp it was computed under
   * (1, or a keyword warp): for calibration and diagnostics.
   */
  onPosteriors?: (logprobs: Float32Array, frames: number, numUnits: number, warp: number) => void;
}

/** Milliseconds per stage since the recognizer was created, and counts. */
export interface OnlineStats {
  frontEndMs: number;
  /** Streaming graph (chunk by chunk). */
  streamModelMs: number;
  keywordMs: number;
  /** Endpointing and the partial decoder. */
  partialMs: number;
  /** Finals: VTLN, whole-utterance graph and decoder. */
  finalMs: number;
  chunks: number;
  utterances: number;
  /** Model frames handed over to utterances so far (ended utterances); no audio is dropped when this equals the frames the audio makes. */
  framesProcessed: number;
}

/** A model to move to at the next utterance boundary, its graphs already loaded. */
interface PendingSwap {
  model: ModelPackage;
  session: AcousticSession;
  stream: StreamingAcousticSession;
  /** New decoder factory (undefined: keep the decoders in use), and the set it built for the mode at swap time. */
  factory?: (mode: RecognitionMode) => DecoderSet;
  decoders?: DecoderSet;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

const sameMode = (a: RecognitionMode, b: RecognitionMode): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Both graphs of `model` (the streaming one with one thread unless `threads` says otherwise). */
async function loadGraphs(model: ModelPackage, opts: OnlineRecognizerOptions): Promise<{ stream: StreamingAcousticSession; session: AcousticSession }> {
  // Chunks are a dozen frames: one thread beats a pool whose hand-offs cost more than the work.
  const stream = await StreamingAcousticSession.create(model, { provider: opts.provider, threads: opts.threads ?? 1 });
  try {
    return { stream, session: await AcousticSession.create(model, { provider: opts.provider, threads: opts.threads }) };
  } catch (e) {
    await stream.release();
    throw e;
  }
}

export class OnlineRecognizer {
  private readonly frontEnd: OnlineFrontEnd;
  private readonly frameSec: number;
  private readonly samplesPerFrame: number;
  private readonly endpointCfg: EndpointConfig;
  private decoders: DecoderSet;
  /** Builds the decoders of a mode (undefined: buildDecoders with the options); a hot swap may replace it. */
  private decoderFactory: ((mode: RecognitionMode) => DecoderSet) | undefined;
  private pkg: ModelPackage;
  private session: AcousticSession;
  private stream: StreamingAcousticSession;
  private pendingSwap: PendingSwap | null = null;
  private disposed = false;
  private spotter: KeywordSpotter | null;
  private kws: KeywordState | null;
  private queue: Promise<unknown> = Promise.resolve();
  private events: StreamEvent[] = [];
  private samplesIn = 0;
  private mfccRowsIn = 0;
  private ended = false;
  /** Stream-level VTLN vote (replaced on reset and on a model swap). */
  private warp: WarpVote;
  readonly stats: OnlineStats = { frontEndMs: 0, streamModelMs: 0, keywordMs: 0, partialMs: 0, finalMs: 0, chunks: 0, utterances: 0, framesProcessed: 0 };

  // The current utterance: global model frame uttStart onwards.
  private uttStart = 0;
  /** Its frames (and each extra keyword warp's). */
  private readonly frames: UtteranceFrames;
  /** Frames run through the streaming graph. */
  private processed = 0;
  private chunkState: ChunkState;
  /** Streaming posteriors of the processed frames (re-fed to a new partial decoder on a mode change). */
  private posts = new Float32Array(0);
  private partialDecoder: PartialDecoder;
  private lastPartial = '';
  private endpoint: EndpointDetector;
  /** Frames since the model's best unit was last a phoneme. */
  private blankRun = 0;
  /** Extra keyword warps (not 1): their front-ends, frames of the utterance, chunk and spotter states. */
  private readonly warps: { frontEnd: OnlineFrontEnd; chunkState: ChunkState; kws: KeywordState | null }[] = [];
  /** Hits already reported (the same occurrence heard under another warp is not reported again). */
  private readonly recentHits = new RecentKeywordHits();
  /** VTLN for finals with the package in use (vtlnForModel), null for none. */
  private vtln: VtlnOptions | null;
  /** PCM of the utterance (for VTLN in the final). */
  private readonly pcm = new PcmWindow();

  private constructor(
    model: ModelPackage,
    session: AcousticSession,
    stream: StreamingAcousticSession,
    private readonly opts: OnlineRecognizerOptions,
    decoders: DecoderSet,
    readonly chunkFrames: number,
    readonly lookaheadFrames: number,
  ) {
    this.pkg = model;
    this.session = session;
    this.stream = stream;
    this.vtln = vtlnForModel(opts.vtln, model.metadata);
    this.warp = new WarpVote(this.vtln?.maxProbeSec ?? Infinity);
    this.decoderFactory = opts.decoders;
    this.frameSec = modelFrameSec(model.features);
    this.samplesPerFrame = model.features.hopLength * model.features.subsample;
    this.frontEnd = new OnlineFrontEnd(model.features, model.normalization, opts.vad);
    this.endpointCfg = endpointConfig(opts.endpoint);
    this.endpoint = new EndpointDetector(this.endpointCfg, this.frameSec);
    this.decoders = decoders;
    this.partialDecoder = decoders.createPartial();
    this.spotter = OnlineRecognizer.buildSpotter(opts.keywords, opts, model.metadata.units);
    this.kws = this.spotter?.init() ?? null;
    this.chunkState = stream.initialState();
    for (const w of opts.keywordWarps ?? DEFAULT_KEYWORD_WARPS) {
      if (!(w >= 0.5 && w <= 2)) throw new Error(`keyword warps must be in [0.5, 2], got ${w}`);
      if (w === 1 || this.warps.some((x) => x.frontEnd.warp === w)) continue;
      this.warps.push({ frontEnd: new OnlineFrontEnd(model.features, model.normalization, opts.vad, w), chunkState: stream.initialState(), kws: this.spotter?.init() ?? null });
    }
    this.frames = new UtteranceFrames(this.frontEnd.dim, this.warps.length);
  }

  /** Loads the model (both graphs), the decoders for `opts.mode` and the keyword spotter. */
  static async create(opts: OnlineRecognizerOptions): Promise<OnlineRecognizer> {
    const model = opts.model ?? await loadModelPackage(resolveModelDir(opts.modelDir));
    if (model.features.sampleRate !== SAMPLE_RATE) {
      throw new ModelMismatchError(model.jsonPath, `features.sampleRate is ${model.features.sampleRate}, the audio front-end delivers ${SAMPLE_RATE} Hz`);
    }
    const decoders = opts.decoders ? opts.decoders(opts.mode) : buildDecoders({ ...opts, units: model.metadata.units }, model.frameSec);
    endpointConfig(opts.endpoint);
    const { stream, session } = await loadGraphs(model, opts);
    const chunkFrames = opts.chunkFrames ?? stream.chunkFrames;
    const lookaheadFrames = opts.lookaheadFrames ?? stream.lookaheadFrames;
    if (!Number.isInteger(chunkFrames) || chunkFrames < 1 || !Number.isInteger(lookaheadFrames) || lookaheadFrames < 0) {
      await Promise.all([stream.release(), session.release()]);
      throw new Error(`chunkFrames must be an integer >= 1 and lookaheadFrames >= 0, got ${chunkFrames} / ${lookaheadFrames}`);
    }
    return new OnlineRecognizer(model, session, stream, opts, decoders, chunkFrames, lookaheadFrames);
  }

  /** The spotter for `keywords` over a model whose output units are `units` (ModelMetadata.units). */
  private static buildSpotter(keywords: readonly KeywordSpec[] | undefined, opts: OnlineRecognizerOptions, units: readonly string[]): KeywordSpotter | null {
    if (!keywords || keywords.length === 0) return null;
    return new KeywordSpotter(keywords, withUserWords(opts.lexicon ?? buildLexiconForKeywords(), opts.userWords), opts.keyword, units);
  }

  /** The package decoding the stream now (a pending hot swap takes over at the next utterance boundary). */
  get model(): ModelPackage {
    return this.pkg;
  }

  /** A hot swap is waiting for the current utterance's final. */
  get swapPending(): boolean {
    return this.pendingSwap !== null;
  }

  /** Seconds of audio pushed so far. */
  get audioSec(): number {
    const f = this.model.features;
    return this.frontEndInput === 'mfcc' ? (this.mfccRowsIn * f.hopLength) / f.sampleRate : this.samplesIn / f.sampleRate;
  }

  private frontEndInput: 'pcm' | 'mfcc' | null = null;

  /** Pushes 16 kHz mono PCM; resolves to the events it produced. */
  acceptPcm(samples: Float32Array): Promise<StreamEvent[]> {
    return this.serial(async () => {
      if (!(samples instanceof Float32Array)) throw new Error('acceptPcm: samples must be a Float32Array of 16 kHz mono PCM');
      for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i])) throw new Error(`acceptPcm: non-finite sample at index ${i}`);
      const t0 = performance.now();
      const out = this.frontEnd.pushPcm(samples);
      // Warped front-ends run even without keywords, so that keywords set later find their frames.
      const warped = this.warps.map((w) => w.frontEnd.pushPcm(samples).frames);
      this.stats.frontEndMs += performance.now() - t0;
      this.frontEndInput = 'pcm';
      this.samplesIn += samples.length;
      // Kept whenever VTLN may run: a hot swap can bring a model that uses it from the next utterance.
      if (this.opts.vtln !== false) this.pcm.append(samples);
      await this.ingest(out, warped);
    });
  }

  /**
   * Pushes MFCC rows (numMfcc wide, one per 10 ms hop) as the renderer computes them. `warped`:
   * the same frames analysed with each keyword warp (keywordWarps, MfccKernel warp), so that the
   * keyword spotter listens as it does on PCM; give them with every push of a stream or never.
   */
  acceptMfcc(rows: Float32Array, warped?: readonly Float32Array[]): Promise<StreamEvent[]> {
    return this.serial(async () => {
      if (warped !== undefined) {
        if (!Array.isArray(warped) || warped.length !== this.warps.length) {
          throw new Error(`acceptMfcc: warped must hold one array per keyword warp (${this.warps.map((w) => w.frontEnd.warp).join(', ') || 'none'})`);
        }
        warped.forEach((w, i) => {
          if (!(w instanceof Float32Array) || w.length !== rows.length) throw new Error(`acceptMfcc: warped[${i}] must be a Float32Array of ${rows.length} values like the rows`);
        });
      }
      const withWarps = warped !== undefined && this.warps.length > 0;
      if (this.mfccRowsIn > 0 && withWarps !== this.warpedMfcc) {
        throw new Error('acceptMfcc: give the warped rows with every push of a stream, or with none');
      }
      const t0 = performance.now();
      const out = this.frontEnd.pushMfcc(rows);
      const frames = withWarps ? this.warps.map((w, i) => w.frontEnd.pushMfcc(warped![i]).frames) : [];
      this.stats.frontEndMs += performance.now() - t0;
      this.frontEndInput = 'mfcc';
      this.warpedMfcc = withWarps;
      this.mfccRowsIn += rows.length / this.model.features.numMfcc;
      await this.ingest(out, frames);
    });
  }

  /** MFCC input came with the keyword warps' rows (acceptMfcc). */
  private warpedMfcc = false;

  /** Whether the keyword warps' frames are being fed (always for PCM; for MFCC when given). */
  private get warpFrames(): boolean {
    return this.frontEndInput === 'pcm' || (this.frontEndInput === 'mfcc' && this.warpedMfcc);
  }

  /** The keyword warps other than 1 that acceptMfcc's `warped` rows must follow, in order. */
  get keywordWarps(): number[] {
    return this.warps.map((w) => w.frontEnd.warp);
  }

  /** Ends the stream: decodes what is left, reports the last final and an `end-of-stream` endpoint. */
  finish(): Promise<StreamEvent[]> {
    return this.serial(async () => {
      if (this.ended) return;
      const warped = this.warpFrames ? this.warps.map((w) => w.frontEnd.flush().frames) : [];
      await this.ingest(this.frontEnd.flush(), warped);
      this.ended = true;
      while (this.processed < this.frames.held) await this.processChunk(true);
      if (this.frames.held > 0 || this.endpoint.containsSpeech) await this.endUtterance(this.frames.held, 'end-of-stream');
      if (this.spotter && this.kws) this.emitKeywords(this.spotter.flush(this.kws, this.frameSec));
      for (const w of this.warps) if (this.spotter && w.kws) this.emitKeywords(this.spotter.flush(w.kws, this.frameSec));
    });
  }

  /** Starts a new stream on the same recognizer (models, decoders and keywords kept). */
  reset(): Promise<StreamEvent[]> {
    return this.serial(async () => {
      this.frontEnd.reset();
      this.frontEndInput = null;
      this.warpedMfcc = false;
      this.samplesIn = 0;
      this.mfccRowsIn = 0;
      this.ended = false;
      this.warp = new WarpVote(this.vtln?.maxProbeSec ?? Infinity);
      this.kws = this.spotter?.init() ?? null;
      for (const w of this.warps) {
        w.frontEnd.reset();
        w.kws = this.spotter?.init() ?? null;
      }
      this.recentHits.clear();
      this.kwsOffset = 0;
      this.frames.held = 0;
      this.pcm.clear();
      this.startUtterance(0, 0);
    });
  }

  /** Switches the recognition mode; the current utterance is re-decoded from its start with it. */
  setMode(mode: RecognitionMode): Promise<StreamEvent[]> {
    return this.serial(async () => {
      this.decoders = this.buildDecoders(mode);
      this.partialDecoder = this.decoders.createPartial();
      const U = this.model.architecture.numUnits;
      this.partialDecoder.advance(this.posts.subarray(0, this.processed * U), this.processed, U);
      this.lastPartial = '';
      this.emitPartial();
    });
  }

  /** Replaces the keyword list (empty: no spotting); applies from the next frame. */
  setKeywords(keywords: readonly KeywordSpec[]): Promise<StreamEvent[]> {
    return this.serial(async () => {
      const spotter = OnlineRecognizer.buildSpotter(keywords, this.opts, this.pkg.metadata.units);
      if (this.spotter && this.kws) this.emitKeywords(this.spotter.flush(this.kws, this.frameSec));
      for (const w of this.warps) if (this.spotter && w.kws) this.emitKeywords(this.spotter.flush(w.kws, this.frameSec));
      this.spotter = spotter;
      this.kws = spotter?.init() ?? null;
      for (const w of this.warps) w.kws = spotter?.init() ?? null;
      if (this.kws) this.kwsOffset = this.uttStart + this.processed;
    });
  }

  /** Model frames held for the current utterance (bounded by the endpoint rules and MAX_UTTERANCE_SEC). */
  get bufferedFrames(): number {
    return this.frames.held;
  }

  get mode(): RecognitionMode {
    return this.decoders.mode;
  }

  /**
   * Hot swap: moves the stream to `model` at the next utterance boundary without losing audio.
   * With no speech heard since the last endpoint the boundary is now: the frames already run
   * through the streaming graph close a speechless utterance (no events) and the rest go to the
   * new model. Otherwise the old model finishes the current utterance (its final carries the old
   * model's name) and the new one takes every frame after it. Both graphs of `model` are loaded
   * before anything changes; `decoders` builds the decoders of a mode from then on (default: keep
   * the ones in use; decoders depend only on the frame rate, which a swappable model shares).
   * The chunking (chunkFrames, lookaheadFrames) stays as the stream started. Rejects with
   * ModelSwapError, the stream untouched, when the running front-end cannot feed `model`
   * (model-swap.ts). A second swap before the boundary replaces the pending one. Resolves to the
   * events of the call (none: the swap itself reports nothing).
   */
  async swapModel(model: ModelPackage, opts: { decoders?: (mode: RecognitionMode) => DecoderSet } = {}): Promise<StreamEvent[]> {
    checkSwappable(this.pkg, model);
    if (this.disposed) throw new Error('swapModel: the recognizer was disposed');
    const { stream, session } = await loadGraphs(model, this.opts);
    const pending: PendingSwap = { model, stream, session };
    try {
      if (opts.decoders) {
        pending.factory = opts.decoders;
        pending.decoders = opts.decoders(this.decoders.mode);
      }
    } catch (e) {
      await releaseGraphs(pending);
      throw e;
    }
    return this.serial(async () => {
      if (this.disposed) {
        await releaseGraphs(pending);
        throw new Error('swapModel: the recognizer was disposed');
      }
      const replaced = this.pendingSwap;
      this.pendingSwap = pending;
      if (replaced) await releaseGraphs(replaced);
      if (!this.endpoint.containsSpeech) {
        const cut = this.processed;
        this.stats.framesProcessed += cut;
        await this.applySwap();
        this.startUtterance(this.uttStart + cut, cut);
      }
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.catch(() => undefined);
    const pending = this.pendingSwap;
    this.pendingSwap = null;
    await Promise.all([this.session.release(), this.stream.release(), ...(pending ? [releaseGraphs(pending)] : [])]);
  }

  private buildDecoders(mode: RecognitionMode): DecoderSet {
    return this.decoderFactory ? this.decoderFactory(mode) : buildDecoders({ ...this.opts, mode, units: this.pkg.metadata.units }, this.pkg.frameSec);
  }

  /**
   * Puts the pending swap's model in place (between utterances: the caller starts the next one,
   * whose chunk states and partial decoder come from the new graphs and decoders) and releases
   * the old graphs. The VTLN warp is chosen afresh by the new model.
   */
  private async applySwap(): Promise<void> {
    const p = this.pendingSwap;
    if (!p) return;
    this.pendingSwap = null;
    const old = { session: this.session, stream: this.stream };
    this.pkg = p.model;
    this.session = p.session;
    this.stream = p.stream;
    if (p.factory) {
      this.decoderFactory = p.factory;
      this.decoders = p.decoders && sameMode(p.decoders.mode, this.decoders.mode) ? p.decoders : p.factory(this.decoders.mode);
    }
    this.vtln = vtlnForModel(this.opts.vtln, p.model.metadata);
    this.warp = new WarpVote(this.vtln?.maxProbeSec ?? Infinity);
    await releaseGraphs(old);
  }

  /** Runs `fn` after every earlier call, and returns the events it produced. */
  private serial(fn: () => Promise<void>): Promise<StreamEvent[]> {
    const run = this.queue.then(async () => {
      this.events = [];
      try {
        await fn();
        return this.events;
      } finally {
        this.events = [];
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Global model frame where the current keyword spotter started counting. */
  private kwsOffset = 0;

  /** `warped`: the same frames from each extra keyword warp's front-end (empty when not in use). */
  private async ingest(out: FrontEndOutput, warped: readonly FeatureMatrix[] = []): Promise<void> {
    const n = out.frames.frames;
    warped.forEach((m, i) => {
      if (m.frames !== n) throw new Error(`keyword warp ${this.warps[i].frontEnd.warp}: ${m.frames} frames where the front-end made ${n}`);
    });
    this.frames.append(out.frames.data, out.voiced, n, warped.map((m) => m.data));
    while (this.frames.held - this.processed >= this.chunkFrames + this.lookaheadFrames) await this.processChunk(false);
  }

  /**
   * Runs the next chunk of the utterance through the streaming graph and each of its frames
   * through the keyword spotter, endpoint detector and partial decoder. `last`: end of stream
   * (whatever frames follow are the look-ahead, possibly none). Returns true when an endpoint
   * restarted the utterance.
   */
  private async processChunk(last: boolean): Promise<boolean> {
    const U = this.model.architecture.numUnits;
    const s = this.processed;
    const e = Math.min(s + this.chunkFrames, this.frames.held);
    const le = Math.min(e + this.lookaheadFrames, this.frames.held);
    if (!last && le - e < this.lookaheadFrames) return false;
    const t0 = performance.now();
    const r = await this.stream.runChunk(this.frames.rows(s, e), this.frames.rows(e, le), this.chunkState);
    // Extra keyword warps: their own chunk states over the same frames (PCM, or MFCC with warped rows).
    const warpRows: (Float32Array | null)[] = [];
    for (const [i, w] of this.warps.entries()) {
      if (!this.spotter || !w.kws || !this.warpFrames) { warpRows.push(null); continue; }
      const wr = await this.stream.runChunk(this.frames.warpRows(i, s, e), this.frames.warpRows(i, e, le), w.chunkState);
      w.chunkState = wr.state;
      warpRows.push(wr.logprobs);
    }
    const t1 = performance.now();
    this.stats.streamModelMs += t1 - t0;
    this.stats.chunks++;
    this.chunkState = r.state;
    let kwMs = 0;
    const rows = e - s;
    if ((this.processed + rows) * U > this.posts.length) {
      const next = new Float32Array(Math.max(2 * this.posts.length, (this.processed + rows) * U));
      next.set(this.posts.subarray(0, this.processed * U));
      this.posts = next;
    }
    this.posts.set(r.logprobs.subarray(0, rows * U), this.processed * U);
    for (let i = 0; i < rows; i++) {
      const row = r.logprobs.subarray(i * U, (i + 1) * U);
      this.opts.onPosteriors?.(row, 1, U, 1);
      if (this.spotter && this.kws) {
        const k0 = performance.now();
        this.emitKeywords(this.spotter.advance(this.kws, row, 1, U, this.frameSec), this.kwsOffset);
        this.warps.forEach((w, k) => {
          const wr = warpRows[k];
          if (!wr || !w.kws) return;
          const wrow = wr.subarray(i * U, (i + 1) * U);
          this.opts.onPosteriors?.(wrow, 1, U, w.frontEnd.warp);
          this.emitKeywords(this.spotter!.advance(w.kws, wrow, 1, U, this.frameSec), this.kwsOffset);
        });
        kwMs += performance.now() - k0;
      }
      let best = 0;
      for (let u = 1; u < U; u++) if (row[u] > row[best]) best = u;
      this.blankRun = best === BLANK_ID ? this.blankRun + 1 : 0;
      const voiced = this.frames.voiced(s + i);
      const silent = (!voiced && best === BLANK_ID) || this.blankRun * this.frameSec >= LONG_BLANK_SEC;
      this.endpoint.push(silent, voiced && best !== BLANK_ID);
      this.partialDecoder.advance(row, 1, U);
      this.processed++;
      const rule = this.endpoint.check() ?? (this.processed * this.frameSec >= MAX_UTTERANCE_SEC ? 'rule3' : null);
      if (rule) {
        this.stats.keywordMs += kwMs;
        this.stats.partialMs += performance.now() - t1 - kwMs;
        await this.endUtterance(this.processed, rule);
        return true;
      }
    }
    this.emitPartial();
    this.stats.keywordMs += kwMs;
    this.stats.partialMs += performance.now() - t1 - kwMs;
    return false;
  }

  private emitPartial(): void {
    const p = this.partialDecoder.partial();
    if (p.text === this.lastPartial) return;
    this.lastPartial = p.text;
    this.events.push({ type: 'partial', text: p.text, stable: p.stable, audioSec: round(this.audioSec) });
  }

  private emitKeywords(hits: readonly KeywordHit[], offsetFrames = this.kwsOffset): void {
    const shift = offsetFrames * this.frameSec + frameTimeOffsetSec(this.model.features);
    for (const h of hits) {
      const start = Math.max(0, h.start + shift);
      const end = Math.max(0, h.end + shift);
      // The same occurrence heard under another warp: reported already.
      if (!this.recentHits.accept(h.keyword, start, end)) continue;
      this.events.push({
        type: 'keyword', keyword: h.keyword, start: round(start), end: round(end),
        score: round(h.score, 4), audioSec: round(this.audioSec),
      });
    }
  }

  /**
   * Closes the utterance at its frame `cut` (frames after it start the next utterance): the final
   * (when it contained speech) from the whole-utterance graph, then the endpoint event.
   */
  private async endUtterance(cut: number, rule: EndpointRuleName | 'end-of-stream'): Promise<void> {
    this.stats.framesProcessed += cut;
    const start = this.uttStart * this.frameSec;
    const end = (this.uttStart + cut) * this.frameSec;
    if (this.endpoint.containsSpeech && cut > 0) {
      const t0 = performance.now();
      const r = await this.decodeUtterance(cut, rule === 'end-of-stream');
      this.stats.finalMs += performance.now() - t0;
      this.stats.utterances++;
      const offset = start + frameTimeOffsetSec(this.model.features);
      const limit = this.audioSec;
      const words = r.words.map((w) => ({ ...w, start: round(Math.min(limit, w.start + offset)), end: round(Math.min(limit, w.end + offset)) }));
      this.events.push({
        type: 'final', text: r.text, words, confidence: round(r.confidence ?? 0, 4),
        ...(this.decoders.mode.kind === 'phrases' ? { phrase: r.phrase ?? null } : {}),
        start: round(start), end: round(end), audioSec: round(this.audioSec), model: modelLabel(this.pkg),
      });
      this.events.push({ type: 'endpoint', rule, start: round(start), end: round(end), audioSec: round(this.audioSec) });
    }
    // A hot swap waiting for this boundary: the frames after `cut` go to the new model.
    await this.applySwap();
    this.startUtterance(this.uttStart + cut, cut);
  }

  /**
   * Whole-utterance graph over frames [0, cut) of the utterance (with VTLN when PCM is kept;
   * `toEnd`: all PCM received, at the end of a stream).
   */
  private async decodeUtterance(cut: number, toEnd: boolean): Promise<ReturnType<DecoderSet['decode']>> {
    const U = this.model.architecture.numUnits;
    const D = this.frontEnd.dim;
    let lp: Float32Array;
    let T: number;
    if (this.vtln && this.frontEndInput === 'pcm') {
      // Samples of the utterance's frames: frame j starts at sample j * samplesPerFrame.
      const from = this.uttStart * this.samplesPerFrame;
      const f = this.model.features;
      const to = toEnd ? this.pcm.end : (this.uttStart + cut) * this.samplesPerFrame + (f.stack - 1) * f.hopLength + f.frameLength - this.samplesPerFrame;
      const pcm = this.pcm.view(from, to);
      const r = await posteriorsWithVtln(pcm, this.model, this.session, { ...this.vtln, warps: this.warp.candidates(this.vtln.warps) });
      this.warp.vote(r.warp, pcm.length / SAMPLE_RATE);
      T = Math.min(r.features.frames, cut);
      lp = r.logprobs.subarray(0, T * U);
    } else {
      const m: FeatureMatrix = { data: this.frames.rows(0, cut), frames: cut, dim: D };
      lp = await this.session.run(m);
      T = cut;
    }
    return this.decoders.decode(lp, T, U);
  }

  /** Starts the next utterance at global frame `globalFrame`; frames [cut, held) move to it. */
  private startUtterance(globalFrame: number, cut: number): void {
    this.frames.keepFrom(cut);
    for (const w of this.warps) w.chunkState = this.stream.initialState();
    this.uttStart = globalFrame;
    this.processed = 0;
    this.posts = new Float32Array(0);
    this.chunkState = this.stream.initialState();
    this.partialDecoder = this.decoders.createPartial();
    this.lastPartial = '';
    this.endpoint = new EndpointDetector(this.endpointCfg, this.frameSec);
    this.blankRun = 0;
    // PCM from the new utterance's first frame on.
    this.pcm.dropBefore(globalFrame * this.samplesPerFrame);
  }
}

async function releaseGraphs(g: { session: AcousticSession; stream: StreamingAcousticSession }): Promise<void> {
  await Promise.all([g.session.release(), g.stream.release()]);
}

let sharedLexicon: PronunciationLookup | null = null;

/** Keywords can be any word: CMUdict + G2P, loaded once per process. */
function buildLexiconForKeywords(): PronunciationLookup {
  sharedLexicon ??= new Lexicon();
  return sharedLexicon;
}
