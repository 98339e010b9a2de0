/**
 * The user's recordings in the IPC contract: a recording as it crosses the wire (without its file
 * path), the check of a retraining item, and the recordings:* channels.
 */
import { normalizeRetrainItem } from '../retrain/retrain-items.ts';
import { SAMPLE_RATE } from '../features/config.ts';
import { oneField, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { float32Rows, IpcPayloadError, onlyKeys, optional, record, string, type Check } from './validate.ts';

/** One of the user's recordings (src-main/lexicon/user-recordings.ts), without its file path. */
export interface RecordingWire {
  id: string;
  /** The item recorded: a word or phrase, or a sound token `<sound:NAME>` (normalizeRetrainItem). */
  item: string;
  durationSec: number;
  createdAt: string;
}

export const MAX_RECORDING_SAMPLES = 10 * SAMPLE_RATE;

/** A word, phrase or sound token to record or teach, normalized (normalizeRetrainItem). */
export const retrainItem: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 200);
  try {
    return normalizeRetrainItem(s);
  } catch (e) {
    throw new IpcPayloadError(c, f, `is not usable: ${(e as Error).message}`);
  }
};

const recordingId: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 40);
  if (!/^[a-z0-9-]+$/.test(s)) throw new IpcPayloadError(c, f, 'is not a recording id');
  return s;
};

export const RECORDING_CHANNELS = {
  /** The user's recordings, oldest first; of one item when `item` is given. */
  'recordings:list': {
    host: 'backend',
    request: (value): { item?: string } => {
      const c = 'recordings:list';
      const r = value === undefined ? {} : record(value, c, 'request');
      onlyKeys(r, ['item'], c, 'request');
      const item = optional(retrainItem)(r.item, c, 'item');
      return item === undefined ? {} : { item };
    },
  },
  /** Keeps a recording (16 kHz mono PCM, at most 10 s); `replaceId` is removed in the same step (re-record). */
  'recordings:add': {
    host: 'backend',
    request: (value): { item: string; pcm: Float32Array; replaceId?: string } => {
      const c = 'recordings:add';
      const r = record(value, c, 'request');
      onlyKeys(r, ['item', 'pcm', 'replaceId'], c, 'request');
      const replaceId = optional(recordingId)(r.replaceId, c, 'replaceId');
      return { item: retrainItem(r.item, c, 'item'), pcm: float32Rows(r.pcm, c, 'pcm', 1, MAX_RECORDING_SAMPLES), ...(replaceId ? { replaceId } : {}) };
    },
  },
  'recordings:remove': { host: 'backend', request: oneField('recordings:remove', 'id', recordingId) },
  /** A recording's WAV file. */
  'recordings:audio': { host: 'backend', request: oneField('recordings:audio', 'id', recordingId) },
} as const satisfies ChannelTable;

export type RecordingsApi = ChannelApi<typeof RECORDING_CHANNELS, {
  'recordings:list': { recordings: RecordingWire[] };
  'recordings:add': { recording: RecordingWire; recordings: RecordingWire[] };
  'recordings:remove': { ok: true };
  'recordings:audio': { wav: ArrayBuffer };
}>;
