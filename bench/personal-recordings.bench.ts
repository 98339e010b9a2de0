// The "five recordings per word from one person" figure. Nobody can record here, so a
// person is stood in for by a voice never used in training or in the held-out evaluation voices,
// heard through their own fixed microphone and room (the same channel for all their takes): they
// "record" each of the ten new words (bench/new-words-eval.ts) five times, with the prosody
// varying from take to take, plus three more takes per word kept out for testing. The model is
// fine-tuned on the synthesized examples plus the person's five recordings per word, and
// phrase-mode accuracy on the person's held-out takes is compared with the shipped model and, when
// bench/retrain.bench.ts has left its model in runs/retrain-bench-job/model, with the model
// fine-tuned on synthesized examples only.
// Run: node bin/run-ts.mjs bench/personal-recordings.bench.ts [--options JSON] [--shipped-only]
// (writes bench/results/personal-recordings.json; --shipped-only stops after the shipped model's figure)
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeWav } from '../src-main/audio/index.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { UserVocabulary } from '../src-main/lexicon/user-vocabulary.ts';
import { makeNoise, mixAtSnr, reverberate, roomImpulse, spectralWarp, telephoneBand } from '../src-main/train/data/augment/index.ts';
import { createRng, type Rng } from '../src-main/train/data/rng.ts';
import { HELDOUT_VOICES, synthesize, TRAIN_VOICES } from '../src-main/train/data/synth/index.ts';
import { DEFAULT_RETRAIN_OPTIONS, runRetraining } from '../src-main/train/retrain-run.ts';
import { evaluateNewWords, NEW_WORD_PHRASES, NEW_WORDS } from './new-words-eval.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values } = parseArgs({ options: { options: { type: 'string' }, 'shipped-only': { type: 'boolean' } } });
const options = { ...DEFAULT_RETRAIN_OPTIONS, ...(values.options ? JSON.parse(values.options) as Partial<typeof DEFAULT_RETRAIN_OPTIONS> : {}) };

/**
 * The stand-in person: a voice in neither TRAIN_VOICES nor HELDOUT_VOICES with a vocal tract
 * shorter than any training voice's (every frequency scaled by `warp`), speaking into a headset
 * that passes only the telephone band, in an echoing room with background noise: the same for
 * every take. (Without the warp and the channel the shipped model already recognized this voice
 * perfectly, which leaves nothing for recordings to improve.)
 */
const PERSON = { voice: 'espeak:en-gb-scotland+m3', warp: 1.2, telephoneBand: true, room: { rt60: 0.6, reverbToDirectDb: -3, seed: 41 }, snrDb: 12 };
if (TRAIN_VOICES.includes(PERSON.voice) || HELDOUT_VOICES.includes(PERSON.voice)) throw new Error(`${PERSON.voice} must be a voice used nowhere else`);
const TAKES = 5;
const HELD_OUT_TAKES = 3;

const room = roomImpulse(PERSON.room, createRng(PERSON.room.seed));
/** One take: the person's voice with this take's prosody, through their room and microphone noise. */
async function take(text: string, rng: Rng): Promise<Float32Array> {
  const dry = spectralWarp(await synthesize(text, PERSON.voice, rng.fork()), PERSON.warp);
  const heard = telephoneBand(reverberate(dry, room));
  return mixAtSnr(heard, makeNoise('pink', dry.length, rng.fork()), PERSON.snrDb);
}

const job = join(root, 'runs', 'personal-recordings-job');
rmSync(job, { recursive: true, force: true });
mkdirSync(join(job, 'recordings'), { recursive: true });
const rng = createRng(77);
const recordings: { item: string; file: string }[] = [];
const heldOut: { phrase: string; pcm: Float32Array }[] = [];
for (const phrase of NEW_WORD_PHRASES) {
  for (let t = 0; t < TAKES + HELD_OUT_TAKES; t++) {
    const pcm = await take(phrase, rng);
    if (t >= TAKES) { heldOut.push({ phrase, pcm }); continue; }
    const file = join(job, 'recordings', `${phrase.replace(/ /g, '_')}-${t}.wav`);
    writeFileSync(file, encodeWav(pcm, 16000));
    recordings.push({ item: phrase, file });
  }
}
const vocab = UserVocabulary.load(join(job, 'words.json'));
const lexicon = new Lexicon();
for (const w of NEW_WORDS) vocab.add(w, [], lexicon);

/** Phrase accuracy on the person's held-out takes. */
async function personAccuracy(modelDir: string) {
  const rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'phrases', items: NEW_WORD_PHRASES }, userWords: vocab.list() });
  let correct = 0;
  for (const h of heldOut) if ((await rec.recognizePcm(h.pcm)).phrase === h.phrase) correct++;
  await rec.dispose();
  return { accuracy: correct / heldOut.length, correct, total: heldOut.length };
}

const shipped = join(root, 'models', 'hark-en');
const before = await personAccuracy(shipped);
console.log(`person's held-out takes, shipped model: ${(100 * before.accuracy).toFixed(1)}% (${before.correct}/${before.total})`);
if (values['shipped-only']) process.exit(0);
const synthOnlyDir = join(root, 'runs', 'retrain-bench-job', 'model');
const synthOnly = existsSync(join(synthOnlyDir, 'model.json')) ? await personAccuracy(synthOnlyDir) : null;
if (synthOnly) console.log(`  fine-tuned on synthesized examples only (bench/retrain.bench.ts): ${(100 * synthOnly.accuracy).toFixed(1)}%`);
const t0 = performance.now();
const r = await runRetraining({ modelDir: shipped, items: NEW_WORD_PHRASES, userWords: vocab.list(), workDir: join(job, 'work'), ...options, recordings, log: (s) => console.log(s) });
const minutes = (performance.now() - t0) / 60000;
const after = await personAccuracy(r.outDir);
console.log(`  fine-tuned on synthesized examples + ${TAKES} recordings per word: ${(100 * after.accuracy).toFixed(1)}% (${after.correct}/${after.total}; ${minutes.toFixed(1)} min)`);
const heldOutVoices = await evaluateNewWords(r.outDir);
console.log(`  the same model on the held-out voices: ${(100 * heldOutVoices.accuracy).toFixed(1)}%`);
const result = {
  date: new Date().toISOString(),
  command: `node bin/run-ts.mjs bench/personal-recordings.bench.ts${values.options ? ` --options '${values.options}'` : ''}`,
  person: { ...PERSON, takesPerWord: TAKES, heldOutTakesPerWord: HELD_OUT_TAKES },
  options, retrainMinutes: Math.round(minutes * 10) / 10,
  shipped: before, synthesizedOnly: synthOnly, withRecordings: after,
  withRecordingsOnHeldOutVoices: { accuracy: heldOutVoices.accuracy, correct: heldOutVoices.correct, total: heldOutVoices.total },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'personal-recordings.json'), `${JSON.stringify(result, null, 2)}\n`);
