// Keywords in REAL speech: the dev clips of the real set (hark real-set) joined into one stream
// (shuffled, 0.4-2 s pauses, a quiet noise bed), keywords chosen by a fixed rule from the dev
// texts (the five most frequent words of 5+ letters that occur in at least 4 clips), spotted by
// the streaming recognizer with the shipped spotter options, and by PocketSphinx -kws on the same WAV.
// An occurrence spans its whole clip; a hit overlapping it (0.3 s tolerance) finds it.
// Run: node bin/run-ts.mjs bench/real-keywords.bench.ts [--model DIR] [--set data/real] [--out NAME]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudioFile, encodeWav } from '../src-main/audio/index.ts';
import { loadModelPackage } from '../src-main/engine/model-package.ts';
import { resolveModelDir } from '../src-main/engine/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { makeNoise } from '../src-main/train/data/augment/noise.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { scoreKeywordHits, type KeywordHit } from './keyword-scoring.ts';
import { sweepPocketsphinxKws } from './pocketsphinx-kws.ts';
import { COMMANDS_20 } from './eval-sets.ts';
import type { KeywordOccurrence, StreamSegment, StreamTruth } from './stream-set.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { model: { type: 'string' }, set: { type: 'string', default: 'data/real' }, out: { type: 'string' }, 'no-pocketsphinx': { type: 'boolean' } } });
const setDir = resolve(values.set!);
const dev = (await readRealManifest(setDir)).filter((r) => r.split === 'dev');

// Keywords by the fixed rule.
const clipCount = new Map<string, number>();
for (const c of dev) for (const w of new Set(c.text.split(' '))) if (w.length >= 5) clipCount.set(w, (clipCount.get(w) ?? 0) + 1);
const keywordList = [...clipCount].filter(([, n]) => n >= 4).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([w]) => w);

// The stream.
const RATE = 16000;
const rng = createRng(21);
const order = dev.map((c) => c);
for (let i = order.length - 1; i > 0; i--) { const j = rng.int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
const parts: Float32Array[] = [];
const segments: StreamSegment[] = [];
const occurrences: KeywordOccurrence[] = [];
let t = 0;
const pause = (sec: number) => { const n = Math.round(sec * RATE); parts.push(new Float32Array(n)); segments.push({ kind: 'pause', start: t, end: t + n / RATE }); t += n / RATE; };
for (const c of order) {
  pause(rng.uniform(0.4, 2));
  const pcm = (await decodeAudioFile(join(setDir, c.file))).samples;
  const start = t, end = t + pcm.length / RATE;
  const words = c.text.split(' ');
  const kws = keywordList.filter((k) => words.includes(k));
  segments.push({ kind: kws.length ? (words.length === 1 ? 'keyword-alone' : 'keyword-in-sentence') : 'sentence', text: c.text, voice: c.speaker, start, end });
  for (const k of kws) occurrences.push({ keyword: k, start, end, voice: c.speaker, context: words.length === 1 ? 'alone' : 'in-sentence' });
  parts.push(pcm);
  t = end;
}
pause(1);
const total = parts.reduce((s, p) => s + p.length, 0);
const stream = new Float32Array(total);
let at = 0;
for (const p of parts) { stream.set(p, at); at += p.length; }
const bed = makeNoise('pink', total, rng);
let e = 0;
for (let i = 0; i < total; i++) e += bed[i] * bed[i];
const gain = 10 ** (-55 / 20) / Math.sqrt(e / total);
for (let i = 0; i < total; i++) stream[i] += gain * bed[i];
const truth: StreamTruth = { sampleRate: 16000, durationSec: total / RATE, keywords: keywordList, minutes: total / RATE / 60, seed: 21, formatVersion: 1, segments, occurrences };
const wavPath = join(setDir, 'dev-keyword-stream.wav');
writeFileSync(wavPath, encodeWav(stream, RATE));

// Hark, streaming in 100 ms pushes with the shipped spotter options.
const model = await loadModelPackage(resolveModelDir(values.model));
const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items: COMMANDS_20 }, keywords: keywordList.map((text) => ({ text })) });
await rec.reset();
const hits: KeywordHit[] = [];
const take = (evs: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => { for (const ev of evs) if (ev.type === 'keyword') hits.push({ keyword: ev.keyword, start: ev.start, end: ev.end }); };
for (let i = 0; i < stream.length; i += 1600) take(await rec.acceptPcm(stream.subarray(i, i + 1600)));
take(await rec.finish());
await rec.dispose();
const score = scoreKeywordHits(truth, hits);
console.log(`keywords ${JSON.stringify(keywordList)} in ${(truth.durationSec / 60).toFixed(1)} min of real dev speech (${occurrences.length} occurrences): recall ${score.recall.found}/${score.recall.total} (${(100 * score.recall.recall).toFixed(1)}%), false alarms ${score.falseAlarms.count} = ${score.falseAlarms.perHour.toFixed(1)}/h`);

let ps: unknown = null;
if (!values['no-pocketsphinx']) {
  const sweep = await sweepPocketsphinxKws(wavPath, truth, { thresholds: [1e-30, 1e-20, 1e-10] });
  ps = sweep.rows.map((row) => ({ threshold: row.threshold, recall: Number((100 * row.score.recall.recall).toFixed(1)), faPerHour: Number(row.score.falseAlarms.perHour.toFixed(1)) }));
  console.log('pocketsphinx -kws', JSON.stringify(ps));
}
const result = {
  model: { name: model.metadata.name, version: model.metadata.version }, keywords: keywordList, minutes: Number(truth.minutes.toFixed(1)), occurrences: occurrences.length,
  hark: { recall: Number((100 * score.recall.recall).toFixed(1)), found: score.recall.found, faPerHour: Number(score.falseAlarms.perHour.toFixed(1)), falseAlarms: score.falseAlarms.count, byKeyword: score.byKeyword },
  pocketsphinx: ps,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out ?? 'real-keywords'}.json`), JSON.stringify(result, null, 2) + '\n');
