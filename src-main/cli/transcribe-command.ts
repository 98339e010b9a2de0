/** `hark transcribe`: recognize audio files (dictation, --words or --phrases) and print them in one format. */
import { AudioDecodeError } from '../audio/index.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { OUTPUT_FORMATS, OutputWriter, type OutputFormat } from './output-formats.ts';
import { modeFromOptions, recognizerFromOptions, recognizerOptionSpecs } from './recognizer-options.ts';

export const transcribeSpec: CommandSpec = {
  name: 'transcribe',
  summary: 'Transcribe audio files (WAV, FLAC, MP3, Ogg Vorbis/Opus) offline.',
  usage: 'hark transcribe <files...> [--model DIR] [--phrases FILE | --words FILE] [--format text|json|srt|vtt]\n\n'
    + 'List files: UTF-8, one item per line, # starts a comment. Exit status: 0 all files transcribed,\n'
    + '1 some file failed (the others are still printed), 2 usage error. With several files, srt prints\n'
    + "one block of cues per file (numbered from 1, blank line between blocks; each block's file is\n"
    + 'named on stderr) and vtt one WEBVTT document with a NOTE line naming each file.',
  options: {
    ...recognizerOptionSpecs,
    format: { type: 'string', help: 'Output format', default: 'text', choices: OUTPUT_FORMATS },
  },
};

/** Message for a file that could not be transcribed (without the file name, which the output adds). */
export function fileErrorMessage(err: unknown): string {
  if (err instanceof AudioDecodeError) return err.reason;
  return err instanceof Error ? err.message : String(err);
}

export async function transcribeCommand(argv: string[]): Promise<number> {
  const { options: o, positionals: files, help } = parseCommand(transcribeSpec, argv);
  if (help) { process.stdout.write(helpText(transcribeSpec)); return 0; }
  if (files.length === 0) throw new UsageError(`transcribe: no input files\n\n${helpText(transcribeSpec)}`);
  const mode = await modeFromOptions('transcribe', o);
  const recognizer = await recognizerFromOptions('transcribe', o, mode);
  const out = new OutputWriter(o.format as OutputFormat, files.length > 1, mode.kind === 'phrases',
    (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  let failed = 0;
  try {
    out.begin();
    for (const file of files) {
      try {
        const r = await recognizer.recognizeFile(file);
        for (const w of r.warnings ?? []) process.stderr.write(`${file}: warning: ${w}\n`);
        out.file(file, r);
      } catch (err) {
        failed++;
        out.failure(file, fileErrorMessage(err));
      }
    }
  } finally {
    await recognizer.dispose();
  }
  return failed > 0 ? 1 : 0;
}
