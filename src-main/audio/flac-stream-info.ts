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
