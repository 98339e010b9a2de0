import decode from 'audio-decode';
import { AudioDecodeError } from './audio-decode-error.ts';
import { memoryByteSource, type ByteSource } from './byte-source.ts';
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

/** Bytes scanned per read while looking for the next FLAC frame header (plus the longest header, 16 bytes). */
const FLAC_SCAN_BYTES = 16 * 1024;

/**
 * Where the chunk that starts at `from` ends. audio-decode's raw FLAC parser loses a frame whose
 * header is split between two calls, so a FLAC chunk ends just before a frame header (the first at
 * or after from + INPUT_CHUNK_BYTES); other streams are cut anywhere.
 */
async function chunkEnd(src: ByteSource, from: number, container: CompressedContainer): Promise<number> {
  let end = from + INPUT_CHUNK_BYTES;
  if (container !== 'flac') return Math.min(end, src.length);
  while (end < src.length) {
    const window = await src.read(end, end + FLAC_SCAN_BYTES + 32);
    for (let i = 0; i < FLAC_SCAN_BYTES && end + i < src.length; i++) if (isFlacFrameHeader(window, i)) return end + i;
    end += FLAC_SCAN_BYTES;
  }
  return src.length;
}

/**
 * The pieces a decoder returned, joined per channel. A piece with fewer channels than the widest
 * (the MP3 decoder collapses a duplicated-stereo stretch to one channel) repeats its channels.
 */
function joinPieces(pieces: readonly DecodedPiece[], frames: number): Float32Array[] {
  const width = Math.max(...pieces.map((p) => p.channels.length));
  return Array.from({ length: width }, (_, c) => {
    const out = new Float32Array(frames);
    let at = 0;
    for (const p of pieces) {
      out.set(p.channels[c % p.channels.length], at);
      at += p.channels[0].length;
    }
    return out;
  });
}

/**
 * audio-decode's FLAC decoder divides b-bit integers by 2^(b-1) - 1; WAV decoding (and sox) divide
 * by 2^(b-1). Multiplying by this makes a FLAC file and the WAV it was made from decode to identical samples.
 */
function flacRescale(bits: number): number {
  return (2 ** (bits - 1) - 1) / 2 ** (bits - 1);
}

/**
 * The shape of a stream that validly holds no audio, or undefined when an empty decode means
 * corruption. Empty means: FLAC STREAMINFO counting 0 samples; an Ogg stream of complete pages
 * (headers only: `oggWhole`); an MP3 whose Xing/Info tag counts 0 frames. `bytes`: the stream's head.
 */
function declaredEmpty(bytes: Uint8Array, container: CompressedContainer, file: string, oggWhole: boolean) {
  if (container === 'flac') {
    const info = readFlacStreamInfo(bytes, 0, file);
    return info.totalFrames === 0 ? info : undefined;
  }
  if (container === 'mp3') {
    const at = findMpegFrame(bytes, 0, MPEG_SYNC_SEARCH_BYTES);
    const frame = at >= 0 ? readMpegFrame(bytes, at) : undefined;
    return frame?.taggedFrames === 0 ? frame : undefined;
  }
  return oggWhole ? oggStreamShape(bytes) : undefined;
}

/** Bytes of an Ogg stream looked at per step of the page walk: more than the largest page (27 + 255 + 255 * 255 bytes). */
const OGG_WALK_BYTES = 66 * 1024;

/**
 * The complete pages at the start of an Ogg stream, walked as far as asked: the Ogg decoders emit
 * nothing for a partial page, so a truncated stream is decoded up to its last complete page, and
 * the walk lets that be found without reading the whole file first.
 */
class OggPageWalk {
  /** End of the complete pages walked so far. */
  end = 0;
  pages = 0;
  /** The walk met an incomplete page or bytes that are not a page (or the end of the stream). */
  stopped = false;

  constructor(private readonly src: ByteSource) {}

  /** Walks on until the complete pages reach `target` bytes or the walk stops. */
  async advanceTo(target: number): Promise<void> {
    while (!this.stopped && this.end < target) {
      const layout = oggLayout(await this.src.read(this.end, this.end + OGG_WALK_BYTES));
      this.end += layout.completeBytes;
      this.pages += layout.pages;
      if (layout.pages === 0 || this.end >= this.src.length) this.stopped = true;
    }
  }

  /** Whether the walk covered the whole stream in complete pages. */
  get whole(): boolean {
    return this.stopped && this.end === this.src.length;
  }
}

/** Bytes at the head of a stream that hold what is read before decoding (STREAMINFO, the first MPEG frame). */
const HEAD_BYTES = MPEG_SYNC_SEARCH_BYTES + 8 * 1024;

/** One stretch of decoded audio: one Float32Array per channel (as many as that stretch has). */
export interface DecodedPiece {
  channels: Float32Array[];
  sampleRate: number;
}

/** What decodeCompressedPieces learns about a stream while decoding it. */
export interface CompressedStreamInfo {
  /** Rate of the decoded audio; 0 until the first piece. */
  sampleRate: number;
  /** The most channels a piece had (the MP3 decoder may collapse duplicated stereo to one). */
  channels: number;
  /** Interchannel samples decoded so far. */
  frames: number;
  /** Bytes of the stream handed to the decoder so far (for progress). */
  bytesRead: number;
  /** Problems that did not stop decoding (known once the generator ends). */
  warnings: string[];
  /** Set when the stream validly holds no audio: its declared shape. */
  empty?: { sampleRate: number; channels: number };
}

/**
 * Decodes a FLAC, MP3, Ogg Vorbis or Ogg Opus stream (from byte 0 of `src`) with audio-decode,
 * INPUT_CHUNK_BYTES at a time, and yields each piece as it is decoded (FLAC rescaled as WAV
 * decoding scales). An Ogg stream is handed over only as far as its complete pages go (walked a
 * few pages ahead of the decoder), so a truncated one decodes up to its last complete page.
 * Decoding stops with AudioDecodeError as soon as the audio decoded so far lasts longer than
 * `maxDurationSec` (`limitName` names the limit in the message), so a small file that expands to
 * hours (a FLAC of silence with no declared length) is refused after decoding the limit plus one
 * chunk's output, and a long file after reading about as much of it, whatever the caller keeps of
 * it. Decoder failures and streams from which nothing decodes (unless declared empty:
 * `info.empty`) become AudioDecodeError.
 */
export async function* decodeCompressedPieces(
  src: ByteSource, container: CompressedContainer, file: string, maxDurationSec: number, info: CompressedStreamInfo,
  limitName = 'maxDurationSec',
): AsyncGenerator<DecodedPiece> {
  const walk = container === 'ogg-opus' || container === 'ogg-vorbis' ? new OggPageWalk(src) : undefined;
  /** Where the chunk from `at` ends; `at` itself once the stream (for Ogg, its complete pages) ends there. */
  const chunkEndAt = async (at: number): Promise<number> => {
    if (!walk) return at < src.length ? chunkEnd(src, at, container) : at;
    await walk.advanceTo(at + INPUT_CHUNK_BYTES);
    return Math.min(at + INPUT_CHUNK_BYTES, walk.end);
  };
  // The head of the stream: what its header checks and declaredEmpty read.
  const head = (await src.read(0, HEAD_BYTES)).slice();
  const flacScale = container === 'flac' ? flacRescale(readFlacStreamInfo(head, 0, file).bitsPerSample) : 1;
  const decoder = await DECODERS[container]();
  const messages: string[] = [];
  decoderMessages.push(messages);
  let pieces = 0;
  let freed = false;
  try {
    for (let at = 0; ;) {
      const end = await chunkEndAt(at);
      // The last round (at the end) flushes the decoder and frees it.
      const flush = end <= at;
      const piece = flush ? await decoder() : await decoder(await src.read(at, end));
      freed = flush;
      info.bytesRead = flush ? (walk?.end ?? src.length) : end;
      at = end;
      if (piece.channelData.length > 0) {
        if (pieces++ === 0) checkStreamShape(file, piece.sampleRate, piece.channelData.length);
        info.frames += piece.channelData[0].length;
        info.sampleRate ||= piece.sampleRate;
        info.channels = Math.max(info.channels, piece.channelData.length);
        if (info.frames / info.sampleRate > maxDurationSec) {
          throw new AudioDecodeError(file, `audio is longer than the limit of ${maxDurationSec} s (${limitName}): decoding stopped after ${(info.frames / info.sampleRate).toFixed(1)} s`);
        }
        if (flacScale !== 1) for (const ch of piece.channelData) for (let i = 0; i < ch.length; i++) ch[i] *= flacScale;
        yield { channels: piece.channelData, sampleRate: piece.sampleRate };
      }
      if (flush) break;
    }
  } catch (err) {
    if (err instanceof AudioDecodeError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new AudioDecodeError(file, `corrupt ${container} data: the decoder failed (${detail})`, { cause: err });
  } finally {
    // Stopped early (an error, or the caller stopped reading): the decoder was not flushed.
    if (!freed) decoder.free();
    decoderMessages.splice(decoderMessages.indexOf(messages), 1);
  }
  if (walk && !walk.whole && walk.pages > 0) info.warnings.push(`truncated Ogg stream: decoded the ${walk.pages} complete pages present`);
  if (messages.length > 0) info.warnings.push(`damaged ${container} data: the decoder skipped ${messages.length} frame${messages.length === 1 ? '' : 's'} it could not read (${messages[0]})`);
  if (pieces === 0) {
    const empty = declaredEmpty(head, container, file, walk?.whole ?? false);
    if (!empty) throw new AudioDecodeError(file, `corrupt or truncated ${container} data: no audio frame could be decoded`);
    checkStreamShape(file, empty.sampleRate, empty.channels);
    info.empty = { sampleRate: empty.sampleRate, channels: empty.channels };
  }
}

/**
 * decodeCompressedPieces over bytes in memory, the pieces joined per channel: the whole stream's
 * PCM at once (see there for the limit, which holds while decoding).
 */
export async function decodeCompressed(bytes: Uint8Array, container: CompressedContainer, file: string, maxDurationSec: number, limitName?: string): Promise<PcmAudio> {
  const info: CompressedStreamInfo = { sampleRate: 0, channels: 0, frames: 0, bytesRead: 0, warnings: [] };
  const pieces: DecodedPiece[] = [];
  for await (const p of decodeCompressedPieces(memoryByteSource(bytes), container, file, maxDurationSec, info, limitName)) pieces.push(p);
  if (info.empty) return { channels: [new Float32Array(0)], sampleRate: info.empty.sampleRate, format: container, sourceChannels: info.empty.channels };
  const channels = joinPieces(pieces, info.frames);
  pieces.length = 0;
  checkStreamShape(file, info.sampleRate, channels.length);
  return { channels, sampleRate: info.sampleRate, format: container, warnings: info.warnings };
}
