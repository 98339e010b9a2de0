/**
 * Everything the desktop app's windows ask of the main process, free of Electron. It answers the
 * backend channels of src-shared/ipc/app-contract.ts with a handler per channel over small
 * services: settings (SettingsStore), the model in use (ModelLifecycle: loading, hot swaps, live
 * streams), the file queue (FileJobQueue), the user's vocabulary and recordings, the installed
 * model versions (ModelVersions) and retraining (RetrainingService). The Electron wiring (through
 * BackendHost and its worker thread) and the web bridge both call handle(senderId, channel,
 * payload) and deliver what `emit` produces. Every payload is validated here, whoever sent it.
 *
 * Events: recognition:event and files:event go to the window that asked; app:event (model state,
 * settings), retrain:event (a job's progress) and models:event (a job installed a version, an
 * import, a removal or a switch) go to every window that has asked anything.
 */
import { join, resolve } from 'node:path';
import {
  HARK_CHANNELS, isBackendChannel, isInvokeChannel, type AppInfo, type BackendChannel, type CheckedRequestOf, type EventChannel, type HarkEventApi,
  type InvokeChannel, modelStatusForWindow, type ModelState, type ModelStatus, type ResponseOf, type Settings,
} from '../../src-shared/ipc/app-contract.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import type { RetrainTuning } from '../train/retrain-run.ts';
import { checkDictationLm, dictationLmOptions, dictationLmPath } from './dictation-lms.ts';
import { FileJobQueue } from './file-jobs.ts';
import { ModelLifecycle } from './model-lifecycle.ts';
import { ModelVersions } from './model-versions.ts';
import { RecordingsService } from './recordings-service.ts';
import { RetrainingService } from './retraining-service.ts';
import { SettingsStore } from './settings-store.ts';
import { VocabularyService } from './vocabulary-service.ts';
import { windowMessage } from './window-error.ts';

export interface AppBackendOptions {
  /** Where settings.json and the user's models live. */
  userDataDir: string;
  /** Folder holding models/ (default: the Hark package root). */
  packageRoot?: string;
  /** Delivers an event to one window. */
  emit: <E extends EventChannel>(senderId: number, channel: E, payload: HarkEventApi[E]) => void;
  version?: string;
  /** Retraining jobs started from the app (tests use small settings; default: the job API's). */
  retrain?: { tuning?: Partial<RetrainTuning>; cancelGraceMs?: number; workerUrl?: URL };
}

/** A window asked for something only the Electron main process can do. */
export class WrongHostError extends Error {
  constructor(channel: string) {
    super(`${channel} is answered by the window's host, not the recognition backend`);
    this.name = 'WrongHostError';
  }
}

/** The answer to one backend channel; `raw` is the payload before validation. */
type Handler<C extends BackendChannel> = (senderId: number, req: CheckedRequestOf<C>, raw: unknown) => Promise<ResponseOf<C>> | ResponseOf<C>;

/** The backend channels of the contract, each validator typed by its channel. */
const BACKEND_CHANNELS: { [C in BackendChannel]: { request: (value: unknown) => CheckedRequestOf<C> } } = HARK_CHANNELS;

export class AppBackend {
  private readonly senders = new Set<number>();
  private readonly root: string;
  private readonly models: ModelLifecycle;
  private readonly files: FileJobQueue;
  private readonly vocabulary: VocabularyService;
  private readonly recordings: RecordingsService;
  private readonly versions: ModelVersions;
  private readonly retraining: RetrainingService;

  private constructor(private readonly opts: AppBackendOptions, private readonly settings: SettingsStore) {
    this.root = resolve(opts.packageRoot ?? PACKAGE_ROOT);
    const userModelsDir = join(opts.userDataDir, 'models');
    this.vocabulary = new VocabularyService(opts.userDataDir, (words) => this.models.setUserWords(words));
    this.models = new ModelLifecycle({
      root: this.root,
      dir: () => this.modelDir(this.settings.get()),
      userWords: () => this.vocabulary.userWords(),
      emit: (senderId, message) => this.opts.emit(senderId, 'recognition:event', message),
      onState: (model) => this.broadcast('app:event', { type: 'model', model: this.modelStatus(model) }),
      punctuate: () => this.settings.get().formatDictation && this.settings.get().punctuate,
      dictationLmPath: () => dictationLmPath(this.settings.get().dictationLm).path,
    });
    this.files = new FileJobQueue({
      model: () => this.models.current(),
      emit: (senderId, event) => this.opts.emit(senderId, 'files:event', event.state === 'error' ? { ...event, error: this.forWindow(event.error) } : event),
      formatDictation: () => this.settings.get().formatDictation,
      punctuate: () => this.settings.get().punctuate,
    });
    this.recordings = new RecordingsService(opts.userDataDir);
    this.retraining = new RetrainingService({
      userDataDir: opts.userDataDir,
      recordings: this.recordings,
      userWords: () => this.vocabulary.userWords(),
      baseModelDir: () => this.modelDir(this.settings.get()),
      onStatus: (status) => this.broadcast('retrain:event', {
        ...status, message: this.forWindow(status.message), ...(status.error === undefined ? {} : { error: this.forWindow(status.error) }),
      }),
      onInstalled: () => void this.versions.changed().catch((e: Error) => console.warn(`hark: listing models failed: ${e.message}`)),
      ...opts.retrain,
    });
    this.versions = new ModelVersions({
      root: this.root,
      userModelsDir,
      shippedDir: this.shippedModelDir,
      inUseDir: () => this.modelDir(this.settings.get()),
      setModelDir: (modelDir) => this.updateSettings({ modelDir }),
      retrainingBaseDir: () => this.retraining.runningBaseDir,
      broadcast: (list) => this.broadcast('models:event', list),
    });
  }

  /** Opens the settings and starts loading the model in the background. */
  static async create(opts: AppBackendOptions): Promise<AppBackend> {
    const backend = new AppBackend(opts, await SettingsStore.open(opts.userDataDir));
    for (const p of backend.settings.problems) console.warn(`hark: ${p}`);
    backend.models.load();
    return backend;
  }

  /** An error message as a window may show it (window-error.ts). */
  private forWindow(message: string): string {
    return windowMessage(message, this.root);
  }

  get shippedModelDir(): string {
    return join(this.root, 'models', 'hark-en');
  }

  /** Answers one request of window `senderId`; rejects with a message fit for the user. */
  async handle<C extends InvokeChannel>(senderId: number, channel: C, payload: unknown): Promise<ResponseOf<C>> {
    if (!isInvokeChannel(channel)) throw new Error(`unknown channel "${String(channel)}"`);
    if (!isBackendChannel(channel)) throw new WrongHostError(channel);
    this.senders.add(senderId);
    return this.answer(senderId, channel, payload);
  }

  private async answer<C extends BackendChannel>(senderId: number, channel: C, payload: unknown): Promise<ResponseOf<C>> {
    const req = BACKEND_CHANNELS[channel].request(payload);
    const handler: Handler<C> = this.handlers[channel];
    return handler(senderId, req, payload);
  }

  /** One handler per backend channel, typed by the contract: a channel added there without a handler here fails to compile. */
  private readonly handlers: { [C in BackendChannel]: Handler<C> } = {
    // The recognition service validates again: it is the single owner of the recognition checks.
    'recognition:start': (senderId, _req, raw) => this.models.start(senderId, raw),
    'recognition:push': (senderId, _req, raw) => this.models.route(senderId, 'push', raw),
    'recognition:configure': (senderId, _req, raw) => this.models.route(senderId, 'configure', raw),
    'recognition:stop': (senderId, _req, raw) => this.models.route(senderId, 'stop', raw),
    'app:info': () => this.info(),
    'settings:get': () => this.settings.get(),
    'settings:set': (_s, r) => this.setSettings(r.patch),
    'files:add': (senderId, r) => this.files.add(senderId, r.files, r.mode, r.keywords),
    'files:cancel': (senderId, r) => {
      this.files.cancel(senderId, r.jobId);
      return { ok: true };
    },
    'files:remove': (senderId, r) => {
      this.files.remove(senderId, r.jobId);
      return { ok: true };
    },
    'files:audio': async (senderId, r) => ({ wav: await this.files.audio(senderId, r.jobId) }),
    'files:export': (senderId, r) => this.files.export(senderId, r.jobId, r.format),
    'words:list': () => ({ words: this.vocabulary.list() }),
    'words:add': (_s, r) => this.vocabulary.add(r.word, r.pronunciations ?? []),
    'words:remove': async (_s, r) => ({ words: await this.vocabulary.remove(r.word) }),
    'words:say': async (_s, r) => ({ wav: await this.vocabulary.say(r.word) }),
    'recordings:list': async (_s, r) => ({ recordings: await this.recordings.list(r.item) }),
    'recordings:add': (_s, r) => this.recordings.add(r.item, r.pcm, r.replaceId),
    'recordings:remove': async (_s, r) => {
      await this.recordings.remove(r.id);
      return { ok: true };
    },
    'recordings:audio': async (_s, r) => ({ wav: await this.recordings.audio(r.id) }),
    'models:list': () => this.versions.list(),
    'models:use': (_s, r) => this.versions.use(r.dir),
    'models:remove': (_s, r) => this.versions.remove(r.dir),
    'models:import': (_s, r) => this.versions.import(r.path),
    'models:export': (_s, r) => this.versions.export(r.dir, r.path),
    'retrain:start': async (_s, r) => ({ job: await this.retraining.start(r) }),
    'retrain:cancel': async (_s, r) => {
      await this.retraining.cancel(r.jobId);
      return { ok: true };
    },
    'retrain:resume': async (_s, r) => ({ job: await this.retraining.resume(r.jobId) }),
    'retrain:list': () => this.retraining.list(),
    'retrain:remove': async (_s, r) => ({ jobs: await this.retraining.remove(r.jobId) }),
  };

  private broadcast<E extends EventChannel>(channel: E, payload: HarkEventApi[E]): void {
    for (const s of this.senders) this.opts.emit(s, channel, payload);
  }

  private info(): AppInfo {
    // Notices name settings.json and its copy from the user data folder, as the user guide does.
    const notices = this.settings.problems.map((n) => this.fromUserData(n));
    const lm = dictationLmPath(this.settings.get().dictationLm);
    if (lm.notice) notices.push(lm.notice);
    return { version: this.opts.version ?? '0.0.0', model: this.modelStatus(this.models.state), notices, dictationLms: dictationLmOptions() };
  }

  /**
   * The model state as windows see it: folder names, no paths; an error names the files of a model
   * (installed, so under the install or the user data folder) from those folders.
   */
  private modelStatus(model: ModelState): ModelStatus {
    return modelStatusForWindow(model.state === 'error' ? { ...model, error: this.fromUserData(model.error) } : model);
  }

  /** A message about Hark's own files for a window: paths from the install and user data folders. */
  private fromUserData(message: string): string {
    return windowMessage(message, this.root, resolve(this.opts.userDataDir));
  }

  /**
   * settings:set from a window: a model is chosen only among the installed versions, as models:use
   * does, and a dictation LM only when it is installed.
   */
  private async setSettings(patch: Partial<Settings>): Promise<Settings> {
    if (patch.modelDir) await this.versions.installed(patch.modelDir);
    if (patch.dictationLm) checkDictationLm(patch.dictationLm);
    return this.updateSettings(patch);
  }

  private async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const before = this.settings.get();
    const after = await this.settings.update(patch);
    if (this.modelDir(after) !== this.modelDir(before)) this.models.load();
    // Not awaited: a model still loading picks it up when it is ready.
    if (after.dictationLm !== before.dictationLm) void this.models.setDictationLm();
    this.broadcast('app:event', { type: 'settings', settings: after });
    return after;
  }

  private modelDir(s: Settings): string {
    return s.modelDir ? resolve(s.modelDir) : this.shippedModelDir;
  }

  /** Resolves once the current model has loaded or failed (for tests and start-up). */
  modelSettled(): Promise<ModelState> {
    return this.models.settled();
  }

  get fileQueue(): FileJobQueue {
    return this.files;
  }

  /** A window went away: its streams stop, its file jobs are cancelled and forgotten. */
  async closeSender(senderId: number): Promise<void> {
    this.senders.delete(senderId);
    this.files.closeSender(senderId);
    await this.models.closeSender(senderId);
  }

  async dispose(): Promise<void> {
    await this.retraining.dispose();
    await this.files.dispose();
    await this.models.dispose();
  }
}
