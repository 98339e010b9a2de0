/**
 * The one typed IPC contract of the desktop app: every channel the renderer may invoke, with its
 * request validator, its request / response types, and every event channel with its payload
 * type. The preload bridge (src-main/electron/preload.ts), the main-process handlers
 * (src-main/electron/ipc-wiring.ts), the backend (src-main/app/app-backend.ts) and the test bridge
 * over a WebSocket (src-main/app/web-bridge-server.ts) are all derived from HARK_CHANNELS, so
 * adding a channel is one edit here plus its handler.
 *
 * Channels whose `host` is 'main' are answered by the Electron main process itself (native
 * dialogs); the web bridge answers them inside the page. All others go to the backend, which runs
 * recognition in a worker thread so the window never waits on it.
 */
import {
  checkKeyword, checkMode, RECOGNITION_CHANNELS, RECOGNITION_EVENT_CHANNEL, type ModeSpec, type KeywordSpecWire,
  type KeywordHitWire, type RecognitionApi, type RecognitionEventMessage, type WordWire,
} from './recognition-contract.ts';
import {
  arrayOf, float32Rows, IpcPayloadError, oneOf, onlyKeys, optional, record, string, type Check,
} from './validate.ts';
import { normalizeRetrainItem } from '../retrain/retrain-items.ts';
import type { RetrainFigures, RetrainJobStatus } from '../retrain/retrain-types.ts';
import { SOUND_NAME_RE } from '../units/sound-units.ts';
import { SAMPLE_RATE } from '../features/config.ts';
import { checkSettingsPatch, listItem, MAX_LIST, type Settings } from './settings-contract.ts';

export type { ModeSpec, KeywordSpecWire, KeywordHitWire, WordWire, RecognitionEvent, RecognitionEventMessage } from './recognition-contract.ts';

export {
  checkSettingsPatch, DEFAULT_SETTINGS, LISTEN_MODES, settingsFromStored, type KeywordSetting, type ListenMode, type Settings,
} from './settings-contract.ts';

// ---------------------------------------------------------------------------------------------
// Models, files, app state

export interface ModelInfo {
  /** Absolute folder of the package. */
  dir: string;
  name: string;
  version: string;
  createdAt: string;
  /** e.g. "3x192 bidirectional LSTM, 2.26 M parameters". */
  architecture: string;
  sizeMB: number;
  chunkFrames: number;
  lookaheadFrames: number;
  /** Hours of training audio and voices, when the card says. */
  trainingSummary: string;
  shipped: boolean;
}

/**
 * The model's loading state. `swapped` (ready only): the streams running when the load began were
 * moved onto this model without restarting (a hot swap: same features and normalization), so a
 * window keeps listening; absent, a running stream is still on the previous model until restarted.
 */
export type ModelState =
  | { state: 'loading'; dir: string }
  | { state: 'ready'; model: ModelInfo; swapped?: true }
  | { state: 'error'; dir: string; error: string };

export interface AppInfo {
  version: string;
  userDataDir: string;
  model: ModelState;
  /** Installed model packages (shipped and in the user data folder). */
  models: ModelInfo[];
}

export const EXPORT_FORMATS = ['txt', 'srt', 'vtt', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A file given to the Files screen: a path on disk (Electron) or its bytes (browser drop). */
export interface FileInput {
  name: string;
  path?: string;
  data?: ArrayBuffer;
}

export interface FileResult {
  name: string;
  text: string;
  words: WordWire[];
  durationSec: number;
  processingSec: number;
  keywords: KeywordHitWire[];
}

export type FileJobState = 'queued' | 'running' | 'done' | 'error' | 'canceled';

export type FileJobEvent =
  | { jobId: string; state: 'queued' | 'canceled'; name: string }
  /** `text`: the end of the transcript so far (at most 300 characters, "…" when cut). */
  | { jobId: string; state: 'running'; name: string; progress: number; etaSec: number | null; text: string }
  | { jobId: string; state: 'done'; name: string; result: FileResult }
  | { jobId: string; state: 'error'; name: string; error: string };

/** Largest file accepted as bytes over IPC (a path has no limit). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_FILES_PER_REQUEST = 200;

const checkFileInput: Check<FileInput> = (value, c, f) => {
  const r = record(value, c, f);
  onlyKeys(r, ['name', 'path', 'data'], c, f);
  const name = string(r.name, c, `${f}.name`, 1000);
  const path = optional((v, ch, fl) => string(v, ch, fl, 4096))(r.path, c, `${f}.path`);
  let data: ArrayBuffer | undefined;
  if (r.data !== undefined) {
    if (!(r.data instanceof ArrayBuffer)) throw new IpcPayloadError(c, `${f}.data`, 'must be an ArrayBuffer');
    if (r.data.byteLength > MAX_FILE_BYTES) throw new IpcPayloadError(c, `${f}.data`, `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (open the file from disk instead)`);
    data = r.data;
  }
  if ((path === undefined) === (data === undefined)) throw new IpcPayloadError(c, f, 'must give exactly one of path and data');
  return { name, ...(path !== undefined ? { path } : {}), ...(data ? { data } : {}) };
};

const id: Check<string> = (v, c, f) => string(v, c, f, 100);
const empty = (channel: string) => (value: unknown): Record<string, never> => {
  const r = value === undefined ? {} : record(value, channel, 'request');
  onlyKeys(r, [], channel, 'request');
  return {};
};

/** One word of the user's vocabulary (src-main/lexicon/user-vocabulary.ts). */
export interface UserWordWire {
  word: string;
  /** Alternatives, each a list of stressless ARPAbet phonemes. */
  pronunciations: string[][];
  source: 'g2p' | 'cmudict' | 'user';
  addedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Recordings, model versions, retraining

/** One of the user's recordings (src-main/lexicon/user-recordings.ts), without its file path. */
export interface RecordingWire {
  id: string;
  /** The item recorded: a word or phrase, or a sound token `<sound:NAME>` (normalizeRetrainItem). */
  item: string;
  durationSec: number;
  createdAt: string;
}

export const MAX_RECORDING_SAMPLES = 10 * SAMPLE_RATE;
/** Most items (words, phrases, sounds) one retraining job may teach. */
export const MAX_RETRAIN_ITEMS = 50;

/** What a retrained package's card says (model.json training.retrain and metrics.retrain). */
export interface ModelRetrainCard {
  /** "name version" of the package it was retrained from. */
  from: string;
  /** Items taught (sound tokens included). */
  items: string[];
  clips?: number;
  recordings?: number;
  epochs?: number;
  steps?: number;
  /** The evaluation before and after, and why it was installed. */
  before?: RetrainFigures;
  after?: RetrainFigures;
  decision?: string;
  evaluatedAt?: string;
}

/** An installed model version as the Models screen shows it. */
export interface ModelCard extends ModelInfo {
  /** The model the settings name (the one the app uses). */
  inUse: boolean;
  /** Names of its sound units (`<sound:NAME>` in its units), usable in commands. */
  sounds: string[];
  /** Present for a package made by retraining. */
  retrain?: ModelRetrainCard;
}

export interface ModelList {
  /** Shipped models first, then the user's, oldest version first. */
  models: ModelCard[];
  /** Folder of the model in use. */
  inUse: string;
}

const retrainItem: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 200);
  try {
    return normalizeRetrainItem(s);
  } catch (e) {
    throw new IpcPayloadError(c, f, `is not usable: ${(e as Error).message}`);
  }
};

const folderPath: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 4096);
  if (!s.trim()) throw new IpcPayloadError(c, f, 'must name a folder');
  return s;
};

const recordingId: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 40);
  if (!/^[a-z0-9-]+$/.test(s)) throw new IpcPayloadError(c, f, 'is not a recording id');
  return s;
};

const retrainJobId: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 64);
  if (!/^[a-z0-9-]+$/.test(s)) throw new IpcPayloadError(c, f, 'is not a retraining job id');
  return s;
};

/** A request of exactly one field `key`, checked by `check`; typed { [key]: T }. */
const oneField = <K extends string, T>(channel: string, key: K, check: Check<T>) => (value: unknown): { [P in K]: T } => {
  const r = record(value, channel, 'request');
  onlyKeys(r, [key], channel, 'request');
  return { [key]: check(r[key], channel, key) } as { [P in K]: T };
};

export const FOLDER_PURPOSES = ['import-model', 'export-model'] as const;
export type FolderPurpose = (typeof FOLDER_PURPOSES)[number];

const checkWordRequest = (channel: string) => (value: unknown): { word: string } => {
  const r = record(value, channel, 'request');
  onlyKeys(r, ['word'], channel, 'request');
  return { word: listItem(r.word, channel, 'word') };
};

// ---------------------------------------------------------------------------------------------
// Channels

/** Request / response types of every invoke channel. */
export interface HarkInvokeApi {
  'recognition:start': RecognitionApi['start'];
  'recognition:push': RecognitionApi['push'];
  'recognition:configure': RecognitionApi['configure'];
  'recognition:stop': RecognitionApi['stop'];
  'app:info': { request: Record<string, never>; response: AppInfo };
  'settings:get': { request: Record<string, never>; response: Settings };
  'settings:set': { request: { patch: Partial<Settings> }; response: Settings };
  'files:add': { request: { files: FileInput[]; mode: ModeSpec; keywords?: KeywordSpecWire[] }; response: { jobs: { jobId: string; name: string }[] } };
  'files:cancel': { request: { jobId: string }; response: { ok: true } };
  'files:remove': { request: { jobId: string }; response: { ok: true } };
  'files:audio': { request: { jobId: string }; response: { wav: ArrayBuffer } };
  'files:export': { request: { jobId: string; format: ExportFormat }; response: { fileName: string; text: string; mimeType: string } };
  'words:list': { request: Record<string, never>; response: { words: UserWordWire[] } };
  /** Adds or replaces a word; without pronunciations CMUdict's or a G2P guess. "K AE T" strings. */
  'words:add': { request: { word: string; pronunciations?: string[] }; response: { word: UserWordWire; words: UserWordWire[] } };
  'words:remove': { request: { word: string }; response: { words: UserWordWire[] } };
  /** The stored pronunciation spoken (espeak-ng) as a WAV file. */
  'words:say': { request: { word: string }; response: { wav: ArrayBuffer } };
  /** The user's recordings, oldest first; of one item when `item` is given. */
  'recordings:list': { request: { item?: string }; response: { recordings: RecordingWire[] } };
  /** Keeps a recording (16 kHz mono PCM, at most 10 s); `replaceId` is removed in the same step (re-record). */
  'recordings:add': { request: { item: string; pcm: Float32Array; replaceId?: string }; response: { recording: RecordingWire; recordings: RecordingWire[] } };
  'recordings:remove': { request: { id: string }; response: { ok: true } };
  /** A recording's WAV file. */
  'recordings:audio': { request: { id: string }; response: { wav: ArrayBuffer } };
  /** Installed model versions with their cards. */
  'models:list': { request: Record<string, never>; response: ModelList };
  /** Makes an installed version the app's model (switch, or roll back to an older one). */
  'models:use': { request: { dir: string }; response: ModelList };
  /** Removes one of the user's installed versions (never a shipped one, never the one in use). */
  'models:remove': { request: { dir: string }; response: ModelList };
  /** Checks and installs the package in folder `path` into the user's models. */
  'models:import': { request: { path: string }; response: ModelList & { imported: ModelInfo } };
  /** Copies an installed version into folder `path` (new or empty). */
  'models:export': { request: { dir: string; path: string }; response: { path: string } };
  /** Starts teaching the model in use `items` (words, phrases) and `sounds` (names), with the user's recordings of them. */
  'retrain:start': { request: { items: string[]; sounds?: string[]; installAnyway?: boolean }; response: { job: RetrainJobStatus } };
  /** Stops the running job at its next step; it becomes 'interrupted' (resumable). */
  'retrain:cancel': { request: { jobId: string }; response: { ok: true } };
  /** Runs an interrupted, failed or queued job again from its checkpoint. */
  'retrain:resume': { request: { jobId: string }; response: { job: RetrainJobStatus } };
  /** Every job, newest first, and the one running now (null when none). */
  'retrain:list': { request: Record<string, never>; response: { jobs: RetrainJobStatus[]; running: string | null } };
  /** Deletes a job's folder (not a model it installed). */
  'retrain:remove': { request: { jobId: string }; response: { jobs: RetrainJobStatus[] } };
  'dialog:open-audio': { request: Record<string, never>; response: { files: FileInput[] } };
  'dialog:save-text': { request: { fileName: string; text: string }; response: { saved: boolean; path?: string } };
  /** A folder chosen by the user (null when cancelled): a model package to import, or where to export one. */
  'dialog:choose-folder': { request: { purpose: FolderPurpose }; response: { path: string | null } };
}
export type InvokeChannel = keyof HarkInvokeApi;
export type RequestOf<C extends InvokeChannel> = HarkInvokeApi[C]['request'];
export type ResponseOf<C extends InvokeChannel> = HarkInvokeApi[C]['response'];

export interface ChannelSpec<C extends InvokeChannel> {
  /** Who answers: the backend worker, or the Electron main process (native UI). Literal per channel (as const). */
  host: 'backend' | 'main';
  /** Validates a request from another process (throws IpcPayloadError). */
  request: (value: unknown) => RequestOf<C> | Record<string, unknown>;
}

export const HARK_CHANNELS = {
  'recognition:start': { host: 'backend', request: RECOGNITION_CHANNELS.start.request },
  // The row width depends on the stream: the recognition service finishes this check.
  'recognition:push': { host: 'backend', request: RECOGNITION_CHANNELS.push.request },
  'recognition:configure': { host: 'backend', request: RECOGNITION_CHANNELS.configure.request },
  'recognition:stop': { host: 'backend', request: RECOGNITION_CHANNELS.stop.request },
  'app:info': { host: 'backend', request: empty('app:info') },
  'settings:get': { host: 'backend', request: empty('settings:get') },
  'settings:set': {
    host: 'backend',
    request: (value) => {
      const r = record(value, 'settings:set', 'request');
      onlyKeys(r, ['patch'], 'settings:set', 'request');
      return { patch: checkSettingsPatch(r.patch, 'settings:set', 'patch') };
    },
  },
  'files:add': {
    host: 'backend',
    request: (value) => {
      const c = 'files:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['files', 'mode', 'keywords'], c, 'request');
      const files = arrayOf(checkFileInput, MAX_FILES_PER_REQUEST)(r.files, c, 'files');
      if (files.length === 0) throw new IpcPayloadError(c, 'files', 'must list at least one file');
      const keywords = optional(arrayOf(checkKeyword, MAX_LIST))(r.keywords, c, 'keywords');
      return { files, mode: checkMode(r.mode, c, 'mode'), ...(keywords ? { keywords } : {}) };
    },
  },
  'files:cancel': { host: 'backend', request: jobRequest('files:cancel') },
  'files:remove': { host: 'backend', request: jobRequest('files:remove') },
  'files:audio': { host: 'backend', request: jobRequest('files:audio') },
  'files:export': {
    host: 'backend',
    request: (value) => {
      const c = 'files:export';
      const r = record(value, c, 'request');
      onlyKeys(r, ['jobId', 'format'], c, 'request');
      return { jobId: id(r.jobId, c, 'jobId'), format: oneOf(EXPORT_FORMATS)(r.format, c, 'format') };
    },
  },
  'words:list': { host: 'backend', request: empty('words:list') },
  'words:add': {
    host: 'backend',
    request: (value) => {
      const c = 'words:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['word', 'pronunciations'], c, 'request');
      const pronunciations = optional(arrayOf((v, ch, f) => string(v, ch, f, 500), 8))(r.pronunciations, c, 'pronunciations');
      return { word: listItem(r.word, c, 'word'), ...(pronunciations ? { pronunciations } : {}) };
    },
  },
  'words:remove': { host: 'backend', request: checkWordRequest('words:remove') },
  'words:say': { host: 'backend', request: checkWordRequest('words:say') },
  'recordings:list': {
    host: 'backend',
    request: (value) => {
      const c = 'recordings:list';
      const r = value === undefined ? {} : record(value, c, 'request');
      onlyKeys(r, ['item'], c, 'request');
      const item = optional(retrainItem)(r.item, c, 'item');
      return item === undefined ? {} : { item };
    },
  },
  'recordings:add': {
    host: 'backend',
    request: (value) => {
      const c = 'recordings:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['item', 'pcm', 'replaceId'], c, 'request');
      const replaceId = optional(recordingId)(r.replaceId, c, 'replaceId');
      return { item: retrainItem(r.item, c, 'item'), pcm: float32Rows(r.pcm, c, 'pcm', 1, MAX_RECORDING_SAMPLES), ...(replaceId ? { replaceId } : {}) };
    },
  },
  'recordings:remove': { host: 'backend', request: oneField('recordings:remove', 'id', recordingId) },
  'recordings:audio': { host: 'backend', request: oneField('recordings:audio', 'id', recordingId) },
  'models:list': { host: 'backend', request: empty('models:list') },
  'models:use': { host: 'backend', request: oneField('models:use', 'dir', folderPath) },
  'models:remove': { host: 'backend', request: oneField('models:remove', 'dir', folderPath) },
  'models:import': { host: 'backend', request: oneField('models:import', 'path', folderPath) },
  'models:export': {
    host: 'backend',
    request: (value) => {
      const c = 'models:export';
      const r = record(value, c, 'request');
      onlyKeys(r, ['dir', 'path'], c, 'request');
      return { dir: folderPath(r.dir, c, 'dir'), path: folderPath(r.path, c, 'path') };
    },
  },
  'retrain:start': {
    host: 'backend',
    request: (value) => {
      const c = 'retrain:start';
      const r = record(value, c, 'request');
      onlyKeys(r, ['items', 'sounds', 'installAnyway'], c, 'request');
      const items = arrayOf((v, ch, f) => {
        const item = retrainItem(v, ch, f);
        if (item.startsWith('<')) throw new IpcPayloadError(ch, f, 'is a sound token: list sounds by name in "sounds"');
        return item;
      }, MAX_RETRAIN_ITEMS)(r.items, c, 'items');
      const sounds = optional(arrayOf((v, ch, f) => {
        const name = string(v, ch, f, 32);
        if (!SOUND_NAME_RE.test(name)) throw new IpcPayloadError(ch, f, 'must be a sound name: 1 to 32 lower-case letters, digits or -');
        return name;
      }, MAX_RETRAIN_ITEMS))(r.sounds, c, 'sounds') ?? [];
      if (items.length + sounds.length === 0) throw new IpcPayloadError(c, 'items', 'must name at least one word, phrase or sound to teach');
      if (items.length + sounds.length > MAX_RETRAIN_ITEMS) throw new IpcPayloadError(c, 'items', `and sounds together must be at most ${MAX_RETRAIN_ITEMS}`);
      let installAnyway: boolean | undefined;
      if (r.installAnyway !== undefined) {
        if (typeof r.installAnyway !== 'boolean') throw new IpcPayloadError(c, 'installAnyway', 'must be true or false');
        installAnyway = r.installAnyway;
      }
      return { items: [...new Set(items)], ...(sounds.length ? { sounds: [...new Set(sounds)] } : {}), ...(installAnyway !== undefined ? { installAnyway } : {}) };
    },
  },
  'retrain:cancel': { host: 'backend', request: oneField('retrain:cancel', 'jobId', retrainJobId) },
  'retrain:resume': { host: 'backend', request: oneField('retrain:resume', 'jobId', retrainJobId) },
  'retrain:list': { host: 'backend', request: empty('retrain:list') },
  'retrain:remove': { host: 'backend', request: oneField('retrain:remove', 'jobId', retrainJobId) },
  'dialog:open-audio': { host: 'main', request: empty('dialog:open-audio') },
  'dialog:save-text': {
    host: 'main',
    request: (value) => {
      const c = 'dialog:save-text';
      const r = record(value, c, 'request');
      onlyKeys(r, ['fileName', 'text'], c, 'request');
      const fileName = string(r.fileName, c, 'fileName', 255);
      if (!fileName.trim() || /[/\\]/.test(fileName)) throw new IpcPayloadError(c, 'fileName', 'must be a plain file name');
      return { fileName, text: string(r.text, c, 'text', 64 * 1024 * 1024) };
    },
  },
  'dialog:choose-folder': {
    host: 'main',
    request: (value) => {
      const c = 'dialog:choose-folder';
      const r = record(value, c, 'request');
      onlyKeys(r, ['purpose'], c, 'request');
      return { purpose: oneOf(FOLDER_PURPOSES)(r.purpose, c, 'purpose') };
    },
  },
} as const satisfies { [C in InvokeChannel]: ChannelSpec<C> };

function jobRequest(channel: string) {
  return (value: unknown): { jobId: string } => {
    const r = record(value, channel, 'request');
    onlyKeys(r, ['jobId'], channel, 'request');
    return { jobId: id(r.jobId, channel, 'jobId') };
  };
}

export const INVOKE_CHANNELS = Object.keys(HARK_CHANNELS) as InvokeChannel[];

/** The channels the backend answers (host 'backend'). */
export type BackendChannel = { [C in InvokeChannel]: (typeof HARK_CHANNELS)[C]['host'] extends 'backend' ? C : never }[InvokeChannel];

export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && Object.hasOwn(HARK_CHANNELS, c);

/** Payload types of every event channel (main -> renderer). */
export interface HarkEventApi {
  'recognition:event': RecognitionEventMessage;
  'files:event': FileJobEvent;
  'app:event': { type: 'model'; model: ModelState } | { type: 'settings'; settings: Settings };
  /** A retraining job's status changed (progress, phase, the end with its decision). */
  'retrain:event': RetrainJobStatus;
  /** The installed model versions changed (a job installed one, an import, a removal, a switch). */
  'models:event': ModelList;
}
export type EventChannel = keyof HarkEventApi;
export const EVENT_CHANNELS: readonly EventChannel[] = [RECOGNITION_EVENT_CHANNEL, 'files:event', 'app:event', 'retrain:event', 'models:event'];
export const isEventChannel = (c: unknown): c is EventChannel => typeof c === 'string' && (EVENT_CHANNELS as readonly string[]).includes(c);

/**
 * What the renderer sees as `window.hark`: exposed by the preload script in Electron, and by the
 * web bridge client (src-renderer/bridge) when the same renderer runs in a plain browser.
 */
export interface HarkBridge {
  /** 'electron' (preload) or 'web' (the WebSocket test/dev bridge). */
  readonly kind: 'electron' | 'web';
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Subscribes to an event channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: HarkEventApi[E]) => void): () => void;
  /** The path of a dropped File on disk (Electron), or null where the page cannot know it. */
  pathForFile(file: File): string | null;
}

/** An error as it crosses a process boundary (Error objects lose their class). */
export interface WireError {
  name: string;
  message: string;
}
