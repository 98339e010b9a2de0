/**
 * Sun/NeXT `.au` audio (the saytime package's format): a big-endian header (magic ".snd", data
 * offset, data size, encoding, sample rate, channels) followed by samples. Reads encodings 1
 * (8-bit G.711 mu-law), 2 (8-bit linear) and 3 (16-bit linear), downmixed to mono. A file without
 * the header is raw 8 kHz mu-law, the SPARCstation's /dev/audio format (saytime's files are).
 * ref: the Sun AU header layout, e.g. https://en.wikipedia.org/wiki/Au_file_format
 */

/** ITU-T G.711 mu-law byte -> linear value in [-1, 1] (the segmented standard expansion). */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return (sign ? -magnitude : magnitude) / 32768;
}

export function readSunAu(bytes: Uint8Array, name: string): { pcm: Float32Array; sampleRate: number } {
  if (bytes.length === 0) throw new Error(`${name}: empty file`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24 || dv.getUint32(0) !== 0x2e736e64) return { pcm: Float32Array.from(bytes, mulawToLinear), sampleRate: 8000 };
  const offset = dv.getUint32(4), declared = dv.getUint32(8), encoding = dv.getUint32(12);
  const sampleRate = dv.getUint32(16), channels = dv.getUint32(20);
  if (offset < 24 || offset > bytes.length) throw new Error(`${name}: data offset ${offset} outside the file`);
  if (!(sampleRate >= 4000 && sampleRate <= 192000)) throw new Error(`${name}: implausible sample rate ${sampleRate}`);
  if (!(channels >= 1 && channels <= 8)) throw new Error(`${name}: implausible channel count ${channels}`);
  const available = bytes.length - offset;
  const size = declared === 0xffffffff ? available : Math.min(declared, available);
  const bytesPerSample = encoding === 3 ? 2 : encoding === 1 || encoding === 2 ? 1 : 0;
  if (bytesPerSample === 0) throw new Error(`${name}: unsupported .au encoding ${encoding} (reads 1 mu-law, 2 and 3 linear PCM)`);
  const frames = Math.floor(size / bytesPerSample / channels);
  const pcm = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = offset + (f * channels + c) * bytesPerSample;
      sum += encoding === 1 ? mulawToLinear(bytes[at]) : encoding === 2 ? dv.getInt8(at) / 128 : dv.getInt16(at) / 32768;
    }
    pcm[f] = sum / channels;
  }
  return { pcm, sampleRate };
}
