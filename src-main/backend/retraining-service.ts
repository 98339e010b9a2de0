/**
 * Retraining from the app (the retrain:* channels): teaches the model in use the user's words,
 * phrases and sounds with every recording of them, in the retraining worker (RetrainHost, started
 * on first use; this module imports the job API's types only, so the backend never loads tfjs).
 * Every status goes to `onStatus`; a job that installs a version calls `onInstalled`. The app
 * never switches to a new version by itself.
 */
import { join } from 'node:path';
import type { RequestOf } from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { RetrainTuning } from '../train/retrain-run.ts';
import type { RecordingsService } from './recordings-service.ts';
import { RetrainHost } from './retrain-host.ts';

export interface RetrainingOptions {
  /** Jobs go to <user data>/retrain/, installed versions to <user data>/models/. */
  userDataDir: string;
  recordings: RecordingsService;
  userWords: () => UserWord[];
  /** The folder of the model in use (the one a job starts from). */
  baseModelDir: () => string;
  onStatus: (status: RetrainJobStatus) => void;
  /** A job installed a new version. */
  onInstalled: () => void;
  /** Tests use small settings; default: the job API's. */
  tuning?: Partial<RetrainTuning>;
  cancelGraceMs?: number;
  workerUrl?: URL;
}

export class RetrainingService {
  private started: RetrainHost | null = null;

  constructor(private readonly opts: RetrainingOptions) {}

  /** The base model of the job running now, if any (without starting the worker). */
  get runningBaseDir(): string | undefined {
    return this.started?.runningStatus?.baseModelDir;
  }

  /** Starts a job teaching the model in use the request's items and sounds. */
  async start(r: RequestOf<'retrain:start'>): Promise<RetrainJobStatus> {
    const host = this.host();
    if (host.running) throw new Error(`a retraining job is running (${host.running}); wait for it to finish or cancel it first`);
    const sounds = r.sounds ?? [];
    const recordings = await this.opts.recordings.filesOf(new Set([...r.items, ...sounds.map((s) => `<sound:${s}>`)]));
    for (const s of sounds) {
      if (!recordings.some((x) => x.item === `<sound:${s}>`)) throw new Error(`the sound "${s}" has no recordings: record it a few times first`);
    }
    return host.createAndStart({
      baseModelDir: this.opts.baseModelDir(),
      items: r.items,
      sounds: sounds.map((name) => ({ name })),
      userWords: this.opts.userWords(),
      recordings,
      ...(this.opts.tuning ? { tuning: this.opts.tuning } : {}),
      installPolicy: r.installAnyway ? 'always' : 'if-better',
    });
  }

  /** Stops the running job at its next step (it becomes 'interrupted'). */
  cancel(jobId: string): Promise<void> {
    return this.host().cancel(jobId);
  }

  resume(jobId: string): Promise<RetrainJobStatus> {
    return this.host().resume(jobId);
  }

  /** Every job, newest first, and the one running now. */
  async list(): Promise<{ jobs: RetrainJobStatus[]; running: string | null }> {
    return { jobs: await this.host().list(), running: this.host().running };
  }

  /** Deletes a job's folder; returns the jobs left. */
  async remove(jobId: string): Promise<RetrainJobStatus[]> {
    const host = this.host();
    await host.remove(jobId);
    return host.list();
  }

  async dispose(): Promise<void> {
    await this.started?.dispose();
  }

  /** The retraining worker's host, started on first use. */
  private host(): RetrainHost {
    this.started ??= new RetrainHost({
      jobsDir: join(this.opts.userDataDir, 'retrain'),
      modelsDir: join(this.opts.userDataDir, 'models'),
      workerUrl: this.opts.workerUrl,
      cancelGraceMs: this.opts.cancelGraceMs,
      onStatus: this.opts.onStatus,
      onEnd: (status) => {
        if (status.decision?.installed) this.opts.onInstalled();
      },
      log: (line) => console.warn(`hark retrain: ${line}`),
    });
    return this.started;
  }
}
