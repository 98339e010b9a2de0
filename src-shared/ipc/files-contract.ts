/**
 * The Files screen's part of the IPC contract: files given to the queue (a path on disk, or the
 * bytes of a browser drop), their jobs' events and transcripts, exports, and the files:* channels
 * (answered by the backend's FileJobQueue, src-main/backend/file-jobs.ts).
 */
import { oneField, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { checkKeyword, checkMode, type KeywordHitWire, type KeywordSpecWire, type ModeSpec, type WordWire } from './recognition-contract.ts';
import { MAX_LIST } from './settings-contract.ts';
import type { WordMark } from '../text/word-marks.ts';
import { arrayOf, IpcPayloadError, oneOf, onlyKeys, optional, record, string, type Check } from './validate.ts';

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A file given to the Files screen: a path on disk (Electron) or its bytes (browser drop). */
export interface FileInput {
  name: string;
  path?: string;
  data?: ArrayBuffer;
}

export interface FileResult {
  name: string;
  text: string;
  words: WordWire[];
  durationSec: number;
  processingSec: number;
  keywords: KeywordHitWire[];
  /** Open dictation: how many of `words` each final (utterance) holds, in order; they sum to words.length. */
  utteranceWords?: number[];
  /**
   * Open dictation written as text (settings.formatDictation on when the job finished;
   * docs/DICTATION-FORMATTING.md): the document the finals make; the exports use it. `text` and
   * `words` stay as recognized.
   */
  formattedText?: string;
  /**
   * With formattedText and settings.punctuate on: the punctuation/case tagger's marks for each
   * utterance of `utteranceWords` (null: a spoken command or an empty utterance), so exports write
   * the same capitals and punctuation as formattedText without running the tagger again.
   */
  marks?: (WordMark[] | null)[];
  /**
   * Problems that did not stop the transcription: the file was truncated or damaged and was
   * transcribed as far as it could be read (the CLI prints the same lines and exits 1). Absent when
   * the whole file was read.
   */
  warnings?: string[];
}

export type FileJobState = 'queued' | 'running' | 'done' | 'error' | 'canceled';

export type FileJobEvent =
  | { jobId: string; state: 'queued' | 'canceled'; name: string }
  /** `text`: the end of the transcript so far (at most 300 characters, "…" when cut). */
  | { jobId: string; state: 'running'; name: string; progress: number; etaSec: number | null; text: string }
  | { jobId: string; state: 'done'; name: string; result: FileResult }
  | { jobId: string; state: 'error'; name: string; error: string };

/** Largest file accepted as bytes over IPC (a path has no limit). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_FILES_PER_REQUEST = 200;

const checkFileInput: Check<FileInput> = (value, c, f) => {
  const r = record(value, c, f);
  onlyKeys(r, ['name', 'path', 'data'], c, f);
  const name = string(r.name, c, `${f}.name`, 1000);
  const path = optional((v, ch, fl) => string(v, ch, fl, 4096))(r.path, c, `${f}.path`);
  let data: ArrayBuffer | undefined;
  if (r.data !== undefined) {
    if (!(r.data instanceof ArrayBuffer)) throw new IpcPayloadError(c, `${f}.data`, 'must be an ArrayBuffer');
    if (r.data.byteLength > MAX_FILE_BYTES) throw new IpcPayloadError(c, `${f}.data`, `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (open the file from disk instead)`);
    data = r.data;
  }
  if ((path === undefined) === (data === undefined)) throw new IpcPayloadError(c, f, 'must give exactly one of path and data');
  return { name, ...(path !== undefined ? { path } : {}), ...(data ? { data } : {}) };
};

const jobId: Check<string> = (v, c, f) => string(v, c, f, 100);

export const FILE_CHANNELS = {
  'files:add': {
    host: 'backend',
    request: (value): { files: FileInput[]; mode: ModeSpec; keywords?: KeywordSpecWire[] } => {
      const c = 'files:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['files', 'mode', 'keywords'], c, 'request');
      const files = arrayOf(checkFileInput, MAX_FILES_PER_REQUEST)(r.files, c, 'files');
      if (files.length === 0) throw new IpcPayloadError(c, 'files', 'must list at least one file');
      const keywords = optional(arrayOf(checkKeyword, MAX_LIST))(r.keywords, c, 'keywords');
      return { files, mode: checkMode(r.mode, c, 'mode'), ...(keywords ? { keywords } : {}) };
    },
  },
  'files:cancel': { host: 'backend', request: oneField('files:cancel', 'jobId', jobId) },
  'files:remove': { host: 'backend', request: oneField('files:remove', 'jobId', jobId) },
  'files:audio': { host: 'backend', request: oneField('files:audio', 'jobId', jobId) },
  'files:export': {
    host: 'backend',
    request: (value): { jobId: string; format: ExportFormat } => {
      const c = 'files:export';
      const r = record(value, c, 'request');
      onlyKeys(r, ['jobId', 'format'], c, 'request');
      return { jobId: jobId(r.jobId, c, 'jobId'), format: oneOf(EXPORT_FORMATS)(r.format, c, 'format') };
    },
  },
} as const satisfies ChannelTable;

export type FilesApi = ChannelApi<typeof FILE_CHANNELS, {
  'files:add': { jobs: { jobId: string; name: string }[] };
  'files:cancel': { ok: true };
  'files:remove': { ok: true };
  /** The job's audio as 16 kHz mono 16-bit WAV. */
  'files:audio': { wav: ArrayBuffer };
  'files:export': { fileName: string; text: string; mimeType: string };
}>;
