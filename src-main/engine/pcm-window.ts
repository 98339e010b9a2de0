/**
 * The stream's PCM from the current utterance's first sample on, addressed by global sample index
 * (samples since the stream began), for the whole-utterance final with test-time VTLN. Appending
 * grows the buffer geometrically; dropping what an utterance no longer needs shrinks it again when
 * it holds four times more than it uses, so memory follows the longest utterance, not the stream.
 */
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export class PcmWindow {
  private pcm = new Float32Array(0);
  private len = 0;
  /** Global index of pcm[0]. */
  private start = 0;

  /** Global index one past the last sample held. */
  get end(): number {
    return this.start + this.len;
  }

  append(samples: Float32Array): void {
    if (this.len + samples.length > this.pcm.length) {
      const next = new Float32Array(Math.max(2 * this.pcm.length, this.len + samples.length, SAMPLE_RATE));
      next.set(this.pcm.subarray(0, this.len));
      this.pcm = next;
    }
    this.pcm.set(samples, this.len);
    this.len += samples.length;
  }

  /** The samples held within global indices [from, to) (a view: valid until the next append or drop). */
  view(from: number, to: number): Float32Array {
    const a = Math.min(this.len, Math.max(0, from - this.start));
    const b = Math.min(this.len, Math.max(a, to - this.start));
    return this.pcm.subarray(a, b);
  }

  /** Forgets the samples before global index `globalStart`. */
  dropBefore(globalStart: number): void {
    const drop = Math.min(this.len, Math.max(0, globalStart - this.start));
    this.pcm.copyWithin(0, drop, this.len);
    this.len -= drop;
    this.start += drop;
    if (this.pcm.length > 4 * Math.max(this.len, SAMPLE_RATE)) this.pcm = this.pcm.slice(0, Math.max(this.len, SAMPLE_RATE));
  }

  /** Empties the window; the next sample appended is global sample 0. */
  clear(): void {
    this.len = 0;
    this.start = 0;
  }
}
