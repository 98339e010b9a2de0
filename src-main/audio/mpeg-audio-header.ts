/**
 * MPEG audio frame header fields and the Xing/Info tag that encoders put in the first frame.
 * ref: ISO/IEC 11172-3 section 2.4.1.3 and ISO/IEC 13818-3 (header); the Xing VBR header as
 *      written by LAME ("Xing" or "Info", flags, then the frame count when flag bit 0 is set).
 */
import { isMpegFrameHeader } from './audio-format-sniffer.ts';

/** How far past an ID3 tag to look for the first MPEG frame. */
export const MPEG_SYNC_SEARCH_BYTES = 64 * 1024;

const MPEG1_RATES = [44100, 48000, 32000];

export interface MpegFrameShape {
  sampleRate: number;
  channels: number;
  /** Samples per channel in one frame (ISO/IEC 11172-3 / 13818-3: layer I 384, II 1152, III 1152 or 576). */
  samplesPerFrame: number;
  /** Frames announced by a Xing/Info tag in this frame, or undefined when it has none. */
  taggedFrames?: number;
}

/** Reads the frame header at `at` (assumed valid; see isMpegFrameHeader). */
export function readMpegFrame(b: Uint8Array, at: number): MpegFrameShape {
  const version = (b[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const sampleRate = MPEG1_RATES[(b[at + 2] >> 2) & 3] / (version === 3 ? 1 : version === 2 ? 2 : 4);
  const layer = (b[at + 1] >> 1) & 3; // 3: layer I, 2: layer II, 1: layer III
  const samplesPerFrame = layer === 3 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  const mono = b[at + 3] >> 6 === 3;
  // The tag follows the layer III side information: 32/17 bytes (MPEG-1) or 17/9 bytes (MPEG-2/2.5).
  const side = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = at + 4 + side;
  let taggedFrames: number | undefined;
  if (tag + 12 <= b.length) {
    const id = String.fromCharCode(b[tag], b[tag + 1], b[tag + 2], b[tag + 3]);
    if ((id === 'Xing' || id === 'Info') && (b[tag + 7] & 1) !== 0) {
      taggedFrames = ((b[tag + 8] << 24) | (b[tag + 9] << 16) | (b[tag + 10] << 8) | b[tag + 11]) >>> 0;
    }
  }
  return { sampleRate, channels: mono ? 1 : 2, samplesPerFrame, taggedFrames };
}

/** Offset of the first MPEG frame header at or after `from` within `limit` bytes, or -1. */
export function findMpegFrame(b: Uint8Array, from: number, limit: number): number {
  const end = Math.min(b.length - 4, from + limit);
  for (let i = from; i <= end; i++) if (isMpegFrameHeader(b, i)) return i;
  return -1;
}
