import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

/** A voiced-speech-like signal: harmonics of a gliding pitch `f0` with a slow envelope. */
export function voiceLike(seconds: number, f0: number): Float32Array {
  const n = Math.round(seconds * SAMPLE_RATE);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE, env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    for (let h = 1; h <= 8; h++) x[i] += (env * 0.05 / h) * Math.sin(2 * Math.PI * h * f0 * (1 + 0.1 * Math.sin(t)) * t);
  }
  return x;
}
