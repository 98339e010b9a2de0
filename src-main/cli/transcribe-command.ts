/** `hark transcribe`: recognize audio files (dictation, --words or --phrases) and print them in one format. */
import { AudioDecodeError } from '../audio/index.ts';
import { helpText, parseCommand, UsageError, type CommandSpec, type ParsedOptions } from './cli-args.ts';
import type { KeywordSpec } from '../decode/keyword-spotter.ts';
import { DEFAULT_ENDPOINT } from '../engine/endpoint-detector.ts';
import { OnlineRecognizer } from '../engine/online-recognizer.ts';
import type { RecognitionMode } from '../engine/recognition-decoders.ts';
import { streamFile } from './stream-files.ts';
import { OUTPUT_FORMATS, OutputWriter, withTaggerMarks, type DictationFormatting, type OutputFormat } from '../engine/transcript-formats.ts';
import { sharedPunctuationTagger } from '../engine/punctuation-tagger.ts';
import { decoderSettings, keywordsFromOptions, maxDurationFromOptions, maxHoursOptionSpec, modeFromOptions, recognizerOptionSpecs, vtlnFromOptions } from './recognizer-options.ts';
import { batchRecognizerFromOptions, jobsFromOptions, jobsOptionSpec, recognizeInOrder } from './batch-recognizer.ts';

export const transcribeSpec: CommandSpec = {
  name: 'transcribe',
  summary: 'Transcribe audio files (WAV, FLAC, MP3, Ogg Vorbis/Opus) offline.',
  usage: 'hark transcribe <files...> [--model DIR] [--phrases FILE | --words FILE] [--keywords FILE]\n'
    + '                         [--stream [--realtime]] [--format text|json|srt|vtt] [--jobs N] [--raw-text]\n\n'
    + 'Open dictation is written as text (docs/DICTATION-FORMATTING.md): numbers as people write them\n'
    + '("twenty five dollars" -> "$25") and spoken editing, each command said as its own utterance\n'
    + '("new line", "new paragraph", "period", "comma", "question mark", "exclamation mark", "scratch\n'
    + 'that", "all caps <words>", "literal <command>"); in a file, a pause of --endpoint-silence between\n'
    + 'two words ends an utterance. text, srt, vtt and json\'s "text" show the result, json adds "tokens"\n'
    + '(each written token, its times and its source words), --stream finals add "document" (the edit\n'
    + 'they make to the text); "words" are always as recognized. Capitals and punctuation (. , ? !) come\n'
    + 'from a small learned tagger (models/tagger-en) run on each utterance; --no-punctuation leaves\n'
    + 'them out (spoken "period", "comma" still apply). --raw-text writes the recognized words instead.\n'
    + '--phrases and --words results are never rewritten.\n\n'
    + '--stream feeds each file in chunks as a microphone would and prints events as JSON lines:\n'
    + '{"type":"partial"|"final"|"keyword"|"endpoint","file","text","audioSec",...}.\n'
    + 'List files: UTF-8, one item per line, # starts a comment. Exit status: 0 every file transcribed\n'
    + 'whole, 1 some file failed or was damaged (the others are still printed; a truncated or damaged\n'
    + 'file is transcribed as far as it can be read, with a warning naming it on stderr), 2 usage\n'
    + "error. With several files, srt prints one block of cues per file (numbered from 1, blank line\n"
    + "between blocks; each block's file is named on stderr) and vtt one WEBVTT document with a NOTE\n"
    + 'line naming each file. Several files are recognized --jobs at a time (worker threads); the output\n'
    + 'is the same, in input order.',
  options: {
    ...recognizerOptionSpecs,
    'max-hours': maxHoursOptionSpec,
    jobs: { ...jobsOptionSpec, help: `${jobsOptionSpec.help} (--stream ignores it: streamed files go one after another)` },
    format: { type: 'string', help: 'Output format (--stream always prints JSON lines)', default: 'text', choices: OUTPUT_FORMATS },
    'raw-text': { type: 'boolean', help: 'Dictation: write the recognized words as they are (no numbers written as digits, no spoken editing, no punctuation)' },
    'no-punctuation': { type: 'boolean', help: 'Dictation: no predicted capitals and punctuation (numbers and spoken editing still apply)' },
    stream: { type: 'boolean', help: 'Stream each file through the live recognizer and print its events' },
    realtime: { type: 'boolean', help: 'With --stream: feed the audio at real speed' },
    'chunk-ms': { type: 'number', help: 'With --stream: milliseconds of audio per pushed chunk', default: 50 },
    'chunk-frames': { type: 'number', help: "With --stream: LC-BLSTM chunk size in model frames (default: the model's)" },
    'lookahead-frames': { type: 'number', help: "With --stream: LC-BLSTM look-ahead in model frames (default: the model's)" },
    'endpoint-silence': { type: 'number', help: 'Seconds of silence after speech that end an utterance (--stream; in files, for spoken editing: a pause this long between two words)', default: DEFAULT_ENDPOINT.rule2.minTrailingSilenceSec },
  },
};

/** Message for a file that could not be transcribed (without the file name, which the output adds). */
export function fileErrorMessage(err: unknown): string {
  if (err instanceof AudioDecodeError) return err.reason;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Writes a file's decoding warnings (a truncated or damaged file, transcribed as far as it could be
 * read) to stderr, each naming the file; returns whether there were any: such a file counts as
 * failed for the exit status, though its partial transcript is printed.
 */
function reportWarnings(file: string, warnings: readonly string[] | undefined): boolean {
  for (const w of warnings ?? []) process.stderr.write(`${file}: warning: ${w}\n`);
  return (warnings?.length ?? 0) > 0;
}

/**
 * How dictation is written: the document (the default; in a file, a pause of --endpoint-silence
 * between two words ends an utterance, as it ends one when streaming; capitals and punctuation
 * unless --no-punctuation) or, with --raw-text or a phrase/word list, null (as recognized).
 */
export function dictationFormatting(o: ParsedOptions, mode: RecognitionMode): DictationFormatting | null {
  return mode.kind === 'dictation' && !o['raw-text'] ? { utterancePauseSec: endpointSilence(o), punctuate: !o['no-punctuation'] } : null;
}

function endpointSilence(o: ParsedOptions): number {
  const silence = Number(o['endpoint-silence']);
  if (!(silence > 0)) throw new UsageError(`transcribe: --endpoint-silence must be positive, got ${String(o['endpoint-silence'])}`);
  return silence;
}

export async function transcribeCommand(argv: string[]): Promise<number> {
  const { options: o, positionals: files, help } = parseCommand(transcribeSpec, argv);
  if (help) { process.stdout.write(helpText(transcribeSpec)); return 0; }
  if (files.length === 0) throw new UsageError(`transcribe: no input files\n\n${helpText(transcribeSpec)}`);
  if (!o.stream) {
    for (const k of ['realtime', 'chunk-frames', 'lookahead-frames'] as const) if (o[k] !== undefined && o[k] !== false) throw new UsageError(`transcribe: --${k} needs --stream`);
  }
  jobsFromOptions('transcribe', o);
  maxDurationFromOptions('transcribe', o);
  const mode = await modeFromOptions('transcribe', o);
  const keywords = await keywordsFromOptions('transcribe', o);
  if (o.stream) return streamCommand(files, o, mode, keywords);
  const { recognizer, ahead } = await batchRecognizerFromOptions('transcribe', o, mode, keywords, files.length);
  const formatting = dictationFormatting(o, mode);
  const out = new OutputWriter(o.format as OutputFormat, files.length > 1, mode.kind === 'phrases',
    (s) => process.stdout.write(s), (s) => process.stderr.write(s), formatting);
  let failed = 0;
  try {
    out.begin();
    for await (const r of recognizeInOrder(recognizer, files, ahead)) {
      if ('error' in r) {
        failed++;
        out.failure(r.file, fileErrorMessage(r.error));
        continue;
      }
      if (reportWarnings(r.file, r.result.warnings)) failed++;
      out.file(r.file, r.result, await withTaggerMarks(r.result, formatting, sharedPunctuationTagger));
    }
  } finally {
    await recognizer.dispose();
  }
  return failed > 0 ? 1 : 0;
}

async function streamCommand(files: string[], o: ParsedOptions, mode: RecognitionMode, keywords: KeywordSpec[]): Promise<number> {
  if (o.format !== 'text' && o.format !== 'json') throw new UsageError(`transcribe: --stream prints JSON lines; --format ${String(o.format)} does not apply`);
  const chunkMs = Number(o['chunk-ms']);
  if (!(chunkMs >= 1 && chunkMs <= 10000)) throw new UsageError(`transcribe: --chunk-ms must be between 1 and 10000, got ${String(o['chunk-ms'])}`);
  const silence = endpointSilence(o);
  const intOpt = (k: 'chunk-frames' | 'lookahead-frames', min: number): number | undefined => {
    if (o[k] === undefined) return undefined;
    const v = Number(o[k]);
    if (!Number.isInteger(v) || v < min) throw new UsageError(`transcribe: --${k} must be an integer >= ${min}, got ${String(o[k])}`);
    return v;
  };
  const { beam, phrase, userWords, lmPath, minWordConfidence } = decoderSettings('transcribe', o);
  const rec = await OnlineRecognizer.create({
    modelDir: o.model === undefined ? undefined : String(o.model),
    mode, keywords, beam, phrase, userWords, lmPath, minWordConfidence,
    provider: o.provider as 'cpu' | 'cuda',
    chunkFrames: intOpt('chunk-frames', 1), lookaheadFrames: intOpt('lookahead-frames', 0),
    endpoint: { rule2: { minTrailingSilenceSec: silence } },
    ...vtlnFromOptions('transcribe', o),
  });
  let failed = 0;
  try {
    for (const file of files) {
      try {
        const formatting = dictationFormatting(o, mode);
        const tagger = formatting?.punctuate ? sharedPunctuationTagger : undefined;
        const r = await streamFile(rec, file, { chunkMs, realtime: Boolean(o.realtime), formatting, tagger, ...maxDurationFromOptions('transcribe', o) },
          (rec) => process.stdout.write(`${JSON.stringify(rec)}\n`), (msg) => process.stderr.write(`warning: ${msg}\n`));
        if (reportWarnings(file, r.warnings)) failed++;
      } catch (err) {
        failed++;
        process.stdout.write(`${JSON.stringify({ file, error: fileErrorMessage(err) })}\n`);
      }
    }
  } finally {
    await rec.dispose();
  }
  return failed > 0 ? 1 : 0;
}
