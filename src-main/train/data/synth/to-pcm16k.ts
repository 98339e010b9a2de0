/**
 * Converts a synthesizer's WAV file to 16 kHz mono Float32 PCM through sox (its resampler is
 * band-limited; output is raw 32-bit float little-endian on stdout).
 */
import { runProcess } from '../../../system/process-pool.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

/** Reads `wavPath` (any rate/channels sox understands) as 16 kHz mono samples in [-1, 1]. */
export async function wavFileTo16k(wavPath: string): Promise<Float32Array> {
  const { stdout } = await runProcess('sox', [wavPath, '-t', 'raw', '-e', 'floating-point', '-b', '32', '-L', '-c', '1', '-r', String(SAMPLE_RATE), '-']);
  if (stdout.length % 4 !== 0) throw new Error(`sox produced ${stdout.length} bytes from ${wavPath}, not a whole number of float samples`);
  const pcm = new Float32Array(stdout.length / 4);
  for (let i = 0; i < pcm.length; i++) pcm[i] = stdout.readFloatLE(i * 4);
  return pcm;
}

/** 16-bit PCM samples (already at SAMPLE_RATE, as SVOX Pico writes them) as floats in [-1, 1). */
export function int16ToFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}
