import type { AudioBlock } from './block-batcher.ts';
import { blockSamplesFor } from './block-batcher.ts';

/** Why the microphone could not be opened, as the header shows it. */
export type MicrophoneProblem = 'no-mic' | 'denied' | 'other';

/** An error opening the microphone, classified. */
export class MicrophoneError extends Error {
  constructor(readonly problem: MicrophoneProblem, message: string) {
    super(message);
    this.name = 'MicrophoneError';
  }
}

/** Classifies a getUserMedia / AudioContext failure. */
export function classifyMicrophoneError(e: unknown): MicrophoneError {
  if (e instanceof MicrophoneError) return e;
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as Error)?.message || String(e);
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') {
    return new MicrophoneError('no-mic', 'No microphone was found. Connect one, or pick another in Settings.');
  }
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError') {
    return new MicrophoneError('denied', 'Microphone permission denied. Allow microphone access for Hark in your system privacy settings, then try again.');
  }
  if (name === 'NotReadableError') return new MicrophoneError('other', 'The microphone is busy or unavailable (another app may be using it).');
  return new MicrophoneError('other', `Could not open the microphone: ${message}`);
}

/** The audio inputs the page can see (labels are empty until microphone permission is granted). */
export async function listMicrophones(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput');
}

/**
 * An open microphone: getUserMedia (no echo cancellation, noise suppression or gain control: the
 * model was trained on raw audio) -> AudioContext at `sampleRate` (the browser resamples) ->
 * AudioWorklet 'hark-capture' (capture-worklet.js, next to app.js) -> blocks of `pushMs`
 * milliseconds delivered to `onBlock` on the main thread, in order. Nothing is connected to the
 * speakers.
 */
export class MicrophoneCapture {
  private constructor(
    private readonly stream: MediaStream,
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    /** Samples delivered so far (the session's audio clock). */
    private samples = 0,
  ) {}

  /** Opens the microphone `deviceId` ('' = system default). Throws MicrophoneError. */
  static async open(opts: { deviceId: string; sampleRate: number; pushMs: number; onBlock: (block: AudioBlock, capturedSec: number) => void; onEnded?: () => void }): Promise<MicrophoneCapture> {
    if (!navigator.mediaDevices?.getUserMedia) throw new MicrophoneError('other', 'This page cannot use the microphone (no navigator.mediaDevices; it needs a secure context).');
    let stream: MediaStream;
    const audio: MediaTrackConstraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 };
    if (opts.deviceId) audio.deviceId = { exact: opts.deviceId };
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio });
    } catch (e) {
      throw classifyMicrophoneError(e);
    }
    let context: AudioContext | null = null;
    try {
      // sinkId {type: 'none'}: the context renders without an output device (nothing is played),
      // which spares the output device's thread and its resampling (Chromium 110+; older
      // versions ignore the option and render to the default output silently).
      // latencyHint 'playback': the context renders in larger bursts, so the audio threads wake
      // less often: the renderer's CPU while listening fell from 6.0% to 4.3% of a core, and the
      // word latency moved within its run-to-run spread (372 -> 384 ms median; bench/app.bench.ts).
      // Blocks still reach the page every push interval.
      const options = { sampleRate: opts.sampleRate, latencyHint: 'playback', sinkId: { type: 'none' } } as AudioContextOptions;
      context = new AudioContext(options);
      if (context.sampleRate !== opts.sampleRate) throw new Error(`the audio system runs at ${context.sampleRate} Hz, not ${opts.sampleRate} Hz`);
      await context.audioWorklet.addModule(new URL('capture-worklet.js', document.baseURI).href);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, 'hark-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: 'explicit',
        processorOptions: { blockSamples: blockSamplesFor(opts.pushMs, opts.sampleRate) },
      });
      const capture = new MicrophoneCapture(stream, context, node);
      node.port.onmessage = (e: MessageEvent<AudioBlock>) => {
        capture.samples += e.data.samples.length;
        opts.onBlock(e.data, capture.samples / opts.sampleRate);
      };
      source.connect(node);
      const track = stream.getAudioTracks()[0];
      if (track && opts.onEnded) track.onended = opts.onEnded;
      if (context.state !== 'running') await context.resume();
      return capture;
    } catch (e) {
      for (const t of stream.getTracks()) t.stop();
      void context?.close().catch(() => undefined);
      throw classifyMicrophoneError(e);
    }
  }

  /** Seconds of audio delivered so far. */
  get capturedSec(): number {
    return this.samples / this.context.sampleRate;
  }

  /** The label of the device in use (may be '' without permission). */
  get deviceLabel(): string {
    return this.stream.getAudioTracks()[0]?.label ?? '';
  }

  /** Stops the tracks and closes the context; no block is delivered afterwards. */
  async close(): Promise<void> {
    this.node.port.onmessage = null;
    for (const t of this.stream.getTracks()) t.onended = null;
    this.node.disconnect();
    for (const t of this.stream.getTracks()) t.stop();
    await this.context.close().catch(() => undefined);
  }
}
