/**
 * Records, plays and deletes the user's recordings of plan items: Record opens the microphone
 * through the app's capture path and keeps 16 kHz mono until Stop or RECORD_MAX_SEC; the level
 * meter shows each block's peak. What is being recorded is the store's `recording` slot; the
 * microphone, the loudest peak and the playing audio live here.
 */
import type { AppController } from '../app-controller.ts';
import type { RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import { ClipRecorder } from '../audio/clip-recorder.ts';
import { toDbfs } from '../audio/block-batcher.ts';
import { RECORD_MAX_SEC } from '../view-state/retrain-plan.ts';
import { h } from './dom.ts';
import type { RetrainPlanStore } from './retrain-plan-store.ts';

/** Below this peak (linear) a recording is called almost silent. */
const QUIET_PEAK = 0.01;

export class RetrainRecorder {
  /** Plays recordings; data-state (loading, playing, ended) and data-recording-id are for tests. */
  readonly audio = h('audio', { hidden: true, 'data-testid': 'recording-audio' });
  private recorder: ClipRecorder | null = null;
  /** Loudest block peak of the recording in progress (linear). */
  private peak = 0;
  private levelFill: HTMLElement | null = null;
  private audioUrl: string | null = null;

  constructor(private readonly app: AppController, private readonly store: RetrainPlanStore) {
    this.audio.addEventListener('playing', () => (this.audio.dataset.state = 'playing'));
    this.audio.addEventListener('ended', () => (this.audio.dataset.state = 'ended'));
  }

  /** Starts recording `item` (replacing recording `replaceId`), unless a recording is in progress. */
  async start(item: string, replaceId?: string): Promise<void> {
    if (this.store.state.recording) return;
    const slot = { item, ...(replaceId ? { replaceId } : {}) };
    this.recorder = null;
    this.peak = 0;
    this.store.setRecordingSlot({ ...slot, stage: 'opening' });
    try {
      this.recorder = await ClipRecorder.start({
        deviceId: this.app.settings.microphoneId,
        sampleRate: SAMPLE_RATE,
        maxSec: RECORD_MAX_SEC,
        onLevel: (peak) => {
          if (peak > this.peak) this.peak = peak;
          this.drawLevel(peak);
        },
        onAutoStop: () => void this.finish(),
      });
      this.store.setRecordingSlot({ ...slot, stage: 'recording' });
    } catch (e) {
      this.app.toasts.error(e, 'Recording');
      this.store.setRecordingSlot(null);
    }
  }

  /** Stops the recording in progress and keeps it (a recording under 0.1 s is dropped with a toast). */
  async finish(): Promise<void> {
    const slot = this.store.state.recording;
    const recorder = this.recorder;
    if (!slot || !recorder || slot.stage !== 'recording') return;
    this.store.setRecordingSlot({ ...slot, stage: 'saving' });
    try {
      const pcm = await recorder.stop();
      if (pcm.length < SAMPLE_RATE / 10) {
        this.app.toasts.show('The recording was too short: press Record, say the item, then Stop.', 'error');
        return;
      }
      const r = await this.app.call('recordings:add', { item: slot.item, pcm, ...(slot.replaceId ? { replaceId: slot.replaceId } : {}) });
      this.store.recordingsSaved(slot.item, r.recordings);
      if (this.peak < QUIET_PEAK) this.app.toasts.show(`The recording of “${itemLabel(slot.item)}” is almost silent (peak ${toDbfs(this.peak).toFixed(0)} dBFS): check the microphone.`, 'error');
    } catch {
      // shown as a toast by app.call
    } finally {
      this.recorder = null;
      this.store.setRecordingSlot(null);
    }
  }

  /** A new level meter for the recording in progress (the one drawn to from now on). */
  meter(): HTMLElement {
    this.levelFill = h('div', { class: 'meter-fill' });
    return h('div', { class: 'meter recording-meter', role: 'meter', 'data-testid': 'recording-level', 'aria-label': 'Recording level', 'aria-valuemin': -60, 'aria-valuemax': 0, 'aria-valuenow': -60 }, this.levelFill);
  }

  async play(r: RecordingWire): Promise<void> {
    const res = await this.app.call('recordings:audio', { id: r.id }).catch(() => null);
    if (!res) return;
    if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
    this.audioUrl = URL.createObjectURL(new Blob([res.wav], { type: 'audio/wav' }));
    this.audio.dataset.state = 'loading';
    this.audio.dataset.recordingId = r.id;
    this.audio.src = this.audioUrl;
    this.audio.play().catch((e) => this.app.toasts.error(e, 'Playback failed'));
  }

  async remove(r: RecordingWire): Promise<void> {
    const ok = await this.app.call('recordings:remove', { id: r.id }).then(() => true, () => false);
    if (ok) this.store.recordingRemoved(r.id);
  }

  /** The meter spans -60..0 dBFS. */
  private drawLevel(peak: number): void {
    if (!this.levelFill) return;
    const db = toDbfs(peak);
    this.levelFill.style.transform = `scaleX(${Math.max(0, Math.min(1, (db + 60) / 60)).toFixed(2)})`;
    this.levelFill.parentElement?.setAttribute('aria-valuenow', String(Math.round(db)));
  }
}
