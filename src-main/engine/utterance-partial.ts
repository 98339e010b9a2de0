/**
 * The live partial result of the current utterance: the mode's partial decoder over the
 * utterance's streaming posteriors, which are kept so that a mode change decodes the utterance
 * again from its start, and the partial last reported (a partial is reported only when its text or
 * its stable words changed: words settle after they show, often with no new word to carry them).
 */
import type { DecoderSet, PartialDecoder, PosteriorRows } from './recognition-decoders.ts';

export class UtterancePartial {
  /** Posteriors of the frames decoded so far ([frames, numUnits] log-probabilities; grows geometrically). */
  private posts = new Float32Array(0);
  private frames = 0;
  private decoder: PartialDecoder;
  private reported: { text: string; stable: string } | null = null;

  constructor(decoders: DecoderSet, private readonly numUnits: number) {
    this.decoder = decoders.createPartial();
  }

  /** Decodes one more frame (`row`: numUnits log-probabilities). */
  advance(row: Float32Array): void {
    const U = this.numUnits;
    if ((this.frames + 1) * U > this.posts.length) {
      const next = new Float32Array(Math.max(2 * this.posts.length, (this.frames + 1) * U));
      next.set(this.posts.subarray(0, this.frames * U));
      this.posts = next;
    }
    this.posts.set(row.subarray(0, U), this.frames * U);
    this.frames++;
    this.decoder.advance(row, 1, U);
  }

  /**
   * The current partial when its text or stable words differ from the one last returned here, else null; `ahead`:
   * provisional posteriors of the frames that follow (PartialDecoder.partial).
   */
  changed(ahead?: PosteriorRows): { text: string; stable: string } | null {
    const p = this.decoder.partial(ahead);
    if (this.reported && p.text === this.reported.text && p.stable === this.reported.stable) return null;
    // The first partial of an utterance is reported once it has words.
    if (!this.reported && p.text === '' && p.stable === '') return null;
    this.reported = p;
    return p;
  }

  /** Another mode: `decoders`' partial decoder takes the utterance's frames so far, and the next partial is reported whatever its text. */
  redecode(decoders: DecoderSet): void {
    this.decoder = decoders.createPartial();
    this.decoder.advance(this.posts.subarray(0, this.frames * this.numUnits), this.frames, this.numUnits);
    this.reported = null;
  }

  /** A new utterance, decoded with `decoders`. */
  restart(decoders: DecoderSet): void {
    this.posts = new Float32Array(0);
    this.frames = 0;
    this.decoder = decoders.createPartial();
    this.reported = null;
  }
}
