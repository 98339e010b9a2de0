/**
 * Models in the IPC contract: an installed package as the app describes it, the loading state of
 * the model in use, the cards of installed versions (a retrained one says what it was taught and
 * how it scored), and the models:* channels (switch, roll back, remove, import, export).
 */
import type { RetrainFigures } from '../retrain/retrain-types.ts';
import { emptyRequest, oneField, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { IpcPayloadError, onlyKeys, record, string, type Check } from './validate.ts';

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

/**
 * The model's loading state as a window sees it (app:info, app:event): ModelState with each
 * absolute folder replaced by the folder's name (`folder`), which is all the window shows. The
 * models:* channels, which act on folders, still name them by path (ModelCard.dir).
 */
export type ModelSummary = Omit<ModelInfo, 'dir'> & { folder: string };
export type ModelStatus =
  | { state: 'loading'; folder: string }
  | { state: 'ready'; model: ModelSummary; swapped?: true }
  | { state: 'error'; folder: string; error: string };

/** The last segment of a folder path ('' for ''), on either separator. */
export function folderName(dir: string): string {
  return dir.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

/** A ModelState as the window may see it (ModelStatus). */
export function modelStatusForWindow(s: ModelState): ModelStatus {
  if (s.state !== 'ready') return s.state === 'loading' ? { state: 'loading', folder: folderName(s.dir) } : { state: 'error', folder: folderName(s.dir), error: s.error };
  const { dir, ...card } = s.model;
  return { state: 'ready', model: { ...card, folder: folderName(dir) }, ...(s.swapped ? { swapped: true as const } : {}) };
}

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

/** A folder in a models folder whose model.json this build cannot use, and why (listed, never used). */
export interface BrokenModel {
  dir: string;
  reason: string;
}

export interface ModelList {
  /** Shipped models first, then the user's, oldest version first. */
  models: ModelCard[];
  /** Folders holding a model.json that cannot be used (a damaged or foreign card), by folder name. */
  broken: BrokenModel[];
  /** Folder of the model in use. */
  inUse: string;
}

const folderPath: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 4096);
  if (!s.trim()) throw new IpcPayloadError(c, f, 'must name a folder');
  return s;
};

export const MODEL_CHANNELS = {
  /** Installed model versions with their cards. */
  'models:list': { host: 'backend', request: emptyRequest('models:list') },
  /** Makes an installed version the app's model (switch, or roll back to an older one). */
  'models:use': { host: 'backend', request: oneField('models:use', 'dir', folderPath) },
  /** Removes one of the user's installed versions (never a shipped one, never the one in use). */
  'models:remove': { host: 'backend', request: oneField('models:remove', 'dir', folderPath) },
  /** Checks and installs the package in folder `path` into the user's models. */
  'models:import': { host: 'backend', request: oneField('models:import', 'path', folderPath) },
  /** Copies an installed version into folder `path` (new or empty). */
  'models:export': {
    host: 'backend',
    request: (value): { dir: string; path: string } => {
      const c = 'models:export';
      const r = record(value, c, 'request');
      onlyKeys(r, ['dir', 'path'], c, 'request');
      return { dir: folderPath(r.dir, c, 'dir'), path: folderPath(r.path, c, 'path') };
    },
  },
} as const satisfies ChannelTable;

export type ModelsApi = ChannelApi<typeof MODEL_CHANNELS, {
  'models:list': ModelList;
  'models:use': ModelList;
  'models:remove': ModelList;
  'models:import': ModelList & { imported: ModelInfo };
  'models:export': { path: string };
}>;
