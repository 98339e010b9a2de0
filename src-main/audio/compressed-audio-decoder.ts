import decode, { type AudioData } from 'audio-decode';
import { AudioDecodeError } from './audio-decode-error.ts';
import type { AudioContainer } from './audio-format-sniffer.ts';
import { isFlacFrameHeader, readFlacStreamInfo } from './flac-stream-info.ts';
import { findMpegFrame, MPEG_SYNC_SEARCH_BYTES, readMpegFrame } from './mpeg-audio-header.ts';
import { oggLayout, oggStreamShape } from './ogg-pages.ts';
import { checkStreamShape, type PcmAudio } from './pcm-audio.ts';

/**
 * The MP3 decoder prints a line to the console for every frame it cannot read ("mpg123-decoder: -1
 * MPG123_ERR"), naming no file: dozens for a damaged file. While a decode runs its lines are
 * collected instead and become one warning of that file; other console errors pass through.
 */
const DECODER_LINE = /^mpg123-decoder: (.*)$/s;
const decoderMessages: string[][] = [];
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  const m = args.length === 1 && typeof args[0] === 'string' ? DECODER_LINE.exec(args[0]) : null;
  if (m && decoderMessages.length > 0) decoderMessages[decoderMessages.length - 1].push(m[1]);
  else consoleError(...args);
};

/** Compressed containers and the audio-decode (WebAssembly) decoder that handles each. */
const DECODERS = {
  flac: decode.flac,
  mp3: decode.mp3,
  'ogg-vorbis': decode.oga,
  'ogg-opus': decode.opus,
} as const satisfies Record<Exclude<AudioContainer, 'wav'>, unknown>;

export type CompressedContainer = keyof typeof DECODERS;

/**
 * Compressed bytes handed to the decoder per call. What one call returns bounds how far the
 * decoded audio can run past maxDurationSec before decoding stops: FLAC's densest frames (a
 * constant subframe, ~12 bytes for up to 65535 samples) make 4 KiB at most ~22 M samples per
 * channel; typical encoders (4096-sample blocks) make it well under 2 M.
 */
const INPUT_CHUNK_BYTES = 4 * 1024;

/**
 * Where the chunk that starts at `from` ends. audio-decode's raw FLAC parser loses a frame whose
 * header is split between two calls, so a FLAC chunk ends just before a frame header (the first at
 * or after from + INPUT_CHUNK_BYTES); other streams are cut anywhere.
 */
function chunkEnd(input: Uint8Array, from: number, container: CompressedContainer): number {
  let end = from + INPUT_CHUNK_BYTES;
  if (container === 'flac') while (end < input.length && !isFlacFrameHeader(input, end)) end++;
  return Math.min(end, input.length);
}

/**
 * The pieces a decoder returned, joined per channel. A piece with fewer channels than the widest
 * (the MP3 decoder collapses a duplicated-stereo stretch to one channel) repeats its channels.
 */
function joinPieces(pieces: readonly AudioData[], frames: number): Float32Array[] {
  const width = Math.max(...pieces.map((p) => p.channelData.length));
  return Array.from({ length: width }, (_, c) => {
    const out = new Float32Array(frames);
    let at = 0;
    for (const p of pieces) {
      out.set(p.channelData[c % p.channelData.length], at);
      at += p.channelData[0].length;
    }
    return out;
  });
}

/**
 * audio-decode's FLAC decoder divides b-bit integers by 2^(b-1) - 1; WAV decoding (and sox) divide
 * by 2^(b-1). Rescaling makes a FLAC file and the WAV it was made from decode to identical samples.
 */
function rescaleFlac(channels: Float32Array[], bits: number): void {
  const k = (2 ** (bits - 1) - 1) / 2 ** (bits - 1);
  for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] *= k;
}

/**
 * The shape of a stream that validly holds no audio, or undefined when an empty decode means
 * corruption. Empty means: FLAC STREAMINFO counting 0 samples; an Ogg stream of complete pages
 * (headers only); an MP3 whose Xing/Info tag counts 0 frames.
 */
function declaredEmpty(bytes: Uint8Array, container: CompressedContainer, file: string) {
  if (container === 'flac') {
    const info = readFlacStreamInfo(bytes, 0, file);
    return info.totalFrames === 0 ? info : undefined;
  }
  if (container === 'mp3') {
    const at = findMpegFrame(bytes, 0, MPEG_SYNC_SEARCH_BYTES);
    const frame = at >= 0 ? readMpegFrame(bytes, at) : undefined;
    return frame?.taggedFrames === 0 ? frame : undefined;
  }
  return oggLayout(bytes).whole ? oggStreamShape(bytes) : undefined;
}

/**
 * Decodes a FLAC, MP3, Ogg Vorbis or Ogg Opus stream (starting at byte 0 of `bytes`) with
 * audio-decode, INPUT_CHUNK_BYTES at a time. Decoding stops with AudioDecodeError as soon as the
 * audio decoded so far lasts longer than `maxDurationSec`, so a small file that expands to hours
 * (a FLAC of silence with no declared length) never holds more than the limit plus one chunk's
 * output. A truncated Ogg stream is cut at its last complete page; decoder failures and streams
 * from which nothing decodes (unless declared empty) become AudioDecodeError.
 */
export async function decodeCompressed(bytes: Uint8Array, container: CompressedContainer, file: string, maxDurationSec: number): Promise<PcmAudio> {
  const warnings: string[] = [];
  let input = bytes;
  if (container === 'ogg-opus' || container === 'ogg-vorbis') {
    const layout = oggLayout(bytes);
    if (!layout.whole && layout.pages > 0) {
      input = bytes.subarray(0, layout.completeBytes);
      warnings.push(`truncated Ogg stream: decoded the ${layout.pages} complete pages present`);
    }
  }
  const pieces: AudioData[] = [];
  let frames = 0;
  let sampleRate = 0;
  const decoder = await DECODERS[container]();
  const messages: string[] = [];
  decoderMessages.push(messages);
  try {
    for (let at = 0, end = 0; at <= input.length; at = end) {
      // The last round (at the end) flushes the decoder and frees it.
      end = at < input.length ? chunkEnd(input, at, container) : at + 1;
      const piece = at < input.length ? await decoder(input.subarray(at, end)) : await decoder();
      if (piece.channelData.length === 0) continue;
      if (pieces.length === 0) checkStreamShape(file, piece.sampleRate, piece.channelData.length);
      pieces.push(piece);
      frames += piece.channelData[0].length;
      sampleRate ||= piece.sampleRate;
      if (frames / sampleRate > maxDurationSec) {
        decoder.free();
        throw new AudioDecodeError(file, `audio is longer than the limit of ${maxDurationSec} s (maxDurationSec): decoding stopped after ${(frames / sampleRate).toFixed(1)} s`);
      }
    }
  } catch (err) {
    decoder.free();
    if (err instanceof AudioDecodeError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new AudioDecodeError(file, `corrupt ${container} data: the decoder failed (${detail})`, { cause: err });
  } finally {
    decoderMessages.splice(decoderMessages.indexOf(messages), 1);
  }
  if (messages.length > 0) warnings.push(`damaged ${container} data: the decoder skipped ${messages.length} frame${messages.length === 1 ? '' : 's'} it could not read (${messages[0]})`);
  if (pieces.length === 0) {
    const empty = declaredEmpty(bytes, container, file);
    if (!empty) throw new AudioDecodeError(file, `corrupt or truncated ${container} data: no audio frame could be decoded`);
    checkStreamShape(file, empty.sampleRate, empty.channels);
    return { channels: [new Float32Array(0)], sampleRate: empty.sampleRate, format: container, sourceChannels: empty.channels };
  }
  const channels = joinPieces(pieces, frames);
  pieces.length = 0;
  checkStreamShape(file, sampleRate, channels.length);
  if (container === 'flac') rescaleFlac(channels, readFlacStreamInfo(bytes, 0, file).bitsPerSample);
  return { channels, sampleRate, format: container, warnings };
}
