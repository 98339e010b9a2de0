/**
 * Ogg page walking, used to cut a truncated stream at its last complete page (the Ogg decoders
 * emit nothing for a partial page) and to read the codec identification header.
 * ref: RFC 3533 section 6 (page header: "OggS", version, flags, granule position, serial,
 *      sequence, CRC, segment count, lacing values).
 */
export interface OggLayout {
  /** Bytes covered by complete pages from the start. */
  completeBytes: number;
  /** Complete pages. */
  pages: number;
  /** True when the complete pages cover the whole input. */
  whole: boolean;
}

const HEADER_BYTES = 27;

/** Walks pages from offset 0 while each page header and body lie inside `bytes`. */
export function oggLayout(bytes: Uint8Array): OggLayout {
  let at = 0;
  let pages = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53) break;
    const segments = bytes[at + 26];
    if (at + HEADER_BYTES + segments > bytes.length) break;
    let size = HEADER_BYTES + segments;
    for (let i = 0; i < segments; i++) size += bytes[at + HEADER_BYTES + i];
    if (at + size > bytes.length) break;
    at += size;
    pages++;
  }
  return { completeBytes: at, pages, whole: at === bytes.length };
}

/**
 * Channels and sample rate from the identification header in the first page: Opus (RFC 7845 5.1:
 * channel count at byte 9; always decoded at 48 kHz) or Vorbis I (section 4.2.2: channels at
 * byte 11, rate at bytes 12-15 little-endian). Returns undefined when the header is not there.
 */
export function oggStreamShape(bytes: Uint8Array): { channels: number; sampleRate: number } | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  const p = HEADER_BYTES + bytes[26];
  if (p + 16 > bytes.length) return undefined;
  if (String.fromCharCode(...bytes.subarray(p, p + 8)) === 'OpusHead') return { channels: bytes[p + 9], sampleRate: 48000 };
  if (bytes[p] === 1 && String.fromCharCode(...bytes.subarray(p + 1, p + 7)) === 'vorbis') {
    const rate = bytes[p + 12] | (bytes[p + 13] << 8) | (bytes[p + 14] << 16) | (bytes[p + 15] << 24);
    return { channels: bytes[p + 11], sampleRate: rate >>> 0 };
  }
  return undefined;
}
