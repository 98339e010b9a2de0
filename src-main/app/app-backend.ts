/**
 * Everything the desktop app's windows ask of the main process, free of Electron: settings, the
 * model (loaded in the background, switchable), live recognition streams and the file queue. It
 * answers the backend channels of src-shared/ipc/app-contract.ts; the Electron wiring (through
 * BackendHost and its worker thread) and the web bridge both call handle(senderId, channel,
 * payload) and deliver what `emit` produces. Every payload is validated here, whoever sent it.
 *
 * Model switching: a model with the same features and normalization as the loaded one (a new
 * version of it, e.g. after retraining) is hot-swapped: the loaded RecognitionService adopts it,
 * every running stream moves to it at its next utterance boundary without a gap in its audio, and
 * the ready state says `swapped: true`. Any other model gets a new RecognitionService; streams
 * already running keep the model they started with until they stop (nothing is cut off
 * mid-utterance). Either way new streams and file jobs use the new model.
 *
 * Teaching the model: the user's recordings (UserRecordings, <user data>/recordings/),
 * the installed versions with their cards (models:*; using one sets settings.modelDir), and
 * retraining jobs, which run in their own worker thread (RetrainHost; this module imports the
 * job API's types only, so the backend never loads tfjs). Job progress goes to every window as
 * retrain:event; a job that installs a version, an import, a removal or a switch sends the new
 * list as models:event. The app never switches to a new version by itself.
 */
import { basename, dirname, join, resolve } from 'node:path';
import {
  HARK_CHANNELS, isInvokeChannel, type AppInfo, type EventChannel, type HarkEventApi, type InvokeChannel, type ModelList, type ModelState,
  type RecordingWire, type RequestOf, type ResponseOf, type Settings,
} from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import type { RetrainTuning } from '../train/retrain-run.ts';
import { UserRecordings, type UserRecording } from '../lexicon/user-recordings.ts';
import { listModelCards } from './model-cards.ts';
import { exportModel, importModel, removeModel } from '../model/model-install.ts';
import { RetrainHost } from './retrain-host.ts';
import type { RecognitionApi } from '../../src-shared/ipc/recognition-contract.ts';
import { DecoderCache } from '../engine/decoder-cache.ts';
import { loadModelPackage, type ModelPackage } from '../model/model-package.ts';
import { swapIncompatibilities } from '../engine/model-swap.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { RecognitionService, StreamAccessError } from '../engine/recognition-service.ts';
import { USER_VOCABULARY_FILE, UserVocabulary, type UserWord } from '../lexicon/user-vocabulary.ts';
import { sayPronunciations } from '../lexicon/say-pronunciation.ts';
import { FileJobQueue } from './file-jobs.ts';
import { describeModel, listModels } from '../model/model-registry.ts';
import { SettingsStore } from './settings-store.ts';

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

interface LoadedModel {
  model: ModelPackage;
  decoders: DecoderCache;
  service: RecognitionService;
  userWords: readonly UserWord[];
}

const recordingWire = (r: UserRecording): RecordingWire => ({ id: r.id, item: r.item, durationSec: r.durationSec, createdAt: r.createdAt });

/** A window asked for something only the Electron main process can do. */
export class WrongHostError extends Error {
  constructor(channel: string) {
    super(`${channel} is answered by the window's host, not the recognition backend`);
    this.name = 'WrongHostError';
  }
}

export class AppBackend {
  private loaded: Promise<LoadedModel> | null = null;
  private modelState: ModelState;
  /** Services of models replaced while streams were running on them. */
  private readonly retired: RecognitionService[] = [];
  private readonly senders = new Set<number>();
  private readonly files: FileJobQueue;
  private readonly root: string;
  /** Counts model loads: only the latest one may publish its state. */
  private generation = 0;
  private recordingStore: UserRecordings | null = null;
  private retrainHost: RetrainHost | null = null;

  private constructor(private readonly opts: AppBackendOptions, private readonly settings: SettingsStore) {
    this.root = resolve(opts.packageRoot ?? PACKAGE_ROOT);
    this.modelState = { state: 'loading', dir: this.modelDir(settings.get()) };
    this.files = new FileJobQueue({
      model: () => this.currentModel(),
      emit: (senderId, event) => this.opts.emit(senderId, 'files:event', event),
    });
  }

  /** Opens the settings and starts loading the model in the background. */
  static async create(opts: AppBackendOptions): Promise<AppBackend> {
    const backend = new AppBackend(opts, await SettingsStore.open(opts.userDataDir));
    for (const p of backend.settings.problems) console.warn(`hark: ${p}`);
    backend.loadModel();
    return backend;
  }

  get shippedModelDir(): string {
    return join(this.root, 'models', 'hark-en');
  }

  /** Answers one request of window `senderId`; rejects with a message fit for the user. */
  async handle<C extends InvokeChannel>(senderId: number, channel: C, payload: unknown): Promise<ResponseOf<C>> {
    if (!isInvokeChannel(channel)) throw new Error(`unknown channel "${String(channel)}"`);
    if (HARK_CHANNELS[channel].host !== 'backend') throw new WrongHostError(channel);
    this.senders.add(senderId);
    const req = HARK_CHANNELS[channel].request(payload) as RequestOf<C>;
    return (await this.answer(senderId, channel, req, payload)) as ResponseOf<C>;
  }

  private async answer(senderId: number, channel: InvokeChannel, req: unknown, raw: unknown): Promise<unknown> {
    switch (channel) {
      case 'recognition:start': {
        const { service } = await this.currentModel();
        // The service validates again: it is the single owner of the recognition checks.
        return service.handle(senderId, 'start', raw);
      }
      case 'recognition:push':
      case 'recognition:configure':
      case 'recognition:stop':
        return this.routeStream(senderId, channel.slice('recognition:'.length) as 'push' | 'configure' | 'stop', raw);
      case 'app:info':
        return this.info();
      case 'settings:get':
        return this.settings.get();
      case 'settings:set':
        return this.updateSettings((req as RequestOf<'settings:set'>).patch);
      case 'files:add': {
        const r = req as RequestOf<'files:add'>;
        return this.files.add(senderId, r.files, r.mode, r.keywords);
      }
      case 'files:cancel':
        this.files.cancel(senderId, (req as RequestOf<'files:cancel'>).jobId);
        return { ok: true };
      case 'files:remove':
        this.files.remove(senderId, (req as RequestOf<'files:remove'>).jobId);
        return { ok: true };
      case 'files:audio':
        return { wav: await this.files.audio(senderId, (req as RequestOf<'files:audio'>).jobId) };
      case 'files:export': {
        const r = req as RequestOf<'files:export'>;
        return this.files.export(senderId, r.jobId, r.format);
      }
      case 'words:list':
        return { words: this.vocabulary().list() };
      case 'words:add': {
        const r = req as RequestOf<'words:add'>;
        const v = this.vocabulary();
        const word = v.add(r.word, r.pronunciations ?? []);
        return { word, words: await this.saveWords(v) };
      }
      case 'words:remove': {
        const v = this.vocabulary();
        const w = (req as RequestOf<'words:remove'>).word;
        if (!v.remove(w)) throw new Error(`"${w}" is not in your vocabulary`);
        return { words: await this.saveWords(v) };
      }
      case 'words:say': {
        const w = (req as RequestOf<'words:say'>).word;
        const entry = this.vocabulary().get(w);
        if (!entry) throw new Error(`"${w}" is not in your vocabulary`);
        const wav = await sayPronunciations(entry.pronunciations);
        return { wav: wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength) as ArrayBuffer };
      }
      case 'recordings:list': {
        const item = (req as RequestOf<'recordings:list'>).item;
        return { recordings: (await this.recordings.list(item)).map(recordingWire) };
      }
      case 'recordings:add': {
        const r = req as RequestOf<'recordings:add'>;
        const recording = await this.recordings.add(r.item, r.pcm, r.replaceId === undefined ? {} : { replaceId: r.replaceId });
        return { recording: recordingWire(recording), recordings: (await this.recordings.list(recording.item)).map(recordingWire) };
      }
      case 'recordings:remove':
        await this.recordings.remove((req as RequestOf<'recordings:remove'>).id);
        return { ok: true };
      case 'recordings:audio': {
        const wav = await this.recordings.audio((req as RequestOf<'recordings:audio'>).id);
        return { wav: wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength) as ArrayBuffer };
      }
      case 'models:list':
        return this.modelList();
      case 'models:use':
        return this.useModel((req as RequestOf<'models:use'>).dir);
      case 'models:remove':
        return this.removeUserModel((req as RequestOf<'models:remove'>).dir);
      case 'models:import': {
        const path = resolve((req as RequestOf<'models:import'>).path);
        const imported = await importModel(path, this.userModelsDir).catch((e: Error) => {
          throw new Error(e.message.replace(/; use --replace to overwrite it$/, '; remove that version first to import it again'));
        });
        return { imported, ...(await this.modelsChanged()) };
      }
      case 'models:export': {
        const r = req as RequestOf<'models:export'>;
        const card = await this.installedModel(r.dir);
        const out = resolve(r.path);
        await exportModel(card.dir, out);
        return { path: out };
      }
      case 'retrain:start':
        return { job: await this.startRetraining(req as RequestOf<'retrain:start'>) };
      case 'retrain:cancel':
        await this.retrainer().cancel((req as RequestOf<'retrain:cancel'>).jobId);
        return { ok: true };
      case 'retrain:resume':
        return { job: await this.retrainer().resume((req as RequestOf<'retrain:resume'>).jobId) };
      case 'retrain:list':
        return { jobs: await this.retrainer().list(), running: this.retrainer().running };
      case 'retrain:remove': {
        const host = this.retrainer();
        await host.remove((req as RequestOf<'retrain:remove'>).jobId);
        return { jobs: await host.list() };
      }
      default:
        throw new WrongHostError(channel);
    }
  }

  /** A stream lives on the service that started it (the current model's, or a retired one). */
  private async routeStream<K extends 'push' | 'configure' | 'stop'>(senderId: number, channel: K, raw: unknown): Promise<RecognitionApi[K]['response']> {
    const services = [...this.retired];
    if (this.loaded) {
      try {
        services.unshift((await this.loaded).service);
      } catch {
        // The current model failed to load; streams of retired models still work.
      }
    }
    for (const service of services) {
      try {
        const out = await service.handle(senderId, channel, raw);
        if (channel === 'stop') await this.releaseRetired();
        return out;
      } catch (e) {
        if (!(e instanceof StreamAccessError)) throw e;
      }
    }
    // No service owns it: let the current one produce the validation / access error.
    if (services.length === 0) throw new Error(`recognition:${channel}: no model is loaded (${this.modelErrorText()})`);
    return services[0].handle(senderId, channel, raw);
  }

  private async releaseRetired(): Promise<void> {
    for (let i = this.retired.length - 1; i >= 0; i--) {
      if (this.retired[i].activeStreams === 0) {
        const [s] = this.retired.splice(i, 1);
        await s.dispose();
      }
    }
  }

  private modelErrorText(): string {
    return this.modelState.state === 'error' ? this.modelState.error : 'still loading';
  }

  // -------------------------------------------------------------------------------------------
  // Recordings, model versions, retraining

  /** The user's recordings (<user data>/recordings/). */
  private get recordings(): UserRecordings {
    this.recordingStore ??= UserRecordings.inUserData(this.opts.userDataDir);
    return this.recordingStore;
  }

  private get userModelsDir(): string {
    return join(this.opts.userDataDir, 'models');
  }

  private broadcast<E extends EventChannel>(channel: E, payload: HarkEventApi[E]): void {
    for (const s of this.senders) this.opts.emit(s, channel, payload);
  }

  /** Installed versions (shipped first) with their cards and which one is in use. */
  private async modelList(): Promise<ModelList> {
    const { models, inUse, problems } = await listModelCards([
      { dir: join(this.root, 'models'), shipped: true },
      { dir: this.userModelsDir, shipped: false },
    ], this.modelDir(this.settings.get()));
    for (const p of problems) console.warn(`hark: skipped model folder ${p}`);
    return { models, inUse };
  }

  /** The list again, told to every window (models:event). */
  private async modelsChanged(): Promise<ModelList> {
    const list = await this.modelList();
    this.broadcast('models:event', list);
    return list;
  }

  private async installedModel(dir: string): Promise<ModelList['models'][number]> {
    const card = (await this.modelList()).models.find((m) => resolve(m.dir) === resolve(dir));
    if (!card) throw new Error(`no installed model in ${dir}`);
    return card;
  }

  /** Switch or roll back: the settings name the version, which then loads (hot-swapped when it can be). */
  private async useModel(dir: string): Promise<ModelList> {
    const card = await this.installedModel(dir);
    const modelDir = resolve(card.dir) === resolve(this.shippedModelDir) ? '' : card.dir;
    await this.updateSettings({ modelDir });
    return this.modelsChanged();
  }

  private async removeUserModel(dir: string): Promise<ModelList> {
    const card = await this.installedModel(dir);
    if (card.shipped) throw new Error(`${card.name} ${card.version} came with Hark and cannot be removed`);
    if (card.inUse) throw new Error(`${card.name} ${card.version} is the model in use: switch to another version first`);
    if (resolve(dirname(card.dir)) !== resolve(this.userModelsDir)) throw new Error(`${card.dir} is not in your models folder`);
    const base = this.retrainHost?.runningStatus?.baseModelDir;
    if (base && resolve(base) === resolve(card.dir)) throw new Error(`${card.name} ${card.version} is being retrained: wait for the job or cancel it first`);
    await removeModel(basename(card.dir), this.userModelsDir);
    return this.modelsChanged();
  }

  /** The retraining worker's host, started on first use. */
  private retrainer(): RetrainHost {
    this.retrainHost ??= new RetrainHost({
      jobsDir: join(this.opts.userDataDir, 'retrain'),
      modelsDir: this.userModelsDir,
      workerUrl: this.opts.retrain?.workerUrl,
      cancelGraceMs: this.opts.retrain?.cancelGraceMs,
      onStatus: (status) => this.broadcast('retrain:event', status),
      onEnd: (status) => {
        if (status.decision?.installed) void this.modelsChanged().catch((e: Error) => console.warn(`hark: listing models failed: ${e.message}`));
      },
      log: (line) => console.warn(`hark retrain: ${line}`),
    });
    return this.retrainHost;
  }

  /**
   * Teaches the model in use the request's items and sounds, with every recording the user has
   * of them and the user's vocabulary; the job runs in the retraining worker.
   */
  private async startRetraining(r: RequestOf<'retrain:start'>): Promise<RetrainJobStatus> {
    const host = this.retrainer();
    if (host.running) throw new Error(`a retraining job is running (${host.running}); wait for it to finish or cancel it first`);
    const sounds = r.sounds ?? [];
    const taught = new Set([...r.items, ...sounds.map((s) => `<sound:${s}>`)]);
    const recordings = (await this.recordings.list()).filter((x) => taught.has(x.item));
    for (const s of sounds) {
      if (!recordings.some((x) => x.item === `<sound:${s}>`)) throw new Error(`the sound "${s}" has no recordings: record it a few times first`);
    }
    return host.createAndStart({
      baseModelDir: this.modelDir(this.settings.get()),
      items: r.items,
      sounds: sounds.map((name) => ({ name })),
      userWords: this.userWords(),
      recordings: await Promise.all(recordings.map(async (x) => ({ item: x.item, file: await this.recordings.path(x.id) }))),
      ...(this.opts.retrain?.tuning ? { tuning: this.opts.retrain.tuning } : {}),
      installPolicy: r.installAnyway ? 'always' : 'if-better',
    });
  }

  private async info(): Promise<AppInfo> {
    const { models, problems } = await listModels([
      { dir: join(this.root, 'models'), shipped: true },
      { dir: join(this.opts.userDataDir, 'models'), shipped: false },
    ]);
    for (const p of problems) console.warn(`hark: skipped model folder ${p}`);
    return { version: this.opts.version ?? '0.0.0', userDataDir: this.opts.userDataDir, model: this.modelState, models };
  }

  private async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const before = this.settings.get();
    const after = await this.settings.update(patch);
    if (this.modelDir(after) !== this.modelDir(before)) this.loadModel();
    for (const s of this.senders) this.opts.emit(s, 'app:event', { type: 'settings', settings: after });
    return after;
  }

  /** The user's vocabulary file (words.json in the user data folder, shared with `hark words`). */
  private vocabulary(): UserVocabulary {
    return UserVocabulary.load(join(this.opts.userDataDir, USER_VOCABULARY_FILE));
  }

  /**
   * The user's words, read when a model loads; a damaged file is reported and ignored rather than
   * blocking recognition.
   */
  private userWords(): UserWord[] {
    try {
      return this.vocabulary().list();
    } catch (e) {
      console.warn(`hark: ${(e as Error).message}; recognizing without your own words`);
      return [];
    }
  }

  /**
   * Saves the vocabulary and hands the words to the loaded model's decoders: streams started and
   * files queued from now on use them (a running stream keeps its own until it restarts).
   */
  private async saveWords(v: UserVocabulary): Promise<UserWord[]> {
    v.save();
    const words = v.list();
    try {
      const loaded = await this.loaded;
      if (loaded) {
        loaded.service.setUserWords(words);
        loaded.userWords = words;
      }
    } catch {
      // No model loaded: the words are read when one loads.
    }
    return words;
  }

  private modelDir(s: Settings): string {
    return s.modelDir ? resolve(s.modelDir) : this.shippedModelDir;
  }

  /** The loaded model, waiting while it loads; rejects with the load error. */
  private currentModel(): Promise<LoadedModel> {
    if (!this.loaded) this.loadModel();
    return this.loaded!;
  }

  /**
   * (Re)loads the model the settings name. When the previous model loaded and the new one fits
   * its streams' front-end, the previous service adopts it (hot swap, see the file comment);
   * otherwise the previous service is retired once its streams stop.
   */
  private loadModel(): void {
    const dir = this.modelDir(this.settings.get());
    const previous = this.loaded;
    this.setModelState({ state: 'loading', dir });
    const generation = ++this.generation;
    const loading = (async (): Promise<LoadedModel> => {
      // The previous model's service: adopted by this load (hot swap) or retired.
      let prev: LoadedModel | null = null;
      let adopted = false;
      try {
        const model = await loadModelPackage(dir);
        const info = await describeModel(model.dir, model.metadata, model.dir.startsWith(join(this.root, 'models')));
        prev = previous ? await previous.catch(() => null) : null;
        if (prev && swapIncompatibilities(prev.model, model).length === 0) {
          try {
            // Decoders depend on the frame rate and the user's words only, both unchanged: keep them.
            await prev.service.adoptModel(model, prev.decoders);
            adopted = true;
          } catch (e) {
            console.warn(`hark: running streams stay on ${prev.model.metadata.name} until restarted: ${(e as Error).message}`);
          }
        }
        let loaded: LoadedModel;
        if (adopted && prev) {
          loaded = { model, decoders: prev.decoders, service: prev.service, userWords: prev.userWords };
        } else {
          // Decoders are built on first use, not here: the dictation LM and its search tables add
          // about 200 MB, which an idle app should not hold (bench/app.bench.ts, idle memory).
          const userWords = this.userWords();
          const decoders = new DecoderCache(model.frameSec, 8, userWords, model.metadata.units);
          const service = new RecognitionService({ model, decoders, userWords, emit: (senderId, message) => this.opts.emit(senderId, 'recognition:event', message) });
          loaded = { model, decoders, service, userWords };
        }
        if (this.generation === generation) this.setModelState({ state: 'ready', model: info, ...(adopted ? { swapped: true as const } : {}) });
        return loaded;
      } catch (e) {
        if (this.generation === generation) this.setModelState({ state: 'error', dir, error: (e as Error).message });
        throw e;
      } finally {
        if (!adopted) {
          prev ??= previous ? await previous.catch(() => null) : null;
          if (prev) {
            this.retired.push(prev.service);
            await this.releaseRetired();
          }
        }
      }
    })();
    this.loaded = loading;
    loading.catch(() => undefined);
  }

  private setModelState(state: ModelState): void {
    this.modelState = state;
    for (const s of this.senders) this.opts.emit(s, 'app:event', { type: 'model', model: state });
  }

  /** Resolves once the current model has loaded or failed (for tests and start-up). */
  async modelSettled(): Promise<ModelState> {
    try {
      await this.loaded;
    } catch {
      // reported in the state
    }
    return this.modelState;
  }

  get fileQueue(): FileJobQueue {
    return this.files;
  }

  /** A window went away: its streams stop, its file jobs are cancelled and forgotten. */
  async closeSender(senderId: number): Promise<void> {
    this.senders.delete(senderId);
    this.files.closeSender(senderId);
    const services = [...this.retired];
    if (this.loaded) {
      try {
        services.push((await this.loaded).service);
      } catch {
        // no current service
      }
    }
    for (const s of services) await s.closeSender(senderId);
    await this.releaseRetired();
  }

  async dispose(): Promise<void> {
    await this.retrainHost?.dispose();
    await this.files.dispose();
    // The load in flight first: when it settles it retires the previous model's service.
    if (this.loaded) {
      try {
        await (await this.loaded).service.dispose();
      } catch {
        // never loaded
      }
    }
    for (const s of this.retired.splice(0)) await s.dispose();
  }
}
