/**
 * The decoders behind a recognition mode, built once (lexicon, LM, trie) and shared by the
 * offline recognizer and the streaming one: `decode` turns a whole utterance's posteriors into a
 * result; `createPartial` starts an incremental decoder for live partial results.
 */
import { loadDictation } from '../decode/dictation-lm.ts';
import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { ctcPrefixBeamSearch, CtcPrefixBeamSearch, type BeamSearchOptions } from '../decode/ctc-prefix-beam-search.ts';
import type { WordResult } from '../decode/decode-types.ts';
import type { KeywordSpotterOptions } from '../decode/keyword-spotter.ts';
import type { PhraseRejectionWire } from '../../src-shared/ipc/recognition-contract.ts';
import { PhraseDecoder, type PhraseDecoderOptions } from '../decode/phrase-decoder.ts';
import { calibrateWordConfidences, type PronunciationIds } from '../decode/word-confidence.ts';
import { createDictationDecoder, createWordLoopDecoder } from '../decode/word-decoders.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { withUserWords } from '../lexicon/user-lexicon.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { DEFAULT_LM_PATH } from '../model/package-paths.ts';
import { sameJson } from '../model/model-package.ts';
import type { DecodingChoices } from '../../src-shared/model/metadata.ts';

/**
 * What the recognizer listens for: open dictation (lexicon + n-gram LM), any sequence of the
 * listed words/phrases, or exactly one of the listed phrases (or a rejection).
 */
export type RecognitionMode =
  | { kind: 'dictation' }
  | { kind: 'words'; items: readonly string[] }
  | { kind: 'phrases'; items: readonly string[] };

export interface DecoderOptions {
  mode: RecognitionMode;
  /** Pronunciations; default a new Lexicon (CMUdict + G2P), or for dictation the LM's vocabulary lexicon. */
  lexicon?: PronunciationLookup;
  /**
   * LM for dictation (loadDictationLM: .hlm, ARPA or .lm.bin); default DEFAULT_LM_PATH
   * (models/lm/brown-3gram.hlm). Only dictation reads it. An LM is searched with its own weights (a
   * .hlm's stored search weights, SPHINX_LM_BEAM for a PocketSphinx .lm.bin) unless `beam` sets them.
   */
  lmPath?: string;
  beam?: Partial<BeamSearchOptions>;
  phrase?: Partial<PhraseDecoderOptions>;
  /** The user's own words (src-main/lexicon/user-vocabulary.ts): pronounced first, and added to dictation's vocabulary. */
  userWords?: readonly UserWord[];
  /**
   * The model's output units (ModelMetadata.units; default the phoneme UNITS): posteriors are this
   * wide, and `<sound:NAME>` items resolve to its sound units (MissingSoundUnitError when absent).
   */
  units?: readonly string[];
  /**
   * The model's measured decoding choices (ModelMetadata.decoding): its calibrated phrase
   * settings fill in what `phrase` leaves unset, before DEFAULT_PHRASE_OPTIONS.
   */
  decoding?: DecodingChoices;
  /**
   * Dictation with a calibrated model (decoding.words): words under this confidence are left out
   * (default DICTATION_WORD_FLOOR; 0 keeps every word).
   */
  minWordConfidence?: number;
}

/**
 * Calibrated confidence under which dictation leaves a word out: 9 in 10 such words are wrong.
 * On the calibration clips (validation slice of the real train speakers, training voices) it left
 * the word error rate as it was (73.9 -> 74.0%) and took out most words heard in music.
 */
export const DICTATION_WORD_FLOOR = 0.1;

export interface UtteranceResult {
  text: string;
  words: WordResult[];
  confidence?: number;
  phrase?: string | null;
  /** Phrase mode, rejected: the closest phrase and what was heard (DecodeResult). */
  rejection?: PhraseRejectionWire;
}

/** [frames, numUnits] log-probabilities. */
export interface PosteriorRows { logprobs: Float32Array; frames: number; numUnits: number }

/** Live decoding of one utterance: frames in, current best text out. */
export interface PartialDecoder {
  advance(logprobs: Float32Array, T: number, U: number): void;
  /**
   * Current best text and its leading words that no later partial of this utterance can change
   * ('' when none). The utterance's final comes from a second pass and may revise them.
   * `ahead`: posteriors of frames after those advanced (a chunk's look-ahead, provisional), read
   * into the text but not into the stable words; the decoder's state stays where advance() left it.
   */
  partial(ahead?: PosteriorRows): { text: string; stable: string };
}

export interface DecoderSet {
  mode: RecognitionMode;
  /** Decodes a whole utterance. */
  decode(logprobs: Float32Array, T: number, U: number): UtteranceResult;
  createPartial(): PartialDecoder;
}

/** Builds the decoders of `opts.mode`; `frameSec` is the model frame period. */
export function buildDecoders(opts: DecoderOptions, frameSec: number): DecoderSet {
  const mode = opts.mode;
  const units = opts.units ?? UNITS;
  // Each mode loads only what it uses: dictation its LM and the vocabulary pronunciations stored
  // with it (no CMUdict, no G2P unless a word lacks one); word lists and phrases a Lexicon, which
  // loads CMUdict when it first pronounces a word and trains G2P only for a word CMUdict lacks.
  if (mode.kind === 'phrases') {
    const lexicon = withUserWords(opts.lexicon ?? new Lexicon(), opts.userWords);
    const decoder = new PhraseDecoder(mode.items, lexicon, phraseOptionsForModel(opts.phrase, opts.decoding), units);
    const decode = (lp: Float32Array, T: number, U: number): UtteranceResult => decoder.decode(lp, T, U, frameSec);
    return { mode, decode, createPartial: () => phrasePartial(decoder) };
  }
  let search: CtcPrefixBeamSearch;
  let lexicon: PronunciationLookup;
  if (mode.kind === 'words') {
    if (mode.items.length === 0) throw new Error('words mode needs at least one word or phrase');
    lexicon = withUserWords(opts.lexicon ?? new Lexicon(), opts.userWords);
    search = createWordLoopDecoder(mode.items, lexicon, opts.beam, units);
  } else if (mode.kind === 'dictation') {
    const lmPath = opts.lmPath ?? DEFAULT_LM_PATH;
    const dictation = loadDictation(lmPath, () => new Lexicon());
    lexicon = withUserWords(opts.lexicon ?? dictation.lexicon, opts.userWords);
    // The LM's own weights (stored in its .hlm, or SPHINX_LM_BEAM for a .lm.bin) unless `beam` sets them.
    const own = dictation.search ? { lmWeight: dictation.search.lmWeight, wordBonus: dictation.search.wordBonus } : {};
    search = createDictationDecoder(dictation.lm, lexicon, { ...own, ...opts.beam }, units);
  } else {
    throw new Error(`unknown recognition mode ${JSON.stringify((mode as { kind: unknown }).kind)}`);
  }
  const partialSearch = new CtcPrefixBeamSearch(search.trie, search.lm, { ...search.opts, scoreBeam: Math.min(search.opts.scoreBeam, PARTIAL_SCORE_BEAM) });
  const calibration = opts.decoding?.words;
  const floor = opts.minWordConfidence ?? DICTATION_WORD_FLOOR;
  const pronunciations = calibration ? pronunciationIds(lexicon, units) : null;
  return {
    mode,
    decode: (lp, T, U) => {
      const r = ctcPrefixBeamSearch(lp, T, U, frameSec, search);
      if (!calibration || !pronunciations) return r;
      let words = calibrateWordConfidences(r.words, lp, T, U, frameSec, pronunciations, calibration);
      // Dictation drops the words that are almost surely wrong; a word list keeps what it heard.
      if (mode.kind === 'dictation') words = words.filter((w) => (w.confidence ?? 0) >= floor);
      return { ...r, text: words.map((w) => w.word).join(' '), words };
    },
    createPartial: () => beamPartial(partialSearch, frameSec),
  };
}

/** A word's pronunciations as unit ids of `units` (those with a unit the model lacks left out), cached. */
export function pronunciationIds(lexicon: PronunciationLookup, units: readonly string[]): PronunciationIds {
  const index = new Map(units.map((u, i) => [u, i]));
  const cache = new Map<string, number[][]>();
  return (word) => {
    let ids = cache.get(word);
    if (!ids) {
      ids = lexicon.pronounce(word).pronunciations
        .map((p) => p.map((ph) => index.get(ph) ?? -1))
        .filter((p) => p.length > 0 && p.every((i) => i > 0));
      if (cache.size > 50_000) cache.clear();
      cache.set(word, ids);
    }
    return ids;
  };
}

/** Phrase decoder options: the explicit ones, then the model's calibrated ones (decoding.phrase). */
export function phraseOptionsForModel(explicit: Partial<PhraseDecoderOptions> | undefined, decoding: DecodingChoices | undefined): Partial<PhraseDecoderOptions> {
  const out: Partial<PhraseDecoderOptions> = { ...decoding?.phrase };
  for (const [k, v] of Object.entries(explicit ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Keyword spotter options: the explicit ones, then the model's chosen ones (decoding.keywords). */
export function keywordOptionsForModel(explicit: Partial<KeywordSpotterOptions> | undefined, decoding: DecodingChoices | undefined): Partial<KeywordSpotterOptions> {
  const out: Partial<KeywordSpotterOptions> = { ...decoding?.keywords };
  for (const [k, v] of Object.entries(explicit ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Whether two models' decoders decide alike: equal calibrated phrase settings (phrase mode) and
 * word confidence calibrations (dictation and word lists).
 */
export function sameDecodingSettings(a: DecodingChoices | undefined, b: DecodingChoices | undefined): boolean {
  return sameJson(a?.phrase, b?.phrase) && sameJson(a?.words, b?.words);
}

/**
 * Partial results use the same lexicon, LM and weights with a tighter score beam: a hypothesis
 * PARTIAL_SCORE_BEAM nats below the best is as good as dead, and dropping it lets the words all
 * surviving hypotheses share (the stable prefix) grow sooner.
 */
export const PARTIAL_SCORE_BEAM = 10;

/**
 * A word of the partial search's best hypothesis is stable once the hypotheses that begin with it
 * hold this share of the beam's probability; the others are dropped from the partial search
 * (CtcPrefixBeamSearch.settle), so it stays stable. An alternative less likely than 1 in 100 does
 * not hold the words back: one that differs early otherwise keeps the stable prefix empty to the end.
 */
export const STABLE_SHARE = 0.99;


/**
 * The partial text is what the final of this search would be if the utterance ended now (only
 * hypotheses at a word boundary, sentence end scored): a word shows as soon as its last phoneme
 * is heard, instead of when the next word starts (an unfinished longer word sharing its
 * phonemes has paid no LM cost yet and would outrank it). Measured on held-out clips
 * (bench/streaming.bench.ts): median word latency 369 -> 269 ms.
 */
function beamPartial(search: CtcPrefixBeamSearch, frameSec: number): PartialDecoder {
  const state = search.init();
  return {
    advance: (lp, T, U) => {
      search.advance(state, lp, T, U);
      search.settle(state, STABLE_SHARE);
    },
    partial: (ahead) => {
      // Every hypothesis of the look-ahead view extends one of `state`'s, so `state`'s stable words
      // lead the view's text too.
      const view = ahead && ahead.frames > 0 ? search.preview(state, ahead.logprobs, ahead.frames, ahead.numUnits) : state;
      const words = search.result(view, frameSec, true).words.map((w) => w.word);
      const stable = Math.min(search.stableWordCount(state), words.length);
      return { text: words.join(' '), stable: words.slice(0, stable).join(' ') };
    },
  };
}

/**
 * Phrase mode decides on the whole utterance: its partial is the phrase the decoder would accept
 * if the utterance ended now (PhraseDecoder's live scorer, linear in the frames). Nothing is
 * stable before the final.
 */
function phrasePartial(decoder: PhraseDecoder): PartialDecoder {
  const scorer = decoder.createScorer();
  return {
    advance: (lp, T, U) => { if (T > 0) scorer.advance(lp, T, U); },
    partial: () => ({ text: scorer.current().phrase ?? '', stable: '' }),
  };
}
