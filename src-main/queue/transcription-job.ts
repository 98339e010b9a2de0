/**
 * One transcription job on the queue: what `hark queue submit` puts in Redis and what a worker
 * reads back. The data is plain JSON and self-contained (list files, keywords and the user's words
 * travel inside it), except the audio, which every worker reads from `file` (docs/SCALE-OUT.md:
 * "Paths, not bytes"). A worker trusts nothing in it: checkJobData validates the shape.
 *
 * Two keys make duplicates cheap:
 * - resultKey: the recognition's identity, SHA-256 over the audio's content hash, the model's
 *   hash and the recognizer options. Equal keys give equal recognitions, so a worker recognizes
 *   each key once and keeps the result in Redis (queue-results.ts).
 * - jobIdOf: the job's identity, the result key plus how and where the output is written. BullMQ
 *   never adds a job whose id exists, so submitting the same file again is a no-op.
 */
import type { KeywordSpec } from '../decode/keyword-spotter.ts';
import type { PoolRecognizerOptions } from '../engine/offline-recognizer-pool.ts';
import { OUTPUT_FORMATS, type DictationFormatting, type OutputFormat } from '../engine/transcript-formats.ts';
import type { ModelIdentity } from '../model/model-identity.ts';
import { sha256 } from '../system/sha256.ts';

/** The recognizer options a job carries: everything but the model (named by `model`) and what the worker's machine decides (provider, threads). */
export type JobRecognizerOptions = Omit<PoolRecognizerOptions, 'modelDir' | 'provider' | 'threads'>;

export const JOB_DATA_VERSION = 1;

export interface TranscriptionJobData {
  v: typeof JOB_DATA_VERSION;
  /** Absolute path of the audio, on storage every worker reads at the same path. */
  file: string;
  /** Hex SHA-256 of the file's bytes when it was submitted; a worker refuses a file that changed since. */
  contentSha256: string;
  /** The model version to recognize with; a worker without it refuses the job. */
  model: ModelIdentity;
  options: JobRecognizerOptions;
  format: OutputFormat;
  /** How open dictation is written (transcribe's dictationFormatting); null: as recognized. */
  formatting: DictationFormatting | null;
  /** Absolute path the output is written to (atomically). */
  output: string;
}

/** JSON with object keys sorted at every level, so equal values hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The identity of a job's recognition: audio content, model hash and recognizer options. The
 * user's words count by spelling and pronunciations only (when they were added does not change
 * what is recognized).
 */
export function resultKey(d: Pick<TranscriptionJobData, 'contentSha256' | 'model' | 'options'>): string {
  const options = { ...d.options, userWords: d.options.userWords?.map((w) => ({ word: w.word, pronunciations: w.pronunciations })) };
  return sha256(canonicalJson({ content: d.contentSha256, model: d.model.sha256, options }));
}

/** The BullMQ job id: the result key plus the output's format, formatting and path (hex, 40 characters). */
export function jobIdOf(d: TranscriptionJobData): string {
  return sha256(canonicalJson({ result: resultKey(d), format: d.format, formatting: d.formatting, output: d.output })).slice(0, 40);
}

/** A job whose data cannot be used; the worker fails it without retrying. */
export class BadJobError extends Error {
  override name = 'BadJobError';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isHex64 = (v: unknown): v is string => isStr(v) && /^[0-9a-f]{64}$/.test(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function checkMode(m: unknown): boolean {
  if (!isObj(m)) return false;
  if (m.kind === 'dictation') return true;
  return (m.kind === 'words' || m.kind === 'phrases') && isStrArray(m.items);
}

function checkKeywords(k: unknown): k is KeywordSpec[] {
  return Array.isArray(k) && k.every((x) => isObj(x) && isStr(x.text));
}

/** `data` as TranscriptionJobData, or BadJobError naming the first field that is wrong. */
export function checkJobData(data: unknown): TranscriptionJobData {
  const bad = (what: string): never => { throw new BadJobError(`the job's data is not a Hark transcription job (${what})`); };
  if (!isObj(data)) return bad('not an object');
  if (data.v !== JOB_DATA_VERSION) return bad(`version ${String(data.v)}, this worker reads ${JOB_DATA_VERSION}`);
  if (!isStr(data.file) || !data.file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(data.file)) bad('file');
  if (!isHex64(data.contentSha256)) bad('contentSha256');
  const m = data.model;
  if (!isObj(m) || !isStr(m.name) || !isStr(m.version) || !isHex64(m.sha256)) bad('model');
  const o = data.options;
  if (!isObj(o) || !checkMode(o.mode)) bad('options.mode');
  const opts = o as Record<string, unknown>;
  if (opts.keywords !== undefined && !checkKeywords(opts.keywords)) bad('options.keywords');
  if (opts.userWords !== undefined && !(Array.isArray(opts.userWords) && opts.userWords.every((w) => isObj(w) && isStr(w.word) && Array.isArray(w.pronunciations)))) bad('options.userWords');
  if (opts.lmPath !== undefined && !isStr(opts.lmPath)) bad('options.lmPath');
  if (!(OUTPUT_FORMATS as readonly unknown[]).includes(data.format)) bad('format');
  if (data.formatting !== null && !isObj(data.formatting)) bad('formatting');
  if (!isStr(data.output) || data.output === data.file) bad('output');
  return data as unknown as TranscriptionJobData;
}
