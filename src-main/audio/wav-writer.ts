/**
 * Minimal RIFF/WAVE writer: 16-bit PCM, mono, canonical 44-byte header.
 * Samples are scaled by 32768, rounded and clipped to [-32768, 32767], the inverse of the reader's
 * division by 32768, so a round trip changes a sample by at most 2^-16.
 */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0 && sampleRate <= 0xffffffff / 2)) {
    throw new Error(`encodeWav: sampleRate must be a positive integer, got ${sampleRate}`);
  }
  const dataBytes = samples.length * 2;
  if (dataBytes > 0xffffffff - 36) throw new Error(`encodeWav: ${samples.length} samples do not fit in a WAV file`);
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // WAVE_FORMAT_PCM
  view.setUint16(22, 1, true); // channels
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  tag(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    if (Number.isNaN(x)) throw new Error(`encodeWav: sample ${i} is NaN`);
    const v = Math.round(x * 32768);
    view.setInt16(44 + 2 * i, v > 32767 ? 32767 : v < -32768 ? -32768 : v, true);
  }
  return out;
}
