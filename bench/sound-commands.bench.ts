// Non-speech sounds as commands. A person (stood in for by the synthesized sounds of
// src-main/train/data/synth-sounds.ts, heard through one fixed room and microphone noise) records
// a clap and a whistle five times each; the shipped model is fine-tuned on those recordings (plus
// the usual replay sample) and gains the units <sound:clap> and <sound:whistle>. The phrase list
// then binds them to commands next to spoken ones, and is measured on held-out takes:
//   - the person's held-out claps and whistles (recognized as their sound),
//   - spoken commands of the list by the held-out voices (still recognized),
//   - other sounds (knock, click, snap) and out-of-list speech (must be rejected: false accepts).
// Run: node bin/run-ts.mjs bench/sound-commands.bench.ts [--options JSON]   (writes bench/results/sound-commands.json)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src-main/audio/index.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { makeNoise, mixAtSnr, reverberate, roomImpulse } from '../src-main/train/data/augment/index.ts';
import { createRng, type Rng } from '../src-main/train/data/rng.ts';
import { synthesizeSound, type SoundKind } from '../src-main/train/data/synth-sounds.ts';
import { HELDOUT_VOICES, synthesize } from '../src-main/train/data/synth/index.ts';
import { DEFAULT_RETRAIN_OPTIONS, runRetraining } from '../src-main/train/retrain-run.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({ options: { options: { type: 'string' } } });
const options = { ...DEFAULT_RETRAIN_OPTIONS, ...(values.options ? JSON.parse(values.options) as Partial<typeof DEFAULT_RETRAIN_OPTIONS> : {}) };

const TAUGHT: SoundKind[] = ['clap', 'whistle'];
const OTHER_SOUNDS: SoundKind[] = ['knock', 'click', 'snap'];
const SPOKEN = ['next slide', 'mute the microphone'];
const OUT_OF_LIST = ['we need more coffee', 'open the browser', 'clap your hands'];
const PHRASES = [...TAUGHT.map((k) => `<sound:${k}>`), ...SPOKEN];
const RECORDINGS = 5;
const HELD_OUT = 10;

const room = roomImpulse({ rt60: 0.3, reverbToDirectDb: -8 }, createRng(5));
/** One take of a sound in the person's room, with their microphone's noise. */
function take(kind: SoundKind, rng: Rng): Float32Array {
  const dry = synthesizeSound(kind, rng.fork());
  return mixAtSnr(reverberate(dry, room), makeNoise('pink', dry.length, rng.fork()), 25);
}

const job = join(root, 'runs', 'sound-commands-job');
rmSync(job, { recursive: true, force: true });
mkdirSync(join(job, 'recordings'), { recursive: true });
const rng = createRng(303);
const recordings: { item: string; file: string }[] = [];
for (const kind of TAUGHT) {
  for (let i = 0; i < RECORDINGS; i++) {
    const file = join(job, 'recordings', `${kind}-${i}.wav`);
    writeFileSync(file, encodeWav(take(kind, rng), 16000));
    recordings.push({ item: `<sound:${kind}>`, file });
  }
}
interface TestClip { pcm: Float32Array; expected: string | null; kind: 'taught sound' | 'spoken command' | 'other sound' | 'out-of-list speech' }
const tests: TestClip[] = [];
for (const kind of TAUGHT) for (let i = 0; i < HELD_OUT; i++) tests.push({ pcm: take(kind, rng), expected: `<sound:${kind}>`, kind: 'taught sound' });
for (const kind of OTHER_SOUNDS) for (let i = 0; i < 4; i++) tests.push({ pcm: take(kind, rng), expected: null, kind: 'other sound' });
for (const voice of HELDOUT_VOICES) {
  for (const p of SPOKEN) tests.push({ pcm: await synthesize(p, voice, rng.fork()), expected: p, kind: 'spoken command' });
  for (const p of OUT_OF_LIST) tests.push({ pcm: await synthesize(p, voice, rng.fork()), expected: null, kind: 'out-of-list speech' });
}

const t0 = performance.now();
const r = await runRetraining({ modelDir: join(root, 'models', 'hark-en'), items: [], sounds: TAUGHT.map((name) => ({ name })), workDir: join(job, 'work'), ...options, recordings, log: (s) => console.log(s) });
const minutes = (performance.now() - t0) / 60000;

const rec = await OfflineRecognizer.create({ modelDir: r.outDir, mode: { kind: 'phrases', items: PHRASES } });
const byKind: Record<string, { correct: number; total: number; falseAccepts: number }> = {};
const confusions: { kind: string; expected: string | null; got: string | null }[] = [];
for (const c of tests) {
  const got = (await rec.recognizePcm(c.pcm)).phrase ?? null;
  const k = (byKind[c.kind] ??= { correct: 0, total: 0, falseAccepts: 0 });
  k.total++;
  if (got === c.expected) k.correct++;
  else confusions.push({ kind: c.kind, expected: c.expected, got });
  if (c.expected === null && got !== null) k.falseAccepts++;
}
await rec.dispose();
for (const [k, v] of Object.entries(byKind)) console.log(`${k.padEnd(20)} ${(100 * v.correct / v.total).toFixed(1)}% (${v.correct}/${v.total})${v.falseAccepts ? `, ${v.falseAccepts} false accepts` : ''}`);
console.log(`retraining: ${minutes.toFixed(1)} min`);
const result = {
  date: new Date().toISOString(),
  command: `node bin/run-ts.mjs bench/sound-commands.bench.ts${values.options ? ` --options '${values.options}'` : ''}`,
  taught: TAUGHT, recordingsPerSound: RECORDINGS, heldOutPerSound: HELD_OUT, phrases: PHRASES, options,
  retrainMinutes: Math.round(minutes * 10) / 10, units: r.metadata.units.slice(-TAUGHT.length), byKind, confusions,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'sound-commands.json'), `${JSON.stringify(result, null, 2)}\n`);
