/**
 * An AppBackend for tests of the Files queue and live streams: opens one per user data folder,
 * keeps the files:event and recognition:event messages it emits, and transcribes a clip through
 * files:add. Call dispose() after each test.
 */
import { AppBackend } from '../../src-main/backend/app-backend.ts';
import type { FileJobEvent, FileResult, ModeSpec, RecognitionEventMessage } from '../../src-shared/ipc/app-contract.ts';

export class FilesBackend {
  backend: AppBackend | undefined;
  /** files:event messages of the backend opened last. */
  events: FileJobEvent[] = [];
  /** recognition:event messages of the backend opened last. */
  live: RecognitionEventMessage[] = [];

  async open(userDataDir: string): Promise<AppBackend> {
    this.events = [];
    this.live = [];
    this.backend = await AppBackend.create({
      userDataDir,
      emit: (_s, channel, payload) => {
        if (channel === 'files:event') this.events.push(payload as FileJobEvent);
        if (channel === 'recognition:event') this.live.push(payload as RecognitionEventMessage);
      },
    });
    return this.backend;
  }

  /** Transcribes `clip` (a path) as one Files job of window 1 and waits for its result. */
  async transcribe(b: AppBackend, clip: string, mode: ModeSpec = { kind: 'dictation' }): Promise<{ jobId: string; result: FileResult }> {
    const { jobs } = await b.handle(1, 'files:add', { files: [{ name: 'clip.wav', path: clip }], mode });
    await b.fileQueue.idle();
    const done = this.events.find((e) => e.jobId === jobs[0].jobId && e.state === 'done') as Extract<FileJobEvent, { state: 'done' }> | undefined;
    if (!done) throw new Error(`job ${jobs[0].jobId} did not finish: ${JSON.stringify(this.events.at(-1))}`);
    return { jobId: jobs[0].jobId, result: done.result };
  }

  async dispose(): Promise<void> {
    await this.backend?.dispose();
    this.backend = undefined;
  }
}
