/**
 * Retraining in the IPC contract: the retrain:* channels, which start, cancel, resume, list and
 * remove jobs teaching the model in use the user's words, phrases and sounds (the job's status
 * is src-shared/retrain/retrain-types.ts).
 */
import type { RetrainJobStatus } from '../retrain/retrain-types.ts';
import { SOUND_NAME_RE } from '../units/sound-units.ts';
import { emptyRequest, oneField, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { retrainItem } from './recordings-contract.ts';
import { arrayOf, IpcPayloadError, onlyKeys, optional, record, string, type Check } from './validate.ts';

/** Most items (words, phrases, sounds) one retraining job may teach. */
export const MAX_RETRAIN_ITEMS = 50;

const retrainJobId: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 64);
  if (!/^[a-z0-9-]+$/.test(s)) throw new IpcPayloadError(c, f, 'is not a retraining job id');
  return s;
};

export const RETRAIN_CHANNELS = {
  /** Starts teaching the model in use `items` (words, phrases) and `sounds` (names), with the user's recordings of them. */
  'retrain:start': {
    host: 'backend',
    request: (value): { items: string[]; sounds?: string[]; installAnyway?: boolean } => {
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
  /** Stops the running job at its next step; it becomes 'interrupted' (resumable). */
  'retrain:cancel': { host: 'backend', request: oneField('retrain:cancel', 'jobId', retrainJobId) },
  /** Runs an interrupted, failed or queued job again from its checkpoint. */
  'retrain:resume': { host: 'backend', request: oneField('retrain:resume', 'jobId', retrainJobId) },
  /** Every job, newest first, and the one running now (null when none). */
  'retrain:list': { host: 'backend', request: emptyRequest('retrain:list') },
  /** Deletes a job's folder (not a model it installed). */
  'retrain:remove': { host: 'backend', request: oneField('retrain:remove', 'jobId', retrainJobId) },
} as const satisfies ChannelTable;

export type RetrainApi = ChannelApi<typeof RETRAIN_CHANNELS, {
  'retrain:start': { job: RetrainJobStatus };
  'retrain:cancel': { ok: true };
  'retrain:resume': { job: RetrainJobStatus };
  'retrain:list': { jobs: RetrainJobStatus[]; running: string | null };
  'retrain:remove': { jobs: RetrainJobStatus[] };
}>;
