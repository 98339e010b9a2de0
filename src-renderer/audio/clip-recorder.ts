import { MicrophoneCapture } from './microphone-capture.ts';

/**
 * A short recording from the microphone through the app's capture path (MicrophoneCapture:
 * raw audio, no processing, 16 kHz mono): blocks are collected until stop() or `maxSec`, then
 * joined. `onLevel` gets each block's peak (linear) for a level meter; `onAutoStop` runs when
 * the time limit ended the recording (its samples are then waiting in `result`).
 */
export class ClipRecorder {
  private readonly blocks: Float32Array[] = [];
  private samples = 0;
  private stopping: Promise<Float32Array> | null = null;
  private capture: MicrophoneCapture | null = null;

  private constructor(private readonly maxSamples: number) {}

  /** Opens the microphone and starts recording. Throws MicrophoneError. */
  static async start(opts: { deviceId: string; sampleRate: number; maxSec: number; onLevel: (peak: number) => void; onAutoStop: () => void }): Promise<ClipRecorder> {
    const rec = new ClipRecorder(Math.round(opts.maxSec * opts.sampleRate));
    rec.capture = await MicrophoneCapture.open({
      deviceId: opts.deviceId,
      sampleRate: opts.sampleRate,
      pushMs: 50,
      onBlock: (block) => {
        if (rec.stopping) return;
        const room = rec.maxSamples - rec.samples;
        const part = block.samples.length > room ? block.samples.slice(0, room) : block.samples;
        rec.blocks.push(part);
        rec.samples += part.length;
        opts.onLevel(block.peak);
        if (rec.samples >= rec.maxSamples) {
          void rec.stop();
          opts.onAutoStop();
        }
      },
      onEnded: () => {
        void rec.stop();
        opts.onAutoStop();
      },
    });
    return rec;
  }

  /** How much of the time limit is used, 0..1. */
  get fraction(): number {
    return this.samples / this.maxSamples;
  }

  /** Stops (idempotent) and resolves with the recorded samples. */
  stop(): Promise<Float32Array> {
    this.stopping ??= (async () => {
      await this.capture?.close();
      const out = new Float32Array(this.samples);
      let at = 0;
      for (const b of this.blocks) {
        out.set(b, at);
        at += b.length;
      }
      return out;
    })();
    return this.stopping;
  }
}
