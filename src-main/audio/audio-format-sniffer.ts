/**
 * Identifies a file's container from its leading bytes (never from its name).
 * References: RIFF/WAVE (Microsoft Multimedia Programming Interface, 1991); FLAC format
 * (RFC 9639 section 8); Ogg (RFC 3533 section 6) with Vorbis I (section 4.2.1) and Opus (RFC 7845
 * section 5.1) identification headers; MPEG audio frame header (ISO/IEC 11172-3 2.4.1.3); ID3v2.4 (section 3.1).
 */

/** Containers Hark decodes. */
export type AudioContainer = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus';

export type SniffResult =
  /** `offset`: where the stream starts (after an ID3v2 tag). */
  | { kind: 'audio'; container: AudioContainer; offset: number }
  /** Recognized audio that Hark does not decode; `what` names it. */
  | { kind: 'unsupported'; what: string }
  /** Recognized as something other than audio. */
  | { kind: 'not-audio'; what: string }
  | { kind: 'unknown' };

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < at + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** True when the 4 bytes at `at` form a plausible MPEG-1/2/2.5 layer I-III frame header. */
export function isMpegFrameHeader(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3;
  const layer = (b[at + 1] >> 1) & 3;
  const bitrate = b[at + 2] >> 4;
  const rate = (b[at + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/** Size of an ID3v2 tag starting at `at` (header, body and footer), or 0 when there is none. */
function id3v2Size(b: Uint8Array, at: number): number {
  if (ascii(b, at, 3) !== 'ID3' || at + 10 > b.length) return 0;
  const body = ((b[at + 6] & 0x7f) << 21) | ((b[at + 7] & 0x7f) << 14) | ((b[at + 8] & 0x7f) << 7) | (b[at + 9] & 0x7f);
  const footer = (b[at + 5] & 0x10) !== 0 ? 10 : 0;
  return 10 + body + footer;
}

function sniffOgg(b: Uint8Array): SniffResult {
  if (b.length < 28) return { kind: 'unsupported', what: 'a truncated Ogg stream' };
  const segments = b[26];
  const packet = 27 + segments;
  if (ascii(b, packet, 8) === 'OpusHead') return { kind: 'audio', container: 'ogg-opus', offset: 0 };
  if (b[packet] === 0x01 && ascii(b, packet + 1, 6) === 'vorbis') return { kind: 'audio', container: 'ogg-vorbis', offset: 0 };
  if (ascii(b, packet, 5) === '\x7fFLAC') return { kind: 'unsupported', what: 'Ogg FLAC' };
  if (ascii(b, packet, 8) === 'Speex   ') return { kind: 'unsupported', what: 'Ogg Speex' };
  if (ascii(b, packet + 1, 6) === 'theora') return { kind: 'unsupported', what: 'Ogg Theora video' };
  return { kind: 'unsupported', what: 'an Ogg stream with an unknown codec' };
}

/** Text: no NUL and almost only printable ASCII, whitespace or UTF-8 bytes in the first 1 KiB. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 1024);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return false;
    const printable = (c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13 || c >= 0x80;
    if (!printable) odd++;
  }
  return odd <= n * 0.02;
}

const OTHER_MAGIC: ReadonlyArray<[string, SniffResult]> = [
  ['\x89PNG', { kind: 'not-audio', what: 'a PNG image' }],
  ['GIF8', { kind: 'not-audio', what: 'a GIF image' }],
  ['\xff\xd8\xff', { kind: 'not-audio', what: 'a JPEG image' }],
  ['%PDF', { kind: 'not-audio', what: 'a PDF document' }],
  ['PK\x03\x04', { kind: 'not-audio', what: 'a ZIP archive' }],
  ['\x1f\x8b', { kind: 'not-audio', what: 'a gzip archive' }],
  ['\x7fELF', { kind: 'not-audio', what: 'an executable' }],
  ['RIFX', { kind: 'unsupported', what: 'big-endian RIFX WAV' }],
  ['RF64', { kind: 'unsupported', what: 'RF64 WAV' }],
  ['BW64', { kind: 'unsupported', what: 'BW64 WAV' }],
  ['FORM', { kind: 'unsupported', what: 'AIFF' }],
  ['caff', { kind: 'unsupported', what: 'Core Audio (CAF)' }],
  ['.snd', { kind: 'unsupported', what: 'Sun/NeXT AU' }],
  ['#!AMR', { kind: 'unsupported', what: 'AMR' }],
  ['MThd', { kind: 'unsupported', what: 'MIDI (notes, not audio)' }],
  ['wvpk', { kind: 'unsupported', what: 'WavPack' }],
  ['MAC ', { kind: 'unsupported', what: "Monkey's Audio (APE)" }],
  ['\x1a\x45\xdf\xa3', { kind: 'unsupported', what: 'WebM/Matroska' }],
];

/** Identifies the container of `bytes`. */
export function sniffAudioFormat(bytes: Uint8Array): SniffResult {
  const offset = id3v2Size(bytes, 0);
  if (offset > 0) {
    if (ascii(bytes, offset, 4) === 'fLaC') return { kind: 'audio', container: 'flac', offset };
    // An ID3 tag announces MPEG audio; padding or junk may precede the first frame, the decoder resyncs.
    return { kind: 'audio', container: 'mp3', offset };
  }
  const head = ascii(bytes, 0, 4);
  if (head === 'RIFF') {
    if (ascii(bytes, 8, 4) === 'WAVE') return { kind: 'audio', container: 'wav', offset: 0 };
    return { kind: 'unsupported', what: `RIFF ${JSON.stringify(ascii(bytes, 8, 4))} (not WAVE)` };
  }
  if (head === 'fLaC') return { kind: 'audio', container: 'flac', offset: 0 };
  if (head === 'OggS') return sniffOgg(bytes);
  if (ascii(bytes, 4, 4) === 'ftyp') return { kind: 'unsupported', what: 'MP4/M4A' };
  for (const [magic, result] of OTHER_MAGIC) {
    if (ascii(bytes, 0, magic.length) === magic) return result;
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xf6) === 0xf0) return { kind: 'unsupported', what: 'raw AAC (ADTS)' };
  if (isMpegFrameHeader(bytes, 0)) return { kind: 'audio', container: 'mp3', offset: 0 };
  if (looksLikeText(bytes)) return { kind: 'not-audio', what: 'text' };
  return { kind: 'unknown' };
}
