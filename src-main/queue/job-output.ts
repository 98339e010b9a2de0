/**
 * A job's output file: exactly what `hark transcribe <file> --format F` prints for that one file
 * (OutputWriter, one file; dictation's capitals and punctuation from the shared punctuation
 * tagger, as transcribe adds them), written atomically (writeFileAtomic: a reader, or a worker killed
 * halfway, never leaves half a file).
 */
import { writeFileAtomic } from '../system/atomic-write.ts';
import type { Recognition } from '../engine/offline-recognizer.ts';
import { OutputWriter, withTaggerMarks, type OutputFormat } from '../engine/transcript-formats.ts';
import { sharedPunctuationTagger } from '../engine/punctuation-tagger.ts';
import type { TranscriptionJobData } from './transcription-job.ts';

/** File name extension of each output format. */
export const OUTPUT_EXTENSIONS: Record<OutputFormat, string> = { text: '.txt', json: '.json', srt: '.srt', vtt: '.vtt' };

/** The text of one file's output. */
export async function renderJobOutput(d: Pick<TranscriptionJobData, 'file' | 'format' | 'formatting' | 'options'>, r: Recognition): Promise<string> {
  let out = '';
  const writer = new OutputWriter(d.format, false, d.options.mode.kind === 'phrases', (s) => { out += s; }, () => undefined, d.formatting);
  writer.begin();
  writer.file(d.file, r, await withTaggerMarks(r, d.formatting, sharedPunctuationTagger));
  return out;
}

/** Writes the job's output atomically (creating its folder); resolves with the bytes written. */
export async function writeJobOutput(d: TranscriptionJobData, r: Recognition): Promise<number> {
  const text = await renderJobOutput(d, r);
  await writeFileAtomic(d.output, text, { mkdir: true });
  return Buffer.byteLength(text);
}
