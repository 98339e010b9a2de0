/**
 * `--jobs N` of `hark transcribe` and `hark eval`: with several files and N > 1, files are
 * recognized N at a time by OfflineRecognizerPool (a worker thread per job, each with its own model
 * session of one onnxruntime thread); with --jobs 1 or a single file, by one OfflineRecognizer in
 * this thread, one file after another, as before the pool existed. Results come back in input order.
 */
import { availableParallelism } from 'node:os';
import type { KeywordSpec } from '../decode/keyword-spotter.ts';
import type { Recognition, RecognitionMode } from '../engine/offline-recognizer.ts';
import { OfflineRecognizerPool } from '../engine/offline-recognizer-pool.ts';
import { UsageError, type OptionSpec, type ParsedOptions } from './cli-args.ts';
import { recognizerFromOptions, recognizerOptions } from './recognizer-options.ts';

export const jobsOptionSpec: OptionSpec = {
  type: 'number',
  help: `Files recognized at once, each in its own worker thread with its own model session (default: every core, ${availableParallelism()} here); 1 recognizes in this thread, one file after another`,
};

/** The --jobs value: a whole number from 1 to 64, every core when absent; UsageError otherwise. */
export function jobsFromOptions(cmd: string, o: ParsedOptions): number {
  const n = o.jobs === undefined ? availableParallelism() : Number(o.jobs);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`${cmd}: --jobs must be a whole number from 1 to 64, got ${String(o.jobs)}`);
  return n;
}

/** What recognizes a batch: an OfflineRecognizer or an OfflineRecognizerPool. */
export interface FileRecognizer {
  recognizeFile(path: string): Promise<Recognition>;
  dispose(): Promise<void>;
}

/** One file's outcome: its recognition, or what recognizeFile threw. */
export type FileOutcome = { index: number; file: string; result: Recognition } | { index: number; file: string; error: unknown };

/** Files handed to the pool ahead of the one being printed, per worker: keeps workers busy past a long file, memory bounded. */
const AHEAD_PER_WORKER = 16;

export interface BatchRecognizer {
  recognizer: FileRecognizer;
  /** Files in flight at most (1: strictly one after another). */
  ahead: number;
}

/** The recognizer --jobs asks for, for `fileCount` files (the model is loaded and checked here). */
export async function batchRecognizerFromOptions(cmd: string, o: ParsedOptions, mode: RecognitionMode, keywords: readonly KeywordSpec[], fileCount: number): Promise<BatchRecognizer> {
  const workers = Math.min(jobsFromOptions(cmd, o), fileCount);
  if (workers <= 1) return { recognizer: await recognizerFromOptions(cmd, o, mode, keywords), ahead: 1 };
  const pool = await OfflineRecognizerPool.create({ ...recognizerOptions(cmd, o, mode, keywords), threads: 1 }, workers);
  return { recognizer: pool, ahead: workers * AHEAD_PER_WORKER };
}

/**
 * Recognizes `files` with up to `ahead` in flight and yields their outcomes in input order; a
 * failing file is an outcome like any other, so it never stops the rest.
 */
export async function* recognizeInOrder(recognizer: FileRecognizer, files: readonly string[], ahead: number): AsyncGenerator<FileOutcome> {
  const start = (index: number): Promise<FileOutcome> => {
    const file = files[index];
    return recognizer.recognizeFile(file).then((result) => ({ index, file, result }), (error: unknown) => ({ index, file, error }));
  };
  const inFlight: Promise<FileOutcome>[] = [];
  let next = 0;
  while (next < files.length && inFlight.length < ahead) inFlight.push(start(next++));
  while (inFlight.length > 0) {
    yield await inFlight.shift()!;
    if (next < files.length) inFlight.push(start(next++));
  }
}
