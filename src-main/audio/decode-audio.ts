import { readFile, stat } from 'node:fs/promises';
import { AudioDecodeError } from './audio-decode-error.ts';
import { sniffAudioFormat } from './audio-format-sniffer.ts';
import { decodeCompressed } from './compressed-audio-decoder.ts';
import { downmixToMono } from './downmix.ts';
import { readFlacStreamInfo } from './flac-stream-info.ts';
import { findMpegFrame, MPEG_SYNC_SEARCH_BYTES, readMpegFrame } from './mpeg-audio-header.ts';
import { checkDuration, checkStreamShape, type PcmAudio } from './pcm-audio.ts';
import { resample } from './resampler.ts';
import { readWavHeader, readWavSamples } from './wav-reader.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/** Default refusal threshold for long inputs: 4 hours. */
export const DEFAULT_MAX_DURATION_SEC = 4 * 3600;
/** Files larger than this are refused before reading: Node's readFile stops at 2 GiB (4 h of 44.1 kHz stereo 16-bit WAV is 2.5 GB). */
const MAX_FILE_BYTES = 2 ** 31 - 1;

export interface DecodeOptions {
  /** Longest accepted audio, in seconds of source audio, enforced while decoding (see decodeCompressed). Default 4 h. */
  maxDurationSec?: number;
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

function maxDuration(opts: DecodeOptions | undefined): number {
  const max = opts?.maxDurationSec ?? DEFAULT_MAX_DURATION_SEC;
  if (!(typeof max === 'number' && max > 0)) throw new Error(`maxDurationSec must be a positive number of seconds, got ${max}`);
  return max;
}

/** Replaces NaN/Infinity by 0 and clips to [-1, 1] (float sources and resampler overshoot can exceed it). */
function sanitize(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= -1 && v <= 1)) x[i] = v > 1 ? 1 : v < -1 ? -1 : 0;
  }
  return x;
}

async function decodePcm(bytes: Uint8Array, name: string, maxSec: number, warnings: string[]): Promise<PcmAudio> {
  if (bytes.length === 0) throw new AudioDecodeError(name, 'empty file (0 bytes)');
  const sniffed = sniffAudioFormat(bytes);
  if (sniffed.kind === 'not-audio') throw new AudioDecodeError(name, `not an audio file: it looks like ${sniffed.what}`);
  if (sniffed.kind === 'unsupported') {
    throw new AudioDecodeError(name, `unsupported format: ${sniffed.what} (Hark reads WAV, FLAC, MP3, Ogg Vorbis and Opus)`);
  }
  if (sniffed.kind === 'unknown') {
    throw new AudioDecodeError(name, 'not a recognized audio file (expected WAV, FLAC, MP3, Ogg Vorbis or Opus)');
  }
  if (sniffed.container === 'wav') {
    const header = readWavHeader(bytes, name);
    checkDuration(name, header.frames, header.sampleRate, maxSec);
    if (header.truncated) warnings.push(`truncated WAV: decoded the ${header.frames} frames present`);
    return { channels: readWavSamples(bytes, header), sampleRate: header.sampleRate, format: `wav:${header.encoding}` };
  }
  const stream = bytes.subarray(sniffed.offset);
  // A length the header declares is checked before decoding; decodeCompressed enforces the limit
  // on what it decodes, for streams that declare none (or lie).
  let declaredFrames = 0;
  if (sniffed.container === 'flac') {
    const info = readFlacStreamInfo(stream, 0, name);
    checkStreamShape(name, info.sampleRate, info.channels);
    checkDuration(name, info.totalFrames, info.sampleRate, maxSec);
    declaredFrames = info.totalFrames;
  }
  if (sniffed.container === 'mp3') {
    const at = findMpegFrame(stream, 0, MPEG_SYNC_SEARCH_BYTES);
    const frame = at >= 0 ? readMpegFrame(stream, at) : undefined;
    if (frame?.taggedFrames !== undefined) checkDuration(name, frame.taggedFrames * frame.samplesPerFrame, frame.sampleRate, maxSec);
  }
  const pcm = await decodeCompressed(stream, sniffed.container, name, maxSec);
  const frames = pcm.channels[0].length;
  warnings.push(...(pcm.warnings ?? []));
  if (frames < declaredFrames) warnings.push(`truncated FLAC: decoded ${frames} of the ${declaredFrames} frames declared`);
  return pcm;
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
    pcm = await decodePcm(bytes, name, maxSec, warnings);
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
