/**
 * A real MP3 round trip: encode with LAME (npm @breezystack/lamejs, MPEG-2 Layer III at 16 kHz)
 * and decode with npm audio-decode. Asynchronous and slow (~20x real time, mostly the encoder),
 * so `augment` uses `lossyCodec` on the fly; use this for offline data or evaluation sets.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import decode from 'audio-decode';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

/** Bitrates LAME accepts for 16 kHz mono (MPEG-2), kbps. */
export const MP3_BITRATES_16K = [8, 16, 24, 32, 40, 48, 56, 64] as const;

/**
 * 16 kHz mono -> MP3 at `kbps` -> 16 kHz mono, aligned to the input (the codec delay is
 * found by cross-correlation) and trimmed or zero-padded to the input length.
 */
export async function mp3RoundTrip(x: Float32Array, kbps: number): Promise<Float32Array> {
  if (!(MP3_BITRATES_16K as readonly number[]).includes(kbps)) throw new Error(`mp3RoundTrip: kbps must be one of ${MP3_BITRATES_16K.join(', ')}, got ${kbps}`);
  const pcm = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) pcm[i] = Math.round(32767 * Math.max(-1, Math.min(1, x[i])));
  const enc = new Mp3Encoder(1, SAMPLE_RATE, kbps);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < pcm.length; i += 1152) parts.push(enc.encodeBuffer(pcm.subarray(i, i + 1152)));
  parts.push(enc.flush());
  const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { bytes.set(p, o); o += p.length; }
  const decoded = await decode(bytes);
  const y = decoded.channelData[0];
  if (!y || decoded.sampleRate !== SAMPLE_RATE) throw new Error(`mp3RoundTrip: decoder returned ${decoded.sampleRate} Hz, ${decoded.channelData.length} channels`);
  const lag = bestLag(x, y, 2400);
  const out = new Float32Array(x.length);
  out.set(y.subarray(lag, lag + x.length));
  return out;
}

/** Lag in [0, maxLag] maximizing the correlation of x with y shifted left by the lag. */
function bestLag(x: Float32Array, y: Float32Array, maxLag: number): number {
  let best = 0, bestScore = -Infinity;
  const len = Math.min(x.length, SAMPLE_RATE);
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = 0; i < len && i + lag < y.length; i += 2) s += x[i] * y[i + lag];
    if (s > bestScore) { bestScore = s; best = lag; }
  }
  return best;
}
