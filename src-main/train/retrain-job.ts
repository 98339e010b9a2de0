/**
 * A retraining job, from request to installed model version, in its own folder
 * `<jobsDir>/<jobId>/`:
 *   job.json       the request and the status (RetrainJobStatus), rewritten atomically at each change
 *   lock.json      {pid} while a process runs the job (a job whose lock names a dead process, or
 *                  none, but whose status says running, was interrupted)
 *   recordings/    copies of the user's recordings (deleting a recording later never breaks a resume)
 *   eval/          the held-out evaluation clips (synthesized once, used for before and after)
 *   work/          runRetraining's data/, checkpoint/ and model/ (a resume continues from them)
 *   final/         the accepted package, with the evaluation in its card, before installation
 *
 * Phases: synthesizing (evaluation clips and training corpus) -> training -> exporting ->
 * evaluating (the base model, once, and the new one) -> installing (only when decideInstall says
 * the new model is better and forgot at most the tolerance) -> done. The installed package is a
 * new version in `modelsDir`; the model in use is never touched, so a failed, cancelled or
 * crashed job cannot damage it. Running a job again resumes it.
 */
import { identityAlive, ownIdentity, type ProcessIdentity } from '../system/process-alive.ts';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadModelPackage } from '../model/model-package.ts';
import { exportOnnxModel } from '../model/write-model.ts';
import { importModel } from '../model/model-install.ts';
import { trialRunModelPackage } from '../engine/model-trial-run.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { RetrainFigures, RetrainJobStatus, RetrainPhase, SoundTokenSpec } from '../../src-shared/retrain/retrain-types.ts';
import { isResumable, isRunningPhase } from '../../src-shared/retrain/retrain-types.ts';
import { normalizeRetrainItem } from '../../src-shared/retrain/retrain-items.ts';
import { isSoundUnit, SOUND_NAME_RE, soundUnit } from '../../src-shared/units/sound-units.ts';
import { decideInstall, evaluateRetrainModel, prepareEvalClips, type RetrainEvalClip } from './retrain-eval.ts';
import { DEFAULT_RETRAIN_OPTIONS, runRetraining, type RetrainTuning } from './retrain-run.ts';
import { remainingSecAtRate } from './retrain-eta.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import { parseJson } from '../system/parse-json.ts';

export interface RetrainJobRequest {
  /** The package to start from (the model in use). */
  baseModelDir: string;
  /** Words or phrases to teach (lower-case words). */
  items: string[];
  /** Non-speech sounds to teach (each needs recordings). */
  sounds?: SoundTokenSpec[];
  /** The user vocabulary (pronunciations of the items' words). */
  userWords?: readonly UserWord[];
  /**
   * The user's recordings: `item` is one of `items` or `<sound:NAME>`; `file` a WAV path. They
   * are copied into the job folder, so deleting a recording later never breaks a resume.
   */
  recordings?: readonly { item: string; file: string }[];
  /** Overrides of DEFAULT_RETRAIN_OPTIONS (tests and benchmarks use small ones). */
  tuning?: Partial<RetrainTuning>;
  /** 'if-better' (default): install only a model that measures better; 'always': install it anyway (the figures still go in its card). */
  installPolicy?: 'if-better' | 'always';
}

export interface RunRetrainJobOptions {
  /** Where an accepted model is installed (<user data>/models). */
  modelsDir: string;
  signal?: AbortSignal;
  onStatus?: (s: RetrainJobStatus) => void;
  log?: (line: string) => void;
}

interface StoredRecording {
  item: string;
  /** Relative to the job folder. */
  file: string;
  heldOut: boolean;
}

interface JobFile {
  version: 1;
  request: { baseModelDir: string; items: string[]; sounds: SoundTokenSpec[]; userWords: UserWord[]; recordings: StoredRecording[]; tuning: RetrainTuning; installPolicy: 'if-better' | 'always' };
  status: RetrainJobStatus;
}

const JOB_FILE = 'job.json';
const LOCK_FILE = 'lock.json';
/** Jobs this process is running now (a lock with our own pid but no entry here is stale). */
const runningHere = new Set<string>();

/** A sound is learned from recordings only, and one of them must be left out to measure it. */
export const MIN_SOUND_RECORDINGS = 3;


function checkJobId(jobId: string): void {
  if (!/^[a-z0-9-]{1,64}$/.test(jobId)) throw new Error(`"${jobId}" is not a retraining job id`);
}

async function readJob(dir: string): Promise<JobFile> {
  const path = join(dir, JOB_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no retraining job in ${dir}`);
    throw e;
  }
  let job: JobFile;
  try {
    job = parseJson(text) as JobFile;
  } catch (e) {
    throw new Error(`${path}: damaged retraining job file (${(e as Error).message})`);
  }
  if (job?.version !== 1 || !job.request || !job.status) throw new Error(`${path}: not a retraining job file`);
  return job;
}

async function writeJob(dir: string, job: JobFile): Promise<void> {
  await writeFileAtomic(join(dir, JOB_FILE), `${JSON.stringify(job, null, 2)}\n`);
}


/**
 * Whether some process holds the job now. lock.json names the holder by pid and start time
 * (ownIdentity); a lock whose pid now belongs to a process that started at another time (a reused
 * pid) is stale. A lock without a start time (older versions) trusts the pid.
 */
async function lockedByLiveProcess(dir: string, jobId: string): Promise<boolean> {
  try {
    const { pid, startTime } = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as ProcessIdentity;
    const holder: ProcessIdentity = Number.isSafeInteger(startTime) ? { pid, startTime } : { pid };
    if (!identityAlive(holder)) return false;
    return pid === process.pid ? runningHere.has(jobId) : true;
  } catch {
    return false;
  }
}

/** A word or phrase in the one spelling of src-shared/retrain/retrain-items.ts (sounds are taught through `sounds`). */
function normalizeItem(item: string): string {
  const n = normalizeRetrainItem(item);
  if (isSoundUnit(n)) throw new Error(`"${item}" is a sound: teach it as a sound, with its recordings`);
  return n;
}

/** Creates `<jobsDir>/<jobId>/` with job.json (phase 'queued') and the copied recordings. */
export async function createRetrainJob(jobsDir: string, req: RetrainJobRequest): Promise<RetrainJobStatus> {
  const base = await loadModelPackage(resolve(req.baseModelDir));
  const items = [...new Set(req.items.map(normalizeItem))];
  const sounds = (req.sounds ?? []).map((s) => {
    if (!SOUND_NAME_RE.test(s.name)) throw new Error(`"${s.name}" is not a sound name (a-z, 0-9 and -, at most 32 characters)`);
    return { name: s.name };
  });
  if (items.length === 0 && sounds.length === 0) throw new Error('nothing to teach: give at least one word, phrase or sound');
  const taught = new Set([...items, ...sounds.map((s) => soundUnit(s.name))]);
  for (const s of sounds) {
    const n = (req.recordings ?? []).filter((r) => r.item === soundUnit(s.name)).length;
    if (n === 0) throw new Error(`the sound "${s.name}" has no recordings: record it at least ${MIN_SOUND_RECORDINGS} times first`);
    if (n < MIN_SOUND_RECORDINGS) throw new Error(`the sound "${s.name}" has ${n} recording${n === 1 ? '' : 's'}: record it at least ${MIN_SOUND_RECORDINGS} times (one is kept aside to check the new model)`);
  }
  const now = new Date();
  const jobId = `${now.toISOString().slice(0, 19).replace(/[-:T]/g, '').toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const dir = join(jobsDir, jobId);
  await mkdir(join(dir, 'recordings'), { recursive: true });
  try {
    // Per item, one recording in five (at least one, once there are three) is kept out for evaluation.
    const byItem = new Map<string, { item: string; file: string }[]>();
    for (const r of req.recordings ?? []) {
      const item = normalizeRetrainItem(r.item);
      if (!taught.has(item)) throw new Error(`a recording is of "${r.item}", which is not being taught`);
      byItem.set(item, [...(byItem.get(item) ?? []), { item, file: r.file }]);
    }
    const recordings: StoredRecording[] = [];
    for (const [item, recs] of byItem) {
      const heldOut = recs.length >= 3 ? Math.max(1, Math.floor(recs.length / 5)) : 0;
      for (const [i, r] of recs.entries()) {
        const file = join('recordings', `${String(recordings.length).padStart(4, '0')}.wav`);
        await copyFile(r.file, join(dir, file));
        recordings.push({ item, file, heldOut: i >= recs.length - heldOut });
      }
    }
    const status: RetrainJobStatus = {
      jobId, createdAt: now.toISOString(), updatedAt: now.toISOString(), items, sounds,
      baseModel: `${base.metadata.name} ${base.metadata.version}`, baseModelDir: base.dir,
      phase: 'queued', fraction: 0, etaSec: null, message: 'waiting to start',
      recordingsTrain: recordings.filter((r) => !r.heldOut).length, recordingsHeldOut: recordings.filter((r) => r.heldOut).length,
    };
    const tuning = { ...DEFAULT_RETRAIN_OPTIONS, ...(req.tuning ?? {}) };
    await writeJob(dir, { version: 1, request: { baseModelDir: base.dir, items, sounds, userWords: [...(req.userWords ?? [])], recordings, tuning, installPolicy: req.installPolicy ?? 'if-better' }, status });
    return status;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Every job in `jobsDir`, newest first; a job left in a running phase by a dead process reads 'interrupted'. */
export async function listRetrainJobs(jobsDir: string): Promise<RetrainJobStatus[]> {
  let names: string[];
  try {
    names = (await readdir(jobsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const out: RetrainJobStatus[] = [];
  for (const name of names.sort().reverse()) {
    try {
      out.push(await jobStatus(join(jobsDir, name), name));
    } catch {
      // Not a job folder (or a damaged one): skipped, never deleted.
    }
  }
  return out;
}

async function jobStatus(dir: string, jobId: string): Promise<RetrainJobStatus> {
  const { status } = await readJob(dir);
  if (isRunningPhase(status.phase) && !(await lockedByLiveProcess(dir, jobId))) {
    return { ...status, phase: 'interrupted', etaSec: null, message: `interrupted while ${status.phase}: resume to continue` };
  }
  return status;
}

/** Deletes a job's folder (not a model it installed); refuses a job that is running. */
export async function removeRetrainJob(jobsDir: string, jobId: string): Promise<void> {
  checkJobId(jobId);
  const dir = join(jobsDir, jobId);
  await readJob(dir);
  if (await lockedByLiveProcess(dir, jobId)) throw new Error(`retraining job ${jobId} is running; cancel it first`);
  await rm(dir, { recursive: true, force: true });
}

/** Overall progress: where each phase starts and ends. */
const SPAN: Record<'synthesizing' | 'training' | 'exporting' | 'evaluating' | 'installing', [number, number]> = {
  synthesizing: [0, 0.15], training: [0.15, 0.85], exporting: [0.85, 0.87], evaluating: [0.87, 0.98], installing: [0.98, 1],
};

/**
 * Runs (or resumes) a job: synthesize, fine-tune, export, evaluate before/after, install if
 * better. An abort stops at the next step with phase 'interrupted' (checkpoint kept) and rejects
 * with an AbortError. Otherwise resolves to the final status: 'done' with a decision, or 'failed'
 * with an error.
 */
export async function runRetrainJob(jobsDir: string, jobId: string, o: RunRetrainJobOptions): Promise<RetrainJobStatus> {
  checkJobId(jobId);
  const dir = join(jobsDir, jobId);
  const job = await readJob(dir);
  if (await lockedByLiveProcess(dir, jobId)) throw new Error(`retraining job ${jobId} is already running`);
  const current = await jobStatus(dir, jobId);
  if (!isResumable(current.phase)) throw new Error(`retraining job ${jobId} is ${current.phase}; only a queued, interrupted or failed job can run`);
  runningHere.add(jobId);
  await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...ownIdentity(), startedAt: new Date().toISOString() }));
  const log = o.log ?? (() => {});
  const { request: rq } = job;
  const runStart = performance.now();
  let status: RetrainJobStatus = { ...current, error: undefined };
  const set = async (phase: RetrainPhase, within: number, message: string, etaSec: number | null = null) => {
    const span = (SPAN as Record<string, [number, number]>)[phase];
    const fraction = span ? span[0] + (span[1] - span[0]) * Math.min(1, Math.max(0, within)) : phase === 'done' ? 1 : status.fraction;
    // Every running phase has an ETA once one can be told: the phase's own, else the whole job's rate.
    const eta = etaSec ?? (isRunningPhase(phase) ? remainingSecAtRate((performance.now() - runStart) / 1000, fraction) : null);
    status = { ...status, phase, fraction, etaSec: eta, message, updatedAt: new Date().toISOString() };
    job.status = status;
    o.onStatus?.(status);
    // One write at a time: the throttled progress writes are not awaited.
    const snapshot = JSON.parse(JSON.stringify(job)) as JobFile;
    writes = writes.then(() => writeJob(dir, snapshot));
    await writes;
  };
  let writes: Promise<void> = Promise.resolve();
  // Progress within a phase is reported at most once a second (a phase's first report always goes out).
  let lastWrite = 0;
  const setThrottled = (phase: RetrainPhase, within: number, message: string, etaSec: number | null) => {
    const now = performance.now();
    if (now - lastWrite < 1000 && phase === status.phase) return;
    lastWrite = now;
    set(phase, within, message, etaSec).catch((e: Error) => log(`job status not written: ${e.message}`));
  };
  const items = [...rq.items, ...rq.sounds.map((s) => soundUnit(s.name))];
  const recordings = rq.recordings.map((r) => ({ ...r, file: join(dir, r.file) }));
  try {
    await set('synthesizing', 0, 'preparing the evaluation clips');
    const evalClips: RetrainEvalClip[] = [
      ...(await prepareEvalClips(join(dir, 'eval'), items, rq.tuning.seed + 101, (d, t) => setThrottled('synthesizing', 0.2 * (d / t), `evaluation clips ${d} of ${t}`, null))),
      ...recordings.filter((r) => r.heldOut).map((r) => ({ file: r.file, expected: r.item, set: 'recordings' as const })),
    ];
    if (o.signal?.aborted) throw abortErrorOf(o.signal);
    let trainStart = 0;
    const result = await runRetraining({
      modelDir: rq.baseModelDir, items: rq.items, sounds: rq.sounds, userWords: rq.userWords, workDir: join(dir, 'work'), ...rq.tuning,
      recordings: recordings.filter((r) => !r.heldOut).map((r) => ({ item: r.item, file: r.file })),
      signal: o.signal, log,
      synthProgress: (d, t) => setThrottled('synthesizing', 0.2 + 0.8 * (d / t), `synthesizing training speech: ${d} of ${t} utterances`, null),
      progress: (r) => {
        if (trainStart === 0) trainStart = performance.now();
        const within = (r.epoch + r.batch / r.batchesInEpoch) / rq.tuning.epochs;
        const elapsed = (performance.now() - trainStart) / 1000;
        const eta = within > 0.02 ? elapsed * (1 - within) / within + evalSeconds(evalClips.length) : null;
        setThrottled('training', within, `training: epoch ${r.epoch + 1} of ${rq.tuning.epochs}, step ${r.batch} of ${r.batchesInEpoch}`, eta === null ? null : Math.round(eta));
      },
    });
    await set('exporting', 1, 'exported the new model');
    await set('evaluating', 0, 'measuring the current model', evalSeconds(evalClips.length));
    const evalStart = performance.now();
    const measuredBefore = status.before === undefined;
    const before: RetrainFigures = status.before ?? await evaluateRetrainModel(rq.baseModelDir, items, evalClips, rq.userWords);
    status.before = before;
    if (o.signal?.aborted) throw abortErrorOf(o.signal);
    // The new model takes about as long as the current one took (when this run measured it).
    await set('evaluating', 0.5, 'measuring the new model', measuredBefore ? Math.round((performance.now() - evalStart) / 1000) : Math.round(evalSeconds(evalClips.length) / 2));
    const after = await evaluateRetrainModel(result.outDir, items, evalClips, rq.userWords);
    status.after = after;
    if (o.signal?.aborted) throw abortErrorOf(o.signal);
    const measured = decideInstall(before, after);
    const verdict = rq.installPolicy === 'always' && !measured.install ? { install: true, reason: `installed on request, although ${measured.reason}` } : measured;
    log(`decision: ${verdict.install ? 'install' : 'keep the current model'}: ${verdict.reason}`);
    if (!verdict.install) {
      status.decision = { installed: false, reason: verdict.reason };
      await set('done', 1, `not installed: ${verdict.reason}`);
      return status;
    }
    await set('installing', 0, 'installing the new version');
    const finalDir = join(dir, 'final');
    await rm(finalDir, { recursive: true, force: true });
    const metadata = { ...result.metadata, metrics: { retrain: { before, after, decision: verdict.reason, evaluatedAt: new Date().toISOString(), heldOutClips: evalClips.length } } };
    await exportOnnxModel(result.weights, metadata, finalDir);
    const info = await importModel(finalDir, o.modelsDir, { replace: true, trialRun: trialRunModelPackage });
    status.decision = { installed: true, reason: verdict.reason, modelDir: info.dir, name: info.name, version: info.version };
    await set('done', 1, `installed ${info.name} ${info.version}: ${verdict.reason}`);
    log(`installed ${info.dir} (${((performance.now() - runStart) / 60000).toFixed(1)} min)`);
    return status;
  } catch (e) {
    const err = e as Error;
    if (err.name === 'AbortError' || o.signal?.aborted) {
      await set('interrupted', 0, 'cancelled: resume to continue from the last checkpoint');
      throw err;
    }
    status.error = err.message;
    await set('failed', 0, `failed: ${err.message}`);
    return status;
  } finally {
    runningHere.delete(jobId);
    await rm(join(dir, LOCK_FILE), { force: true });
  }
}

/** A rough time for evaluating two models on `clips` clips (seconds). */
function evalSeconds(clips: number): number {
  return Math.round(clips * 2 * 0.25);
}

function abortErrorOf(signal: AbortSignal): Error {
  const e = new Error(signal.reason instanceof Error ? signal.reason.message : 'retraining was cancelled');
  e.name = 'AbortError';
  return e;
}
