/**
 * Options shared by `hark transcribe` and `hark eval`: which model, which mode (--phrases /
 * --words / dictation) and the decoder settings; and how they become an OfflineRecognizer.
 */
import { MAX_KEYWORDS } from '../../src-shared/ipc/recognition-contract.ts';
import { DICTATION_BEAM_SIZE, WORD_LOOP_WORD_BONUS } from '../decode/word-decoders.ts';
import { DEFAULT_BEAM_OPTIONS } from '../decode/ctc-prefix-beam-search.ts';
import { DEFAULT_PHRASE_OPTIONS } from '../decode/phrase-decoder.ts';
import { ListFileError, readKeywordListFile, readListFile } from '../engine/list-file.ts';
import type { KeywordSpec } from '../decode/keyword-spotter.ts';
import type { BeamSearchOptions } from '../decode/ctc-prefix-beam-search.ts';
import { OfflineRecognizer, type OfflineRecognizerOptions, type RecognitionMode } from '../engine/offline-recognizer.ts';
import { DICTATION_WORD_FLOOR } from '../engine/recognition-decoders.ts';
import { DEFAULT_MODEL_DIR, PACKAGE_ROOT } from '../model/package-paths.ts';
import { existsSync } from 'node:fs';
import { SPHINX_LM_BEAM } from '../decode/dictation-lm.ts';
import { POCKETSPHINX_EN_US_LM } from '../decode/sphinx-trie-lm-reader.ts';
import { relative } from 'node:path';
import { USER_VOCABULARY_FILE, UserVocabulary, UserVocabularyError, type UserWord } from '../lexicon/user-vocabulary.ts';
import { UsageError, type OptionSpec, type ParsedOptions } from './cli-args.ts';
import { DEFAULT_STREAM_MAX_DURATION_SEC } from '../audio/index.ts';

export const recognizerOptionSpecs: Record<string, OptionSpec> = {
  model: { type: 'string', help: `Model folder (model.onnx, model.stream.onnx, model.json) (default: $HARK_MODEL, else ${relative(PACKAGE_ROOT, DEFAULT_MODEL_DIR)} in the Hark folder)` },
  phrases: { type: 'string', help: 'Phrase list file: each input is exactly one phrase, or none' },
  words: { type: 'string', help: 'Word list file: any sequence of the listed words/phrases' },
  provider: { type: 'string', help: 'onnxruntime execution provider', default: 'cpu', choices: ['cpu', 'cuda'] },
  beam: { type: 'number', help: `Beam size (default: ${DICTATION_BEAM_SIZE} dictation, ${DEFAULT_BEAM_OPTIONS.beamSize} with --words)` },
  lm: { type: 'string', help: `Dictation language model: ARPA (.arpa, .arpa.gz), Hark's binary form (.hlm, e.g. the shipped general English trigram models/lm/general-3gram.hlm) or PocketSphinx's binary trigram (.lm.bin, e.g. ${POCKETSPHINX_EN_US_LM} from the pocketsphinx-en-us package) (default: the shipped Brown-corpus trigram)` },
  'lm-weight': { type: 'number', help: `LM weight (default: ${DEFAULT_BEAM_OPTIONS.lmWeight} dictation, the weight a .hlm LM carries, ${SPHINX_LM_BEAM.lmWeight} with a .lm.bin LM, 1 with --words)` },
  'word-bonus': { type: 'number', help: `Score added per word (default: ${DEFAULT_BEAM_OPTIONS.wordBonus} dictation, the bonus a .hlm LM carries, ${SPHINX_LM_BEAM.wordBonus} with a .lm.bin LM, ${WORD_LOOP_WORD_BONUS} with --words)` },
  'min-word-confidence': { type: 'number', help: `Dictation leaves out words under this calibrated confidence (0 keeps all) (default: ${DICTATION_WORD_FLOOR}; only with a model whose word confidences are calibrated, decoding.words in model.json)` },
  threshold: { type: 'number', help: `Phrase confidence needed to accept (--phrases) (default: the model's calibrated threshold, decoding.phrase in model.json; ${DEFAULT_PHRASE_OPTIONS.threshold} when absent)` },
  vtln: { type: 'boolean', help: "Adapt to the speaker (test-time vocal tract length normalization) even where the model's measured choice is not to (default: the model's choice, decoding.testTimeVtln in model.json; on when absent)" },
  'no-vtln': { type: 'boolean', help: 'Do not adapt to the speaker (test-time vocal tract length normalization)' },
  keywords: { type: 'string', help: 'Keyword list file: report every occurrence, in any mode (a line may end in a sensitivity in (0, 1], e.g. "next slide /0.7/"; default 0.5)' },
  vocab: { type: 'string', help: `Your own words and pronunciations (made with \`hark words\`) (default: ${USER_VOCABULARY_FILE} in the user data folder, $HARK_USER_DATA or the platform's, when present; "none" for none)` },
};

/**
 * The user's words the options ask for: --vocab FILE, "none", or by default the user data
 * folder's vocabulary when it exists. A damaged file is a UsageError naming it.
 */
export function userWordsFromOptions(cmd: string, o: ParsedOptions): UserWord[] {
  if (o.vocab === 'none') return [];
  try {
    const v = o.vocab === undefined ? UserVocabulary.loadDefault() : UserVocabulary.load(String(o.vocab));
    if (o.vocab !== undefined && v.size === 0 && !existsSync(String(o.vocab))) throw new UsageError(`${cmd}: --vocab ${String(o.vocab)}: no such file`);
    return v.list();
  } catch (e) {
    if (e instanceof UserVocabularyError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
}

/** The keywords the options ask for (empty without --keywords); UsageError for an unusable file. */
export async function keywordsFromOptions(cmd: string, o: ParsedOptions): Promise<KeywordSpec[]> {
  if (o.keywords === undefined) return [];
  try {
    const keywords = await readKeywordListFile(String(o.keywords));
    if (keywords.length > MAX_KEYWORDS) throw new UsageError(`${cmd}: --keywords ${String(o.keywords)}: ${keywords.length} keywords, at most ${MAX_KEYWORDS} can be spotted at once`);
    return keywords;
  } catch (e) {
    if (e instanceof ListFileError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
}

/** Decoder settings shared by the offline and the streaming recognizer. */
export function decoderSettings(cmd: string, o: ParsedOptions): { beam: Partial<BeamSearchOptions>; phrase: { threshold?: number }; userWords: UserWord[]; lmPath?: string; minWordConfidence?: number } {
  checkNumbers(cmd, o);
  const lmPath = o.lm === undefined ? undefined : String(o.lm);
  if (lmPath !== undefined && !existsSync(lmPath)) {
    throw new UsageError(`${cmd}: --lm ${lmPath}: no such file${lmPath === POCKETSPHINX_EN_US_LM ? ' (apt-get install pocketsphinx-en-us)' : ''}`);
  }
  return {
    userWords: userWordsFromOptions(cmd, o),
    ...(lmPath !== undefined ? { lmPath } : {}),
    beam: {
      ...(o.beam !== undefined ? { beamSize: Number(o.beam) } : {}),
      ...(o['lm-weight'] !== undefined ? { lmWeight: Number(o['lm-weight']) } : {}),
      ...(o['word-bonus'] !== undefined ? { wordBonus: Number(o['word-bonus']) } : {}),
    },
    phrase: o.threshold === undefined ? {} : { threshold: Number(o.threshold) },
    ...(o['min-word-confidence'] !== undefined ? { minWordConfidence: Number(o['min-word-confidence']) } : {}),
  };
}

/** The recognition mode the options ask for; UsageError for both --phrases and --words or an unusable list file. */
export async function modeFromOptions(cmd: string, o: ParsedOptions): Promise<RecognitionMode> {
  if (o.phrases !== undefined && o.words !== undefined) throw new UsageError(`${cmd}: use either --phrases or --words, not both`);
  try {
    if (o.phrases !== undefined) return { kind: 'phrases', items: await readListFile(String(o.phrases)) };
    if (o.words !== undefined) return { kind: 'words', items: await readListFile(String(o.words)) };
  } catch (e) {
    if (e instanceof ListFileError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
  return { kind: 'dictation' };
}

/**
 * The recognizer's `vtln` option the flags ask for: --vtln on, --no-vtln off, neither the model's
 * own choice (no key at all); UsageError for both.
 */
export function vtlnFromOptions(cmd: string, o: ParsedOptions): { vtln?: Record<string, never> | false } {
  if (o.vtln && o['no-vtln']) throw new UsageError(`${cmd}: use either --vtln or --no-vtln, not both`);
  if (o.vtln) return { vtln: {} };
  if (o['no-vtln']) return { vtln: false };
  return {};
}

/** Checks the numeric decoder options; UsageError naming the option. */
function checkNumbers(cmd: string, o: ParsedOptions): void {
  const beam = Number(o.beam);
  if (o.beam !== undefined && (!Number.isInteger(beam) || beam < 1)) throw new UsageError(`${cmd}: --beam must be a positive integer, got ${String(o.beam)}`);
  const t = Number(o.threshold);
  if (o.threshold !== undefined && !(t >= 0 && t <= 1)) throw new UsageError(`${cmd}: --threshold must be in [0, 1], got ${String(o.threshold)}`);
  const m = Number(o['min-word-confidence']);
  if (o['min-word-confidence'] !== undefined && !(m >= 0 && m <= 1)) throw new UsageError(`${cmd}: --min-word-confidence must be in [0, 1], got ${String(o['min-word-confidence'])}`);
}

/** `--max-hours` of `hark transcribe`: the longest file accepted (memory no longer grows with length). */
export const maxHoursOptionSpec: OptionSpec = {
  type: 'number',
  help: 'Longest file accepted, in hours: a longer one is refused, from its header or as soon as decoding passes the limit',
  default: DEFAULT_STREAM_MAX_DURATION_SEC / 3600,
};

/**
 * The duration limit --max-hours asks for (absent: none of the caller's, so the recognizer's
 * default), in seconds with the name refusals give it; UsageError unless a positive number of hours.
 */
export function maxDurationFromOptions(cmd: string, o: ParsedOptions): { maxDurationSec?: number; maxDurationName?: string } {
  if (o['max-hours'] === undefined) return {};
  const h = Number(o['max-hours']);
  if (!(Number.isFinite(h) && h > 0 && h <= 10_000)) throw new UsageError(`${cmd}: --max-hours must be a positive number of hours (at most 10000), got ${String(o['max-hours'])}`);
  return { maxDurationSec: h * 3600, maxDurationName: `--max-hours ${h}` };
}

/**
 * The OfflineRecognizer options the flags describe, as plain data (list files and the user's words
 * already read), so worker threads can receive them unchanged (src-main/cli/batch-recognizer.ts).
 */
export function recognizerOptions(cmd: string, o: ParsedOptions, mode: RecognitionMode, keywords: readonly KeywordSpec[] = []): OfflineRecognizerOptions {
  const { beam, phrase, userWords, lmPath, minWordConfidence } = decoderSettings(cmd, o);
  return {
    // Without --model, resolveModelDir() consults HARK_MODEL, then the default folder.
    modelDir: o.model === undefined ? undefined : String(o.model),
    mode, beam, phrase, keywords, userWords, lmPath, minWordConfidence,
    provider: o.provider as 'cpu' | 'cuda',
    ...vtlnFromOptions(cmd, o),
    ...maxDurationFromOptions(cmd, o),
  };
}

/** Builds the recognizer the options describe (the model is loaded and checked here). */
export async function recognizerFromOptions(cmd: string, o: ParsedOptions, mode: RecognitionMode, keywords: readonly KeywordSpec[] = []): Promise<OfflineRecognizer> {
  return OfflineRecognizer.create(recognizerOptions(cmd, o, mode, keywords));
}
