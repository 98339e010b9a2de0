/**
 * One hour of live streaming, memory and keeping up: the held-out 60-minute stream
 * (bench/stream-set.ts) read from disk 100 ms at a time (as a microphone delivers it; the hour is
 * never in memory) through one OnlineRecognizer in dictation mode with keywords, the heaviest
 * configuration. Reports RSS and JS heap every 5 minutes of audio, model frames processed against
 * the frames the audio makes (no dropped audio), and the slowest push against its 100 ms.
 *   node bin/run-ts.mjs bench/stream-soak.bench.ts [--minutes 60] [--model DIR]
 */
import { parseArgs } from 'node:util';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { readWavHeader } from '../src-main/audio/wav-reader.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { modelFramesForSamples } from '../src-shared/features/framing.ts';
import { buildKeywordStream, STREAM_KEYWORDS } from './stream-set.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, model: { type: 'string' } } });
const model = await loadModelPackage(resolveModelDir(values.model));
const { wavPath } = await buildKeywordStream({ minutes: Number(values.minutes), seed: 1 });
const fd = openSync(wavPath, 'r');
const head = new Uint8Array(4096);
readSync(fd, head, 0, head.length, 0);
const header = readWavHeader(head, wavPath);
if (header.encoding !== 's16' || header.channels !== 1 || header.sampleRate !== 16000) throw new Error(`${wavPath}: expected 16 kHz mono 16-bit PCM`);
// The header was parsed from the first 4 KB only: count the frames from the file's size.
const totalFrames = Math.floor((fstatSync(fd).size - header.dataOffset) / 2);

const rec = await OnlineRecognizer.create({ model, mode: { kind: 'dictation' }, keywords: STREAM_KEYWORDS.map((text) => ({ text })) });
await rec.reset();
const mb = (x: number) => Math.round(x / 1e6);
const step = 1600;
const buf = Buffer.alloc(2 * step);
const samples: { audioMin: number; rssMb: number; heapMb: number }[] = [];
let slowest = 0, pushes = 0, events = 0, finals = 0, keywords = 0, fed = 0;
const t0 = performance.now();
for (let frame = 0; frame < totalFrames; frame += step) {
  const n = Math.min(step, totalFrames - frame);
  readSync(fd, buf, 0, 2 * n, header.dataOffset + 2 * frame);
  const pcm = new Float32Array(n);
  for (let i = 0; i < n; i++) pcm[i] = buf.readInt16LE(2 * i) / 32768;
  const p0 = performance.now();
  const evs = await rec.acceptPcm(pcm);
  slowest = Math.max(slowest, performance.now() - p0);
  pushes++;
  fed += n;
  events += evs.length;
  for (const e of evs) { if (e.type === 'final') finals++; if (e.type === 'keyword') keywords++; }
  if (fed % (5 * 60 * 16000) < step) {
    const m = process.memoryUsage();
    samples.push({ audioMin: Math.round(fed / 16000 / 60), rssMb: mb(m.rss), heapMb: mb(m.heapUsed) });
    console.log(`${samples[samples.length - 1].audioMin} min: RSS ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB`);
  }
}
for (const e of await rec.finish()) { events++; if (e.type === 'final') finals++; if (e.type === 'keyword') keywords++; }
closeSync(fd);
const wallSec = (performance.now() - t0) / 1000;
const expected = modelFramesForSamples(fed, model.features);
const result = {
  date: new Date().toISOString(), model: model.metadata.name, audioSec: fed / 16000, wallSec, realTimeFactor: fed / 16000 / wallSec,
  samples, expectedFrames: expected, processedFrames: rec.stats.framesProcessed, slowestPushMs: Math.round(slowest), pushMs: 100, pushes,
  events, finals, keywords, stats: rec.stats,
};
console.log(`${(fed / 16000 / 60).toFixed(1)} min in ${wallSec.toFixed(0)} s (${result.realTimeFactor.toFixed(0)}x real time); frames ${result.processedFrames}/${expected}; slowest push ${result.slowestPushMs} ms of ${pushes}; ${finals} finals, ${keywords} keyword hits`);
await rec.dispose();
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/stream-soak.json', `${JSON.stringify(result, null, 1)}\n`);
