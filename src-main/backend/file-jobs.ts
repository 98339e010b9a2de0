/**
 * The Files screen's queue: audio files (paths on disk, or bytes dropped into a browser page) are
 * transcribed one at a time, oldest first, decoded as a stream (openAudioStream, up to
 * FILE_JOB_MAX_DURATION_SEC) and fed to a streaming recognizer one second of PCM at a time. That gives a real progress bar and ETA, cancellation between seconds, utterance-sized
 * memory whatever the file's length, and whole-utterance finals (with VTLN when the model uses
 * it) whose WER equals offline recognition (bench/streaming.bench.ts). Between seconds the loop
 * yields to the event loop, so live streams served by the same thread keep their latency.
 *
 * A job belongs to the window that added it; only that window sees its events, result and audio.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_STREAM_MAX_DURATION_SEC, decodeAudioBuffer, decodeAudioFile, encodeWav, openAudioStream, type AudioStream, type DecodedAudio } from '../audio/index.ts';
import type {
  ExportFormat, FileInput, FileJobEvent, FileJobState, FileResult, KeywordHitWire, KeywordSpecWire, ModeSpec, WordWire,
} from '../../src-shared/ipc/app-contract.ts';
import type { DecoderCache } from '../engine/decoder-cache.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { OnlineRecognizer } from '../engine/online-recognizer.ts';
import { toMode } from '../engine/recognition-service.ts';
import { exportResult } from './file-exports.ts';
import { withTaggerMarks, writtenTranscript, type TranscriptSource } from '../engine/transcript-formats.ts';
import { sharedPunctuationTagger } from '../engine/punctuation-tagger.ts';
import { ownBuffer } from './own-buffer.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/**
 * Longest file the queue transcribes: the CLI's default --max-hours (24 h). The file is decoded as
 * a stream, so memory does not grow with its length; a longer one is refused from its header or
 * as soon as decoding passes the limit.
 */
export const FILE_JOB_MAX_DURATION_SEC = DEFAULT_STREAM_MAX_DURATION_SEC;
/** PCM pushed per step: one second keeps a step near 20 ms of work. */
export const FILE_STEP_SAMPLES = SAMPLE_RATE;
/** Progress events at most this often per job. */
const PROGRESS_EVERY_MS = 150;
/** Progress events carry the end of the transcript so far, this long at most. */
export const PROGRESS_TEXT_CHARS = 300;
/** Finished jobs kept per window (oldest forgotten first). */
export const MAX_FINISHED_JOBS = 200;

export class FileJobError extends Error {
  constructor(channel: string, jobId: string, reason: string) {
    super(`${channel}: ${reason} (job "${jobId}")`);
    this.name = 'FileJobError';
  }
}

interface Job {
  id: string;
  owner: number;
  input: FileInput;
  mode: ModeSpec;
  keywords?: KeywordSpecWire[];
  state: FileJobState;
  result?: FileResult;
  cancel: boolean;
  finishedAt: number;
}

export interface FileJobQueueOptions {
  /** The model to use (resolves once it is loaded; rejects with a clear message when it cannot be). */
  model: () => Promise<{ model: ModelPackage; decoders: DecoderCache; userWords?: readonly UserWord[] }>;
  emit: (senderId: number, event: FileJobEvent) => void;
  /** Longest file accepted, in seconds (default FILE_JOB_MAX_DURATION_SEC). */
  maxDurationSec?: number;
  /** Whether dictation jobs are written as text (settings.formatDictation), read when a job finishes; default true. */
  formatDictation?: () => boolean;
  /** Whether written dictation gets the tagger's capitals and punctuation (settings.punctuate), read when a job finishes; default true. */
  punctuate?: () => boolean;
}

export class FileJobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly pending: Job[] = [];
  private running: Promise<void> | null = null;
  private disposed = false;

  constructor(private readonly opts: FileJobQueueOptions) {}

  /** Queues files; resolves at once with their job ids (events report the rest). */
  add(owner: number, files: readonly FileInput[], mode: ModeSpec, keywords?: KeywordSpecWire[]): { jobs: { jobId: string; name: string }[] } {
    if (this.disposed) throw new Error('files:add: the app is shutting down');
    const added = files.map((input) => {
      const job: Job = { id: randomUUID(), owner, input, mode, ...(keywords ? { keywords } : {}), state: 'queued', cancel: false, finishedAt: 0 };
      this.jobs.set(job.id, job);
      this.pending.push(job);
      this.opts.emit(owner, { jobId: job.id, state: 'queued', name: input.name });
      return { jobId: job.id, name: input.name };
    });
    this.pump();
    return { jobs: added };
  }

  /** Stops a queued or running job (a finished one is left as it is). */
  cancel(owner: number, jobId: string): void {
    const job = this.owned(owner, jobId, 'files:cancel');
    if (job.state === 'queued') {
      this.pending.splice(this.pending.indexOf(job), 1);
      this.finish(job, 'canceled');
      this.opts.emit(owner, { jobId, state: 'canceled', name: job.input.name });
    } else if (job.state === 'running') {
      job.cancel = true;
    }
  }

  /** Forgets a job (cancelling it first when it has not finished). */
  remove(owner: number, jobId: string): void {
    const job = this.owned(owner, jobId, 'files:remove');
    if (job.state === 'queued' || job.state === 'running') this.cancel(owner, jobId);
    this.jobs.delete(jobId);
  }

  /** The job's audio as 16 kHz mono 16-bit WAV (for playback from a word). */
  async audio(owner: number, jobId: string): Promise<ArrayBuffer> {
    const job = this.owned(owner, jobId, 'files:audio');
    const audio = await decodeInput(job.input);
    const wav = encodeWav(audio.samples, SAMPLE_RATE);
    return ownBuffer(wav);
  }

  export(owner: number, jobId: string, format: ExportFormat): { fileName: string; text: string; mimeType: string } {
    const job = this.owned(owner, jobId, 'files:export');
    if (job.state !== 'done' || !job.result) throw new FileJobError('files:export', jobId, `"${job.input.name}" has no transcript yet (${job.state})`);
    return exportResult(job.result, format);
  }

  /** Cancels and forgets every job of a window (it closed or reloaded). */
  closeSender(owner: number): void {
    for (const job of [...this.jobs.values()]) if (job.owner === owner) this.remove(owner, job.id);
  }

  /** Cancels everything and waits for the running job to stop. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.jobs.values()) job.cancel = true;
    this.pending.length = 0;
    await this.running;
    this.jobs.clear();
  }

  /** Jobs known, by state (for tests and diagnostics). */
  counts(): Record<FileJobState, number> {
    const c: Record<FileJobState, number> = { queued: 0, running: 0, done: 0, error: 0, canceled: 0 };
    for (const j of this.jobs.values()) c[j.state]++;
    return c;
  }

  /** Resolves when the queue is empty and nothing runs. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private owned(owner: number, jobId: string, channel: string): Job {
    const job = this.jobs.get(jobId);
    if (!job || job.owner !== owner) throw new FileJobError(channel, jobId, 'no such file job in this window');
    return job;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const next = this.pending.shift();
    if (!next) return;
    this.running = this.run(next).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    const { owner, id: jobId } = job;
    const name = job.input.name;
    job.state = 'running';
    this.opts.emit(owner, { jobId, state: 'running', name, progress: 0, etaSec: null, text: '' });
    let rec: OnlineRecognizer | null = null;
    let audio: AudioStream | null = null;
    try {
      const t0 = performance.now();
      const maxDurationSec = this.opts.maxDurationSec ?? FILE_JOB_MAX_DURATION_SEC;
      const input = job.input.path !== undefined ? job.input.path : { bytes: new Uint8Array(job.input.data!), name };
      const [{ model, decoders, userWords }, stream] = await Promise.all([this.opts.model(), openAudioStream(input, { maxDurationSec })]);
      audio = stream;
      rec = await OnlineRecognizer.create({ model, mode: toMode(job.mode), keywords: job.keywords, decoders: decoders.get, userWords });
      await rec.reset();
      const words: WordWire[] = [];
      const utteranceWords: number[] = [];
      const texts: string[] = [];
      const keywords: KeywordHitWire[] = [];
      const collect = (events: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => {
        for (const e of events) {
          if (e.type === 'final' && e.text) {
            texts.push(e.text);
            words.push(...e.words);
            utteranceWords.push(e.words.length);
          } else if (e.type === 'keyword') {
            keywords.push({ keyword: e.keyword, start: e.start, end: e.end, score: e.score });
          }
        }
      };
      let lastProgress = 0;
      let fed = 0;
      // The decoded chunks are pushed FILE_STEP_SAMPLES at a time (the last of each chunk may be shorter).
      decoding: for await (const chunk of stream.chunks()) {
        for (let off = 0; off < chunk.length; off += FILE_STEP_SAMPLES) {
          if (job.cancel) break decoding;
          const piece = chunk.subarray(off, Math.min(chunk.length, off + FILE_STEP_SAMPLES));
          fed += piece.length;
          collect(await rec.acceptPcm(piece));
          const now = performance.now();
          if (now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            const done = stream.progress();
            const elapsed = (now - t0) / 1000;
            this.opts.emit(owner, { jobId, state: 'running', name, progress: done, etaSec: done > 0.02 ? (elapsed * (1 - done)) / done : null, text: transcriptTail(texts) });
          }
          // Let live streams and other requests in between steps.
          await new Promise<void>((r) => setImmediate(r));
        }
      }
      if (job.cancel) {
        this.finish(job, 'canceled');
        if (this.jobs.has(jobId)) this.opts.emit(owner, { jobId, state: 'canceled', name });
        return;
      }
      collect(await rec.finish());
      const dictation = job.mode.kind === 'dictation';
      const text = texts.join(' ');
      job.result = {
        name,
        text,
        words,
        durationSec: fed / SAMPLE_RATE,
        processingSec: Math.round(performance.now() - t0) / 1000,
        keywords,
        ...(dictation ? { utteranceWords } : {}),
        ...(dictation && (this.opts.formatDictation?.() ?? true) ? await this.written({ text, words, utteranceWords }) : {}),
        ...(audio.warnings?.length ? { warnings: audio.warnings } : {}),
      };
      this.finish(job, 'done');
      this.opts.emit(owner, { jobId, state: 'done', name, result: job.result });
    } catch (e) {
      this.finish(job, 'error');
      this.opts.emit(owner, { jobId, state: 'error', name, error: (e as Error).message });
    } finally {
      await audio?.close();
      await rec?.dispose();
    }
  }

  /** formattedText (and the tagger's marks unless settings.punctuate is off) of a finished dictation job. */
  private async written(r: TranscriptSource): Promise<Pick<FileResult, 'formattedText' | 'marks'>> {
    const formatting = await withTaggerMarks(r, { punctuate: this.opts.punctuate?.() ?? true }, sharedPunctuationTagger);
    const marks = formatting?.marks?.map((m) => (m ? [...m] : null));
    return { formattedText: writtenTranscript(r, formatting).text, ...(marks ? { marks } : {}) };
  }

  private finish(job: Job, state: FileJobState): void {
    job.state = state;
    job.finishedAt = Date.now();
    // Bytes of a dropped file are kept for playback while the job is listed; bound how many.
    const finished = [...this.jobs.values()].filter((j) => j.owner === job.owner && j.finishedAt > 0).sort((a, b) => a.finishedAt - b.finishedAt);
    for (const old of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_JOBS))) this.jobs.delete(old.id);
  }
}

/** The end of the transcript so far, at most PROGRESS_TEXT_CHARS characters, cut at a word. */
export function transcriptTail(texts: readonly string[]): string {
  let out = '';
  for (let i = texts.length - 1; i >= 0 && out.length < PROGRESS_TEXT_CHARS; i--) out = out ? `${texts[i]} ${out}` : texts[i];
  if (out.length <= PROGRESS_TEXT_CHARS) return out;
  const cut = out.slice(out.length - PROGRESS_TEXT_CHARS);
  const space = cut.indexOf(' ');
  return `…${space >= 0 ? cut.slice(space + 1) : cut}`;
}

async function decodeInput(input: FileInput): Promise<DecodedAudio> {
  if (input.path !== undefined) return decodeAudioFile(input.path);
  return decodeAudioBuffer(new Uint8Array(input.data!), input.name);
}
