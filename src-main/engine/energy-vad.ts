/**
 * Energy voice activity detection on MFCC c0 (the sum of log mel energies, so the live path
 * can run it on the frames the renderer sends). A frame is voiced when c0 rises `marginDb` above
 * a tracked noise floor and above an absolute level; a voiced decision is held for `hangoverSec`.
 * The floor follows c0 down at once and creeps up slowly, so it settles on the quietest recent
 * frames. c0 units: with Hark's front-end (PCM scaled by 32768, 40 mel bands, natural log) a
 * 20 dB level change moves c0 by about 380 (measured on white noise), hence C0_PER_DB = 19.
 */
export const C0_PER_DB = 19;

export interface VadOptions {
  /** dB above the noise floor for a frame to count as voiced. */
  marginDb: number;
  /** c0 below which nothing is voiced (digital silence, very faint hiss). */
  minC0: number;
  /** How fast the floor rises through loud frames, dB per second. */
  floorRiseDbPerSec: number;
  /** A voiced decision is held this long after the last voiced frame. */
  hangoverSec: number;
}

export const DEFAULT_VAD: VadOptions = { marginDb: 6, minC0: 1000, floorRiseDbPerSec: 1, hangoverSec: 0.1 };

export class EnergyVad {
  readonly opts: VadOptions;
  private floor = Infinity;
  private hold = 0;
  private readonly rise: number;
  private readonly holdFrames: number;

  /** `frameSec`: seconds between the c0 values pushed (the analysis hop). */
  constructor(frameSec: number, opts: Partial<VadOptions> = {}) {
    this.opts = { ...DEFAULT_VAD, ...opts };
    const o = this.opts;
    if (!(frameSec > 0)) throw new Error(`VAD frameSec must be positive, got ${frameSec}`);
    for (const k of ['marginDb', 'floorRiseDbPerSec', 'hangoverSec'] as const) {
      if (!(Number.isFinite(o[k]) && o[k] >= 0)) throw new Error(`VAD option ${k} must be a finite number >= 0, got ${o[k]}`);
    }
    if (!Number.isFinite(o.minC0)) throw new Error(`VAD option minC0 must be finite, got ${o.minC0}`);
    this.rise = o.floorRiseDbPerSec * C0_PER_DB * frameSec;
    this.holdFrames = Math.round(o.hangoverSec / frameSec);
  }

  /** Decides one frame from its c0. */
  push(c0: number): boolean {
    if (!Number.isFinite(c0)) return this.hold-- > 0;
    this.floor = c0 < this.floor ? c0 : this.floor + this.rise;
    const voiced = c0 >= this.opts.minC0 && c0 >= this.floor + this.opts.marginDb * C0_PER_DB;
    if (voiced) this.hold = this.holdFrames;
    else if (this.hold > 0) {
      this.hold--;
      return true;
    }
    return voiced;
  }

  /**
   * Starts the floor at `c0` (when lower than the floor tracked so far), as if a frame that quiet
   * had just been heard: a whole recording's quietest frame, so that a file's decision does not
   * depend on whether it starts in a pause (a live stream always has).
   */
  seedFloor(c0: number): void {
    if (Number.isFinite(c0) && c0 < this.floor) this.floor = c0;
  }

  reset(): void {
    this.floor = Infinity;
    this.hold = 0;
  }
}
