/** Reads one audio file of a source into the RealUtterance audio fields (16 kHz mono floats). */
import { decodeAudioFile } from '../../../audio/index.ts';

export async function readAudio(path: string): Promise<{ pcm: Float32Array; sampleRate: number }> {
  const d = await decodeAudioFile(path, { maxDurationSec: 600 });
  return { pcm: d.samples, sampleRate: d.sampleRate };
}
