/**
 * The main-process side of live recognition, behind the IPC contract of
 * src-shared/ipc/recognition-contract.ts and free of Electron: the Electron wiring (and tests,
 * over an in-memory transport) call handle(senderId, channel, payload) and deliver what `emit`
 * produces. Every payload is validated; a stream belongs to the sender that started it and no
 * other sender can push to, reconfigure or stop it. Decoders are built once per mode (a
 * DecoderCache, shareable with file jobs) and the model once per service, so starting a stream
 * costs two onnxruntime sessions.
 *
 * adoptModel moves the service to another package with the same front-end (model-swap.ts): every
 * running stream hot-swaps at its next utterance boundary (OnlineRecognizer.swapModel) and new
 * streams start on it, so a new model version needs neither a restart nor a gap in the audio.
 */
import { randomUUID } from 'node:crypto';
import { numAnalysisFrames } from '../../src-shared/features/framing.ts';
import {
  MAX_PUSH_VALUES, RECOGNITION_CHANNELS, type ModeSpec, type RecognitionApi, type RecognitionChannel, type RecognitionEventMessage,
} from '../../src-shared/ipc/recognition-contract.ts';
import { float32Rows, IpcPayloadError } from '../../src-shared/ipc/validate.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { checkSwappable } from './model-swap.ts';
import { OnlineRecognizer, type StreamEvent } from './online-recognizer.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { DecoderCache } from './decoder-cache.ts';
import type { RecognitionMode } from './recognition-decoders.ts';
import { sharedPunctuationTagger, type PunctuationTagger } from './punctuation-tagger.ts';

/** A request that names a stream the sender does not own, or that does not exist. */
export class StreamAccessError extends Error {
  constructor(channel: string, streamId: string) {
    super(`${channel}: no stream "${streamId}" started by this window`);
    this.name = 'StreamAccessError';
  }
}

export interface RecognitionServiceOptions {
  /** The model streams start on (adoptModel replaces it). */
  model: ModelPackage;
  /** Delivers an event to the window that owns the stream. */
  emit: (senderId: number, message: RecognitionEventMessage) => void;
  /** Streams one sender may run at once (a window has one microphone). */
  maxStreamsPerSender?: number;
  /** Decoders shared with other users of the model (default: a cache of this service's own). */
  decoders?: DecoderCache;
  /** The user's own words, for keyword pronunciations (the decoders get them from the cache). */
  userWords?: readonly UserWord[];
  /**
   * Whether open-dictation finals carry the punctuation tagger's marks (the app: settings
   * formatDictation and punctuate), read at each final; absent: never. Tagging a final takes well
   * under a millisecond (bench/results/punctuation.json); partials are never tagged.
   */
  punctuate?: () => boolean;
  /** The tagger (default: the shipped one, shared by the process). */
  tagger?: () => Promise<PunctuationTagger>;
  /** Frequency warps keywords are spotted with (default DEFAULT_KEYWORD_WARPS); MFCC streams then push each extra warp's rows. */
  keywordWarps?: readonly number[];
}

interface ActiveStream {
  owner: number;
  input: 'mfcc' | 'pcm';
  rec: OnlineRecognizer;
}

export class RecognitionService {
  private readonly streams = new Map<string, ActiveStream>();
  private decoders: DecoderCache;
  private model: ModelPackage;
  private readonly maxPerSender: number;
  private userWords: readonly UserWord[] | undefined;

  constructor(private readonly opts: RecognitionServiceOptions) {
    this.maxPerSender = opts.maxStreamsPerSender ?? 2;
    this.model = opts.model;
    this.decoders = opts.decoders ?? new DecoderCache(opts.model.frameSec, 8, undefined, opts.model.metadata.units, opts.model.metadata.decoding);
    this.userWords = opts.userWords;
  }

  /** The model new streams start on. */
  get currentModel(): ModelPackage {
    return this.model;
  }

  /**
   * Moves the service to `model`: streams started from now on use it, and every running stream
   * hot-swaps to it at its next utterance boundary (its audio continues without a gap; finals
   * name the model that decoded them). `decoders` (default: a cache of the service's own for the
   * new model) serves both. Throws ModelSwapError, nothing changed, when the model does not fit
   * the streams' front-end (then retire the service and start a new one for the model). Resolves
   * once every stream holds the new model's graphs, to the number of streams moved. Should loading
   * the graphs fail for a stream (onnxruntime out of memory), it rejects and new streams stay on
   * the old model; streams that already hold the new graphs keep them.
   */
  async adoptModel(model: ModelPackage, decoders?: DecoderCache): Promise<number> {
    checkSwappable(this.model, model);
    const cache = decoders ?? new DecoderCache(model.frameSec, 8, this.userWords, model.metadata.units, model.metadata.decoding);
    const moving = [...this.streams.entries()];
    await Promise.all(moving.map(async ([streamId, s]) => {
      try {
        const dictation = s.rec.mode.kind === 'dictation';
        this.deliver(s.owner, streamId, await this.marked(await s.rec.swapModel(model, { decoders: cache.get }), dictation));
      } catch (e) {
        // A stream stopped meanwhile has nothing left to move.
        if (this.streams.get(streamId) === s) throw e;
      }
    }));
    this.model = model;
    this.decoders = cache;
    return moving.length;
  }

  /** New user words for streams started from now on (with decoders from the shared cache). */
  setUserWords(words: readonly UserWord[]): void {
    this.userWords = words;
    this.decoders.setUserWords(words);
  }

  /** Handles one request from `senderId`; resolves to the channel's response, rejects with a clear error. */
  async handle<C extends RecognitionChannel>(senderId: number, channel: C, payload: unknown): Promise<RecognitionApi[C]['response']> {
    switch (channel) {
      case 'start': return this.start(senderId, payload) as Promise<RecognitionApi[C]['response']>;
      case 'push': return this.push(senderId, payload) as Promise<RecognitionApi[C]['response']>;
      case 'configure': return this.configure(senderId, payload) as Promise<RecognitionApi[C]['response']>;
      case 'stop': return this.stop(senderId, payload) as Promise<RecognitionApi[C]['response']>;
      default: throw new Error(`unknown recognition channel "${String(channel)}"`);
    }
  }

  /** Stops every stream of a sender (its window closed or reloaded). */
  async closeSender(senderId: number): Promise<void> {
    for (const [id, s] of [...this.streams]) {
      if (s.owner !== senderId) continue;
      this.streams.delete(id);
      await s.rec.dispose();
    }
  }

  /** Stops everything (application exit). */
  async dispose(): Promise<void> {
    for (const s of this.streams.values()) await s.rec.dispose();
    this.streams.clear();
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  private async start(senderId: number, payload: unknown): Promise<RecognitionApi['start']['response']> {
    const req = RECOGNITION_CHANNELS.start.request(payload);
    const owned = [...this.streams.values()].filter((s) => s.owner === senderId).length;
    if (owned >= this.maxPerSender) throw new Error(`recognition:start: this window already runs ${owned} streams (stop one first)`);
    const model = this.model;
    const decoders = this.decoders;
    const rec = await OnlineRecognizer.create({
      model,
      mode: toMode(req.mode),
      keywords: req.keywords,
      decoders: decoders.get,
      userWords: this.userWords,
      ...(this.opts.keywordWarps ? { keywordWarps: this.opts.keywordWarps } : {}),
      ...(req.endpointSilenceSec !== undefined ? { endpoint: { rule2: { minTrailingSilenceSec: req.endpointSilenceSec } } } : {}),
      ...(req.chunkFrames !== undefined ? { chunkFrames: req.chunkFrames } : {}),
      ...(req.lookaheadFrames !== undefined ? { lookaheadFrames: req.lookaheadFrames } : {}),
    });
    // The service adopted another model while this one was loading: the stream follows it.
    try {
      while (rec.model !== this.model) await rec.swapModel(this.model, { decoders: this.decoders.get });
    } catch (e) {
      await rec.dispose();
      throw e;
    }
    const streamId = randomUUID();
    this.streams.set(streamId, { owner: senderId, input: req.input, rec });
    await rec.reset();
    return { streamId, features: { ...model.features }, chunkFrames: rec.chunkFrames, lookaheadFrames: rec.lookaheadFrames, keywordWarps: req.input === 'mfcc' ? rec.keywordWarps : [] };
  }

  private async push(senderId: number, payload: unknown): Promise<RecognitionApi['push']['response']> {
    const c = RECOGNITION_CHANNELS.push.name;
    const req = RECOGNITION_CHANNELS.push.request(payload);
    const s = this.owned(senderId, req.streamId, c);
    // A stream's features are those it started with (a hot swap keeps them).
    const features = s.rec.model.features;
    const width = s.input === 'mfcc' ? features.numMfcc : 1;
    const maxValues = s.input === 'mfcc' ? numAnalysisFrames(MAX_PUSH_VALUES, features) * width : MAX_PUSH_VALUES;
    const data = float32Rows(req.data, c, 'data', width, maxValues);
    let warped: Float32Array[] | undefined;
    if (req.warped !== undefined) {
      const warps = s.input === 'mfcc' ? s.rec.keywordWarps : [];
      if (!Array.isArray(req.warped) || req.warped.length !== warps.length || warps.length === 0) {
        throw new IpcPayloadError(c, 'warped', `must be an array of ${warps.length} Float32Arrays (one per keyword warp of this ${s.input.toUpperCase()} stream)`);
      }
      warped = req.warped.map((w, i) => {
        const rows = float32Rows(w, c, `warped[${i}]`, width, maxValues);
        if (rows.length !== data.length) throw new IpcPayloadError(c, `warped[${i}]`, `must hold as many values as data (${data.length}), got ${rows.length}`);
        return rows;
      });
    }
    const dictation = s.rec.mode.kind === 'dictation';
    const events = s.input === 'mfcc' ? await s.rec.acceptMfcc(data, warped) : await s.rec.acceptPcm(data);
    this.deliver(senderId, req.streamId, await this.marked(events, dictation));
    return { audioSec: s.rec.audioSec };
  }

  private async configure(senderId: number, payload: unknown): Promise<RecognitionApi['configure']['response']> {
    const req = RECOGNITION_CHANNELS.configure.request(payload);
    const s = this.owned(senderId, req.streamId, RECOGNITION_CHANNELS.configure.name);
    const dictation = s.rec.mode.kind === 'dictation';
    if (req.mode) this.deliver(senderId, req.streamId, await this.marked(await s.rec.setMode(toMode(req.mode)), dictation));
    if (req.keywords) this.deliver(senderId, req.streamId, await s.rec.setKeywords(req.keywords));
    return { ok: true };
  }

  private async stop(senderId: number, payload: unknown): Promise<RecognitionApi['stop']['response']> {
    const req = RECOGNITION_CHANNELS.stop.request(payload);
    const s = this.owned(senderId, req.streamId, RECOGNITION_CHANNELS.stop.name);
    this.streams.delete(req.streamId);
    try {
      this.deliver(senderId, req.streamId, await this.marked(await s.rec.finish(), s.rec.mode.kind === 'dictation'));
      return { audioSec: s.rec.audioSec };
    } finally {
      await s.rec.dispose();
    }
  }

  private owned(senderId: number, streamId: string, channel: string): ActiveStream {
    const s = this.streams.get(streamId);
    if (!s || s.owner !== senderId) throw new StreamAccessError(channel, streamId);
    return s;
  }

  /** `events` with the tagger's marks on each non-empty final, when they were decoded in dictation and punctuation is on. */
  private async marked(events: readonly StreamEvent[], dictation: boolean): Promise<readonly StreamEvent[]> {
    if (!dictation || !events.some((e) => e.type === 'final' && e.words.length > 0) || !this.opts.punctuate?.()) return events;
    const tagger = await (this.opts.tagger ?? sharedPunctuationTagger)();
    const out: StreamEvent[] = [];
    for (const e of events) {
      const marks = e.type === 'final' && e.words.length > 0 ? (await tagger.tagUtterances([e.words.map((w) => w.word)]))[0] : undefined;
      out.push(marks && e.type === 'final' ? { ...e, marks } : e);
    }
    return out;
  }

  private deliver(senderId: number, streamId: string, events: readonly StreamEvent[]): void {
    for (const event of events) this.opts.emit(senderId, { streamId, event });
  }
}

/** The engine's mode for a mode received over IPC. */
export function toMode(m: ModeSpec): RecognitionMode {
  return m.kind === 'dictation' ? { kind: 'dictation' } : { kind: m.kind, items: [...m.items] };
}
