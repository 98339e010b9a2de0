// The retraining figures: the ten never-trained words of bench/new-words-eval.ts as
// phrase-mode commands on the held-out voices, before and after fine-tuning the shipped model on
// synthesized examples only (training voices, augmentation, replay sample), and how long the
// retraining takes on this machine, and forgetting: bench/accuracy.bench.ts (phrase accuracy, digit
// and dictation WER on held-out voices) run on the new package, compared with
// bench/results/accuracy.json (the shipped model).
// Run: node bin/run-ts.mjs bench/retrain.bench.ts [--options JSON]   (writes bench/results/retrain.json;
// --options overrides DEFAULT_RETRAIN_OPTIONS for trials, e.g. '{"anchorStrength":0.01}'; --no-forgetting skips
// the synthesized forgetting sets, --no-real the real-speech PERs, measured when data/real is built)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { UserVocabulary } from '../src-main/lexicon/user-vocabulary.ts';
import { DEFAULT_RETRAIN_OPTIONS, runRetraining } from '../src-main/train/retrain-run.ts';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { packageGreedyPer } from '../src-main/train/package-phoneme-error.ts';
import { textToUnitIds } from '../src-main/train/text-labels.ts';
import { pooledPer, validationErrors } from '../src-main/train/validation-slice.ts';
import { evaluateNewWords, NEW_WORD_PHRASES, NEW_WORDS } from './new-words-eval.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const job = join(root, 'runs', 'retrain-bench-job');
rmSync(job, { recursive: true, force: true });
const before = await evaluateNewWords();
console.log(`before: ${(100 * before.accuracy).toFixed(1)}%`);
const vocab = UserVocabulary.load(join(job, 'words.json'));
const lexicon = new Lexicon();
for (const w of NEW_WORDS) vocab.add(w, [], lexicon);
const { values } = parseArgs({ options: { options: { type: 'string' }, 'no-forgetting': { type: 'boolean' }, 'no-real': { type: 'boolean' } } });
const options = { ...DEFAULT_RETRAIN_OPTIONS, ...(values.options ? JSON.parse(values.options) as Partial<typeof DEFAULT_RETRAIN_OPTIONS> : {}) };
console.log(`options: ${JSON.stringify(options)}`);
const t0 = performance.now();
const r = await runRetraining({ modelDir: join(root, 'models', 'hark-en'), items: NEW_WORD_PHRASES, userWords: vocab.list(), workDir: job, ...options, log: (s) => console.log(s) });
const minutes = (performance.now() - t0) / 60000;
const after = await evaluateNewWords(r.outDir);
console.log(`after: ${(100 * after.accuracy).toFixed(1)}% (${minutes.toFixed(1)} min of retraining)`);
interface Accuracy { phrase: { accuracy: number }; digits: { wer: number }; dictation: { wer: number } }
const figures = (a: Accuracy) => ({ phraseAccuracy: a.phrase.accuracy, digitsWer: a.digits.wer, dictationWer: a.dictation.wer });
// Forgetting is measured on larger sets than accuracy.bench.ts's defaults (dictation WER over 5
// sentences per voice moves by several points from run to run): both models on the same clips.
const FORGET_ARGS = ['--sentences', '15', '--digits', '20'];
const accuracyRun = (modelDir: string, out: string): Accuracy => {
  execFileSync(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join(here, 'accuracy.bench.ts'), '--model', modelDir, ...FORGET_ARGS, '--out', out], { stdio: 'inherit' });
  return JSON.parse(readFileSync(join(here, 'results', `${out}.json`), 'utf8')) as Accuracy;
};
let forgetting;
if (!values['no-forgetting']) {
  const basePath = join(here, 'results', 'accuracy-forgetting-shipped.json');
  let baseRun: (Accuracy & { sentencesPerVoice?: number; digitStringsPerVoice?: number; modelVersion?: string }) | undefined;
  try {
    baseRun = JSON.parse(readFileSync(basePath, 'utf8'));
  } catch {
    baseRun = undefined;
  }
  // The stored baseline counts only if it measured the shipped model as it is now, on the same sets.
  const shippedVersion = (await loadModelPackage(join(root, 'models', 'hark-en'))).metadata.version;
  if (!baseRun || baseRun.modelVersion !== shippedVersion || baseRun.sentencesPerVoice !== Number(FORGET_ARGS[1]) || baseRun.digitStringsPerVoice !== Number(FORGET_ARGS[3])) {
    baseRun = accuracyRun(join(root, 'models', 'hark-en'), 'accuracy-forgetting-shipped');
  }
  const base = figures(baseRun);
  const now = figures(accuracyRun(r.outDir, 'accuracy-forgetting-retrained'));
  forgetting = { sets: FORGET_ARGS.join(' '), shipped: base, retrained: now, phraseDropPoints: Math.round(1000 * (base.phraseAccuracy - now.phraseAccuracy)) / 10 };
  console.log(`forgetting: phrase ${(100 * base.phraseAccuracy).toFixed(1)}% -> ${(100 * now.phraseAccuracy).toFixed(1)}%, digits WER ${(100 * base.digitsWer).toFixed(1)}% -> ${(100 * now.digitsWer).toFixed(1)}%, dictation WER ${(100 * base.dictationWer).toFixed(1)}% -> ${(100 * now.dictationWer).toFixed(1)}%`);
}
// Real speech: retraining sees synthesized speech only, so it can wear away what the shipped model
// learnt from real voices. Greedy PER (no VTLN) of both models on the real set when it is built
// (`hark real-set`): the validation slice's train-speaker clips (validation-slice.ts, as the shipping rule reads them), which
// retraining options may be chosen on, and the dev set's new speakers, reported only.
let realSpeech;
const realSet = join(root, 'data', 'real');
if (!values['no-real'] && existsSync(join(realSet, 'manifest.jsonl'))) {
  const shippedDir = join(root, 'models', 'hark-en');
  const ve = await validationErrors(realSet, shippedDir, r.outDir);
  const v = {
    clips: ve.phonemes.length, basePer: pooledPer(ve.base, ve.phonemes), candidatePer: pooledPer(ve.candidate, ve.phonemes),
    lessHeard: { clips: ve.lessHeard.filter(Boolean).length, basePer: pooledPer(ve.base, ve.phonemes, ve.lessHeard), candidatePer: pooledPer(ve.candidate, ve.phonemes, ve.lessHeard) },
  };
  const lexicon = new Lexicon();
  const devClips = await Promise.all((await readRealManifest(realSet)).filter((c) => c.split === 'dev').map(async (c) => ({ pcm: (await decodeAudioFile(join(realSet, c.file))).samples, labels: textToUnitIds(c.text, lexicon), group: c.source })));
  const devPer = async (dir: string) => {
    const pkg = await loadModelPackage(dir);
    const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
    try {
      return (await packageGreedyPer(pkg, session, devClips, [1])).per;
    } finally {
      await session.release();
    }
  };
  realSpeech = {
    validation: { clips: v.clips, shipped: v.basePer, retrained: v.candidatePer, lessHeard: v.lessHeard },
    dev: { clips: devClips.length, shipped: await devPer(shippedDir), retrained: await devPer(r.outDir) },
  };
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  console.log(`real speech, greedy PER: validation slice ${pct(realSpeech.validation.shipped)} -> ${pct(realSpeech.validation.retrained)}, dev ${pct(realSpeech.dev.shipped)} -> ${pct(realSpeech.dev.retrained)}`);
}
const result = { date: new Date().toISOString(), command: `node bin/run-ts.mjs bench/retrain.bench.ts${values.options ? ` --options '${values.options}'` : ''}`, options, retrainMinutes: Math.round(minutes * 10) / 10, steps: r.steps, clips: r.clips, newModel: r.outDir, before, after, forgetting, realSpeech };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'retrain.json'), `${JSON.stringify(result, null, 2)}\n`);
