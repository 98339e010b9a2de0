// Memory of `hark transcribe` on long files: a file of --hours (default 4) made by repeating a
// block of held-out sentences and silences, written to a temp folder as 16 kHz WAV; resident
// memory of the process is sampled over time (VmRSS, and VmHWM for the peak) and mapped to how far
// into the audio the process had read (/proc/PID/io rchar). Then the FLAC bomb: 4.5 h of silence
// in a ~2.5 MB FLAC that declares no length, once accepted (default --max-hours 24) and once
// refused (--max-hours 4).
// Run: node bin/run-ts.mjs bench/long-file-memory.bench.ts [--hours 4] [--model DIR]
// Writes bench/results/long-file-memory.json. Needs ffmpeg (for the FLAC bomb).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({ options: { hours: { type: 'string', default: '4' }, model: { type: 'string' }, 'keep-file': { type: 'boolean' } } });
const hours = Number(values.hours);
const RATE = 16000;
const dir = mkdtempSync(join(tmpdir(), 'hark-long-'));

// One block: held-out sentences with pauses of 0.3 to 2 s, then 20 s of silence.
const clips = await sentenceSet(HELDOUT_VOICES, 8);
const pieces: Float32Array[] = [];
for (const [i, c] of clips.entries()) {
  pieces.push(c.pcm, new Float32Array(Math.round((0.3 + (i % 6) * 0.34) * RATE)));
}
pieces.push(new Float32Array(20 * RATE));
const blockLen = pieces.reduce((n, p) => n + p.length, 0);
const block = new Int16Array(blockLen);
let at = 0;
for (const p of pieces) for (const x of p) block[at++] = Math.max(-32768, Math.min(32767, Math.round(x * 32768)));
const blockWords = clips.reduce((n, c) => n + (c.expected ?? '').split(/\s+/).length, 0);

/** Writes `sec` seconds (whole blocks, the last cut) as a 16-bit mono WAV without holding it. */
function writeLongWav(path: string, sec: number): number {
  const total = Math.round(sec * RATE);
  const fd = openSync(path, 'w');
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + total * 2, 4); header.write('WAVE', 8);
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24); header.writeUInt32LE(RATE * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(total * 2, 40);
  writeSync(fd, header);
  for (let done = 0; done < total; done += blockLen) {
    const n = Math.min(blockLen, total - done);
    writeSync(fd, new Uint8Array(block.buffer, 0, n * 2));
  }
  closeSync(fd);
  return total / RATE;
}

interface Sample { wallSec: number; audioSec: number; rssMb: number }

/** Runs `hark transcribe ARGS` and samples its memory every 0.5 s. */
async function measure(args: string[], audioBytesPerSec: number, fileBytes: number) {
  const t0 = performance.now();
  const child = spawn('nice', ['-n', '10', process.execPath, join(root, 'bin', 'hark.mjs'), 'transcribe', ...args, '--format', 'json', '--jobs', '1', ...(values.model ? ['--model', values.model] : [])], { cwd: root });
  // `nice` execs node: the pid is the recognizer's.
  let stdout = '', stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const raw: { wallSec: number; rchar: number; rssMb: number; hwmMb: number }[] = [];
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const io = readFileSync(`/proc/${child.pid}/io`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      raw.push({ wallSec: (performance.now() - t0) / 1000, rchar: Number(/rchar:\s+(\d+)/.exec(io)?.[1] ?? 0), rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 });
    } catch { /* the process has ended */ }
  }, 500);
  const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(timer);
  const wallSec = (performance.now() - t0) / 1000;
  // Everything read besides the audio (the bundle, model, LM) is read before it: the last sample's
  // rchar less the file's size is where the audio starts.
  const lastRchar = raw.length ? raw[raw.length - 1].rchar : 0;
  const base = Math.max(0, lastRchar - fileBytes);
  const samples: Sample[] = raw.map((s) => ({ wallSec: Math.round(s.wallSec * 10) / 10, audioSec: Math.round(Math.max(0, s.rchar - base) / audioBytesPerSec), rssMb: Math.round(s.rssMb) }));
  const peakMb = Math.round(Math.max(0, ...raw.map((s) => s.hwmMb)));
  return { code, wallSec: Math.round(wallSec * 10) / 10, peakMb, samples, stdout, stderr };
}

const rssAt = (samples: readonly Sample[], audioSec: number) => samples.find((s) => s.audioSec >= audioSec)?.rssMb ?? null;

// 1. The long WAV.
const wav = join(dir, 'long.wav');
const seconds = writeLongWav(wav, hours * 3600);
console.log(`${wav}: ${(seconds / 3600).toFixed(2)} h, ${(statSync(wav).size / 1e6).toFixed(0)} MB`);
const long = await measure([wav], RATE * 2, statSync(wav).size);
const out = JSON.parse(long.stdout.trim().split('\n').pop() ?? '{}') as { words?: { start: number; end: number }[]; durationSec?: number; error?: string };
const words = out.words ?? [];
const after10 = rssAt(long.samples, 600);
const tail = long.samples.filter((s) => s.audioSec >= 600);
const flat = { minMb: Math.min(...tail.map((s) => s.rssMb)), maxMb: Math.max(...tail.map((s) => s.rssMb)) };
/** Least-squares slope of resident memory against audio read, after the first 10 minutes: MB per hour of audio (0 = flat). */
function slopeMbPerHour(pts: readonly Sample[]): number | null {
  if (pts.length < 3) return null;
  const mx = pts.reduce((a, p) => a + p.audioSec, 0) / pts.length;
  const my = pts.reduce((a, p) => a + p.rssMb, 0) / pts.length;
  let sxy = 0, sxx = 0;
  for (const p of pts) { sxy += (p.audioSec - mx) * (p.rssMb - my); sxx += (p.audioSec - mx) ** 2; }
  return sxx > 0 ? Math.round((sxy / sxx) * 3600 * 10) / 10 : null;
}
// The last second reads no more audio but builds the output (every word's JSON): left out of the trend.
const trend = slopeMbPerHour(tail.filter((s) => s.audioSec < seconds - 1));
console.log(`exit ${long.code}, ${long.wallSec} s wall (${(seconds / long.wallSec).toFixed(1)}x real time), peak ${long.peakMb} MB; RSS after 10 min of audio ${after10} MB, at the end ${long.samples.at(-1)?.rssMb} MB, after 10 min between ${flat.minMb} and ${flat.maxMb} MB (trend ${trend} MB per hour of audio); ${words.length} words (about ${Math.round(blockWords * seconds / (blockLen / RATE))} spoken), last word ends at ${words.at(-1)?.end} s of ${out.durationSec} s`);
if (long.code !== 0) console.log(long.stderr.slice(-2000));
if (!values['keep-file']) rmSync(wav);

// 2. The FLAC bomb: 4.5 h of silence, no declared length (written to a pipe).
const bomb = join(dir, 'bomb.flac');
writeFileSync(bomb, execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono:d=16200', '-c:a', 'flac', '-f', 'flac', 'pipe:1'], { maxBuffer: 64 << 20 }));
const bombBytes = statSync(bomb).size;
const accepted = await measure([bomb], Infinity, bombBytes);
const acceptedOut = JSON.parse(accepted.stdout.trim().split('\n').pop() ?? '{}') as { words?: unknown[]; durationSec?: number; error?: string };
const refused = await measure([bomb, '--max-hours', '4'], Infinity, bombBytes);
// --format json prints a failed file as {"file","error"} on stdout.
const refusal = (JSON.parse(refused.stdout.trim().split('\n').pop() || '{}') as { error?: string }).error ?? refused.stderr.trim();
console.log(`FLAC bomb ${(bombBytes / 1e6).toFixed(2)} MB: accepted (default --max-hours) exit ${accepted.code}, ${accepted.wallSec} s, peak ${accepted.peakMb} MB, ${acceptedOut.durationSec} s, ${acceptedOut.words?.length} words; --max-hours 4: exit ${refused.code}, ${refused.wallSec} s, peak ${refused.peakMb} MB: ${refusal}`);
rmSync(dir, { recursive: true, force: true });

const thin = (s: readonly Sample[]) => s.filter((_, i) => i % Math.max(1, Math.floor(s.length / 200)) === 0 || i === s.length - 1);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'long-file-memory.json'), JSON.stringify({
  date: new Date().toISOString(),
  command: `nice -n 10 node bin/hark.mjs transcribe FILE --format json --jobs 1`,
  longFile: {
    hours: seconds / 3600, format: 'wav 16 kHz mono s16', exitCode: long.code, wallSec: long.wallSec, realTimeFactor: Math.round((seconds / long.wallSec) * 10) / 10,
    peakRssMb: long.peakMb, rssAfter10MinAudioMb: after10, rssAtEndMb: long.samples.at(-1)?.rssMb, rssAfter10MinRangeMb: flat, rssTrendAfter10MinMbPerAudioHour: trend,
    words: words.length, spokenWordsApprox: Math.round(blockWords * seconds / (blockLen / RATE)), lastWordEndSec: words.at(-1)?.end ?? null, durationSec: out.durationSec ?? null,
    rssOverTime: thin(long.samples),
  },
  flacBomb: {
    bytes: bombBytes, decodesToSec: 16200,
    accepted: { args: '(default --max-hours 24)', exitCode: accepted.code, wallSec: accepted.wallSec, peakRssMb: accepted.peakMb, durationSec: acceptedOut.durationSec ?? null, words: acceptedOut.words?.length ?? null, error: acceptedOut.error ?? null },
    refused: { args: '--max-hours 4', exitCode: refused.code, wallSec: refused.wallSec, peakRssMb: refused.peakMb, message: refusal },
  },
}, null, 2) + '\n');
