/**
 * A test clip from spoken parts and silences: strings are synthesized by `voice` (default the
 * held-out espeak-ng voice), numbers are that many seconds of silence; 16 kHz mono PCM.
 */
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import type { Rng } from '../../src-main/train/data/rng.ts';

export async function speechClip(parts: readonly (string | number)[], rng: Rng, voice = 'espeak:en-gb-scotland+f3'): Promise<Float32Array> {
  const pieces: Float32Array[] = [];
  for (const p of parts) pieces.push(typeof p === 'number' ? new Float32Array(Math.round(p * 16000)) : await synthesize(p, voice, rng.fork()));
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) { out.set(p, at); at += p.length; }
  return out;
}
