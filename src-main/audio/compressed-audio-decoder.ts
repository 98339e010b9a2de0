import decode, { type AudioData } from 'audio-decode';
import { AudioDecodeError } from './audio-decode-error.ts';
import type { AudioContainer } from './audio-format-sniffer.ts';
import { readFlacStreamInfo } from './flac-stream-info.ts';
import { findMpegFrame, readMpegFrame } from './mpeg-audio-header.ts';
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

/** How far past an ID3 tag to look for the first MPEG frame. */
const MPEG_SYNC_SEARCH_BYTES = 64 * 1024;

function concatChannels(a: AudioData, b: AudioData): Float32Array[] {
  if (b.channelData.length === 0) return a.channelData;
  if (a.channelData.length === 0) return b.channelData;
  return a.channelData.map((ch, i) => {
    const tail = b.channelData[i % b.channelData.length];
    const out = new Float32Array(ch.length + tail.length);
    out.set(ch);
    out.set(tail, ch.length);
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
 * audio-decode. A truncated Ogg stream is cut at its last complete page; decoder failures and
 * streams from which nothing decodes (unless declared empty) become AudioDecodeError.
 */
export async function decodeCompressed(bytes: Uint8Array, container: CompressedContainer, file: string): Promise<PcmAudio> {
  const warnings: string[] = [];
  let input = bytes;
  if (container === 'ogg-opus' || container === 'ogg-vorbis') {
    const layout = oggLayout(bytes);
    if (!layout.whole && layout.pages > 0) {
      input = bytes.subarray(0, layout.completeBytes);
      warnings.push(`truncated Ogg stream: decoded the ${layout.pages} complete pages present`);
    }
  }
  let decoded: AudioData;
  const decoder = await DECODERS[container]();
  const messages: string[] = [];
  decoderMessages.push(messages);
  try {
    const body = await decoder(input);
    const tail = await decoder();
    decoded = { channelData: concatChannels(body, tail), sampleRate: body.sampleRate || tail.sampleRate };
  } catch (err) {
    decoder.free();
    const detail = err instanceof Error ? err.message : String(err);
    throw new AudioDecodeError(file, `corrupt ${container} data: the decoder failed (${detail})`, { cause: err });
  } finally {
    decoderMessages.splice(decoderMessages.indexOf(messages), 1);
  }
  if (messages.length > 0) warnings.push(`damaged ${container} data: the decoder skipped ${messages.length} frame${messages.length === 1 ? '' : 's'} it could not read (${messages[0]})`);
  if (decoded.channelData.length === 0) {
    const empty = declaredEmpty(bytes, container, file);
    if (!empty) throw new AudioDecodeError(file, `corrupt or truncated ${container} data: no audio frame could be decoded`);
    checkStreamShape(file, empty.sampleRate, empty.channels);
    return { channels: [new Float32Array(0)], sampleRate: empty.sampleRate, format: container, sourceChannels: empty.channels };
  }
  checkStreamShape(file, decoded.sampleRate, decoded.channelData.length);
  if (container === 'flac') rescaleFlac(decoded.channelData, readFlacStreamInfo(bytes, 0, file).bitsPerSample);
  return { channels: decoded.channelData, sampleRate: decoded.sampleRate, format: container, warnings };
}
