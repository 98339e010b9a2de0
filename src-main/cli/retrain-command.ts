/**
 * `hark retrain`: teach the model the user's words, phrases and sounds, the same job the
 * app's Retrain screen runs, with the same folders (<user data>/retrain/<job>/, new versions in
 * <user data>/models/).
 *   hark retrain ITEM... [--sounds a,b] [--recordings DIR] [--model DIR] [--use]   start a job
 *   hark retrain --resume JOB                                                      continue one (after Ctrl-C or a crash)
 *   hark retrain --list [--json] | --remove JOB
 * ITEMs are words or phrases ("open zorblat"); their words' pronunciations come from the user
 * vocabulary (`hark words add`), else CMUdict or the G2P guess. The recordings are the app's (made
 * on the Retrain screen) unless --recordings DIR gives DIR/<item>/*.wav and DIR/sound-<name>/*.wav. Ctrl-C stops at the next step with
 * the job resumable. The new version is installed only when it measures better; --use then makes
 * it the app's model.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SettingsStore } from '../backend/settings-store.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { UserRecordings } from '../lexicon/user-recordings.ts';
import { defaultUserDataDir, USER_VOCABULARY_FILE, UserVocabulary } from '../lexicon/user-vocabulary.ts';
import { normalizeRetrainItem } from '../../src-shared/retrain/retrain-items.ts';
import type { RetrainFigures, RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';
import { formatDuration } from './progress-bar.ts';

export const retrainSpec: CommandSpec = {
  name: 'retrain',
  summary: 'Teach the model your words, phrases and sounds by fine-tuning it; installs a new version if it measures better.',
  usage: 'hark retrain ITEM... [options] | --resume JOB | --list [--json] | --remove JOB',
  options: {
    sounds: { type: 'string', help: 'non-speech sounds to teach, comma-separated (need recordings in --recordings DIR/sound-NAME/)' },
    recordings: { type: 'string', help: "folder of your recordings: DIR/<item>/*.wav, DIR/sound-<name>/*.wav (16 kHz or any rate); without it, the app's recordings of the items" },
    'no-recordings': { type: 'boolean', help: 'use no recordings (synthesized examples only)' },
    model: { type: 'string', help: "model to start from (default: the app's current model)" },
    use: { type: 'boolean', help: "make the new version the app's model when it is installed" },
    'install-anyway': { type: 'boolean', help: 'install the new version even if it does not measure better' },
    resume: { type: 'string', help: 'continue an interrupted or failed job' },
    list: { type: 'boolean', help: 'list retraining jobs' },
    remove: { type: 'string', help: 'delete a job folder (not the model it installed)' },
    json: { type: 'boolean', help: 'print statuses as JSON lines' },
    examples: { type: 'number', help: 'synthesized utterances per item' },
    replay: { type: 'number', help: 'utterances of the original training kind mixed in' },
    epochs: { type: 'number', help: 'training epochs' },
    lr: { type: 'number', help: 'learning rate' },
  },
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function figuresLine(f: RetrainFigures): string {
  const parts = [`new items ${pct(f.newItems.accuracy)} (${f.newItems.correct}/${f.newItems.total})`, `original ${pct(f.original.accuracy)} (${f.original.correct}/${f.original.total})`];
  if (f.recordings) parts.push(`your recordings ${pct(f.recordings.accuracy)} (${f.recordings.correct}/${f.recordings.total})`);
  if (f.digits) parts.push(`digit word errors ${pct(f.digits.wer)} (${f.digits.errors}/${f.digits.words})`);
  return parts.join(', ');
}

function describe(s: RetrainJobStatus): string {
  const what = [...s.items, ...s.sounds.map((x) => `sound:${x.name}`)].join(', ');
  return `${s.jobId}  ${s.phase.padEnd(12)} ${what}  (from ${s.baseModel}; ${s.message})`;
}

/** Recordings under `dir`: DIR/<item>/*.wav and DIR/sound-<name>/*.wav. */
function recordingsIn(dir: string): { item: string; file: string }[] {
  const out: { item: string; file: string }[] = [];
  let folders: string[];
  try {
    folders = readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory()).sort();
  } catch (e) {
    throw new UsageError(`retrain: cannot read the recordings folder ${dir}: ${(e as Error).message}`);
  }
  for (const f of folders) {
    const item = f.startsWith('sound-') ? `<sound:${f.slice(6)}>` : f.toLowerCase();
    for (const w of readdirSync(join(dir, f)).filter((n) => /\.wav$/i.test(n)).sort()) out.push({ item, file: join(dir, f, w) });
  }
  return out;
}

/** The recordings made in the app (the Retrain screen) of the items and sounds being taught. */
async function appRecordings(userData: string, items: readonly string[], sounds: readonly string[]): Promise<{ item: string; file: string }[]> {
  const store = UserRecordings.inUserData(userData);
  const taught = new Set([...items.map((i) => normalizeRetrainItem(i)), ...sounds.map((s) => `<sound:${s}>`)]);
  const out: { item: string; file: string }[] = [];
  for (const r of await store.list()) if (taught.has(r.item)) out.push({ item: r.item, file: await store.path(r.id) });
  return out;
}

export async function retrainCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(retrainSpec, argv);
  if (help) { process.stdout.write(helpText(retrainSpec)); return 0; }
  const usage = (msg: string) => new UsageError(`retrain: ${msg}\n\n${helpText(retrainSpec)}`);
  // tfjs and the job code load only when a job is touched.
  const { createRetrainJob, listRetrainJobs, removeRetrainJob, runRetrainJob } = await import('../train/retrain-job.ts');
  const userData = defaultUserDataDir();
  const jobsDir = join(userData, 'retrain');
  const modelsDir = join(userData, 'models');
  const actions = [o.list, o.resume, o.remove, positionals.length > 0 || o.sounds].filter(Boolean).length;
  if (actions !== 1) throw usage('give items to teach, or one of --resume, --list, --remove');
  if (o.list) {
    for (const s of await listRetrainJobs(jobsDir)) process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : `${describe(s)}\n`);
    return 0;
  }
  if (typeof o.remove === 'string') {
    await removeRetrainJob(jobsDir, o.remove);
    process.stdout.write(`removed job ${o.remove}\n`);
    return 0;
  }
  let jobId: string;
  if (typeof o.resume === 'string') {
    jobId = o.resume;
  } else {
    const settings = await SettingsStore.open(userData);
    const baseModelDir = typeof o.model === 'string' ? resolve(o.model) : settings.get().modelDir || join(PACKAGE_ROOT, 'models', 'hark-en');
    const sounds = typeof o.sounds === 'string' ? o.sounds.split(',').map((s) => s.trim()).filter(Boolean).map((name) => ({ name })) : [];
    const tuning = {
      ...(typeof o.examples === 'number' ? { examplesPerItem: o.examples } : {}),
      ...(typeof o.replay === 'number' ? { replayClips: o.replay } : {}),
      ...(typeof o.epochs === 'number' ? { epochs: o.epochs } : {}),
      ...(typeof o.lr === 'number' ? { learningRate: o.lr } : {}),
    };
    const vocab = UserVocabulary.load(join(userData, USER_VOCABULARY_FILE));
    if (o['no-recordings'] && typeof o.recordings === 'string') throw usage('--recordings and --no-recordings exclude each other');
    const recordings = o['no-recordings'] ? [] : typeof o.recordings === 'string' ? recordingsIn(o.recordings) : await appRecordings(userData, positionals, sounds.map((x) => x.name));
    const created = await createRetrainJob(jobsDir, { baseModelDir, items: positionals, sounds, userWords: vocab.list(), recordings, tuning, installPolicy: o['install-anyway'] ? 'always' : 'if-better' });
    jobId = created.jobId;
    process.stderr.write(`retraining job ${jobId}: ${created.items.concat(created.sounds.map((s) => `sound:${s.name}`)).join(', ')} from ${created.baseModel} (${created.recordingsTrain} recordings for training, ${created.recordingsHeldOut} held out)\n`);
  }
  const abort = new AbortController();
  // Ctrl-C or SIGTERM (a session ending, a service manager): the job stops at its next step and can
  // be resumed; a second Ctrl-C kills the process (the job's state on disk resumes from its last save).
  const onSigint = () => {
    process.stderr.write('\nstopping at the next step (the job can be resumed)...\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  let lastLine = '';
  try {
    const final = await runRetrainJob(jobsDir, jobId, {
      modelsDir, signal: abort.signal,
      onStatus: (s) => {
        if (o.json) { process.stdout.write(`${JSON.stringify(s)}\n`); return; }
        const line = `[${(100 * s.fraction).toFixed(0).padStart(3)}%] ${s.message}${s.etaSec !== null ? `  ETA ${formatDuration(s.etaSec)}` : ''}`;
        if (line === lastLine) return;
        lastLine = line;
        if (process.stderr.isTTY) process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
        else process.stderr.write(`${line}\n`);
      },
    });
    if (process.stderr.isTTY && !o.json) process.stderr.write('\n');
    if (final.phase === 'failed') {
      process.stderr.write(`retraining failed: ${final.error}\nresume with: hark retrain --resume ${jobId}\n`);
      return 1;
    }
    if (!o.json) {
      if (final.before) process.stdout.write(`before: ${figuresLine(final.before)}\n`);
      if (final.after) process.stdout.write(`after:  ${figuresLine(final.after)}\n`);
      process.stdout.write(final.decision?.installed ? `installed ${final.decision.name} ${final.decision.version} in ${final.decision.modelDir}\n` : `not installed: ${final.decision?.reason}\n`);
    }
    if (o.use && final.decision?.installed && final.decision.modelDir) {
      const settings = await SettingsStore.open(userData);
      await settings.update({ modelDir: final.decision.modelDir });
      if (!o.json) process.stdout.write(`the app now uses ${final.decision.name} ${final.decision.version}\n`);
    }
    return 0;
  } catch (e) {
    if ((e as Error).name === 'AbortError') {
      process.stderr.write(`cancelled; resume with: hark retrain --resume ${jobId}\n`);
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
