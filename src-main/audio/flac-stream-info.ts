import { AudioDecodeError } from './audio-decode-error.ts';

/**
 * The FLAC STREAMINFO block, read before decoding so that a corrupt header or an over-long file
 * is refused without running the decoder.
 * ref: RFC 9639 (FLAC), sections 8.1 (metadata block header) and 8.2 (STREAMINFO).
 */
export interface FlacStreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Interchannel samples in the stream; 0 means unknown. */
  totalFrames: number;
}

/** Reads STREAMINFO from a stream whose "fLaC" marker starts at `offset`. */
export function readFlacStreamInfo(bytes: Uint8Array, offset: number, file: string): FlacStreamInfo {
  const at = offset + 4;
  if (bytes.length < at + 4 + 34) throw new AudioDecodeError(file, 'corrupt FLAC header: the file ends inside STREAMINFO');
  const type = bytes[at] & 0x7f;
  const length = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
  if (type !== 0 || length !== 34) {
    throw new AudioDecodeError(file, `corrupt FLAC header: first metadata block is type ${type} of ${length} bytes, expected STREAMINFO (type 0, 34 bytes)`);
  }
  const s = at + 4;
  // Bytes 10..17 of STREAMINFO: rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const channels = ((bytes[s + 12] >> 1) & 7) + 1;
  const bitsPerSample = (((bytes[s + 12] & 1) << 4) | (bytes[s + 13] >> 4)) + 1;
  const totalFrames =
    (bytes[s + 13] & 0x0f) * 2 ** 32 + ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
  return { sampleRate, channels, bitsPerSample, totalFrames };
}

/** CRC-8 of the FLAC frame header, polynomial x^8 + x^2 + x + 1 (RFC 9639 section 9.1.8). */
function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i];
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/**
 * Whether a FLAC frame header starts at `p`: the sync code 0xFFF8/0xFFF9, no reserved values, and
 * a CRC-8 that matches (RFC 9639 section 9.1). False positives inside frame data are possible
 * (about one 0xFFF8 in 256 passes), so a caller may use a hit only as a likely frame start.
 */
export function isFlacFrameHeader(bytes: Uint8Array, p: number): boolean {
  if (p + 5 > bytes.length || bytes[p] !== 0xff || (bytes[p + 1] & 0xfe) !== 0xf8) return false;
  const blockSize = bytes[p + 2] >> 4;
  const rate = bytes[p + 2] & 0x0f;
  if (blockSize === 0 || rate === 15 || bytes[p + 3] >> 4 > 10 || (bytes[p + 3] & 1) !== 0) return false;
  const c = bytes[p + 4];
  const utf8Extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf8 ? 3 : c < 0xfc ? 4 : c < 0xfe ? 5 : 6;
  const end = p + 5 + utf8Extra + (blockSize === 6 ? 1 : blockSize === 7 ? 2 : 0) + (rate === 12 ? 1 : rate === 13 || rate === 14 ? 2 : 0);
  return end < bytes.length && crc8(bytes, p, end) === bytes[end];
}
