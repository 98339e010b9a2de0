/**
 * The one typed IPC contract of the desktop app: every channel the renderer may invoke, with its
 * request validator, its request / response types, and every event channel with its payload
 * type. The preload bridge (src-main/electron/preload.ts), the main-process handlers
 * (src-main/electron/ipc-wiring.ts), the backend (src-main/backend/app-backend.ts) and the test bridge
 * over a WebSocket (src-main/backend/web-bridge-server.ts) are all derived from HARK_CHANNELS, so
 * adding a channel is one edit in its area's table plus its handler.
 *
 * Each area lists its channels beside its wire types (channel-table.ts says how): live recognition
 * (recognition-contract.ts), settings, files, the user's vocabulary, recordings, model versions,
 * retraining and native dialogs (*-contract.ts); this module joins the tables and re-exports the
 * areas' types, so importers need only this one.
 *
 * Channels whose `host` is 'main' are answered by the Electron main process itself (native
 * dialogs, the desktop integration); the web bridge answers them inside the page. All others go
 * to the backend, which runs recognition in a worker thread so the window never waits on it.
 */
import type { RetrainJobStatus } from '../retrain/retrain-types.ts';
import { emptyRequest, type ChannelApi, type ChannelSpec, type ChannelTable } from './channel-table.ts';
import { DESKTOP_CHANNELS, type DesktopApi, type DesktopEvent } from './desktop-contract.ts';
import { DIALOG_CHANNELS, type DialogApi } from './dialog-contract.ts';
import { FILE_CHANNELS, type FileJobEvent, type FilesApi } from './files-contract.ts';
import { MODEL_CHANNELS, type ModelList, type ModelStatus, type ModelsApi } from './models-contract.ts';
import {
  RECOGNITION_CHANNELS, RECOGNITION_EVENT_CHANNEL, type RecognitionApi, type RecognitionEventMessage,
} from './recognition-contract.ts';
import { RECORDING_CHANNELS, type RecordingsApi } from './recordings-contract.ts';
import { RETRAIN_CHANNELS, type RetrainApi } from './retrain-contract.ts';
import { SETTINGS_CHANNELS, type DictationLmName, type Settings, type SettingsApi } from './settings-contract.ts';
import { VOCABULARY_CHANNELS, type VocabularyApi } from './vocabulary-contract.ts';

export type { ChannelSpec } from './channel-table.ts';
export {
  MAX_INSERT_CHARS, type DesktopEvent, type DesktopStatus, type InsertionBackendName, type InsertionOutcome, type ShortcutAction, type ShortcutState,
} from './desktop-contract.ts';
export { FOLDER_PURPOSES, type FolderPurpose } from './dialog-contract.ts';
export {
  EXPORT_FORMATS, MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, type ExportFormat, type FileInput, type FileJobEvent, type FileJobState, type FileResult,
} from './files-contract.ts';
export { folderName, modelStatusForWindow, type BrokenModel, type ModelCard, type ModelInfo, type ModelList, type ModelRetrainCard, type ModelState, type ModelStatus, type ModelSummary } from './models-contract.ts';
export type { ModeSpec, KeywordSpecWire, KeywordHitWire, PhraseRejectionWire, WordWire, RecognitionEvent, RecognitionEventMessage } from './recognition-contract.ts';
export { MAX_RECORDING_SAMPLES, type RecordingWire } from './recordings-contract.ts';
export { MAX_RETRAIN_ITEMS } from './retrain-contract.ts';
export {
  checkSettingsPatch, DEFAULT_SETTINGS, DICTATION_LMS, LISTEN_MODES, settingsFromStored, type DictationLmName, type KeywordSetting, type ListenMode, type Settings,
} from './settings-contract.ts';
export type { UserWordWire } from './vocabulary-contract.ts';

// ---------------------------------------------------------------------------------------------
// The app as a whole

/**
 * What the window learns at start-up. No absolute file-system path: the model in use is named by
 * its folder's name (ModelStatus); the installed versions, which the window switches between by
 * folder, come from models:list.
 */
export interface AppInfo {
  version: string;
  model: ModelStatus;
  /**
   * Problems found at start-up that the user should read, each a sentence naming the file: a
   * damaged settings.json, what of it was lost, and where the copy of it was kept.
   */
  notices: string[];
  /** The dictation language models the Settings screen offers (settings.dictationLm), in DICTATION_LMS order. */
  dictationLms: DictationLmOption[];
}

/** One dictation language model as the window shows it (no path). */
export interface DictationLmOption {
  name: DictationLmName;
  /** Short name for the choice. */
  label: string;
  /** Whether it can be used here (PocketSphinx's needs its Debian package). */
  available: boolean;
  /** One sentence: what it is, or what to install. */
  detail: string;
}

const APP_CHANNELS = {
  'app:info': { host: 'backend', request: emptyRequest('app:info') },
} as const satisfies ChannelTable;

type AppApi = ChannelApi<typeof APP_CHANNELS, { 'app:info': AppInfo }>;

// ---------------------------------------------------------------------------------------------
// Channels

/** Live recognition's channels (recognition-contract.ts) under their wire names. */
const RECOGNITION_INVOKE_CHANNELS = {
  'recognition:start': { host: 'backend', request: RECOGNITION_CHANNELS.start.request },
  // The row width depends on the stream: the recognition service finishes this check.
  'recognition:push': { host: 'backend', request: RECOGNITION_CHANNELS.push.request },
  'recognition:configure': { host: 'backend', request: RECOGNITION_CHANNELS.configure.request },
  'recognition:stop': { host: 'backend', request: RECOGNITION_CHANNELS.stop.request },
} as const satisfies ChannelTable;

/** Request types as recognition-contract.ts gives them (push's validator checks only the shape). */
interface RecognitionInvokeApi {
  'recognition:start': RecognitionApi['start'];
  'recognition:push': RecognitionApi['push'];
  'recognition:configure': RecognitionApi['configure'];
  'recognition:stop': RecognitionApi['stop'];
}

/** Request / response types of every invoke channel. */
export interface HarkInvokeApi
  extends RecognitionInvokeApi, AppApi, SettingsApi, FilesApi, VocabularyApi, RecordingsApi, ModelsApi, RetrainApi, DialogApi, DesktopApi {}
export type InvokeChannel = keyof HarkInvokeApi;
export type RequestOf<C extends InvokeChannel> = HarkInvokeApi[C]['request'];
export type ResponseOf<C extends InvokeChannel> = HarkInvokeApi[C]['response'];

export const HARK_CHANNELS = {
  ...RECOGNITION_INVOKE_CHANNELS,
  ...APP_CHANNELS,
  ...SETTINGS_CHANNELS,
  ...FILE_CHANNELS,
  ...VOCABULARY_CHANNELS,
  ...RECORDING_CHANNELS,
  ...MODEL_CHANNELS,
  ...RETRAIN_CHANNELS,
  ...DIALOG_CHANNELS,
  ...DESKTOP_CHANNELS,
} as const satisfies { [C in InvokeChannel]: ChannelSpec };

/**
 * What a channel's validator returns: RequestOf, except where the validator checks only the shape
 * (recognition:push, whose rows the recognition service checks against its stream).
 */
export type CheckedRequestOf<C extends InvokeChannel> = ReturnType<(typeof HARK_CHANNELS)[C]['request']>;

export const INVOKE_CHANNELS = Object.keys(HARK_CHANNELS) as InvokeChannel[];

/** The channels the backend answers (host 'backend'). */
export type BackendChannel = { [C in InvokeChannel]: (typeof HARK_CHANNELS)[C]['host'] extends 'backend' ? C : never }[InvokeChannel];

export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && Object.hasOwn(HARK_CHANNELS, c);

/** Whether the backend answers `c` (else the Electron main process does). */
export const isBackendChannel = (c: InvokeChannel): c is BackendChannel => HARK_CHANNELS[c].host === 'backend';

/** Payload types of every event channel (main -> renderer). */
export interface HarkEventApi {
  'recognition:event': RecognitionEventMessage;
  'files:event': FileJobEvent;
  'app:event': { type: 'model'; model: ModelStatus } | { type: 'settings'; settings: Settings };
  /** A retraining job's status changed (progress, phase, the end with its decision). */
  'retrain:event': RetrainJobStatus;
  /** The installed model versions changed (a job installed one, an import, a removal, a switch). */
  'models:event': ModelList;
  /** The desktop integration (desktop-contract.ts): a global shortcut or the tray asked for something, or its status changed. */
  'desktop:event': DesktopEvent;
}
export type EventChannel = keyof HarkEventApi;
export const EVENT_CHANNELS: readonly EventChannel[] = [RECOGNITION_EVENT_CHANNEL, 'files:event', 'app:event', 'retrain:event', 'models:event', 'desktop:event'];
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
