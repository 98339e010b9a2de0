// Offline transcription speed on one core for the whole path (audio decode, features, model,
// decoding), side by side with PocketSphinx (Debian's pocketsphinx_continuous) on the same audio,
// plus peak memory of `hark transcribe` and the model file size.
// Run: node bin/run-ts.mjs bench/transcribe-speed.bench.ts [--model DIR] [--seconds 120]
// Writes bench/results/transcribe-speed.json. Needs pocketsphinx_continuous and /usr/bin/time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src-main/audio/index.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({ options: { model: { type: 'string' }, seconds: { type: 'string', default: '120' } } });
const modelDir = resolveModelDir(values.model);
for (const tool of ['pocketsphinx_continuous', '/usr/bin/time', 'taskset']) {
  try { execFileSync('sh', ['-c', `command -v ${tool}`]); } catch { throw new Error(`benchmark needs ${tool} (apt-get install pocketsphinx time util-linux)`); }
}

// A long clip: held-out sentences by held-out voices, back to back.
const target = Number(values.seconds);
const parts: Float32Array[] = [];
let total = 0;
for (const c of await sentenceSet(HELDOUT_VOICES, Math.ceil(target / 12))) { parts.push(c.pcm); total += c.pcm.length; if (total >= target * 16000) break; }
const pcm = new Float32Array(total);
let off = 0;
for (const p of parts) { pcm.set(p, off); off += p.length; }
const seconds = pcm.length / 16000;
const dir = mkdtempSync(join(tmpdir(), 'hark-speed-'));
const wav = join(dir, 'speech.wav');
writeFileSync(wav, encodeWav(pcm, 16000));

/** Runs a command pinned to core 0 under /usr/bin/time; returns wall seconds and peak RSS in MB. */
function timedWithRss(cmd: string[]): { wallSec: number; peakMb: number; stdout: string } {
  const t0 = performance.now();
  const out = execFileSync('sh', ['-c', `/usr/bin/time -f HARK_MAXRSS_KB=%M taskset -c 0 "$@" 2>"$0"`, join(dir, 'stderr.txt'), ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallSec = (performance.now() - t0) / 1000;
  const err = execFileSync('cat', [join(dir, 'stderr.txt')], { encoding: 'utf8' });
  const kb = Number(/HARK_MAXRSS_KB=(\d+)/.exec(err)?.[1]);
  return { wallSec, peakMb: kb / 1024, stdout: out };
}

const rows: Record<string, unknown>[] = [];
for (const mode of ['dictation', 'words']) {
  const args = [process.execPath, join(root, 'bin', 'hark.mjs'), 'transcribe', wav, '--model', modelDir, '--format', 'json'];
  if (mode === 'words') {
    const list = join(dir, 'digits.txt');
    writeFileSync(list, 'zero\noh\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n');
    args.push('--words', list);
  }
  const r = timedWithRss(args);
  const json = JSON.parse(r.stdout.trim().split('\n')[0]) as { processingSec: number };
  rows.push({ system: `hark transcribe (${mode})`, audioSec: seconds, wallSec: r.wallSec, processingSec: json.processingSec, xRealTime: seconds / json.processingSec, xRealTimeWithStartup: seconds / r.wallSec, peakRssMb: r.peakMb });
}
const ps = timedWithRss(['pocketsphinx_continuous', '-infile', wav, '-logfn', '/dev/null']);
rows.push({ system: 'pocketsphinx_continuous (en-us, default LM)', audioSec: seconds, wallSec: ps.wallSec, xRealTimeWithStartup: seconds / ps.wallSec, peakRssMb: ps.peakMb });

// Per-stage timings in-process (one thread), for the README.
const rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'dictation' }, threads: 1 });
const r = await rec.recognizeFile(wav);
const modelBytes = statSync(join(modelDir, 'model.onnx')).size;
console.log(`audio: ${seconds.toFixed(1)} s of held-out speech, pinned to one core`);
for (const row of rows) console.log(`${String(row.system).padEnd(46)} ${row.processingSec !== undefined ? `${(row.xRealTime as number).toFixed(0)}x real time (processing), ` : ''}${(row.xRealTimeWithStartup as number).toFixed(1)}x with start-up, peak RSS ${(row.peakRssMb as number).toFixed(0)} MB`);
console.log(`stages (ms): ${JSON.stringify(r.timings)}; model file ${(modelBytes / 1e6).toFixed(2)} MB`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'transcribe-speed.json'), JSON.stringify({ date: new Date().toISOString(), model: modelDir, audioSec: seconds, rows, stagesMs: r.timings, modelBytes }, null, 2) + '\n');
