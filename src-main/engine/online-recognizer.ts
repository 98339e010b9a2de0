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
 * MAX_UTTERANCE_SEC, utterance-endpointer.ts).
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
 *
 * Parts: calls run one at a time (SerialCallQueue); what was pushed, through the front-ends of
 * every keyword warp (OnlineInput); keyword spotting under each warp (KeywordWarpBank); the model
 * in use, its VTLN and a pending swap (SwappableModel); the utterance's frames (UtteranceFrames),
 * partial result (UtterancePartial) and end (UtteranceEndpointer).
 */
import { modelFrameSec, SAMPLE_RATE } from '../../src-shared/features/config.ts';
import { checkPhraseRejection, type PhraseRejectionWire, type RecognitionEvent } from '../../src-shared/ipc/recognition-contract.ts';

import type { KeywordHit, KeywordSpec, KeywordSpotter } from '../decode/keyword-spotter.ts';
import { endpointConfig, type EndpointRuleName } from './endpoint-detector.ts';
import { buildKeywordSpotter, DEFAULT_KEYWORD_WARPS, extraKeywordWarps, KeywordWarpBank } from './keyword-warp-bank.ts';
import { KEYWORD_CANDIDATE_FACTOR, KeywordVerifier } from './keyword-verifier.ts';
import { loadModelPackage, ModelMismatchError, sameJson, type ModelPackage } from '../model/model-package.ts';
import { checkSwappable, modelLabel } from './model-swap.ts';
import { OnlineInput, type InputFrames } from './online-input.ts';
import type { OnlineRecognizerOptions } from './online-recognizer-options.ts';
import { resolveModelDir } from '../model/package-paths.ts';
import { buildDecoders, keywordOptionsForModel, sameDecodingSettings, type DecoderSet, type PosteriorRows, type RecognitionMode } from './recognition-decoders.ts';
import { SerialCallQueue } from './serial-call-queue.ts';
import { blankStretches, sparseVoicedStretches } from './speech-presence.ts';
import type { ChunkState } from './online-acoustic-session.ts';
import { SwappableModel } from './swappable-model.ts';
import { UtteranceEndpointer } from './utterance-endpointer.ts';
import { UtteranceFrames } from './utterance-frames.ts';
import { UtterancePartial } from './utterance-partial.ts';
import { frameTimeOffsetSec } from './word-times.ts';

export type { OnlineRecognizerOptions } from './online-recognizer-options.ts';

/** The events of a stream: the IPC contract's RecognitionEvent (src-shared/ipc). */
export type StreamEvent = RecognitionEvent;

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
  /** Preview partials that ran the streaming graph (emitPreviewPartial; the others reuse a chunk's look-ahead). */
  previews: number;
  utterances: number;
  /** Model frames handed over to utterances so far (ended utterances); no audio is dropped when this equals the frames the audio makes. */
  framesProcessed: number;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/** A decoder's rejection as the final carries it: confidence to 4 decimals, checked against the contract. */
function rejectionForWire(r: PhraseRejectionWire): PhraseRejectionWire {
  return checkPhraseRejection({ ...r, confidence: round(r.confidence, 4) }, 'recognition:event', 'final.rejection');
}

/**
 * Model frames of new audio between two preview partials (OnlineRecognizerOptions.partialPreview):
 * half a chunk of the shipped 8, so every other preview comes right after a chunk and reuses its
 * look-ahead rows instead of running the graph. Chosen on the training voices' sentences
 * (runs of bench/streaming.bench.ts's kind, 2026-12-06): every 3 frames gave word latency 109 /
 * 269 ms (median / 95th percentile) for 2.2x the streaming compute of partials from chunks alone,
 * every 4 frames 129 / 339 ms for 1.5x, every 6 frames 149 / 449 ms for about the same as 4.
 */
export const PREVIEW_EVERY_FRAMES = 4;

export class OnlineRecognizer {
  private readonly input: OnlineInput;
  private readonly frameSec: number;
  private decoders: DecoderSet;
  /** Builds the decoders of a mode (undefined: buildDecoders with the options); a hot swap may replace it. */
  private decoderFactory: ((mode: RecognitionMode) => DecoderSet) | undefined;
  private disposed = false;
  private readonly calls = new SerialCallQueue<StreamEvent>();
  private ended = false;
  readonly stats: OnlineStats = { frontEndMs: 0, streamModelMs: 0, keywordMs: 0, partialMs: 0, finalMs: 0, chunks: 0, previews: 0, utterances: 0, framesProcessed: 0 };

  // The current utterance: global model frame uttStart onwards.
  private uttStart = 0;
  /** Its frames (and each extra keyword warp's). */
  private readonly frames: UtteranceFrames;
  /** Frames run through the streaming graph. */
  private processed = 0;
  /** Frames held when a preview partial was last due (emitPreviewPartial). */
  private previewedAt = 0;
  /** Frames held when the last preview partial was made: what it showed. */
  private previewShowed = 0;
  /** Model frames of new audio between two preview partials. */
  private readonly previewEvery: number;
  /** The last chunk's look-ahead rows (a preview with nothing after them reuses them). */
  private lastLookahead: PosteriorRows | null = null;
  private chunkState: ChunkState;
  private readonly partial: UtterancePartial;
  private readonly endpoint: UtteranceEndpointer;
  private readonly keywords: KeywordWarpBank;
  /** The second stage of keyword spotting (keyword-verifier.ts); null: streaming hits are reported as they are. */
  private verifier: KeywordVerifier | null;
  /** The keyword list the spotters were built for (rebuilt when a swapped-in model brings its own threshold). */
  private keywordSpecs: readonly KeywordSpec[] = [];

  private constructor(
    /** The model in use, its VTLN and a pending hot swap. */
    private readonly current: SwappableModel,
    private readonly opts: OnlineRecognizerOptions,
    decoders: DecoderSet,
    readonly chunkFrames: number,
    readonly lookaheadFrames: number,
  ) {
    const model = current.model;
    this.decoderFactory = opts.decoders;
    this.frameSec = modelFrameSec(model.features);
    this.endpoint = new UtteranceEndpointer(endpointConfig(opts.endpoint), this.frameSec);
    this.decoders = decoders;
    this.partial = new UtterancePartial(decoders, model.architecture.numUnits);
    this.chunkState = current.stream.initialState();
    this.previewEvery = opts.previewEveryFrames ?? PREVIEW_EVERY_FRAMES;
    const { spotter, verifier } = this.keywordStages(opts.keywords);
    this.verifier = verifier;
    const warps = extraKeywordWarps(opts.keywordWarps ?? DEFAULT_KEYWORD_WARPS);
    this.keywords = new KeywordWarpBank(model.features, warps, spotter, opts.onPosteriors);
    this.input = new OnlineInput(model.features, model.normalization, opts.vad, warps, opts.vtln !== false);
    this.frames = new UtteranceFrames(this.input.dim, warps.length);
  }

  /** Loads the model (both graphs), the decoders for `opts.mode` and the keyword spotter. */
  static async create(opts: OnlineRecognizerOptions): Promise<OnlineRecognizer> {
    const model = opts.model ?? await loadModelPackage(resolveModelDir(opts.modelDir));
    if (model.features.sampleRate !== SAMPLE_RATE) {
      throw new ModelMismatchError(model.jsonPath, `features.sampleRate is ${model.features.sampleRate}, the audio front-end delivers ${SAMPLE_RATE} Hz`);
    }
    const decoders = opts.decoders ? opts.decoders(opts.mode) : buildDecoders({ ...opts, units: model.metadata.units, decoding: model.metadata.decoding }, model.frameSec);
    endpointConfig(opts.endpoint);
    const current = await SwappableModel.load(model, opts);
    const chunkFrames = opts.chunkFrames ?? current.stream.chunkFrames;
    const lookaheadFrames = opts.lookaheadFrames ?? current.stream.lookaheadFrames;
    if (!Number.isInteger(chunkFrames) || chunkFrames < 1 || !Number.isInteger(lookaheadFrames) || lookaheadFrames < 0) {
      await current.release();
      throw new Error(`chunkFrames must be an integer >= 1 and lookaheadFrames >= 0, got ${chunkFrames} / ${lookaheadFrames}`);
    }
    if (opts.previewEveryFrames !== undefined && !(Number.isInteger(opts.previewEveryFrames) && opts.previewEveryFrames >= 1)) {
      await current.release();
      throw new Error(`previewEveryFrames must be an integer >= 1, got ${opts.previewEveryFrames}`);
    }
    return new OnlineRecognizer(current, opts, decoders, chunkFrames, lookaheadFrames);
  }

  /** The package decoding the stream now (a pending hot swap takes over at the next utterance boundary). */
  get model(): ModelPackage {
    return this.current.model;
  }

  /** A hot swap is waiting for the current utterance's final. */
  get swapPending(): boolean {
    return this.current.swapPending;
  }

  /** Seconds of audio pushed so far. */
  get audioSec(): number {
    return this.input.audioSec;
  }

  /** Pushes 16 kHz mono PCM; resolves to the events it produced. */
  acceptPcm(samples: Float32Array): Promise<StreamEvent[]> {
    return this.calls.run(async () => {
      const t0 = performance.now();
      const frames = this.input.pushPcm(samples);
      this.stats.frontEndMs += performance.now() - t0;
      await this.ingest(frames);
    });
  }

  /**
   * Pushes MFCC rows (numMfcc wide, one per 10 ms hop) as the renderer computes them. `warped`:
   * the same frames analysed with each keyword warp (keywordWarps, MfccKernel warp), so that the
   * keyword spotter listens as it does on PCM; give them with every push of a stream or never.
   */
  acceptMfcc(rows: Float32Array, warped?: readonly Float32Array[]): Promise<StreamEvent[]> {
    return this.calls.run(async () => {
      const t0 = performance.now();
      const frames = this.input.pushMfcc(rows, warped);
      this.stats.frontEndMs += performance.now() - t0;
      await this.ingest(frames);
    });
  }

  /** The keyword warps other than 1 that acceptMfcc's `warped` rows must follow, in order. */
  get keywordWarps(): number[] {
    return [...this.input.warps];
  }

  /** Ends the stream: decodes what is left, reports the last final and an `end-of-stream` endpoint. */
  finish(): Promise<StreamEvent[]> {
    return this.calls.run(async () => {
      if (this.ended) return;
      await this.ingest(this.input.flush());
      this.ended = true;
      while (this.processed < this.frames.held) await this.processChunk(true);
      // The spotter's last hit, while the utterance's frames are there to verify it.
      this.emitKeywords(this.keywords.flush());
      if (this.frames.held > 0 || this.endpoint.containsSpeech) await this.endUtterance(this.frames.held, 'end-of-stream');
      await this.verifyKeywords(true);
    });
  }

  /** Starts a new stream on the same recognizer (models, decoders and keywords kept). */
  reset(): Promise<StreamEvent[]> {
    return this.calls.run(async () => {
      this.input.reset();
      this.ended = false;
      this.current.restartVote();
      this.keywords.reset();
      this.verifier?.reset();
      this.frames.held = 0;
      this.startUtterance(0, 0);
    });
  }

  /** Switches the recognition mode; the current utterance is re-decoded from its start with it. */
  setMode(mode: RecognitionMode): Promise<StreamEvent[]> {
    return this.calls.run(async () => {
      this.decoders = this.buildDecoders(mode);
      this.partial.redecode(this.decoders);
      // What the live line shows already reads the previewed frames: so does the new mode's partial.
      if (this.opts.partialPreview !== false && this.previewShowed > this.processed) await this.emitPreviewPartial();
      else this.emitPartial();
    });
  }

  /** Replaces the keyword list (empty: no spotting); applies from the next frame. */
  setKeywords(keywords: readonly KeywordSpec[]): Promise<StreamEvent[]> {
    return this.calls.run(() => this.replaceKeywordStages(keywords));
  }

  private async replaceKeywordStages(keywords: readonly KeywordSpec[]): Promise<void> {
    const { spotter, verifier } = this.keywordStages(keywords);
    this.emitKeywords(this.keywords.setSpotter(spotter, this.uttStart + this.processed));
    // The old list's candidates are decided now, by the old list's verifier.
    await this.verifyKeywords(true);
    this.verifier = verifier;
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
    checkSwappable(this.model, model);
    if (this.disposed) throw new Error('swapModel: the recognizer was disposed');
    const pending = await this.current.prepare(model, opts.decoders, this.decoders.mode);
    return this.calls.run(async () => {
      if (this.disposed) {
        await this.current.discard(pending);
        throw new Error('swapModel: the recognizer was disposed');
      }
      await this.current.setPending(pending);
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
    await this.calls.idle();
    await this.current.release();
  }

  /**
   * The keyword spotters for `keywords`: with verification (OnlineRecognizerOptions.keywordVerify),
   * the streaming one at KEYWORD_CANDIDATE_FACTOR times the threshold and the verifier at it;
   * without, the streaming one at the threshold. The threshold is the caller's keyword option, else
   * the current model's (decoding.keywords), else the default. Remembers `keywords` for a swap.
   */
  private keywordStages(keywords: readonly KeywordSpec[] | undefined): { spotter: KeywordSpotter | null; verifier: KeywordVerifier | null } {
    this.keywordSpecs = keywords ?? [];
    const { units, decoding } = this.current.model.metadata;
    const strict = buildKeywordSpotter(keywords, { ...this.opts, keyword: keywordOptionsForModel(this.opts.keyword, decoding) }, units);
    if (!strict || this.opts.keywordVerify === false) return { spotter: strict, verifier: null };
    const lenient = { ...this.opts, keyword: { ...strict.opts, llrThreshold: strict.opts.llrThreshold * KEYWORD_CANDIDATE_FACTOR } };
    return { spotter: buildKeywordSpotter(keywords, lenient, units), verifier: new KeywordVerifier(strict, this.frameSec, frameTimeOffsetSec(this.current.model.features)) };
  }

  private buildDecoders(mode: RecognitionMode): DecoderSet {
    return this.decoderFactory ? this.decoderFactory(mode) : buildDecoders({ ...this.opts, mode, units: this.model.metadata.units, decoding: this.model.metadata.decoding }, this.model.frameSec);
  }

  /**
   * Between utterances: the pending swap's model (and decoders, when it brings them) takes over.
   * A swap without decoders keeps the ones in use, except that decoders this recognizer built
   * itself are built again when the new model carries other calibrated phrase or word confidence
   * settings.
   */
  private async applySwap(): Promise<void> {
    const before = this.model;
    const swapped = await this.current.applyPending(this.decoders.mode);
    if (swapped) {
      this.decoderFactory = swapped.factory;
      this.decoders = swapped.decoders;
    } else if (this.model !== before && !this.decoderFactory
      && !sameDecodingSettings(before.metadata.decoding, this.model.metadata.decoding)) {
      this.decoders = this.buildDecoders(this.decoders.mode);
    }
    // The new model's own keyword threshold (decoding.keywords) applies to the same list.
    if (this.model !== before && this.keywordSpecs.length > 0
      && !sameJson(before.metadata.decoding?.keywords, this.model.metadata.decoding?.keywords)) {
      await this.replaceKeywordStages(this.keywordSpecs);
    }
  }

  private async ingest(input: InputFrames): Promise<void> {
    this.frames.append(input.frames.data, input.voiced, input.frames.frames, input.warped.map((m) => m.data));
    const before = this.processed;
    while (this.frames.held - this.processed >= this.chunkFrames + this.lookaheadFrames) await this.processChunk(false);
    await this.verifyKeywords(false);
    if (this.opts.partialPreview === false) {
      if (this.processed > before) this.emitPartial();
    } else if (this.frames.held - this.previewedAt >= this.previewEvery) {
      let heard = false;
      for (let i = this.previewedAt; i < this.frames.held && !heard; i++) heard = this.frames.voiced(i);
      this.previewedAt = this.frames.held;
      // No voiced frame since the last look: nothing new to preview. The chunks' own partial is
      // reported once they cover what the last preview showed (never a shorter one before that).
      if (heard) {
        this.previewShowed = this.frames.held;
        await this.emitPreviewPartial();
      } else if (this.processed > before && this.processed >= this.previewShowed) this.emitPartial();
    }
  }

  /**
   * The partial with every frame heard so far: the frames not yet in a chunk (the pending look-ahead
   * and any after it) run through the streaming graph from the current state without moving it, and
   * their provisional posteriors go to the partial decoder as a preview (PartialDecoder.partial's
   * `ahead`: never into its state, the stable words, the keyword spotter or the endpoint detector; a
   * chunk computes those frames again with its own look-ahead). So a word shows soon after it is
   * heard (PREVIEW_EVERY_FRAMES), instead of up to a chunk and a look-ahead later.
   */
  private async emitPreviewPartial(): Promise<void> {
    const pending = this.frames.held - this.processed;
    if (pending <= 0) { this.emitPartial(); return; }
    const U = this.model.architecture.numUnits;
    const ahead = this.lastLookahead;
    if (ahead && ahead.frames === pending) {
      // Nothing came after the last chunk's look-ahead: its rows are the preview.
      const t = performance.now();
      this.emitPartial(ahead);
      this.stats.partialMs += performance.now() - t;
      return;
    }
    const t0 = performance.now();
    const r = await this.current.stream.runChunk(this.frames.rows(this.processed, this.frames.held), new Float32Array(0), this.chunkState);
    const t1 = performance.now();
    this.stats.streamModelMs += t1 - t0;
    this.stats.previews++;
    this.emitPartial({ logprobs: r.logprobs, frames: r.logprobs.length / U, numUnits: U });
    this.stats.partialMs += performance.now() - t1;
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
    const r = await this.current.stream.runChunk(this.frames.rows(s, e), this.frames.rows(e, le), this.chunkState);
    const warpRows = await this.keywords.runChunk(this.current.stream, this.frames, s, e, le, this.input.warpsFed);
    const t1 = performance.now();
    this.stats.streamModelMs += t1 - t0;
    this.stats.chunks++;
    this.chunkState = r.state;
    // Its look-ahead rows: what a preview right after this chunk would compute again.
    this.lastLookahead = { logprobs: r.logprobs.subarray((e - s) * U), frames: r.logprobs.length / U - (e - s), numUnits: U };
    let kwMs = 0;
    for (let i = 0; i < e - s; i++) {
      const row = r.logprobs.subarray(i * U, (i + 1) * U);
      this.opts.onPosteriors?.(row, 1, U, 1);
      const k0 = performance.now();
      this.emitKeywords(this.keywords.spotFrame(row, warpRows, i, U));
      kwMs += performance.now() - k0;
      const rule = this.endpoint.push(row, this.frames.voiced(s + i));
      this.partial.advance(row);
      this.processed++;
      if (rule) {
        this.stats.keywordMs += kwMs;
        this.stats.partialMs += performance.now() - t1 - kwMs;
        await this.endUtterance(this.processed, rule);
        return true;
      }
    }
    if (last) this.emitPartial();
    this.stats.keywordMs += kwMs;
    this.stats.partialMs += performance.now() - t1 - kwMs;
    return false;
  }

  /** Reports the partial when it changed; `ahead`: provisional rows of the frames after those decoded (emitPreviewPartial). */
  private emitPartial(ahead?: PosteriorRows): void {
    const p = this.partial.changed(ahead);
    if (p) this.calls.emit({ type: 'partial', text: p.text, stable: p.stable, audioSec: round(this.audioSec) });
  }

  /** Hits already on the stream's timeline (KeywordWarpBank): candidates for the verifier when there is one, else reported. */
  private emitKeywords(hits: readonly KeywordHit[]): void {
    if (this.verifier) this.verifier.add(hits);
    else this.reportKeywords(hits);
  }

  /**
   * Decides the keyword candidates whose right context has arrived (all when `all`: the
   * utterance's frames are about to go) with the whole-utterance graph, and reports those it keeps.
   */
  private async verifyKeywords(all: boolean): Promise<void> {
    if (!this.verifier || this.verifier.waiting === 0) return;
    const t0 = performance.now();
    const U = this.model.architecture.numUnits;
    const hits = await this.verifier.decide(this.uttStart, this.frames.held, all, async (w) => {
      const lp = await this.current.finalPosteriors(null, { data: this.frames.rows(w.from, w.to), frames: w.to - w.from, dim: this.input.dim });
      return { ...lp, numUnits: U };
    });
    this.stats.keywordMs += performance.now() - t0;
    this.reportKeywords(hits);
  }

  private reportKeywords(hits: readonly KeywordHit[]): void {
    for (const h of hits) {
      this.calls.emit({
        type: 'keyword', keyword: h.keyword, start: round(h.start), end: round(h.end),
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
    await this.verifyKeywords(true);
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
      this.calls.emit({
        type: 'final', text: r.text, words, confidence: round(r.confidence ?? 0, 4),
        ...(this.decoders.mode.kind === 'phrases' ? { phrase: r.phrase ?? null } : {}),
        ...(r.rejection ? { rejection: rejectionForWire(r.rejection) } : {}),
        start: round(start), end: round(end), audioSec: round(this.audioSec), model: modelLabel(this.model),
      });
      this.calls.emit({ type: 'endpoint', rule, start: round(start), end: round(end), audioSec: round(this.audioSec) });
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
    const pcm = this.current.vtln && this.input.source === 'pcm' ? this.input.framesPcm(this.uttStart, toEnd ? null : this.uttStart + cut) : null;
    const lp = await this.current.finalPosteriors(pcm, { data: this.frames.rows(0, cut), frames: cut, dim: this.input.dim });
    // As in file mode: voiced stretches too sparse in phonemes to be speech (music) are heard as nothing.
    const U = this.model.architecture.numUnits;
    const voiced = new Uint8Array(lp.frames);
    for (let i = 0; i < Math.min(cut, lp.frames); i++) voiced[i] = this.frames.voiced(i) ? 1 : 0;
    const heard = blankStretches(lp.logprobs, U, sparseVoicedStretches(lp.logprobs, lp.frames, U, voiced, this.model.frameSec));
    return this.decoders.decode(heard, lp.frames, U);
  }

  /** Starts the next utterance at global frame `globalFrame`; frames [cut, held) move to it. */
  private startUtterance(globalFrame: number, cut: number): void {
    this.frames.keepFrom(cut);
    this.keywords.restartChunks();
    this.uttStart = globalFrame;
    this.processed = 0;
    this.previewedAt = 0;
    this.previewShowed = 0;
    this.lastLookahead = null;
    this.chunkState = this.current.stream.initialState();
    this.partial.restart(this.decoders);
    this.endpoint.reset();
    // PCM from the new utterance's first frame on.
    this.input.dropPcmBefore(globalFrame);
  }
}
