/**
 * Whole-file recognition: audio file or 16 kHz PCM -> features (src-shared/features, the same
 * front-end as training and the live path) -> acoustic model (one onnxruntime call) -> decoder.
 * Decoders and the language model are built once per recognizer and reused for every input.
 */
import { decodeAudioFile } from '../audio/index.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import type { WordResult } from '../decode/decode-types.ts';
import type { PhraseRejectionWire } from '../../src-shared/ipc/recognition-contract.ts';
import { OfflineAcousticSession, type ExecutionProvider } from './offline-acoustic-session.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../model/model-package.ts';
import { resolveModelDir } from '../model/package-paths.ts';
import { KeywordSpotter, spotKeywords, type KeywordHit, type KeywordSpec, type KeywordSpotterOptions } from '../decode/keyword-spotter.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { withUserWords } from '../lexicon/user-lexicon.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { computeFeatures } from '../../src-shared/features/compute-features.ts';
import { DEFAULT_KEYWORD_WARPS } from './keyword-warp-bank.ts';
import { blankStretches, speechPosteriors } from './speech-presence.ts';
import { buildDecoders, type DecoderSet, type RecognitionMode, type UtteranceResult } from './recognition-decoders.ts';
import type { BeamSearchOptions } from '../decode/ctc-prefix-beam-search.ts';
import type { PhraseDecoderOptions } from '../decode/phrase-decoder.ts';
import { placeWordTimes } from './word-times.ts';
import { NO_VTLN, posteriorsWithVtln, vtlnForModel, type AcousticTimings, type VtlnOptions } from './vtln.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export type { RecognitionMode } from './recognition-decoders.ts';

export interface OfflineRecognizerOptions {
  /** Model folder; default resolveModelDir() (HARK_MODEL, then models/hark-en). Ignored when `model` is given. */
  modelDir?: string;
  /** An already loaded package (shared between recognizers). */
  model?: ModelPackage;
  mode: RecognitionMode;
  /** Pronunciations; default a new Lexicon (CMUdict + G2P). */
  lexicon?: PronunciationLookup;
  /** ARPA LM for dictation; default models/lm/brown-3gram.arpa.gz. */
  lmPath?: string;
  /** Beam search options (dictation and words modes). */
  beam?: Partial<BeamSearchOptions>;
  /** Phrase decoder options (phrases mode): threshold etc. */
  phrase?: Partial<PhraseDecoderOptions>;
  /** Dictation leaves out words under this calibrated confidence (DecoderOptions.minWordConfidence). */
  minWordConfidence?: number;
  provider?: ExecutionProvider;
  threads?: number;
  /**
   * Test-time vocal tract length normalization (vtln.ts); false disables it, an object (even {})
   * enables it. Default: as the model's metadata.decoding.testTimeVtln says (vtlnForModel).
   */
  vtln?: Partial<VtlnOptions> | false;
  /** The user's own words (pronounced first; added to dictation's vocabulary). */
  userWords?: readonly UserWord[];
  /** Keywords to spot in every input, whatever the mode (result.keywords). */
  keywords?: readonly KeywordSpec[];
  keyword?: Partial<KeywordSpotterOptions>;
  /** Frequency warps keywords are spotted with (default DEFAULT_KEYWORD_WARPS, as when streaming). */
  keywordWarps?: readonly number[];
}

/** Milliseconds spent in each stage of one recognition. */
export interface StageTimings {
  decodeAudioMs: number;
  /** Test-time vocal tract length normalization: warping the audio for every factor tried. */
  warpMs: number;
  featuresMs: number;
  modelMs: number;
  searchMs: number;
}

/** One recognized input. Times are seconds from the start of the audio. */
export interface Recognition {
  text: string;
  words: WordResult[];
  durationSec: number;
  /** Wall time of the whole recognition (decode, features, model, search). */
  processingSec: number;
  /** Phrase mode only: the recognized phrase as listed, or null for a rejection. */
  phrase?: string | null;
  /** Phrase mode, rejected speech: the closest listed phrase and what the model heard (PhraseRejectionWire). */
  rejection?: PhraseRejectionWire;
  /** Utterance confidence in [0, 1]: phrase confidence, or the best hypothesis's n-best posterior. */
  confidence: number;
  /** Spectral warp factor chosen by test-time VTLN (1 = none). */
  vtlnWarp: number;
  timings: StageTimings;
  /** Non-fatal audio problems (e.g. a truncated file). */
  warnings?: string[];
  /** With keywords: every occurrence spotted, in time order (seconds on the audio timeline). */
  keywords?: KeywordHit[];
}

type Decode = DecoderSet['decode'];

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

export class OfflineRecognizer {
  private constructor(
    readonly model: ModelPackage,
    readonly mode: RecognitionMode,
    private readonly session: OfflineAcousticSession,
    private readonly decode: Decode,
    private readonly vtln: VtlnOptions,
    private readonly spotter: KeywordSpotter | null,
    private readonly keywordWarps: readonly number[],
  ) {}

  /** Loads the model, creates the session and builds the decoder for `opts.mode`. */
  static async create(opts: OfflineRecognizerOptions): Promise<OfflineRecognizer> {
    const model = opts.model ?? await loadModelPackage(resolveModelDir(opts.modelDir));
    if (model.features.sampleRate !== SAMPLE_RATE) {
      throw new ModelMismatchError(model.jsonPath, `features.sampleRate is ${model.features.sampleRate}, the audio front-end delivers ${SAMPLE_RATE} Hz`);
    }
    const decode = buildDecoders({ ...opts, units: model.metadata.units, decoding: model.metadata.decoding }, model.frameSec).decode;
    const session = await OfflineAcousticSession.create(model, { provider: opts.provider, threads: opts.threads });
    const vtln = vtlnForModel(opts.vtln, model.metadata) ?? NO_VTLN;
    const spotter = opts.keywords?.length ? new KeywordSpotter(opts.keywords, withUserWords(opts.lexicon ?? new Lexicon(), opts.userWords), opts.keyword, model.metadata.units) : null;
    return new OfflineRecognizer(model, opts.mode, session, decode, vtln, spotter, opts.keywordWarps ?? DEFAULT_KEYWORD_WARPS);
  }

  /** Decodes and recognizes an audio file (WAV, FLAC, MP3, Ogg Vorbis/Opus); throws AudioDecodeError for bad audio. */
  async recognizeFile(path: string): Promise<Recognition> {
    const t0 = performance.now();
    const audio = await decodeAudioFile(path);
    const decodeAudioMs = performance.now() - t0;
    const r = await this.recognizePcm(audio.samples);
    const totalMs = performance.now() - t0;
    return {
      ...r,
      processingSec: round(totalMs / 1000, 4),
      timings: { ...r.timings, decodeAudioMs: round(decodeAudioMs, 2) },
      ...(audio.warnings?.length ? { warnings: audio.warnings } : {}),
    };
  }

  /** Recognizes mono PCM at 16 kHz (nominally [-1, 1]). */
  async recognizePcm(samples: Float32Array): Promise<Recognition> {
    if (!(samples instanceof Float32Array)) throw new Error('recognizePcm: samples must be a Float32Array of 16 kHz mono PCM');
    const t0 = performance.now();
    const durationSec = samples.length / SAMPLE_RATE;
    const acoustic: AcousticTimings = { warpMs: 0, featuresMs: 0, modelMs: 0 };
    const posteriors = await posteriorsWithVtln(samples, this.model, this.session, this.vtln, acoustic);
    const { features: feats, warp } = posteriors;
    const t2 = performance.now();
    const U = this.model.architecture.numUnits;
    // Noise the live path ignores (no voiced frame with a phoneme) gives nothing here either, and
    // voiced stretches too sparse in phonemes to be speech (music) are blanked.
    const { speech, logprobs: heard, sparse } = speechPosteriors(samples, posteriors, this.model);
    const d: UtteranceResult = speech ? this.decode(heard, feats.frames, U) : { text: '', words: [], phrase: null, confidence: 0 };
    const words = placeWordTimes(d.words, this.model.features, durationSec);
    const keywords = this.spotter ? (speech ? await this.spotAll(samples, heard, feats.frames, durationSec, sparse) : []) : undefined;
    const t4 = performance.now();
    return {
      text: d.text,
      words,
      durationSec: round(durationSec, 4),
      processingSec: round((t4 - t0) / 1000, 4),
      ...(this.mode.kind === 'phrases' ? { phrase: d.phrase ?? null } : {}),
      ...(d.rejection ? { rejection: { ...d.rejection, confidence: round(d.rejection.confidence, 4) } } : {}),
      confidence: d.confidence ?? 0,
      vtlnWarp: warp,
      timings: { decodeAudioMs: 0, warpMs: round(acoustic.warpMs, 2), featuresMs: round(acoustic.featuresMs, 2), modelMs: round(acoustic.modelMs, 2), searchMs: round(t4 - t2, 2) },
      ...(keywords ? { keywords } : {}),
    };
  }

  /**
   * Keyword hits on the posteriors already computed and, for each other keyword warp
   * (DEFAULT_KEYWORD_WARPS, as the streaming recognizer listens), on features analysed with that
   * frequency warp; an occurrence found under several warps is reported once (best score).
   */
  private async spotAll(samples: Float32Array, lp: Float32Array, T: number, durationSec: number, sparse: readonly { start: number; end: number }[]): Promise<KeywordHit[]> {
    const U = this.model.architecture.numUnits;
    const hits = spotKeywords(this.spotter!, lp, T, U, this.model.frameSec);
    for (const w of this.keywordWarps) {
      if (w === 1) continue;
      const f = computeFeatures(samples, this.model.features, this.model.normalization, w);
      hits.push(...spotKeywords(this.spotter!, blankStretches(await this.session.run(f), U, sparse), f.frames, U, this.model.frameSec));
    }
    hits.sort((a, b) => b.score - a.score);
    const kept: KeywordHit[] = [];
    for (const h of hits) if (!kept.some((k) => k.keyword === h.keyword && k.start < h.end && h.start < k.end)) kept.push(h);
    kept.sort((a, b) => a.start - b.start);
    return placeWordTimes(kept.map((h) => ({ word: h.keyword, start: h.start, end: h.end, confidence: h.score })), this.model.features, durationSec)
      .map((w) => ({ keyword: w.word, start: w.start, end: w.end, score: Math.round(w.confidence * 1e4) / 1e4 }));
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
