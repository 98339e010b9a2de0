import type { HarkBridge, KeywordSpecWire, ModeSpec, ResponseOf, Settings } from '../../src-shared/ipc/app-contract.ts';
import { MAX_PUSH_VALUES } from '../../src-shared/ipc/recognition-contract.ts';
import type { AudioBlock } from '../audio/block-batcher.ts';
import { MicrophoneCapture } from '../audio/microphone-capture.ts';
import { startRequestFor } from '../view-state/live-config.ts';
import { LiveFeatures } from './live-features.ts';
import { PushQueue } from './push-queue.ts';

/** Callbacks of a live session. */
export interface LiveSessionHooks {
  /** Every captured block, after its rows were queued; `capturedSec` = session audio so far. */
  onBlock(block: AudioBlock, capturedSec: number): void;
  /** A push failed or the microphone went away: the session is dead and should be stopped. */
  onFailure(error: unknown): void;
}

/**
 * One listening session: recognition:start (which fixes the feature configuration), then the
 * microphone; each captured block becomes MFCC rows (plus keyword-warp rows) pushed strictly in
 * order. stop() closes the microphone, sends what is queued, then recognition:stop (which
 * flushes the last final). Events are not handled here: they arrive on 'recognition:event'
 * tagged with `streamId`.
 */
export class LiveSession {
  private capture: MicrophoneCapture | null = null;
  private stopped = false;

  private constructor(
    private readonly bridge: HarkBridge,
    readonly start: ResponseOf<'recognition:start'>,
    private readonly queue: PushQueue,
    private readonly features: LiveFeatures,
  ) {}

  get streamId(): string {
    return this.start.streamId;
  }

  /**
   * Starts recognition with `settings`, then opens the microphone. Throws MicrophoneError for
   * microphone problems (the stream is stopped again) and the invoke error otherwise.
   */
  static async open(bridge: HarkBridge, settings: Settings, hooks: LiveSessionHooks): Promise<LiveSession> {
    const request = startRequestFor(settings);
    if (!request) throw new Error('Add at least one command before listening in Commands mode.');
    const start = await bridge.invoke('recognition:start', request);
    const features = new LiveFeatures(start.features, start.keywordWarps);
    const width = start.features.numMfcc;
    const queue = new PushQueue(
      (rows) => bridge.invoke('recognition:push', { streamId: start.streamId, ...rows }),
      (e) => hooks.onFailure(e),
      width,
      MAX_PUSH_VALUES,
    );
    const s = new LiveSession(bridge, start, queue, features);
    try {
      s.capture = await MicrophoneCapture.open({
        deviceId: settings.microphoneId,
        sampleRate: start.features.sampleRate,
        pushMs: settings.pushMs,
        onBlock: (block, capturedSec) => {
          if (s.stopped) return;
          const rows = s.features.push(block.samples);
          if (rows) s.queue.add(rows);
          hooks.onBlock(block, capturedSec);
        },
        onEnded: () => hooks.onFailure(new Error('The microphone was disconnected.')),
      });
    } catch (e) {
      await bridge.invoke('recognition:stop', { streamId: start.streamId }).catch(() => undefined);
      throw e;
    }
    return s;
  }

  /** Changes what the running stream listens for. */
  async configure(change: { mode?: ModeSpec; keywords?: KeywordSpecWire[] }): Promise<void> {
    if (this.stopped || (!change.mode && !change.keywords)) return;
    await this.bridge.invoke('recognition:configure', { streamId: this.streamId, ...change });
  }

  /** Ends the session (idempotent); resolves after recognition:stop answered. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.capture?.close();
    await this.queue.drain();
    await this.bridge.invoke('recognition:stop', { streamId: this.streamId });
  }
}
