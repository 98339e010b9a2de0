/**
 * The user's recordings (the recordings:* channels): clips of words, phrases and sounds to teach
 * the model, kept in <user data>/recordings/ (UserRecordings). On the wire a recording has no file
 * path; retraining gets the files through filesOf.
 */
import type { RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import { UserRecordings, type UserRecording } from '../lexicon/user-recordings.ts';
import { ownBuffer } from './own-buffer.ts';

const recordingWire = (r: UserRecording): RecordingWire => ({ id: r.id, item: r.item, durationSec: r.durationSec, createdAt: r.createdAt });

export class RecordingsService {
  private recordings: UserRecordings | null = null;

  constructor(private readonly userDataDir: string) {}

  /** The store, opened on first use. */
  private get store(): UserRecordings {
    this.recordings ??= UserRecordings.inUserData(this.userDataDir);
    return this.recordings;
  }

  /** Oldest first; of one item when given (any spelling of it). */
  async list(item?: string): Promise<RecordingWire[]> {
    return (await this.store.list(item)).map(recordingWire);
  }

  /** Keeps a recording; `replaceId` is removed in the same step. Returns it and every recording of its item. */
  async add(item: string, pcm: Float32Array, replaceId?: string): Promise<{ recording: RecordingWire; recordings: RecordingWire[] }> {
    const recording = await this.store.add(item, pcm, replaceId === undefined ? {} : { replaceId });
    return { recording: recordingWire(recording), recordings: await this.list(recording.item) };
  }

  async remove(id: string): Promise<void> {
    await this.store.remove(id);
  }

  /** A recording's WAV file. */
  async audio(id: string): Promise<ArrayBuffer> {
    return ownBuffer(await this.store.audio(id));
  }

  /** Every recording of the items in `items` (normalized, sound tokens as `<sound:NAME>`), with its WAV file. */
  async filesOf(items: ReadonlySet<string>): Promise<{ item: string; file: string }[]> {
    const recordings = (await this.store.list()).filter((x) => items.has(x.item));
    return Promise.all(recordings.map(async (x) => ({ item: x.item, file: await this.store.path(x.id) })));
  }
}
