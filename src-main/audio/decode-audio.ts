import { readFile, stat } from 'node:fs/promises';
import { AudioDecodeError } from './audio-decode-error.ts';
import { sniffAudioFormat } from './audio-format-sniffer.ts';
import { decodeCompressed, type CompressedContainer } from './compressed-audio-decoder.ts';
import { downmixToMono } from './downmix.ts';
import { readFlacStreamInfo } from './flac-stream-info.ts';
import { findMpegFrame, MPEG_SYNC_SEARCH_BYTES, readMpegFrame } from './mpeg-audio-header.ts';
import { checkDuration, checkStreamShape, type PcmAudio } from './pcm-audio.ts';
import { resample } from './resampler.ts';
import { readWavHeader, readWavSamples, type WavHeader } from './wav-reader.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/** Default refusal threshold for long inputs: 4 hours. */
export const DEFAULT_MAX_DURATION_SEC = 4 * 3600;
/** Files larger than this are refused before reading: Node's readFile stops at 2 GiB (4 h of 44.1 kHz stereo 16-bit WAV is 2.5 GB). */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

export interface DecodeOptions {
  /** Longest accepted audio, in seconds of source audio, enforced while decoding (see decodeCompressed). Default 4 h. */
  maxDurationSec?: number;
  /** How a refusal names the limit (e.g. the CLI option that sets it); default "maxDurationSec". */
  limitName?: string;
}

/** A decoded file: mono, 16 kHz, samples in [-1, 1]. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: typeof SAMPLE_RATE;
  /** samples.length / SAMPLE_RATE. */
  durationSec: number;
  /** The file as stored. */
  source: { format: string; sampleRate: number; channels: number };
  /** Problems that did not stop decoding, e.g. a truncated data chunk. */
  warnings?: string[];
}

export function maxDuration(opts: DecodeOptions | undefined, fallback = DEFAULT_MAX_DURATION_SEC): number {
  const max = opts?.maxDurationSec ?? fallback;
  if (!(typeof max === 'number' && max > 0)) throw new Error(`maxDurationSec must be a positive number of seconds, got ${max}`);
  return max;
}

/** Replaces NaN/Infinity by 0 and clips to [-1, 1] (float sources and resampler overshoot can exceed it). */
export function sanitize(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= -1 && v <= 1)) x[i] = v > 1 ? 1 : v < -1 ? -1 : 0;
  }
  return x;
}

/** What the head of a stream says before anything is decoded (inspectHead). */
export type StreamHead =
  | { container: 'wav'; header: WavHeader }
  /** `offset`: where the compressed stream starts; `declaredFrames`: 0 when the header declares no length. */
  | { container: CompressedContainer; offset: number; declaredFrames: number };

/**
 * Identifies the container of a stream from its head and checks the length its header declares
 * (WAV data chunk, FLAC STREAMINFO, an MP3's Xing/Info tag) against `maxSec`, before decoding.
 * `totalBytes`: the whole stream's size (the head may be only its start). Throws AudioDecodeError.
 */
export function inspectHead(head: Uint8Array, totalBytes: number, name: string, maxSec: number, limitName?: string): StreamHead {
  if (totalBytes === 0) throw new AudioDecodeError(name, 'empty file (0 bytes)');
  const sniffed = sniffAudioFormat(head);
  if (sniffed.kind === 'not-audio') throw new AudioDecodeError(name, `not an audio file: it looks like ${sniffed.what}`);
  if (sniffed.kind === 'unsupported') {
    throw new AudioDecodeError(name, `unsupported format: ${sniffed.what} (Hark reads WAV, FLAC, MP3, Ogg Vorbis and Opus)`);
  }
  if (sniffed.kind === 'unknown') {
    throw new AudioDecodeError(name, 'not a recognized audio file (expected WAV, FLAC, MP3, Ogg Vorbis or Opus)');
  }
  if (sniffed.container === 'wav') {
    const header = readWavHeader(head, name, totalBytes);
    checkDuration(name, header.frames, header.sampleRate, maxSec, limitName);
    return { container: 'wav', header };
  }
  const stream = head.subarray(sniffed.offset);
  // A length the header declares is checked before decoding; decodeCompressedPieces enforces the
  // limit on what it decodes, for streams that declare none (or lie).
  let declaredFrames = 0;
  if (sniffed.container === 'flac') {
    const info = readFlacStreamInfo(stream, 0, name);
    checkStreamShape(name, info.sampleRate, info.channels);
    checkDuration(name, info.totalFrames, info.sampleRate, maxSec, limitName);
    declaredFrames = info.totalFrames;
  }
  if (sniffed.container === 'mp3') {
    const at = findMpegFrame(stream, 0, MPEG_SYNC_SEARCH_BYTES);
    const frame = at >= 0 ? readMpegFrame(stream, at) : undefined;
    if (frame?.taggedFrames !== undefined) checkDuration(name, frame.taggedFrames * frame.samplesPerFrame, frame.sampleRate, maxSec, limitName);
  }
  return { container: sniffed.container, offset: sniffed.offset, declaredFrames };
}

async function decodePcm(bytes: Uint8Array, name: string, maxSec: number, warnings: string[], limitName?: string): Promise<PcmAudio> {
  const head = inspectHead(bytes, bytes.length, name, maxSec, limitName);
  if (head.container === 'wav') {
    if (head.header.truncated) warnings.push(`truncated WAV: decoded the ${head.header.frames} frames present`);
    return { channels: readWavSamples(bytes, head.header), sampleRate: head.header.sampleRate, format: `wav:${head.header.encoding}` };
  }
  const pcm = await decodeCompressed(bytes.subarray(head.offset), head.container, name, maxSec, limitName);
  const frames = pcm.channels[0].length;
  warnings.push(...(pcm.warnings ?? []));
  if (frames < head.declaredFrames) warnings.push(truncatedFlacWarning(frames, head.declaredFrames));
  return pcm;
}

/** The warning for a FLAC stream that ends before the length STREAMINFO declares. */
export function truncatedFlacWarning(frames: number, declaredFrames: number): string {
  return `truncated FLAC: decoded ${frames} of the ${declaredFrames} frames declared`;
}

/**
 * Decodes audio held in memory (e.g. a file dropped on the app). `name` is used only in messages.
 * The container is detected from the bytes. Throws AudioDecodeError naming `name` on any failure.
 */
export async function decodeAudioBuffer(bytes: Uint8Array, name: string, opts?: DecodeOptions): Promise<DecodedAudio> {
  const maxSec = maxDuration(opts);
  const warnings: string[] = [];
  let pcm: PcmAudio;
  try {
    pcm = await decodePcm(bytes, name, maxSec, warnings, opts?.limitName);
  } catch (err) {
    if (err instanceof AudioDecodeError) throw err;
    throw new AudioDecodeError(name, `cannot decode: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const mono = downmixToMono(pcm.channels);
  const samples = sanitize(
    pcm.sampleRate === SAMPLE_RATE ? mono : resample(mono, pcm.sampleRate, SAMPLE_RATE),
  );
  return {
    samples,
    sampleRate: SAMPLE_RATE,
    durationSec: samples.length / SAMPLE_RATE,
    source: { format: pcm.format, sampleRate: pcm.sampleRate, channels: pcm.sourceChannels ?? pcm.channels.length },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Reads and decodes an audio file; see decodeAudioBuffer. Throws AudioDecodeError naming `path`. */
export async function decodeAudioFile(path: string, opts?: DecodeOptions): Promise<DecodedAudio> {
  maxDuration(opts);
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AudioDecodeError(path, 'not a regular file');
    if (info.size > MAX_FILE_BYTES) {
      throw new AudioDecodeError(path, `file is ${info.size} bytes; files over 2 GiB are not supported (split it, or convert it to FLAC or MP3)`);
    }
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof AudioDecodeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AudioDecodeError(path, `cannot read: ${reason}`, { cause: err });
  }
  return decodeAudioBuffer(bytes, path, opts);
}
