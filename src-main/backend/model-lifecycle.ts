/**
 * The model the app recognizes with: loaded in the background, switched when the settings name
 * another one, and the live streams routed to the RecognitionService that started them.
 *
 * Switching: a model with the same features and normalization as the loaded one (a new version
 * of it, e.g. after retraining) is hot-swapped: the loaded RecognitionService adopts it, every
 * running stream moves to it at its next utterance boundary without a gap in its audio, and the
 * ready state says `swapped: true`. Any other model gets a new RecognitionService; streams already
 * running keep the model they started with until they stop (its service is retired, and disposed
 * once it has no stream), so nothing is cut off mid-utterance. Either way new streams and file
 * jobs use the new model. Only the latest load publishes its state.
 */
import { join } from 'node:path';
import type { ModelState, RecognitionEventMessage } from '../../src-shared/ipc/app-contract.ts';
import type { RecognitionApi } from '../../src-shared/ipc/recognition-contract.ts';
import { DecoderCache } from '../engine/decoder-cache.ts';
import { sameDecodingSettings } from '../engine/recognition-decoders.ts';
import { swapIncompatibilities } from '../engine/model-swap.ts';
import { RecognitionService, StreamAccessError } from '../engine/recognition-service.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import { loadModelPackage, type ModelPackage } from '../model/model-package.ts';
import { describeModel } from '../model/model-registry.ts';

export interface LoadedModel {
  model: ModelPackage;
  decoders: DecoderCache;
  service: RecognitionService;
  userWords: readonly UserWord[];
}

export interface ModelLifecycleOptions {
  /** Folder holding models/ (a model under it is a shipped one). */
  root: string;
  /** The folder of the model the settings name. */
  dir: () => string;
  /** The user's words, read when a model loads. */
  userWords: () => UserWord[];
  /** Delivers a stream's recognition event to the window that started it. */
  emit: (senderId: number, message: RecognitionEventMessage) => void;
  /** The state changed: loading, ready or failed. */
  onState: (state: ModelState) => void;
  /** Whether live dictation finals carry the punctuation tagger's marks (RecognitionServiceOptions.punctuate). */
  punctuate?: () => boolean;
  /** Dictation's language model file, read when decoders are made (undefined: the shipped one). */
  dictationLmPath?: () => string | undefined;
}

export class ModelLifecycle {
  private loaded: Promise<LoadedModel> | null = null;
  private modelState: ModelState;
  /** Services of models replaced while streams were running on them. */
  private readonly retired: RecognitionService[] = [];
  /** Counts model loads: only the latest one may publish its state. */
  private generation = 0;

  constructor(private readonly opts: ModelLifecycleOptions) {
    this.modelState = { state: 'loading', dir: opts.dir() };
  }

  get state(): ModelState {
    return this.modelState;
  }

  /** The loaded model, waiting while it loads; rejects with the load error. */
  current(): Promise<LoadedModel> {
    if (!this.loaded) this.load();
    return this.loaded!;
  }

  /** Resolves once the current model has loaded or failed. */
  async settled(): Promise<ModelState> {
    try {
      await this.loaded;
    } catch {
      // reported in the state
    }
    return this.modelState;
  }

  /**
   * (Re)loads the model the settings name. When the previous model loaded and the new one fits
   * its streams' front-end, the previous service adopts it (hot swap, see the file comment);
   * otherwise the previous service is retired once its streams stop.
   */
  load(): void {
    const dir = this.opts.dir();
    const previous = this.loaded;
    this.setState({ state: 'loading', dir });
    const generation = ++this.generation;
    const loading = (async (): Promise<LoadedModel> => {
      // The previous model's service: adopted by this load (hot swap) or retired.
      let prev: LoadedModel | null = null;
      let adopted = false;
      let decoders: DecoderCache | null = null;
      try {
        const model = await loadModelPackage(dir);
        const info = await describeModel(model.dir, model.metadata, model.dir.startsWith(join(this.opts.root, 'models')));
        prev = previous ? await previous.catch(() => null) : null;
        if (prev && swapIncompatibilities(prev.model, model).length === 0) {
          try {
            // Decoders depend on the frame rate, the user's words and the model's calibrated phrase
            // and word confidence settings: keep them when those are unchanged (the dictation LM
            // takes seconds to load).
            decoders = sameDecodingSettings(prev.model.metadata.decoding, model.metadata.decoding) ? prev.decoders : this.decoderCache(model, prev.userWords);
            await prev.service.adoptModel(model, decoders);
            adopted = true;
          } catch (e) {
            console.warn(`hark: running streams stay on ${prev.model.metadata.name} until restarted: ${(e as Error).message}`);
          }
        }
        let loaded: LoadedModel;
        if (adopted && prev) {
          loaded = { model, decoders: decoders ?? prev.decoders, service: prev.service, userWords: prev.userWords };
        } else {
          // Decoders are built on first use, not here: the dictation LM and its search tables add
          // about 200 MB, which an idle app should not hold (bench/app.bench.ts, idle memory).
          const userWords = this.opts.userWords();
          const decoders = this.decoderCache(model, userWords);
          const service = new RecognitionService({ model, decoders, userWords, emit: this.opts.emit, punctuate: this.opts.punctuate });
          loaded = { model, decoders, service, userWords };
        }
        if (this.generation === generation) this.setState({ state: 'ready', model: info, ...(adopted ? { swapped: true as const } : {}) });
        return loaded;
      } catch (e) {
        if (this.generation === generation) this.setState({ state: 'error', dir, error: (e as Error).message });
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

  /** Starts a stream on the current model (its service validates the request). */
  async start(senderId: number, raw: unknown): Promise<RecognitionApi['start']['response']> {
    const { service } = await this.current();
    return service.handle(senderId, 'start', raw);
  }

  /** A stream lives on the service that started it (the current model's, or a retired one). */
  async route<K extends 'push' | 'configure' | 'stop'>(senderId: number, channel: K, raw: unknown): Promise<RecognitionApi[K]['response']> {
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

  /**
   * Hands the user's words to the loaded model's decoders: streams started and files queued from
   * now on use them (a running stream keeps its own until it restarts).
   */
  async setUserWords(words: UserWord[]): Promise<void> {
    try {
      const loaded = await this.loaded;
      if (loaded) {
        loaded.service.setUserWords(words);
        loaded.userWords = words;
      }
    } catch {
      // No model loaded: the words are read when one loads.
    }
  }

  /**
   * Dictation's language model changed (dictationLmPath): streams started and files queued from now
   * on decode dictation with it (a running stream keeps its decoders until it restarts).
   */
  async setDictationLm(): Promise<void> {
    try {
      (await this.loaded)?.decoders.setDictationLm(this.opts.dictationLmPath?.());
    } catch {
      // No model loaded: its decoders will read the setting when it loads.
    }
  }

  /** A window went away: its streams stop, on every service. */
  async closeSender(senderId: number): Promise<void> {
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

  private async releaseRetired(): Promise<void> {
    for (let i = this.retired.length - 1; i >= 0; i--) {
      if (this.retired[i].activeStreams === 0) {
        const [s] = this.retired.splice(i, 1);
        await s.dispose();
      }
    }
  }

  /** Decoders for `model`, with the user's words and the dictation LM in use. */
  private decoderCache(model: ModelPackage, userWords: readonly UserWord[]): DecoderCache {
    return new DecoderCache(model.frameSec, 8, userWords, model.metadata.units, model.metadata.decoding, this.opts.dictationLmPath?.());
  }

  private modelErrorText(): string {
    return this.modelState.state === 'error' ? this.modelState.error : 'still loading';
  }

  private setState(state: ModelState): void {
    this.modelState = state;
    this.opts.onState(state);
  }
}
