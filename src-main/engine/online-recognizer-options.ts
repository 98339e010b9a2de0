/**
 * The options of the streaming recognizer (online-recognizer.ts): the model, what to listen for,
 * endpointing, chunking, VTLN and keyword warps.
 */
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import type { BeamSearchOptions } from '../decode/ctc-prefix-beam-search.ts';
import type { KeywordSpec, KeywordSpotterOptions } from '../decode/keyword-spotter.ts';
import type { PhraseDecoderOptions } from '../decode/phrase-decoder.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { ModelPackage } from '../model/model-package.ts';
import type { ExecutionProvider } from './offline-acoustic-session.ts';
import type { EndpointRule, EndpointRuleName } from './endpoint-detector.ts';
import type { VadOptions } from './energy-vad.ts';
import type { DecoderSet, RecognitionMode } from './recognition-decoders.ts';
import type { VtlnOptions } from './vtln.ts';

export interface OnlineRecognizerOptions {
  modelDir?: string;
  model?: ModelPackage;
  mode: RecognitionMode;
  /** Keywords to spot all the time (any mode); empty or omitted: none. */
  keywords?: readonly KeywordSpec[];
  keyword?: Partial<KeywordSpotterOptions>;
  /**
   * Two-stage keyword spotting (keyword-verifier.ts): the streaming spotter proposes candidates at
   * a more lenient threshold and the whole-utterance graph decides each at `keyword`'s, once
   * VERIFY_RIGHT_SEC of audio after it has arrived. Default true; false: streaming hits are reported
   * as they come, at `keyword`'s threshold.
   */
  keywordVerify?: boolean;
  lexicon?: PronunciationLookup;
  /** The user's own words (pronounced first; added to dictation's vocabulary). */
  userWords?: readonly UserWord[];
  lmPath?: string;
  beam?: Partial<BeamSearchOptions>;
  phrase?: Partial<PhraseDecoderOptions>;
  /** Dictation leaves out words under this calibrated confidence (DecoderOptions.minWordConfidence). */
  minWordConfidence?: number;
  endpoint?: { [K in EndpointRuleName]?: Partial<EndpointRule> };
  vad?: Partial<VadOptions>;
  /** LC-BLSTM chunk and look-ahead in model frames (default: the model's metadata.streaming). */
  chunkFrames?: number;
  lookaheadFrames?: number;
  /**
   * Partials every PREVIEW_EVERY_FRAMES model frames read the frames not yet in a chunk too, through the streaming graph from
   * the current state (provisional posteriors: a chunk computes those frames again with its own
   * look-ahead; they never reach the stable words, the keyword spotter or the endpoint detector), so
   * a word shows soon after it is heard instead of up to a chunk and a look-ahead later. It costs a
   * short graph run every other preview (the others reuse a chunk's look-ahead rows). Default true; false: a partial after each chunk, from
   * the chunks' own frames only, as before 2026-12-06.
   */
  partialPreview?: boolean;
  /** Model frames of new audio between two preview partials (default PREVIEW_EVERY_FRAMES, online-recognizer.ts); a whole number of at least 1. */
  previewEveryFrames?: number;
  provider?: ExecutionProvider;
  /** onnxruntime intra-op threads of both graphs (default 1: DEFAULT_SESSION_THREADS, measured in bench/inference-cost.bench.ts). */
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
   * the warped rows too): each runs its own front-end and streaming graph, and a keyword heard
   * under any of them is reported once. Default DEFAULT_KEYWORD_WARPS (keyword-warp-bank.ts);
   * [1] turns it off.
   */
  keywordWarps?: readonly number[];
  /**
   * Sees every streaming posterior row the keyword spotter and partial decoder see, in stream
   * order ([frames, numUnits] log-probabilities), with the frequency warp it was computed under
   * (1, or a keyword warp): for calibration and diagnostics.
   */
  onPosteriors?: (logprobs: Float32Array, frames: number, numUnits: number, warp: number) => void;
}
