/**
 * A file decoded as a stream of 16 kHz mono PCM chunks, so that long recordings are recognized in
 * bounded memory: WAV is read through a file handle WAV_READ_FRAMES at a time, FLAC, MP3 and Ogg
 * through the chunked compressed decoder (decodeCompressedPieces), each followed by a downmix and
 * a streaming resampler. The length a header declares (WAV data chunk, FLAC STREAMINFO, MP3
 * Xing/Info tag) is checked when the stream is opened, before anything is decoded; the running
 * length while decoding.
 *
 * Contract: the chunks, concatenated, equal decodeAudioFile's samples for the same file, sample
 * for sample (the resampler, downmix and clipping work sample by sample or are streaming-exact).
 */
import { stat } from 'node:fs/promises';
import { AudioDecodeError } from './audio-decode-error.ts';
import { memoryByteSource, openFileByteSource, type ByteSource } from './byte-source.ts';
import { decodeCompressedPieces, type CompressedStreamInfo } from './compressed-audio-decoder.ts';
import { inspectHead, maxDuration, sanitize, truncatedFlacWarning, type DecodeOptions, type StreamHead } from './decode-audio.ts';
import { downmixToMono } from './downmix.ts';
import { readFlacStreamInfo } from './flac-stream-info.ts';
import { StreamingResampler } from './resampler.ts';
import { readWavSamples, type WavHeader } from './wav-reader.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/**
 * Default limit of a streamed decode, 24 hours: memory no longer grows with a file's length, so
 * the limit only guards against absurd inputs (a small file that expands to days).
 */
export const DEFAULT_STREAM_MAX_DURATION_SEC = 24 * 3600;
/** Source frames read per WAV step (about 4 s at 16 kHz). */
const WAV_READ_FRAMES = 65536;
/** Bytes read to find a WAV data chunk or a compressed stream's headers (more when a WAV needs it). */
const HEAD_BYTES = 1 << 20;
const MAX_WAV_HEAD_BYTES = 64 << 20;

/** An audio input: a path on disk, or bytes already in memory (a dropped file) with a name for messages. */
export type AudioInput = string | { bytes: Uint8Array; name: string };

export interface AudioStream {
  /** The path or name, as messages give it. */
  readonly name: string;
  /** The file as stored; for a compressed stream rate and channels are known once decoding has begun. */
  readonly source: { format: string; sampleRate: number; channels: number };
  /** Seconds of audio the header declares (WAV always; FLAC when STREAMINFO counts samples), else undefined. */
  readonly declaredSec: number | undefined;
  /** Problems that did not stop decoding; complete once `chunks` has ended. */
  readonly warnings: string[];
  /** Fraction of the input's bytes decoded so far, 0 to 1. */
  progress(): number;
  /** The audio as 16 kHz mono chunks in [-1, 1]; iterate once. Throws AudioDecodeError naming the file. */
  chunks(): AsyncGenerator<Float32Array>;
  /** Releases the file (also done when `chunks` ends or throws). */
  close(): Promise<void>;
}

function wrapError(name: string, err: unknown): AudioDecodeError {
  if (err instanceof AudioDecodeError) return err;
  return new AudioDecodeError(name, `cannot decode: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

async function openSource(input: AudioInput): Promise<{ name: string; src: ByteSource; close: () => Promise<void> }> {
  if (typeof input !== 'string') return { name: input.name, src: memoryByteSource(input.bytes), close: async () => {} };
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new AudioDecodeError(input, 'not a regular file');
    const src = await openFileByteSource(input);
    return { name: input, src, close: () => src.close() };
  } catch (err) {
    if (err instanceof AudioDecodeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AudioDecodeError(input, `cannot read: ${reason}`, { cause: err });
  }
}

/** The stream's head, read until a WAV's data chunk header is in it. */
async function readHead(src: ByteSource, name: string, maxSec: number, limitName: string | undefined): Promise<{ head: Uint8Array; what: StreamHead }> {
  for (let bytes = HEAD_BYTES; ; bytes *= 4) {
    const head = (await src.read(0, bytes)).slice();
    try {
      return { head, what: inspectHead(head, src.length, name, maxSec, limitName) };
    } catch (err) {
      const more = head.length < src.length && bytes < MAX_WAV_HEAD_BYTES && err instanceof AudioDecodeError && /no data chunk|no fmt chunk/.test(err.reason);
      if (!more) throw wrapError(name, err);
    }
  }
}

/** Mono 16 kHz from one decoded piece (downmix, then the resampler when the rate differs). */
function toMono16k(channels: Float32Array[], resampler: StreamingResampler | null): Float32Array {
  const mono = downmixToMono(channels);
  return sanitize(resampler ? resampler.process(mono) : mono);
}

/**
 * Opens an audio file (or bytes) for decoding as a stream; the header is read and checked here
 * (container, shape, declared length against opts.maxDurationSec, default
 * DEFAULT_STREAM_MAX_DURATION_SEC). Throws AudioDecodeError naming the file.
 */
export async function openAudioStream(input: AudioInput, opts?: DecodeOptions): Promise<AudioStream> {
  const maxSec = maxDuration(opts, DEFAULT_STREAM_MAX_DURATION_SEC);
  const { name, src, close } = await openSource(input);
  let head: Uint8Array, what: StreamHead;
  try {
    ({ head, what } = await readHead(src, name, maxSec, opts?.limitName));
  } catch (err) {
    await close();
    throw err;
  }
  const warnings: string[] = [];
  let closed = false;
  const closeOnce = async () => {
    if (!closed) { closed = true; await close(); }
  };
  if (what.container === 'wav') {
    const header = what.header;
    if (header.truncated) warnings.push(`truncated WAV: decoded the ${header.frames} frames present`);
    let readBytes = 0;
    return {
      name, warnings,
      source: { format: `wav:${header.encoding}`, sampleRate: header.sampleRate, channels: header.channels },
      declaredSec: header.frames / header.sampleRate,
      progress: () => (src.length > 0 ? Math.min(1, readBytes / src.length) : 1),
      close: closeOnce,
      async *chunks() {
        try {
          for await (const c of wavChunks(src, header, (at) => { readBytes = at; })) yield c;
        } catch (err) {
          throw wrapError(name, err);
        } finally {
          await closeOnce();
        }
      },
    };
  }
  const offset = what.offset;
  const container = what.container;
  const declaredFrames = what.declaredFrames;
  const flac = container === 'flac' ? readFlacStreamInfo(head.subarray(offset), 0, name) : undefined;
  const info: CompressedStreamInfo = { sampleRate: 0, channels: 0, frames: 0, bytesRead: 0, warnings: [] };
  const stream: ByteSource = { length: src.length - offset, read: (from, to) => src.read(from + offset, to + offset) };
  return {
    name, warnings,
    get source() {
      return {
        format: container,
        sampleRate: info.sampleRate || info.empty?.sampleRate || flac?.sampleRate || 0,
        channels: info.channels || info.empty?.channels || flac?.channels || 0,
      };
    },
    declaredSec: flac && declaredFrames > 0 ? declaredFrames / flac.sampleRate : undefined,
    progress: () => (stream.length > 0 ? Math.min(1, info.bytesRead / stream.length) : 1),
    close: closeOnce,
    async *chunks() {
      try {
        let resampler: StreamingResampler | null | undefined;
        for await (const piece of decodeCompressedPieces(stream, container, name, maxSec, info, opts?.limitName)) {
          resampler ??= info.sampleRate === SAMPLE_RATE ? null : new StreamingResampler(info.sampleRate, SAMPLE_RATE);
          yield toMono16k(piece.channels, resampler);
        }
        if (resampler) yield sanitize(resampler.flush());
        warnings.push(...info.warnings);
        if (info.frames < declaredFrames) warnings.push(truncatedFlacWarning(info.frames, declaredFrames));
      } catch (err) {
        throw wrapError(name, err);
      } finally {
        await closeOnce();
      }
    },
  };
}

/** A WAV's samples, WAV_READ_FRAMES source frames at a time, as 16 kHz mono; `progress` gets the byte offset read to. */
async function* wavChunks(src: ByteSource, header: WavHeader, progress: (at: number) => void): AsyncGenerator<Float32Array> {
  const resampler = header.sampleRate === SAMPLE_RATE ? null : new StreamingResampler(header.sampleRate, SAMPLE_RATE);
  for (let f = 0; f < header.frames; f += WAV_READ_FRAMES) {
    const n = Math.min(WAV_READ_FRAMES, header.frames - f);
    const from = header.dataOffset + f * header.blockAlign;
    const bytes = await src.read(from, from + n * header.blockAlign);
    progress(from + bytes.length);
    yield toMono16k(readWavSamples(bytes, { ...header, dataOffset: 0, frames: n }), resampler);
  }
  if (resampler) yield sanitize(resampler.flush());
}
