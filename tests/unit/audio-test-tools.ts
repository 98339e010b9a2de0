/**
 * Fixture helpers for the audio tests: external encoders (sox, ffmpeg) and signal measurements.
 * A missing tool fails the test with a message saying what to install; nothing is skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const checked = new Set<string>();

/** Throws unless `tool` runs (`tool args` exits 0). */
export function requireTool(tool: string, args: string[] = ['--version']): void {
  if (checked.has(tool)) return;
  try {
    execFileSync(tool, args, { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`the audio tests need '${tool}' on PATH (apt-get install ${tool}): ${(err as Error).message}`);
  }
  checked.add(tool);
}

/** Throws unless ffmpeg has the named encoder (e.g. libmp3lame, libvorbis, libopus). */
export function requireFfmpegEncoder(encoder: string): void {
  requireTool('ffmpeg', ['-hide_banner', '-version']);
  const list = execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!new RegExp(`\\s${encoder}\\s`).test(list)) {
    throw new Error(`ffmpeg lacks the ${encoder} encoder needed by the audio tests (install a full ffmpeg build)`);
  }
}

export function run(tool: string, args: string[]): Buffer {
  return execFileSync(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hark-audio-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes interleaved float32 little-endian raw samples. */
export function writeRawF32(path: string, interleaved: Float32Array): void {
  writeFileSync(path, new Uint8Array(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength));
}

/** Reads any file sox understands back as interleaved float32 (sox's own decoder: an independent reference). */
export function readWithSox(path: string): Float32Array {
  requireTool('sox');
  const raw = run('sox', [path, '-t', 'f32', '-e', 'floating-point', '-b', '32', '-']);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** amp * sin(2 pi f n / rate + phase) for n in [0, rate * sec). */
export function tone(freq: number, rate: number, sec: number, amp = 0.5, phase = 0): Float32Array {
  const n = Math.round(rate * sec);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}

/**
 * Least-squares fit of a sin(w n) + b cos(w n) over x[start, end): amplitude, phase (of a sine)
 * and the RMS of what the fitted sinusoid leaves over.
 */
export function fitSinusoid(x: Float32Array, freq: number, rate: number, start: number, end: number) {
  let ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
  for (let i = start; i < end; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const s = Math.sin(w), c = Math.cos(w);
    ss += s * s; cc += c * c; sc += s * c; xs += x[i] * s; xc += x[i] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  let res = 0;
  for (let i = start; i < end; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const r = x[i] - a * Math.sin(w) - b * Math.cos(w);
    res += r * r;
  }
  return { amplitude: Math.hypot(a, b), phase: Math.atan2(b, a), residualRms: Math.sqrt(res / (end - start)) };
}

export function rms(x: Float32Array, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, end - start));
}

/** Highest normalized cross-correlation of a and b over lags in [-maxLag, maxLag], and that lag (b shifted right). */
export function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { corr: number; lag: number } {
  let best = { corr: -Infinity, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0, aa = 0, bb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      if (i + lag < 0) continue;
      ab += a[i] * b[i + lag]; aa += a[i] * a[i]; bb += b[i + lag] * b[i + lag];
    }
    const corr = ab / Math.sqrt(aa * bb || 1);
    if (corr > best.corr) best = { corr, lag };
  }
  return best;
}

export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}
