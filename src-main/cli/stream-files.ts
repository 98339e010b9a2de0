/**
 * `hark transcribe --stream`: each file is decoded as a stream (openAudioStream) and fed to the
 * streaming recognizer in chunks of --chunk-ms as a microphone would deliver it (paced at real speed with --realtime),
 * and every event is printed as one JSON line (DESIGN.md CLI contract):
 *   {"type":"partial"|"final"|"keyword"|"endpoint","file","text","audioSec",...}
 * partial: + "stable" (leading words that will not change); final: + "words", "confidence",
 * "start", "end" (and "phrase" in phrase mode, "rejection" when it is null: closest phrase, its
 * confidence, the greedy phoneme reading); keyword: + "keyword", "start", "end", "score";
 * endpoint: + "rule", "start", "end". A file that fails prints {"file","error"}.
 *
 * Open dictation written as a document (the default; `formatting` null turns it off): each final
 * also carries "document": {"delete","insert"}, the change it makes to the file's written document
 * (docs/DICTATION-FORMATTING.md: spoken editing across finals, numbers within one): remove
 * "delete" characters (UTF-16 code units) from the end of the document so far, then append
 * "insert". A final's "text" and "words" stay as recognized; partials are never formatted.
 */
import { openAudioStream } from '../audio/index.ts';
import type { StreamEvent, OnlineRecognizer } from '../engine/online-recognizer.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import { addFinal, dictationDocument, emptyDictation, type DictationOptions } from '../../src-shared/text/spoken-editing.ts';
import type { WordMark } from '../../src-shared/text/word-marks.ts';

/** The edit that turns `before` into `after`: delete that many characters from the end, then append `insert`. */
export function documentEdit(before: string, after: string): { delete: number; insert: string } {
  let common = 0;
  const n = Math.min(before.length, after.length);
  while (common < n && before.charCodeAt(common) === after.charCodeAt(common)) common++;
  return { delete: before.length - common, insert: after.slice(common) };
}

/** The JSON object printed for one event of `file`. */
export function streamEventRecord(file: string, ev: StreamEvent, utteranceText = ''): Record<string, unknown> {
  switch (ev.type) {
    case 'partial':
      return { type: ev.type, file, text: ev.text, stable: ev.stable, audioSec: ev.audioSec };
    case 'final':
      return {
        type: ev.type, file, text: ev.text,
        words: ev.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: Math.round(w.confidence * 1e4) / 1e4 })),
        confidence: ev.confidence, ...(ev.phrase !== undefined ? { phrase: ev.phrase } : {}),
        ...(ev.rejection ? { rejection: ev.rejection } : {}),
        start: ev.start, end: ev.end, audioSec: ev.audioSec,
      };
    case 'keyword':
      return { type: ev.type, file, text: ev.keyword, keyword: ev.keyword, start: ev.start, end: ev.end, score: ev.score, audioSec: ev.audioSec };
    case 'endpoint':
      return { type: ev.type, file, text: utteranceText, rule: ev.rule, start: ev.start, end: ev.end, audioSec: ev.audioSec };
  }
}

export interface StreamFeedOptions {
  chunkMs: number;
  realtime: boolean;
  /** Longest file accepted (default: openAudioStream's) and how a refusal names the limit. */
  maxDurationSec?: number;
  maxDurationName?: string;
  /** Open dictation: write finals' "document" edits with these options; null or absent: none (phrase and word lists, --raw-text). */
  formatting?: DictationOptions | null;
  /** Case and punctuation of each final's words (the punctuation tagger's tagUtterances); absent: written as spoken. */
  tagger?: () => Promise<{ tagUtterances(u: readonly (readonly string[])[]): Promise<(WordMark[] | undefined)[]> }>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Feeds one file through `rec` (reset first) and hands every event to `emit` as it comes.
 * With realtime, chunk i is pushed no earlier than i * chunkMs after the first; a warning goes to
 * `warn` when recognition falls behind real time by more than a second.
 */
export async function streamFile(
  rec: OnlineRecognizer, file: string, opts: StreamFeedOptions,
  emit: (record: Record<string, unknown>) => void, warn: (msg: string) => void,
): Promise<{ audioSec: number; processingSec: number; warnings: string[] }> {
  const audio = await openAudioStream(file, { maxDurationSec: opts.maxDurationSec, limitName: opts.maxDurationName });
  await rec.reset();
  const step = Math.max(1, Math.round((opts.chunkMs / 1000) * SAMPLE_RATE));
  let lastFinal = '';
  let doc = emptyDictation();
  let docText = '';
  const out = async (events: StreamEvent[]) => {
    for (const ev of events) {
      const record = streamEventRecord(file, ev, ev.type === 'endpoint' ? lastFinal : '');
      if (ev.type === 'final') {
        lastFinal = ev.text;
        if (opts.formatting && ev.phrase === undefined) {
          const words = ev.words.map((w) => w.word);
          const marks = opts.tagger && words.length > 0 ? (await (await opts.tagger()).tagUtterances([words]))[0] : undefined;
          doc = addFinal(doc, words, opts.formatting, marks);
          const text = dictationDocument(doc).text;
          record.document = documentEdit(docText, text);
          docText = text;
        }
      }
      emit(record);
    }
  };
  const t0 = performance.now();
  let warned = false;
  let k = 0;
  let fed = 0;
  const push = async (chunk: Float32Array) => {
    if (opts.realtime) {
      const due = t0 + k * opts.chunkMs;
      const now = performance.now();
      if (due > now) await sleep(due - now);
      else if (now - due > 1000 && !warned) {
        warned = true;
        warn(`${file}: recognition is running ${((now - due) / 1000).toFixed(1)} s behind real time`);
      }
    }
    k++;
    fed += chunk.length;
    await out(await rec.acceptPcm(chunk));
  };
  // The decoded chunks are re-cut into pushes of exactly `step` samples (the last may be shorter).
  const pending = new Float32Array(step);
  let held = 0;
  for await (const chunk of audio.chunks()) {
    for (let at = 0; at < chunk.length;) {
      if (held === 0 && chunk.length - at >= step) {
        await push(chunk.subarray(at, at + step));
        at += step;
        continue;
      }
      const take = Math.min(step - held, chunk.length - at);
      pending.set(chunk.subarray(at, at + take), held);
      held += take;
      at += take;
      if (held === step) { await push(pending.slice()); held = 0; }
    }
  }
  if (held > 0) await push(pending.slice(0, held));
  await out(await rec.finish());
  return { audioSec: fed / SAMPLE_RATE, processingSec: (performance.now() - t0) / 1000, warnings: audio.warnings };
}
