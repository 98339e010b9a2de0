import { AudioDecodeError } from './audio-decode-error.ts';
import { checkStreamShape, type PcmAudio } from './pcm-audio.ts';

/**
 * RIFF/WAVE reader.
 * ref: Microsoft "Multimedia Programming Interface and Data Specifications 1.0" (1991), RIFF and
 *      WAVE chunks; "Multiple channel audio data and WAVE files" (WAVE_FORMAT_EXTENSIBLE, 2001);
 *      ITU-T G.711 for A-law and mu-law.
 * Chunks are word aligned: a chunk with an odd size is followed by one pad byte.
 */

/** How one sample is stored in the data chunk. */
export type WavEncoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'alaw' | 'mulaw';

export interface WavHeader {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Whole frames present in the file. */
  frames: number;
  /** True when the data chunk declares more bytes than the file holds. */
  truncated: boolean;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 of KSDATAFORMAT_SUBTYPE_* GUIDs (the first two hold the format tag). */
const SUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** Data chunk size written by streaming encoders that could not seek back. */
const SIZE_UNKNOWN = 0xffffffff;

const TAG_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function encodingOf(file: string, tag: number, bits: number): WavEncoding {
  const bad = (): never => {
    throw new AudioDecodeError(file, `unsupported WAV sample format: format tag 0x${tag.toString(16).padStart(4, '0')} with ${bits} bits`);
  };
  if (tag === WAVE_FORMAT_PCM) {
    if (bits < 1) return bad();
    if (bits <= 8) return 'u8';
    if (bits <= 16) return 's16';
    if (bits <= 24) return 's24';
    if (bits <= 32) return 's32';
    return bad();
  }
  if (tag === WAVE_FORMAT_IEEE_FLOAT) return bits === 32 ? 'f32' : bits === 64 ? 'f64' : bad();
  if (tag === WAVE_FORMAT_ALAW) return bits === 8 ? 'alaw' : bad();
  if (tag === WAVE_FORMAT_MULAW) return bits === 8 ? 'mulaw' : bad();
  const name = TAG_NAMES[tag];
  throw new AudioDecodeError(
    file,
    `unsupported WAV encoding${name ? ` ${name}` : ''} (format tag 0x${tag.toString(16).padStart(4, '0')}); convert it to PCM WAV, FLAC, MP3, Ogg Vorbis or Opus`,
  );
}

const BYTES_PER_SAMPLE: Record<WavEncoding, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8, alaw: 1, mulaw: 1 };

/** Parses the fmt chunk body at `at` (`size` bytes). Returns encoding, channels, rate, blockAlign. */
function parseFmt(file: string, b: Uint8Array, view: DataView, at: number, size: number) {
  if (size < 16) throw new AudioDecodeError(file, `corrupt WAV header: fmt chunk is ${size} bytes, need at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new AudioDecodeError(file, `corrupt WAV header: WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, need 40`);
    tag = view.getUint16(at + 24, true);
    if (SUBTYPE_TAIL.some((v, i) => b[at + 26 + i] !== v)) {
      throw new AudioDecodeError(file, 'unsupported WAVE_FORMAT_EXTENSIBLE sub-format (not a standard KSDATAFORMAT_SUBTYPE GUID)');
    }
  }
  checkStreamShape(file, sampleRate, channels);
  // Valid bits narrower than the container are left-justified in it, so the container decides decoding.
  const encoding = encodingOf(file, tag, Math.ceil(bits / 8) * 8);
  if (blockAlign !== channels * BYTES_PER_SAMPLE[encoding]) {
    throw new AudioDecodeError(
      file,
      `corrupt WAV header: block align ${blockAlign} does not match ${channels} channels of ${bits}-bit samples`,
    );
  }
  return { encoding, channels, sampleRate, blockAlign };
}

/**
 * Reads the header of a RIFF/WAVE file; throws AudioDecodeError when it is malformed or unsupported.
 * `bytes` may be only the file's head (through the data chunk's header) when `totalBytes` gives
 * the whole file's size.
 */
export function readWavHeader(bytes: Uint8Array, file: string, totalBytes = bytes.length): WavHeader {
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') {
    throw new AudioDecodeError(file, 'not a RIFF/WAVE file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: ReturnType<typeof parseFmt> | undefined;
  let data: { offset: number; declared: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.length && !(fmt && data)) {
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) throw new AudioDecodeError(file, 'corrupt WAV header: the fmt chunk runs past the end of the file');
      fmt = parseFmt(file, bytes, view, body, size);
    } else if (id === 'data' && !data) {
      data = { offset: body, declared: size };
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new AudioDecodeError(file, 'corrupt WAV header: no fmt chunk');
  if (!data) throw new AudioDecodeError(file, 'corrupt WAV file: no data chunk');
  const available = totalBytes - data.offset;
  const truncated = data.declared !== SIZE_UNKNOWN && data.declared > available;
  const dataBytes = Math.min(data.declared, available);
  return { ...fmt, dataOffset: data.offset, frames: Math.floor(dataBytes / fmt.blockAlign), truncated };
}

/** G.711 A-law byte to a linear value in [-1, 1) (13-bit magnitude scaled by 2^-15). */
function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const exponent = (v >> 4) & 7;
  const mantissa = v & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return ((v & 0x80) !== 0 ? magnitude : -magnitude) / 32768;
}

/** G.711 mu-law byte to a linear value in [-1, 1) (14-bit magnitude scaled by 2^-15). */
function mulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const exponent = (v >> 4) & 7;
  const magnitude = ((((v & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return ((v & 0x80) !== 0 ? -magnitude : magnitude) / 32768;
}

const ALAW_TABLE = Float32Array.from({ length: 256 }, (_, i) => alawToLinear(i));
const MULAW_TABLE = Float32Array.from({ length: 256 }, (_, i) => mulawToLinear(i));

/** Decodes the samples a header describes into one Float32Array per channel (integers scaled by 2^-(bits-1)). */
export function readWavSamples(bytes: Uint8Array, header: WavHeader): Float32Array[] {
  const { encoding, channels, frames, dataOffset } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const size = BYTES_PER_SAMPLE[encoding];
  for (let c = 0; c < channels; c++) {
    const dst = out[c];
    let p = dataOffset + c * size;
    const stride = header.blockAlign;
    for (let f = 0; f < frames; f++, p += stride) {
      switch (encoding) {
        case 'u8': dst[f] = (bytes[p] - 128) / 128; break;
        case 's16': dst[f] = view.getInt16(p, true) / 32768; break;
        case 's24': dst[f] = ((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8 >> 8) / 8388608; break;
        case 's32': dst[f] = view.getInt32(p, true) / 2147483648; break;
        case 'f32': dst[f] = view.getFloat32(p, true); break;
        case 'f64': dst[f] = view.getFloat64(p, true); break;
        case 'alaw': dst[f] = ALAW_TABLE[bytes[p]]; break;
        case 'mulaw': dst[f] = MULAW_TABLE[bytes[p]]; break;
      }
    }
  }
  return out;
}

/** Parses a whole RIFF/WAVE file. A truncated data chunk yields the whole frames present. */
export function parseWav(bytes: Uint8Array, file: string): PcmAudio & { header: WavHeader } {
  const header = readWavHeader(bytes, file);
  return { channels: readWavSamples(bytes, header), sampleRate: header.sampleRate, format: `wav:${header.encoding}`, header };
}
