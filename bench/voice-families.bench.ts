// Voice families, model by model: greedy phoneme error rate on held-out sentences spoken by the
// held-out voices and by the MBROLA voices (diphones of real speakers), beside what each model's own
// card says of its training (real validation PER of the train speakers' validation slice, the
// held-out synthesized PER hark adapt logs) and the real dev PER of a `bench/real-speech.bench.ts
// --per-only` result file when one is named. Built for the MBROLA experiment of 2026-12-06 (one
// epoch from 2026-12-06c with 1500 more wide-voice clips, or with 1500 MBROLA clips instead).
// Run: node bin/run-ts.mjs bench/voice-families.bench.ts --models DIR[=DEV_RESULT],... [--per-voice 8] [--out NAME]
//   DEV_RESULT: the name of a real-speech --per-only result in bench/results (e.g. real-speech-per-mbA).
// Writes bench/results/voice-families.json (NAME.json with --out).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { packageGreedyPer } from '../src-main/train/package-phoneme-error.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { textToUnitIds } from '../src-main/train/text-labels.ts';
import { MBROLA_VOICES } from '../src-main/train/data/synth/voices.ts';
import { HELDOUT_VOICES, sentenceSet } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { models: { type: 'string' }, 'per-voice': { type: 'string', default: '8' }, out: { type: 'string' } } });
if (!values.models) throw new Error('--models DIR[=DEV_RESULT],... is required');
const perVoice = Number(values['per-voice']);
if (!(Number.isInteger(perVoice) && perVoice >= 1)) throw new Error(`--per-voice must be a whole number of sentences, got ${values['per-voice']}`);
const lexicon = new Lexicon();
const families = { heldout: HELDOUT_VOICES, mbrola: Object.keys(MBROLA_VOICES).map((v) => `mbrola:${v}`) };
const sets = Object.fromEntries(await Promise.all(Object.entries(families).map(async ([name, voices]) => [name, (await sentenceSet(voices, perVoice)).map((s) => ({ pcm: s.pcm, labels: textToUnitIds(s.expected!, lexicon), group: s.voice }))] as const)));
const pct = (x: number) => Number((100 * x).toFixed(1));

const rows: Record<string, unknown>[] = [];
for (const spec of values.models.split(',')) {
  const [dirArg, devResult] = spec.split('=');
  const dir = resolveModelDir(dirArg);
  const model = await loadModelPackage(dir);
  const session = await OfflineAcousticSession.create(model, { threads: 1 });
  const per: Record<string, unknown> = {};
  for (const [name, set] of Object.entries(sets)) {
    const r = await packageGreedyPer(model, session, set, [1]);
    per[name] = { all: pct(r.per), byVoice: Object.fromEntries(Object.entries(r.byGroup).map(([v, x]) => [v, pct(x)])) };
  }
  await session.release();
  const a = model.metadata.training?.adaptation as { history?: { epoch: number; realValidationPer?: number; heldoutPerClean?: number }[]; exportedEpoch?: number; realValidationPerStart?: number; mbrolaClips?: number; wideVoiceClips?: number } | undefined;
  // The epoch the package holds (exportedEpoch counts from 1; the history's epochs from 0).
  const last = a?.history?.find((h) => h.epoch === (a.exportedEpoch ?? a.history!.length) - 1);
  const devFile = devResult ? join(here, 'results', `${devResult}.json`) : undefined;
  if (devFile && !existsSync(devFile)) throw new Error(`${devFile} not found (run bench/real-speech.bench.ts --per-only --out ${devResult})`);
  const dev = devFile ? JSON.parse(readFileSync(devFile, 'utf8')) : undefined;
  if (dev && dev.model.version !== model.metadata.version) throw new Error(`${devResult}.json measured ${dev.model.version}, ${dirArg} is ${model.metadata.version}`);
  const row = {
    model: dirArg, version: model.metadata.version, quantized: model.metadata.quantization !== undefined,
    ...(a ? { wideVoiceClips: a.wideVoiceClips, mbrolaClips: a.mbrolaClips ?? 0, epochs: a.history?.length, exportedEpoch: a.exportedEpoch, realValidationPerStart: a.realValidationPerStart === undefined ? undefined : pct(a.realValidationPerStart) } : {}),
    ...(last ? { realValidationPer: pct(last.realValidationPer ?? NaN), heldoutPerLogged: pct(last.heldoutPerClean ?? NaN) } : {}),
    ...(dev ? { realDevPer: dev.greedyPer.realBySource.all.plain } : {}),
    greedyPer: per,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out ?? 'voice-families'}.json`), JSON.stringify({ date: new Date().toISOString(), sentencesPerVoice: perVoice, voices: families, models: rows }, null, 2) + '\n');
