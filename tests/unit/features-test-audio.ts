// Test helpers for the feature front-end tests (not a test file): real synthesized speech read with
// a minimal WAV parser, deterministic noise, and an element-wise comparison.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatFrames, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import type { StreamingFeatureExtractor } from '../../src-shared/features/streaming-feature-extractor.ts';
import { seededRandom } from '../helpers/random-weights.ts';

/** Deterministic PRNG in [0, 1) (mulberry32). */
export const rng = seededRandom;

/** Chunk sizes covering a signal of `n` samples: fixed size, or random in [1, max] when size < 0. */
export function chunkSizes(n: number, size: number, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let at = 0; at < n;) {
    const s = Math.min(n - at, size > 0 ? size : 1 + Math.floor(r() * -size));
    out.push(s);
    at += s;
  }
  return out;
}

/** Pushes `pcm` through the extractor in chunks of `sizes`, then flushes; all frames in order. */
export function streamAll(ex: StreamingFeatureExtractor, pcm: Float32Array, sizes: number[]): FeatureMatrix {
  const parts: FeatureMatrix[] = [];
  let at = 0;
  for (const s of sizes) {
    parts.push(ex.push(pcm.subarray(at, at + s)));
    at += s;
  }
  parts.push(ex.flush());
  return concatFrames(parts, ex.dim);
}

/** Reads a RIFF/WAVE file of 16-bit PCM; returns the first channel as floats in [-1, 1). */
export function readWav16(bytes: Uint8Array): { sampleRate: number; samples: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAVE file');
  let offset = 12;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    // espeak-ng writes 0xFFFFFFFF-style sizes when streaming; clamp to the file.
    const size = Math.min(view.getUint32(offset + 4, true), bytes.length - offset - 8);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`expected 16-bit PCM, got ${bits}`);
      const frames = Math.floor(size / (2 * channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = view.getInt16(body + i * 2 * channels, true) / 32768;
      return { sampleRate, samples };
    }
    offset = body + size + (size & 1);
  }
  throw new Error('no data chunk');
}

let speechCache: Float32Array | undefined;

/** "hello world ..." spoken by espeak-ng, resampled to 16 kHz with sox. */
export function synthSpeech16k(): Float32Array {
  if (speechCache) return speechCache;
  const dir = mkdtempSync(join(tmpdir(), 'hark-features-'));
  const raw = join(dir, 'raw.wav');
  const wav = join(dir, 'speech16k.wav');
  execFileSync('espeak-ng', ['-w', raw, 'hello world, the quick brown fox jumps over the lazy dog']);
  // -D: no dither, so the clip is identical on every run.
  execFileSync('sox', [raw, '-D', '-r', '16000', '-c', '1', '-b', '16', wav]);
  if (!existsSync(wav)) throw new Error('sox produced no output');
  const { sampleRate, samples } = readWav16(readFileSync(wav));
  if (sampleRate !== 16000) throw new Error(`expected 16 kHz, got ${sampleRate}`);
  speechCache = samples;
  return samples;
}

/** Speech plus white noise and two sines, all at modest levels (deterministic). */
export function speechNoiseSines(seed: number): Float32Array {
  const speech = synthSpeech16k();
  const r = rng(seed);
  const out = new Float32Array(speech.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.8 * speech[i] + 0.01 * (r() - 0.5) + 0.05 * Math.sin((2 * Math.PI * 300 * i) / 16000) + 0.02 * Math.sin((2 * Math.PI * 3100 * i) / 16000);
  }
  return out;
}

/** Index of the first element where a and b are not identical (Object.is), or -1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
