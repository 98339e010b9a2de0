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
  HARK_CHANNELS, isInvokeChannel, type AppInfo, type BackendChannel, type EventChannel, type HarkEventApi, type InvokeChannel, type ModelList, type ModelState,
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
    if (!Object.hasOwn(this.handlers, channel)) throw new WrongHostError(channel);
    const handler = this.handlers[channel as BackendChannel] as (senderId: number, req: unknown, raw: unknown) => unknown;
    return handler(senderId, req, raw);
  }

  /** One handler per backend channel, typed by the contract: a channel added there without a handler here fails to compile. */
  private readonly handlers: { [C in BackendChannel]: (senderId: number, req: RequestOf<C>, raw: unknown) => Promise<ResponseOf<C>> | ResponseOf<C> } = {
    'recognition:start': async (senderId, _req, raw) => {
      const { service } = await this.currentModel();
      // The service validates again: it is the single owner of the recognition checks.
      return service.handle(senderId, 'start', raw);
    },
    'recognition:push': (senderId, _req, raw) => this.routeStream(senderId, 'push', raw),
    'recognition:configure': (senderId, _req, raw) => this.routeStream(senderId, 'configure', raw),
    'recognition:stop': (senderId, _req, raw) => this.routeStream(senderId, 'stop', raw),
    'app:info': () => this.info(),
    'settings:get': () => this.settings.get(),
    'settings:set': (_s, r) => this.updateSettings(r.patch),
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
    'words:list': () => ({ words: this.vocabulary().list() }),
    'words:add': async (_s, r) => {
      const v = this.vocabulary();
      const word = v.add(r.word, r.pronunciations ?? []);
      return { word, words: await this.saveWords(v) };
    },
    'words:remove': async (_s, r) => {
      const v = this.vocabulary();
      if (!v.remove(r.word)) throw new Error(`"${r.word}" is not in your vocabulary`);
      return { words: await this.saveWords(v) };
    },
    'words:say': async (_s, r) => {
      const entry = this.vocabulary().get(r.word);
      if (!entry) throw new Error(`"${r.word}" is not in your vocabulary`);
      return { wav: ownBuffer(await sayPronunciations(entry.pronunciations)) };
    },
    'recordings:list': async (_s, r) => ({ recordings: (await this.recordings.list(r.item)).map(recordingWire) }),
    'recordings:add': async (_s, r) => {
      const recording = await this.recordings.add(r.item, r.pcm, r.replaceId === undefined ? {} : { replaceId: r.replaceId });
      return { recording: recordingWire(recording), recordings: (await this.recordings.list(recording.item)).map(recordingWire) };
    },
    'recordings:remove': async (_s, r) => {
      await this.recordings.remove(r.id);
      return { ok: true };
    },
    'recordings:audio': async (_s, r) => ({ wav: ownBuffer(await this.recordings.audio(r.id)) }),
    'models:list': () => this.modelList(),
    'models:use': (_s, r) => this.useModel(r.dir),
    'models:remove': (_s, r) => this.removeUserModel(r.dir),
    'models:import': async (_s, r) => {
      const imported = await importModel(resolve(r.path), this.userModelsDir).catch((e: Error) => {
        throw new Error(e.message.replace(/; use --replace to overwrite it$/, '; remove that version first to import it again'));
      });
      return { imported, ...(await this.modelsChanged()) };
    },
    'models:export': async (_s, r) => {
      const card = await this.installedModel(r.dir);
      const out = resolve(r.path);
      await exportModel(card.dir, out);
      return { path: out };
    },
    'retrain:start': async (_s, r) => ({ job: await this.startRetraining(r) }),
    'retrain:cancel': async (_s, r) => {
      await this.retrainer().cancel(r.jobId);
      return { ok: true };
    },
    'retrain:resume': async (_s, r) => ({ job: await this.retrainer().resume(r.jobId) }),
    'retrain:list': async () => ({ jobs: await this.retrainer().list(), running: this.retrainer().running }),
    'retrain:remove': async (_s, r) => {
      const host = this.retrainer();
      await host.remove(r.jobId);
      return { jobs: await host.list() };
    },
  };

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

/** The bytes of a view in an ArrayBuffer of their own (what crosses IPC as `wav`). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
