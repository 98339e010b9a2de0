/**
 * A finished file job as TXT, SRT, VTT or JSON (the Files screen's export buttons). The cue rules,
 * time formats and dictation formatting are the CLI's (src-main/engine/transcript-formats.ts), so a
 * file exported from the app matches `hark transcribe --format srt|vtt` cue for cue; JSON adds the
 * app's fields (keywords). A dictation job finished with settings.formatDictation on
 * (result.formattedText) is written as text: TXT, JSON's "text" (plus "tokens") and the cues come
 * from the document of its finals, each final one utterance, with the capitals and punctuation the
 * tagger gave them when the job finished (result.marks); "words" stay as recognized.
 */
import type { ExportFormat, FileResult } from '../../src-shared/ipc/app-contract.ts';
import { srtCues, tokenRecords, VTT_HEADER, vttCues, writtenTranscript } from '../engine/transcript-formats.ts';

const MIME: Record<ExportFormat, string> = {
  txt: 'text/plain',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  json: 'application/json',
};

/** "talk.final.wav" -> "talk.final.srt"; names without a stem become "transcript.<ext>". */
export function exportFileName(sourceName: string, format: ExportFormat): string {
  const base = sourceName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = (dot > 0 ? base.slice(0, dot) : base).trim() || 'transcript';
  return `${stem}.${format}`;
}

/** The export's text, file name and MIME type. */
export function exportResult(result: FileResult, format: ExportFormat): { fileName: string; text: string; mimeType: string } {
  const marks = result.marks?.map((m) => m ?? undefined);
  const written = writtenTranscript(result, result.formattedText !== undefined ? { ...(marks ? { marks } : {}) } : null);
  let text: string;
  switch (format) {
    case 'txt':
      text = written.text ? `${written.text}\n` : '';
      break;
    case 'srt':
      text = srtCues(written.cues);
      break;
    case 'vtt': {
      const cues = vttCues(written.cues);
      text = cues ? `${VTT_HEADER}\n${cues}` : VTT_HEADER;
      break;
    }
    case 'json':
      text = `${JSON.stringify({
        file: result.name,
        text: written.text,
        ...(written.tokens ? { tokens: tokenRecords(written.tokens) } : {}),
        words: result.words.map((w) => ({ ...w, confidence: Math.round(w.confidence * 1e4) / 1e4 })),
        durationSec: result.durationSec,
        processingSec: result.processingSec,
        keywords: result.keywords,
      }, null, 2)}\n`;
      break;
  }
  return { fileName: exportFileName(result.name, format), text, mimeType: MIME[format] };
}
