/**
 * The typed IPC contract of live recognition: channel -> request / response types and their
 * runtime validators, and the event stream back to the renderer. The main-process service
 * (src-main/engine/recognition-service.ts) and the preload bridge are derived from this module,
 * so adding a channel is one edit here.
 *
 * Flow: start (returns a stream id and the feature configuration the renderer must compute MFCC
 * with) -> push MFCC rows (or 16 kHz PCM) every ~50 ms (bench/streaming.bench.ts: word latency
 * median 259 ms at 50 ms pushes, 299 ms at 100 ms) -> configure (mode, keywords) at any
 * time -> stop (flushes the last final). Events arrive on RECOGNITION_EVENT_CHANNEL as
 * { streamId, event } in the order the recognizer produced them.
 */
import type { WordMark } from '../text/word-marks.ts';
import type { FeatureConfig } from '../features/config.ts';
import {
  arrayOf, finiteNumber, IpcPayloadError, oneOf, onlyKeys, optional, record, string, type Check,
} from './validate.ts';

/** What to listen for (mirrors the engine's RecognitionMode). */
export type ModeSpec =
  | { kind: 'dictation' }
  | { kind: 'words'; items: string[] }
  | { kind: 'phrases'; items: string[] };

/** A keyword to spot (the decoders' KeywordSpec is this type). */
export interface KeywordSpecWire {
  text: string;
  /** (0, 1]; higher fires more easily. Default 0.5. */
  sensitivity?: number;
}

/** One recognized word; times in seconds from the start of the input, confidence in [0, 1] (the decoders' WordResult is this type). */
export interface WordWire {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** One keyword detection; times in seconds from the start of the stream or file (the spotter's KeywordHit is this type). */
export interface KeywordHitWire {
  /** The keyword, normalized (words joined by single spaces). */
  keyword: string;
  /** Start of the first phoneme's first frame. */
  start: number;
  /** End of the last phoneme's last frame (exclusive). */
  end: number;
  /** (0, 1], higher = surer. */
  score: number;
}

/**
 * What a rejected phrase-mode utterance sounded like (the final's text stays '' and its phrase
 * null: nothing was recognized). `closest`: the listed phrase that fit best (the decoder's choice
 * before the threshold), or null when no phrase could align with the utterance (too short for any);
 * `confidence`: that phrase's confidence in [0, 1], under the threshold; `heard`: the model's
 * greedy reading of the utterance, its units (phonemes such as "N EH K S T", sound tokens) separated
 * by single spaces, '' when it heard none.
 */
export interface PhraseRejectionWire {
  closest: string | null;
  confidence: number;
  heard: string;
}

/**
 * Events of a stream; times in seconds from the stream's start, audioSec = audio pushed when
 * produced. A phrase-mode final has `phrase` (null = rejected) and, when rejected, `rejection`
 * (PhraseRejectionWire). A final's `model` is the package ("name version") that decoded it: a
 * stream can move to a new version of its model between utterances (a hot swap) without restarting.
 * An open-dictation final may carry `marks`: the punctuation/case tagger's case and following
 * punctuation for each of its words (src-shared/text/word-marks.ts), present when the app's settings
 * formatDictation and punctuate are on; spoken editing's addFinal applies them.
 */
export type RecognitionEvent =
  | { type: 'partial'; text: string; stable: string; audioSec: number }
  | { type: 'final'; text: string; words: WordWire[]; confidence: number; phrase?: string | null; rejection?: PhraseRejectionWire; start: number; end: number; audioSec: number; model?: string; marks?: WordMark[] }
  | { type: 'keyword'; keyword: string; start: number; end: number; score: number; audioSec: number }
  | { type: 'endpoint'; rule: 'rule1' | 'rule2' | 'rule3' | 'end-of-stream'; start: number; end: number; audioSec: number };

export interface StartRequest {
  input: 'mfcc' | 'pcm';
  mode: ModeSpec;
  keywords?: KeywordSpecWire[];
  /** Seconds of silence after speech that end an utterance (endpoint rule2). */
  endpointSilenceSec?: number;
  /** LC-BLSTM chunk and look-ahead in model frames (default: the model's own). */
  chunkFrames?: number;
  lookaheadFrames?: number;
}
export interface StartResponse {
  streamId: string;
  /** Compute MFCC with exactly this configuration (sampleRate, frameLength, hopLength, numMfcc, melBands). */
  features: FeatureConfig;
  chunkFrames: number;
  lookaheadFrames: number;
  /**
   * MFCC input: keyword spotting also listens under these frequency warps when each push carries
   * `warped`, the same frames computed with the MFCC filter bank warped by each (src-shared
   * MfccKernel warp), in this order.
   */
  keywordWarps: number[];
}
export interface PushRequest {
  streamId: string;
  /** MFCC rows (numMfcc wide, one per hop) or 16 kHz mono PCM, as chosen at start. */
  data: Float32Array;
  /** MFCC input only: rows for each of StartResponse.keywordWarps, as long as `data`; with every push or never. */
  warped?: Float32Array[];
}
export interface PushResponse {
  audioSec: number;
}
export interface ConfigureRequest {
  streamId: string;
  mode?: ModeSpec;
  keywords?: KeywordSpecWire[];
}
export interface StopRequest {
  streamId: string;
}
export interface StopResponse {
  audioSec: number;
}
export interface RecognitionEventMessage {
  streamId: string;
  event: RecognitionEvent;
}

/** Limits on one message: a list of 1000 phrases, 100 keywords (each searched at every frame), 10 s of PCM or MFCC per push. */
export const MAX_LIST_ITEMS = 1000;
export const MAX_KEYWORDS = 100;
export const MAX_PUSH_VALUES = 160_000;

const item: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 200);
  if (!s.trim()) throw new IpcPayloadError(c, f, 'must not be empty');
  return s;
};

export const checkMode: Check<ModeSpec> = (value, channel, field) => {
  const m = record(value, channel, field);
  const kind = oneOf(['dictation', 'words', 'phrases'] as const)(m.kind, channel, `${field}.kind`);
  if (kind === 'dictation') {
    onlyKeys(m, ['kind'], channel, field);
    return { kind };
  }
  onlyKeys(m, ['kind', 'items'], channel, field);
  const items = arrayOf(item, MAX_LIST_ITEMS)(m.items, channel, `${field}.items`);
  if (items.length === 0) throw new IpcPayloadError(channel, `${field}.items`, `must list at least one ${kind === 'words' ? 'word' : 'phrase'}`);
  return { kind, items };
};

export const checkKeyword: Check<KeywordSpecWire> = (value, channel, field) => {
  const k = record(value, channel, field);
  onlyKeys(k, ['text', 'sensitivity'], channel, field);
  const text = item(k.text, channel, `${field}.text`);
  const sensitivity = optional((v, c, f) => finiteNumber(v, c, f, Number.MIN_VALUE, 1))(k.sensitivity, channel, `${field}.sensitivity`);
  return sensitivity === undefined ? { text } : { text, sensitivity };
};

/**
 * Throws IpcPayloadError unless `value` is a PhraseRejectionWire. The lengths allow any phrase of a
 * CLI list file and the reading of the longest utterance (endpoint rule3), so only a malformed
 * value fails.
 */
export const checkPhraseRejection: Check<PhraseRejectionWire> = (value, channel, field) => {
  const r = record(value, channel, field);
  onlyKeys(r, ['closest', 'confidence', 'heard'], channel, field);
  let closest: string | null = null;
  if (r.closest !== null) {
    closest = string(r.closest, channel, `${field}.closest`);
    if (!closest.trim()) throw new IpcPayloadError(channel, `${field}.closest`, 'must not be empty');
  }
  return {
    closest,
    confidence: finiteNumber(r.confidence, channel, `${field}.confidence`, 0, 1),
    heard: string(r.heard, channel, `${field}.heard`, 100_000),
  };
};

const streamId: Check<string> = (v, c, f) => string(v, c, f, 100);

/** Channel names and request validators (responses come from our own process and are typed). */
export const RECOGNITION_CHANNELS = {
  start: {
    name: 'recognition:start',
    request: (value: unknown): StartRequest => {
      const c = 'recognition:start';
      const r = record(value, c, 'request');
      onlyKeys(r, ['input', 'mode', 'keywords', 'endpointSilenceSec', 'chunkFrames', 'lookaheadFrames'], c, 'request');
      const keywords = optional(arrayOf(checkKeyword, MAX_KEYWORDS))(r.keywords, c, 'keywords');
      const endpointSilenceSec = optional((v, ch, f) => finiteNumber(v, ch, f, 0.1, 10))(r.endpointSilenceSec, c, 'endpointSilenceSec');
      const frames = (min: number, max: number): Check<number> => (v, ch, f) => {
        const n = finiteNumber(v, ch, f, min, max);
        if (!Number.isInteger(n)) throw new IpcPayloadError(ch, f, `must be an integer, got ${n}`);
        return n;
      };
      const chunkFrames = optional(frames(1, 64))(r.chunkFrames, c, 'chunkFrames');
      const lookaheadFrames = optional(frames(0, 32))(r.lookaheadFrames, c, 'lookaheadFrames');
      return {
        input: oneOf(['mfcc', 'pcm'] as const)(r.input, c, 'input'),
        mode: checkMode(r.mode, c, 'mode'),
        ...(keywords ? { keywords } : {}),
        ...(endpointSilenceSec !== undefined ? { endpointSilenceSec } : {}),
        ...(chunkFrames !== undefined ? { chunkFrames } : {}),
        ...(lookaheadFrames !== undefined ? { lookaheadFrames } : {}),
      };
    },
  },
  push: {
    name: 'recognition:push',
    /** Only the shape here; the row width is checked against the stream's input by the service. */
    request: (value: unknown): { streamId: string; data: unknown; warped?: unknown } => {
      const c = 'recognition:push';
      const r = record(value, c, 'request');
      onlyKeys(r, ['streamId', 'data', 'warped'], c, 'request');
      return { streamId: streamId(r.streamId, c, 'streamId'), data: r.data, ...(r.warped !== undefined ? { warped: r.warped } : {}) };
    },
  },
  configure: {
    name: 'recognition:configure',
    request: (value: unknown): ConfigureRequest => {
      const c = 'recognition:configure';
      const r = record(value, c, 'request');
      onlyKeys(r, ['streamId', 'mode', 'keywords'], c, 'request');
      const mode = optional(checkMode)(r.mode, c, 'mode');
      const keywords = optional(arrayOf(checkKeyword, MAX_KEYWORDS))(r.keywords, c, 'keywords');
      if (!mode && !keywords) throw new IpcPayloadError(c, 'request', 'must change mode, keywords or both');
      return { streamId: streamId(r.streamId, c, 'streamId'), ...(mode ? { mode } : {}), ...(keywords ? { keywords } : {}) };
    },
  },
  stop: {
    name: 'recognition:stop',
    request: (value: unknown): StopRequest => {
      const c = 'recognition:stop';
      const r = record(value, c, 'request');
      onlyKeys(r, ['streamId'], c, 'request');
      return { streamId: streamId(r.streamId, c, 'streamId') };
    },
  },
} as const;

export type RecognitionChannel = keyof typeof RECOGNITION_CHANNELS;

/** Request and response type of each channel. */
export interface RecognitionApi {
  start: { request: StartRequest; response: StartResponse };
  push: { request: PushRequest; response: PushResponse };
  configure: { request: ConfigureRequest; response: { ok: true } };
  stop: { request: StopRequest; response: StopResponse };
}

export const RECOGNITION_EVENT_CHANNEL = 'recognition:event';

/** What the renderer holds (the preload bridge, or an in-memory transport in tests). */
export interface RecognitionClient {
  invoke<C extends RecognitionChannel>(channel: C, request: RecognitionApi[C]['request']): Promise<RecognitionApi[C]['response']>;
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (message: RecognitionEventMessage) => void): () => void;
}
