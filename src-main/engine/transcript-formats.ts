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
 *
 * Open dictation is written as a document by default (docs/DICTATION-FORMATTING.md: numbers as
 * people write them, spoken editing per utterance; in a file, words separated by a pause of
 * DictationFormatting.utterancePauseSec, within each segment of a long file): text and json's "text" are the document, json adds "tokens"
 * ([{"text","kind","start","end","words":[from,to]}]: each written token, its times, and the
 * indices of its source words in "words", end exclusive), and srt/vtt cues are made of the
 * document's tokens (punctuation joins the cue before it, a line break ends a cue; an undone
 * utterance leaves no cue). "words" is always the recognized words with their times, as spoken.
 * Phrase- and word-list results are never formatted. Capitals and punctuation come from the
 * punctuation/case tagger (./punctuation-tagger.ts) when the caller gives its marks
 * (DictationFormatting.marks, filled by withTaggerMarks); predicted punctuation is a "punctuation"
 * token over no words ("words":[i,i], start = end = the time the word before it ends).
 */
import type { WordResult } from '../decode/decode-types.ts';
import type { DictationOptions, DictationTokenKind } from '../../src-shared/text/spoken-editing.ts';
import type { WordMark } from '../../src-shared/text/word-marks.ts';
import { formatTimedDictation, pauseUtteranceSizes, splitUtterances, type TimedDictationToken, type TimedWord } from '../../src-shared/text/dictation-transcript.ts';
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

/** What cues are made of: a recognized word, or a token of a written dictation document. */
export interface CueItem {
  text: string;
  start: number;
  end: number;
  /** 'text' (the default) counts toward the limits; 'punctuation' joins the cue before it without a space; 'break' ends the cue. */
  kind?: DictationTokenKind;
}

/** Groups words into cues (see the limits above); words must be in time order. */
export function splitCues(words: readonly WordResult[]): Cue[] {
  return splitCueItems(words.map((w) => ({ text: w.word, start: w.start, end: w.end })));
}

/**
 * Groups cue items into cues: text items under the limits above; a punctuation item is appended
 * to the cue before it (extending its end to the punctuation's source words; alone when no cue
 * came before); a break item ends the current cue and is not shown. Items must be in time order.
 */
export function splitCueItems(items: readonly CueItem[]): Cue[] {
  const cues: Cue[] = [];
  let cur: CueItem[] = [];
  const flush = () => {
    if (cur.length) {
      cues.push({ start: cur[0].start, end: Math.max(...cur.map((c) => c.end)), text: cur.map((c, k) => (k > 0 && c.kind !== 'punctuation' ? ' ' : '') + c.text).join('') });
    }
    cur = [];
  };
  for (const item of items) {
    const kind = item.kind ?? 'text';
    if (kind === 'break') { flush(); continue; }
    if (kind === 'punctuation') {
      const last = cues[cues.length - 1];
      if (cur.length === 0 && last) {
        last.text += item.text;
        last.end = Math.max(last.end, item.end);
      } else {
        cur.push(item);
      }
      continue;
    }
    const texts = cur.filter((c) => (c.kind ?? 'text') === 'text');
    if (texts.length) {
      const prev = cur[cur.length - 1];
      if (texts.length >= CUE_MAX_WORDS || item.end - cur[0].start > CUE_MAX_SEC || item.start - prev.end > CUE_PAUSE_SEC) flush();
    }
    cur.push(item);
  }
  flush();
  return cues;
}

/** What is written of one result: its text, its subtitle cues and, for a formatted dictation, its tokens. */
export interface WrittenTranscript {
  text: string;
  cues: Cue[];
  tokens?: TimedDictationToken[];
}

/** A result's words, and how many of them each utterance holds (absent: all in one). */
export interface TranscriptSource {
  text: string;
  words: readonly TimedWord[];
  utteranceWords?: readonly number[];
}

/** How open dictation is written: DictationOptions, and where utterances are not known, the pause that ends one. */
export interface DictationFormatting extends DictationOptions {
  /** Seconds: a pause at least this long between two words ends an utterance (pauseUtteranceSizes); absent: r.utteranceWords as given. */
  utterancePauseSec?: number;
  /**
   * Capitals and punctuation from the tagger (default true): read by withTaggerMarks, which fills
   * `marks`; false (--no-punctuation, settings.punctuate off) writes the words as spoken.
   */
  punctuate?: boolean;
  /** The tagger's marks for each utterance of dictationUtterances(r, this) (undefined entries: none). */
  marks?: readonly (readonly WordMark[] | undefined)[];
}

/** The utterances a result is written in: r.utteranceWords, cut further at pauses of formatting.utterancePauseSec. */
export function dictationUtterances(r: TranscriptSource, formatting: DictationFormatting): TimedWord[][] {
  const sizes = formatting.utterancePauseSec === undefined ? r.utteranceWords : pauseUtteranceSizes(r.words, formatting.utterancePauseSec, r.utteranceWords);
  return splitUtterances(r.words, sizes);
}

/**
 * The text and cues of a result: with `formatting` (open dictation only), the written document of
 * its utterances (spoken editing per utterance, numbers unless formatting.inverseNormalize is
 * false, case and punctuation when formatting.marks holds the tagger's); with null, the recognized
 * text and cues of the words as they are.
 */
export function writtenTranscript(r: TranscriptSource, formatting: DictationFormatting | null): WrittenTranscript {
  if (!formatting) return { text: r.text, cues: splitCueItems(r.words.map((w) => ({ text: w.word, start: w.start, end: w.end }))) };
  const doc = formatTimedDictation(dictationUtterances(r, formatting), formatting, formatting.marks);
  return { text: doc.text, cues: splitCueItems(doc.tokens), tokens: doc.tokens };
}

/**
 * `formatting` with `marks` from `tagger` for each utterance of `r` (or unchanged: null formatting,
 * punctuate false). The tagger is asked for only when there are words to tag.
 */
export async function withTaggerMarks(
  r: TranscriptSource, formatting: DictationFormatting | null, tagger: () => Promise<{ tagUtterances(u: readonly (readonly string[])[]): Promise<(WordMark[] | undefined)[]> }>,
): Promise<DictationFormatting | null> {
  if (!formatting || formatting.punctuate === false || r.words.length === 0) return formatting;
  const utterances = dictationUtterances(r, formatting).map((u) => u.map((w) => w.word));
  return { ...formatting, marks: await (await tagger()).tagUtterances(utterances) };
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
  return srtCues(splitCues(words));
}

/** The WebVTT cues of one file, without the header. */
export function formatVttCues(words: readonly WordResult[]): string {
  return vttCues(splitCues(words));
}

/** Numbered SRT cues (empty string for none). */
export function srtCues(cues: readonly Cue[]): string {
  return cues.map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text}\n`).join('\n');
}

/** WebVTT cues without the header (empty string for none). */
export function vttCues(cues: readonly Cue[]): string {
  return cues.map((c) => `${vttTime(c.start)} --> ${vttTime(c.end)}\n${c.text}\n`).join('\n');
}

/** The JSON form of written tokens: {"text","kind","start","end","words":[from,to]}. */
export function tokenRecords(tokens: readonly TimedDictationToken[]): Record<string, unknown>[] {
  return tokens.map((t) => ({ text: t.text, kind: t.kind, start: t.start, end: t.end, words: t.words }));
}

export const VTT_HEADER = 'WEBVTT\n';

/**
 * The JSON object of the CLI contract for one recognized file; `written` (writtenTranscript) gives
 * "text" and, when formatted, "tokens".
 */
export function jsonRecord(file: string, r: Recognition, phraseMode: boolean, written?: WrittenTranscript): Record<string, unknown> {
  return {
    file,
    text: written ? written.text : r.text,
    ...(written?.tokens ? { tokens: tokenRecords(written.tokens) } : {}),
    words: r.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: Math.round(w.confidence * 1e4) / 1e4 })),
    durationSec: r.durationSec,
    processingSec: r.processingSec,
    ...(phraseMode ? { phrase: r.phrase ?? null, confidence: Math.round(r.confidence * 1e4) / 1e4 } : {}),
    ...(phraseMode && r.rejection ? { rejection: r.rejection } : {}),
    ...(r.keywords ? { keywords: r.keywords } : {}),
  };
}

/**
 * Writes results in one format; `begin` once, then `file` / `failure` per input in order.
 * `formatting`: write open dictation as a document (writtenTranscript); null: the words as
 * recognized (phrase and word lists, --raw-text).
 */
export class OutputWriter {
  private blocks = 0;

  constructor(
    readonly format: OutputFormat,
    private readonly multipleFiles: boolean,
    private readonly phraseMode: boolean,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
    private readonly formatting: DictationFormatting | null = null,
  ) {}

  begin(): void {
    if (this.format === 'vtt') this.out(VTT_HEADER);
  }

  /** Writes one result; `formatting` overrides the writer's (e.g. with the tagger's marks for this result). */
  file(file: string, r: Recognition, formatting: DictationFormatting | null = this.formatting): void {
    const written = writtenTranscript(r, formatting);
    switch (this.format) {
      case 'json':
        this.out(`${JSON.stringify(jsonRecord(file, r, this.phraseMode, written))}\n`);
        return;
      case 'text':
        // A spoken "new line" is a line break: with several files, every line names its file.
        this.out(`${written.text.split('\n').map((line) => (this.multipleFiles ? `${file}: ${line}` : line)).join('\n')}\n`);
        for (const k of r.keywords ?? []) this.out(`${this.multipleFiles ? `${file}: ` : ''}[keyword "${k.keyword}" ${k.start.toFixed(2)}-${k.end.toFixed(2)} s, score ${k.score.toFixed(2)}]\n`);
        return;
      case 'srt': {
        const body = srtCues(written.cues);
        const n = written.cues.length;
        if (this.multipleFiles) this.err(`${file}: ${n} cue${n === 1 ? '' : 's'}\n`);
        if (body) this.out(`${this.blocks++ > 0 ? '\n' : ''}${body}`);
        return;
      }
      case 'vtt': {
        const body = vttCues(written.cues);
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
