/**
 * `hark transcribe` output formats. Each formatter gets one file's result and returns the text to
 * print for it (newline-terminated), so files are printed as soon as they are done.
 *
 * - text: the transcript, one line per file; with several files each line is "file: text".
 * - json: one object per file per line, the DESIGN.md CLI contract: {"file","text","words",
 *   "durationSec","processingSec"}, plus "phrase" and "confidence" in phrase mode, and for rejected
 *   speech "rejection" ({"closest","confidence","heard"}: PhraseRejectionWire); a failed file
 *   prints {"file","error"}.
 * - srt: numbered cues "HH:MM:SS,mmm --> HH:MM:SS,mmm". SRT has no comment syntax, so with several
 *   files each file's cues form their own block, numbered from 1, in input order, blocks separated
 *   by a blank line; the file a block belongs to is written to stderr as "file: N cues". Run one
 *   file per invocation to get a standalone .srt file.
 * - vtt: one "WEBVTT" header, then per file a "NOTE file: <path>" line (several files only) and its
 *   cues "HH:MM:SS.mmm --> HH:MM:SS.mmm".
 * Cues hold up to CUE_MAX_WORDS words and CUE_MAX_SEC seconds, and a pause longer than
 * CUE_PAUSE_SEC between two words always starts a new cue.
 */
import type { WordResult } from '../decode/decode-types.ts';
import type { Recognition } from './offline-recognizer.ts';

export const OUTPUT_FORMATS = ['text', 'json', 'srt', 'vtt'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CUE_MAX_WORDS = 7;
export const CUE_MAX_SEC = 3.5;
export const CUE_PAUSE_SEC = 0.6;

/** One subtitle cue: consecutive words, from the first word's start to the last word's end. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Groups words into cues (see the limits above); words must be in time order. */
export function splitCues(words: readonly WordResult[]): Cue[] {
  const cues: Cue[] = [];
  let cur: WordResult[] = [];
  const flush = () => {
    if (cur.length) cues.push({ start: cur[0].start, end: cur[cur.length - 1].end, text: cur.map((w) => w.word).join(' ') });
    cur = [];
  };
  for (const w of words) {
    if (cur.length) {
      const prev = cur[cur.length - 1];
      if (cur.length >= CUE_MAX_WORDS || w.end - cur[0].start > CUE_MAX_SEC || w.start - prev.end > CUE_PAUSE_SEC) flush();
    }
    cur.push(w);
  }
  flush();
  return cues;
}

/** "HH:MM:SS<sep>mmm" for a time in seconds (rounded to the millisecond; negative clamps to 0). */
function timestamp(sec: number, sep: ',' | '.'): string {
  const totalMs = Math.max(0, Math.round(sec * 1000));
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor(totalMs / 60_000) % 60;
  const s = Math.floor(totalMs / 1000) % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${sep}${pad(totalMs % 1000, 3)}`;
}

/** SubRip time: 00:00:01,234. */
export const srtTime = (sec: number): string => timestamp(sec, ',');
/** WebVTT time: 00:00:01.234. */
export const vttTime = (sec: number): string => timestamp(sec, '.');

/** The SRT cues of one file (empty string when nothing was recognized). */
export function formatSrt(words: readonly WordResult[]): string {
  return splitCues(words).map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text}\n`).join('\n');
}

/** The WebVTT cues of one file, without the header. */
export function formatVttCues(words: readonly WordResult[]): string {
  return splitCues(words).map((c) => `${vttTime(c.start)} --> ${vttTime(c.end)}\n${c.text}\n`).join('\n');
}

export const VTT_HEADER = 'WEBVTT\n';

/** The JSON object of the CLI contract for one recognized file. */
export function jsonRecord(file: string, r: Recognition, phraseMode: boolean): Record<string, unknown> {
  return {
    file,
    text: r.text,
    words: r.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: Math.round(w.confidence * 1e4) / 1e4 })),
    durationSec: r.durationSec,
    processingSec: r.processingSec,
    ...(phraseMode ? { phrase: r.phrase ?? null, confidence: Math.round(r.confidence * 1e4) / 1e4 } : {}),
    ...(phraseMode && r.rejection ? { rejection: r.rejection } : {}),
    ...(r.keywords ? { keywords: r.keywords } : {}),
  };
}

/** Writes results in one format; `begin` once, then `file` / `failure` per input in order. */
export class OutputWriter {
  private blocks = 0;

  constructor(
    readonly format: OutputFormat,
    private readonly multipleFiles: boolean,
    private readonly phraseMode: boolean,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
  ) {}

  begin(): void {
    if (this.format === 'vtt') this.out(VTT_HEADER);
  }

  file(file: string, r: Recognition): void {
    switch (this.format) {
      case 'json':
        this.out(`${JSON.stringify(jsonRecord(file, r, this.phraseMode))}\n`);
        return;
      case 'text':
        this.out(this.multipleFiles ? `${file}: ${r.text}\n` : `${r.text}\n`);
        for (const k of r.keywords ?? []) this.out(`${this.multipleFiles ? `${file}: ` : ''}[keyword "${k.keyword}" ${k.start.toFixed(2)}-${k.end.toFixed(2)} s, score ${k.score.toFixed(2)}]\n`);
        return;
      case 'srt': {
        const body = formatSrt(r.words);
        const n = splitCues(r.words).length;
        if (this.multipleFiles) this.err(`${file}: ${n} cue${n === 1 ? '' : 's'}\n`);
        if (body) this.out(`${this.blocks++ > 0 ? '\n' : ''}${body}`);
        return;
      }
      case 'vtt': {
        const body = formatVttCues(r.words);
        const note = this.multipleFiles ? `NOTE file: ${file.replace(/-->/g, '- ->').replace(/\s+/g, ' ')}\n` : '';
        if (note || body) this.out(`\n${note}${note && body ? '\n' : ''}${body}`);
        return;
      }
    }
  }

  failure(file: string, message: string): void {
    if (this.format === 'json') this.out(`${JSON.stringify({ file, error: message })}\n`);
    else this.err(`${file}: error: ${message}\n`);
  }
}
