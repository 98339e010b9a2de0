/**
 * The model frames of the current utterance in the online recognizer: its features (and, for each
 * extra keyword warp, the same frames through that warp's front end) and whether each frame was
 * voiced. Appending grows the buffers geometrically; when an utterance ends, the frames after its
 * cut move to the front for the next one, and buffers four times larger than needed shrink.
 */
export class UtteranceFrames {
  private feats = new Float32Array(0);
  private voicedFlags = new Uint8Array(0);
  private readonly warped: Float32Array[];
  /** Frames held. */
  held = 0;

  /** @param warps extra keyword warps, each with its own frames */
  constructor(readonly dim: number, warps: number) {
    this.warped = Array.from({ length: warps }, () => new Float32Array(0));
  }

  /** Appends `n` frames: their features, voiced flags and each warp's features (all or none of the warps). */
  append(rows: Float32Array, voiced: Uint8Array, n: number, warpedRows: readonly Float32Array[] = []): void {
    if (n === 0) return;
    const D = this.dim;
    if (warpedRows.length !== 0 && warpedRows.length !== this.warped.length) throw new Error(`${warpedRows.length} warped frame sets for ${this.warped.length} warps`);
    if ((this.held + n) * D > this.feats.length) {
      const cap = Math.max(2 * this.held, this.held + n, 64);
      const f = new Float32Array(cap * D);
      f.set(this.feats.subarray(0, this.held * D));
      this.feats = f;
      const v = new Uint8Array(cap);
      v.set(this.voicedFlags.subarray(0, this.held));
      this.voicedFlags = v;
    }
    this.warped.forEach((w, i) => {
      if (w.length < this.feats.length) {
        const f = new Float32Array(this.feats.length);
        f.set(w.subarray(0, this.held * D));
        this.warped[i] = f;
      }
      if (warpedRows.length) this.warped[i].set(warpedRows[i], this.held * D);
    });
    this.feats.set(rows, this.held * D);
    this.voicedFlags.set(voiced, this.held);
    this.held += n;
  }

  /** Features of frames [from, to). */
  rows(from: number, to: number): Float32Array {
    return this.feats.subarray(from * this.dim, to * this.dim);
  }

  /** Warp `i`'s features of frames [from, to). */
  warpRows(i: number, from: number, to: number): Float32Array {
    return this.warped[i].subarray(from * this.dim, to * this.dim);
  }

  voiced(frame: number): boolean {
    return this.voicedFlags[frame] === 1;
  }

  /** Frames [cut, held) become frames [0, held - cut) of the next utterance. */
  keepFrom(cut: number): void {
    const D = this.dim;
    const keep = Math.max(0, this.held - cut);
    this.feats.copyWithin(0, cut * D, this.held * D);
    for (const w of this.warped) if (w.length) w.copyWithin(0, cut * D, this.held * D);
    this.voicedFlags.copyWithin(0, cut, this.held);
    this.held = keep;
    const room = Math.max(keep, 256);
    if (this.feats.length > 4 * room * D) {
      this.feats = this.feats.slice(0, room * D);
      this.warped.forEach((w, i) => { this.warped[i] = w.slice(0, room * D); });
      this.voicedFlags = this.voicedFlags.slice(0, room);
    }
  }
}
