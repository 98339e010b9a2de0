/**
 * Whole-file recognition: audio file or 16 kHz PCM -> features (src-shared/features, the same
 * front-end as training and the live path) -> acoustic model (one onnxruntime call) -> decoder.
 * Decoders and the language model are built once per recognizer and reused for every input.
 * A file is decoded as a stream of PCM chunks (openAudioStream); one up to
 * segmenting.onePassMaxSec long is recognized in one pass, a longer one segment by segment
 * (pause-segmenter.ts), holding about one segment of audio, features and posteriors at a time.
 */
import { DEFAULT_STREAM_MAX_DURATION_SEC, openAudioStream } from '../audio/index.ts';
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
import { blankStretches, containsSpeech, sparseVoicedStretches, speechPosteriors, voicedModelFrames, voicedModelFramesOfC0 } from './speech-presence.ts';
import { PauseSegmenter, segmentingOptions, type AudioSegment, type SegmentingOptions } from './pause-segmenter.ts';
import { buildDecoders, keywordOptionsForModel, type DecoderSet, type RecognitionMode, type UtteranceResult } from './recognition-decoders.ts';
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
  /** Longest file accepted, in seconds (default DEFAULT_STREAM_MAX_DURATION_SEC, 24 h); checked on the header and while decoding. */
  maxDurationSec?: number;
  /** How a refusal names that limit (e.g. "--max-hours 24"); default "maxDurationSec". */
  maxDurationName?: string;
  /** How long files are cut into segments (DEFAULT_SEGMENTING). */
  segmenting?: Partial<SegmentingOptions>;
}

/** One segment's decoding, times in seconds on the file's timeline (before placeWordTimes). */
interface SegmentResult {
  speech: boolean;
  result: UtteranceResult;
  warp: number;
  keywords: KeywordHit[];
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
  /**
   * A file recognized in segments (longer than segmenting.onePassMaxSec): how many of `words` each
   * pause-separated segment holds, in order (0 for a segment without words; they sum to
   * words.length). No utterance of spoken editing crosses a segment boundary (transcript-formats.ts
   * cuts utterances at pauses within each segment). Absent for a file recognized in one pass.
   */
  utteranceWords?: number[];
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
    private readonly limits: { maxDurationSec: number; limitName?: string; segmenting: SegmentingOptions },
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
    const spotter = opts.keywords?.length ? new KeywordSpotter(opts.keywords, withUserWords(opts.lexicon ?? new Lexicon(), opts.userWords), keywordOptionsForModel(opts.keyword, model.metadata.decoding), model.metadata.units) : null;
    const limits = { maxDurationSec: opts.maxDurationSec ?? DEFAULT_STREAM_MAX_DURATION_SEC, limitName: opts.maxDurationName, segmenting: segmentingOptions(opts.segmenting) };
    return new OfflineRecognizer(model, opts.mode, session, decode, vtln, spotter, opts.keywordWarps ?? DEFAULT_KEYWORD_WARPS, limits);
  }

  /**
   * Decodes and recognizes an audio file (WAV, FLAC, MP3, Ogg Vorbis/Opus); throws AudioDecodeError
   * for bad audio or audio longer than maxDurationSec. A file up to segmenting.onePassMaxSec is
   * recognized in one pass (recognizePcm of all its samples); a longer one in segments.
   */
  async recognizeFile(path: string): Promise<Recognition> {
    const t0 = performance.now();
    const stream = await openAudioStream(path, { maxDurationSec: this.limits.maxDurationSec, limitName: this.limits.limitName });
    const chunks = stream.chunks();
    let decodeAudioMs = performance.now() - t0;
    const next = async () => {
      const t = performance.now();
      const r = await chunks.next();
      decodeAudioMs += performance.now() - t;
      return r;
    };
    try {
      const head: Float32Array[] = [];
      let n = 0;
      let r = await next();
      for (; !r.done; r = await next()) {
        head.push(r.value);
        n += r.value.length;
        if (n > this.limits.segmenting.onePassMaxSec * SAMPLE_RATE) break;
      }
      let rec: Omit<Recognition, 'processingSec'>;
      if (r.done) {
        rec = await this.recognizePcm(concat(head, n));
      } else {
        const segmenter = new PauseSegmenter(this.model.features, this.limits.segmenting);
        const results: SegmentResult[] = [];
        const timings: StageTimings = { decodeAudioMs: 0, warpMs: 0, featuresMs: 0, modelMs: 0, searchMs: 0 };
        const run = async (segments: AudioSegment[]) => {
          for (const seg of segments) results.push(await this.recognizeSegment(seg, timings));
        };
        for (const c of head.splice(0)) await run(segmenter.push(c));
        for (r = await next(); !r.done; r = await next()) await run(segmenter.push(r.value));
        await run(segmenter.finish());
        rec = this.joinSegments(results, segmenter.totalSamples / SAMPLE_RATE, timings);
      }
      const totalMs = performance.now() - t0;
      return {
        ...rec,
        processingSec: round(totalMs / 1000, 4),
        timings: { ...rec.timings, decodeAudioMs: round(decodeAudioMs, 2) },
        ...(stream.warnings.length ? { warnings: stream.warnings } : {}),
      };
    } finally {
      await chunks.return(undefined);
      await stream.close();
    }
  }

  /**
   * One segment of a long file: posteriors of the segment with its context, then, on the
   * segment's own frames, the speech gate of the one-pass path (speechPosteriors: VAD + a phoneme,
   * phoneme-sparse stretches blanked), the mode's decoder and the keyword spotter; times moved
   * onto the file's timeline by the segment's start.
   */
  private async recognizeSegment(seg: AudioSegment, timings: StageTimings): Promise<SegmentResult> {
    const acoustic: AcousticTimings = { warpMs: 0, featuresMs: 0, modelMs: 0 };
    const p = await posteriorsWithVtln(seg.pcm, this.model, this.session, this.vtln, acoustic);
    const t2 = performance.now();
    const U = this.model.architecture.numUnits;
    const T = p.features.frames;
    const F = this.model.features.hopLength * this.model.features.subsample;
    const from = Math.min(T, seg.before / F);
    const to = seg.last ? T : Math.min(T, (seg.before + seg.length) / F);
    const frames = to - from;
    const voiced = (p.c0 ? voicedModelFramesOfC0(p.c0, this.model.features, T) : voicedModelFrames(seg.pcm, this.model.features, T)).subarray(from, to);
    const lp = p.logprobs.subarray(from * U, to * U);
    const sparse = sparseVoicedStretches(lp, frames, U, voiced, this.model.frameSec);
    const heard = blankStretches(lp, U, sparse);
    const speech = containsSpeech(heard, frames, U, voiced);
    const d: UtteranceResult = speech ? this.decode(heard, frames, U) : { text: '', words: [], phrase: null, confidence: 0 };
    const offset = seg.start / SAMPLE_RATE;
    const keywords = this.spotter && speech ? await this.spotHits(seg.pcm, heard, frames, sparse, { from, to }) : [];
    timings.warpMs += acoustic.warpMs;
    timings.featuresMs += acoustic.featuresMs;
    timings.modelMs += acoustic.modelMs;
    timings.searchMs += performance.now() - t2;
    return {
      speech, warp: p.warp,
      // Only what joinSegments reads is kept (a decoder's result may carry more).
      result: {
        text: d.text, confidence: d.confidence, phrase: d.phrase, ...(d.rejection ? { rejection: d.rejection } : {}),
        words: d.words.map((w) => ({ ...w, start: w.start + offset, end: w.end + offset })),
      },
      keywords: keywords.map((k) => ({ ...k, start: k.start + offset, end: k.end + offset })),
    };
  }

  /**
   * The file's recognition from its segments': words and keywords in order on the file's
   * timeline, the text of the segments joined. Confidence: the mean over the segments with
   * speech. Phrase mode: a file with speech in one segment only gets that segment's phrase (or
   * rejection); with several, `phrase` is null and text and words list each segment's phrase.
   * vtlnWarp: the warp most segments with speech chose.
   */
  private joinSegments(results: readonly SegmentResult[], durationSec: number, t: StageTimings): Omit<Recognition, 'processingSec'> {
    const spoken = results.filter((r) => r.speech);
    const words = placeWordTimes(results.flatMap((r) => r.result.words), this.model.features, durationSec);
    const text = results.map((r) => r.result.text).filter((x) => x !== '').join(' ');
    const confidence = spoken.length ? spoken.reduce((a, r) => a + (r.result.confidence ?? 0), 0) / spoken.length : 0;
    const only = spoken.length === 1 ? spoken[0].result : undefined;
    const warps = new Map<number, number>();
    for (const r of spoken) warps.set(r.warp, (warps.get(r.warp) ?? 0) + 1);
    const warp = [...warps].sort((a, b) => b[1] - a[1])[0]?.[0] ?? results[0]?.warp ?? 1;
    return {
      text,
      words,
      durationSec: round(durationSec, 4),
      ...(this.mode.kind === 'phrases' ? { phrase: only?.phrase ?? null } : {}),
      ...(only?.rejection ? { rejection: { ...only.rejection, confidence: round(only.rejection.confidence, 4) } } : {}),
      confidence,
      vtlnWarp: warp,
      timings: { decodeAudioMs: 0, warpMs: round(t.warpMs, 2), featuresMs: round(t.featuresMs, 2), modelMs: round(t.modelMs, 2), searchMs: round(t.searchMs, 2) },
      ...(this.spotter ? { keywords: this.placeKeywords(results.flatMap((r) => r.keywords), durationSec) } : {}),
      utteranceWords: results.map((r) => r.result.words.length),
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
    const keywords = this.spotter ? (speech ? this.placeKeywords(await this.spotHits(samples, heard, feats.frames, sparse), durationSec) : []) : undefined;
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
   * frequency warp; an occurrence found under several warps is reported once (best score). Times
   * in decoder frame seconds from `lp`'s first frame; `frames` selects the model frames of
   * `samples` that `lp` holds (all when absent).
   */
  private async spotHits(samples: Float32Array, lp: Float32Array, T: number, sparse: readonly { start: number; end: number }[], frames?: { from: number; to: number }): Promise<KeywordHit[]> {
    const U = this.model.architecture.numUnits;
    const hits = spotKeywords(this.spotter!, lp, T, U, this.model.frameSec);
    for (const w of this.keywordWarps) {
      if (w === 1) continue;
      const f = computeFeatures(samples, this.model.features, this.model.normalization, w);
      const all = await this.session.run(f);
      const [lw, Tw] = frames ? [all.subarray(frames.from * U, Math.min(f.frames, frames.to) * U), Math.max(0, Math.min(f.frames, frames.to) - frames.from)] : [all, f.frames];
      hits.push(...spotKeywords(this.spotter!, blankStretches(lw, U, sparse), Tw, U, this.model.frameSec));
    }
    hits.sort((a, b) => b.score - a.score);
    const kept: KeywordHit[] = [];
    for (const h of hits) if (!kept.some((k) => k.keyword === h.keyword && k.start < h.end && h.start < k.end)) kept.push(h);
    kept.sort((a, b) => a.start - b.start);
    return kept;
  }

  /** Keyword hits placed on the audio timeline as words are (placeWordTimes), scores rounded. */
  private placeKeywords(hits: readonly KeywordHit[], durationSec: number): KeywordHit[] {
    return placeWordTimes(hits.map((h) => ({ word: h.keyword, start: h.start, end: h.end, confidence: h.score })), this.model.features, durationSec)
      .map((w) => ({ keyword: w.word, start: w.start, end: w.end, score: Math.round(w.confidence * 1e4) / 1e4 }));
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** The chunks joined into one array of `n` samples (the one chunk itself when there is one). */
function concat(chunks: readonly Float32Array[], n: number): Float32Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Float32Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
