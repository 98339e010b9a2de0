/**
 * The user's recordings of the items they teach Hark: words, phrases and sound tokens
 * `<sound:NAME>` (spelled by normalizeRetrainItem), each a 16 kHz mono WAV file in
 * `<user data>/recordings/<id>.wav`, listed in `<user data>/recordings/index.json`:
 *   { "version": 1, "recordings": [{ id, item, file, durationSec, createdAt }, ...] }
 * (file is the name inside the folder, always "<id>.wav").
 *
 * Contracts:
 * - It is the user's own data set: nothing deletes a recording but remove() (or add() with
 *   `replaceId`, which is a remove of that one). Retraining jobs copy the files they use.
 * - The index is rewritten atomically (temporary file + rename) after the WAV file is complete,
 *   so a crash leaves at most an unlisted WAV file, never a listed missing one.
 * - A damaged index (not JSON, wrong shape, a bad entry) is a UserRecordingsError naming the file;
 *   nothing is written while it is damaged, so nothing is lost.
 * - Changes through one instance are serialized; one instance per folder (the backend's).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../audio/index.ts';
import { normalizeRetrainItem } from '../../src-shared/retrain/retrain-items.ts';
import { writeFileAtomic } from '../system/atomic-write.ts';
import { parseJson } from '../system/parse-json.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export const RECORDINGS_DIR = 'recordings';
export const RECORDINGS_INDEX_FILE = 'index.json';
/** Longest recording kept (seconds). */
export const MAX_RECORDING_SEC = 10;
/** Shortest recording kept (seconds): less holds no word. */
export const MIN_RECORDING_SEC = 0.1;

export interface UserRecording {
  id: string;
  /** The item recorded, normalized (normalizeRetrainItem). */
  item: string;
  /** File name inside the recordings folder: "<id>.wav". */
  file: string;
  durationSec: number;
  /** ISO 8601. */
  createdAt: string;
}

/** A request the store refuses, or an index it cannot read; the message is fit for the user. */
export class UserRecordingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserRecordingsError';
  }
}

const ID_RE = /^[a-z0-9]{1,20}-[a-f0-9]{8}$/;

export class UserRecordings {
  private chain: Promise<unknown> = Promise.resolve();

  /** `dir` is the recordings folder itself (see inUserData). */
  constructor(readonly dir: string) {}

  static inUserData(userDataDir: string): UserRecordings {
    return new UserRecordings(join(userDataDir, RECORDINGS_DIR));
  }

  get indexPath(): string {
    return join(this.dir, RECORDINGS_INDEX_FILE);
  }

  /** The recordings, oldest first; only those of `item` when given (any spelling of it). */
  async list(item?: string): Promise<UserRecording[]> {
    const all = await this.readIndex();
    if (item === undefined) return all;
    const key = this.item(item);
    return all.filter((r) => r.item === key);
  }

  /**
   * Keeps `pcm` (mono, 16 kHz, samples in [-1, 1]; louder values are clipped in the WAV) as a
   * recording of `item`. With `replaceId`, that recording is removed in the same index write
   * (re-recording); it must exist.
   */
  add(item: string, pcm: Float32Array, opts: { replaceId?: string } = {}): Promise<UserRecording> {
    return this.serialize(async () => {
      const key = this.item(item);
      checkPcm(pcm);
      const list = await this.readIndex();
      const replaced = opts.replaceId === undefined ? undefined : this.find(list, opts.replaceId);
      const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
      const rec: UserRecording = { id, item: key, file: `${id}.wav`, durationSec: round3(pcm.length / SAMPLE_RATE), createdAt: new Date().toISOString() };
      await mkdir(this.dir, { recursive: true });
      await writeAtomic(join(this.dir, rec.file), encodeWav(pcm, SAMPLE_RATE));
      try {
        await this.writeIndex([...list.filter((r) => r !== replaced), rec]);
      } catch (e) {
        await rm(join(this.dir, rec.file), { force: true });
        throw e;
      }
      if (replaced) await rm(join(this.dir, replaced.file), { force: true });
      return rec;
    });
  }

  /** Deletes one recording (its index entry, then its file); returns what it was. */
  remove(id: string): Promise<UserRecording> {
    return this.serialize(async () => {
      const list = await this.readIndex();
      const rec = this.find(list, id);
      await this.writeIndex(list.filter((r) => r !== rec));
      await rm(join(this.dir, rec.file), { force: true });
      return rec;
    });
  }

  /** The WAV file of a recording. */
  async path(id: string): Promise<string> {
    return join(this.dir, this.find(await this.readIndex(), id).file);
  }

  /** The WAV bytes of a recording. */
  async audio(id: string): Promise<Uint8Array> {
    const path = await this.path(id);
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      throw new UserRecordingsError(`the file of recording ${id} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${path}`);
    }
  }

  private item(text: string): string {
    try {
      return normalizeRetrainItem(text);
    } catch (e) {
      throw new UserRecordingsError((e as Error).message);
    }
  }

  private find(list: UserRecording[], id: string): UserRecording {
    const rec = list.find((r) => r.id === id);
    if (!rec) throw new UserRecordingsError(`there is no recording "${id}"`);
    return rec;
  }

  private serialize<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async readIndex(): Promise<UserRecording[]> {
    let text: string;
    try {
      text = await readFile(this.indexPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new UserRecordingsError(`cannot read your recordings list ${this.indexPath}: ${(e as Error).message}`);
    }
    const damaged = (why: string) => new UserRecordingsError(`your recordings list ${this.indexPath} is damaged (${why}); no recording was changed or deleted: repair the file or move it away to start a new list`);
    let data: unknown;
    try {
      data = parseJson(text);
    } catch (e) {
      throw damaged((e as Error).message);
    }
    const d = data as { version?: unknown; recordings?: unknown };
    if (typeof d !== 'object' || d === null || d.version !== 1 || !Array.isArray(d.recordings)) throw damaged('expected {"version": 1, "recordings": [...]}');
    const seen = new Set<string>();
    return d.recordings.map((raw: unknown, i: number) => {
      const r = raw as Partial<UserRecording>;
      if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || !ID_RE.test(r.id) || seen.has(r.id)) throw damaged(`entry ${i} has no valid, unique id`);
      seen.add(r.id);
      if (r.file !== `${r.id}.wav`) throw damaged(`entry ${i} names file ${JSON.stringify(r.file)}, expected "${r.id}.wav"`);
      if (typeof r.durationSec !== 'number' || !Number.isFinite(r.durationSec) || r.durationSec <= 0) throw damaged(`entry ${i} has no valid duration`);
      if (typeof r.createdAt !== 'string') throw damaged(`entry ${i} has no creation time`);
      let item: string;
      try {
        item = normalizeRetrainItem(String(r.item));
      } catch (e) {
        throw damaged(`entry ${i}: ${(e as Error).message}`);
      }
      return { id: r.id, item, file: r.file, durationSec: r.durationSec, createdAt: r.createdAt };
    });
  }

  private async writeIndex(list: UserRecording[]): Promise<void> {
    await writeAtomic(this.indexPath, `${JSON.stringify({ version: 1, recordings: list }, null, 2)}\n`);
  }
}

function checkPcm(pcm: Float32Array): void {
  if (!(pcm instanceof Float32Array)) throw new UserRecordingsError('a recording must be a Float32Array of 16 kHz samples');
  const sec = pcm.length / SAMPLE_RATE;
  if (sec < MIN_RECORDING_SEC) throw new UserRecordingsError(`the recording is empty or too short (${sec.toFixed(2)} s; at least ${MIN_RECORDING_SEC} s)`);
  if (sec > MAX_RECORDING_SEC) throw new UserRecordingsError(`the recording is ${sec.toFixed(1)} s long; at most ${MAX_RECORDING_SEC} s are kept`);
  for (let i = 0; i < pcm.length; i++) if (!Number.isFinite(pcm[i])) throw new UserRecordingsError(`the recording holds a non-finite sample at index ${i}`);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    throw new UserRecordingsError((e as Error).message);
  }
}
