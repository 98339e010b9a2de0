import { AudioDecodeError } from './audio-decode-error.ts';

/** Decoded audio before downmixing and resampling: one Float32Array per channel, nominally in [-1, 1]. */
export interface PcmAudio {
  channels: Float32Array[];
  sampleRate: number;
  /** Short machine-readable name of the source encoding, e.g. "wav:s16", "flac", "ogg-opus". */
  format: string;
  /** Channels in the source when it differs from channels.length (an empty stream decodes to one empty channel). */
  sourceChannels?: number;
  /** Problems that did not stop decoding. */
  warnings?: string[];
}

/** Sample rates outside this range (Hz) are treated as a corrupt header. */
export const MIN_SOURCE_RATE = 1000;
export const MAX_SOURCE_RATE = 768_000;
/** More channels than this is treated as a corrupt header (WAVE_FORMAT_EXTENSIBLE names 18 speaker positions). */
export const MAX_CHANNELS = 256;

/** Throws AudioDecodeError unless the stream shape is plausible. */
export function checkStreamShape(file: string, sampleRate: number, channels: number): void {
  if (channels === 0) throw new AudioDecodeError(file, 'the header declares zero channels');
  if (!Number.isInteger(channels) || channels < 0 || channels > MAX_CHANNELS) {
    throw new AudioDecodeError(file, `the header declares ${channels} channels (at most ${MAX_CHANNELS} supported)`);
  }
  if (!(Number.isFinite(sampleRate) && sampleRate >= MIN_SOURCE_RATE && sampleRate <= MAX_SOURCE_RATE)) {
    throw new AudioDecodeError(
      file,
      `absurd sample rate ${sampleRate} Hz in the header (expected ${MIN_SOURCE_RATE} to ${MAX_SOURCE_RATE} Hz)`,
    );
  }
}

/** Throws AudioDecodeError when `frames` at `sampleRate` last longer than `maxDurationSec` (`limitName` names the limit). */
export function checkDuration(file: string, frames: number, sampleRate: number, maxDurationSec: number, limitName = 'maxDurationSec'): void {
  const sec = frames / sampleRate;
  if (sec > maxDurationSec) {
    throw new AudioDecodeError(
      file,
      `audio is ${sec.toFixed(1)} s long, more than the limit of ${maxDurationSec} s (${limitName})`,
    );
  }
}
