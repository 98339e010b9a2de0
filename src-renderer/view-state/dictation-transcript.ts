import type { WordWire } from '../../src-shared/ipc/app-contract.ts';

/** One finished utterance of the dictation view. */
export interface TranscriptFinal {
  text: string;
  words: WordWire[];
  confidence: number;
  /** Seconds on the session clock. */
  start: number;
  end: number;
}

/** The live line: `stable` will not change any more, `tail` may. */
export interface TranscriptPartial {
  stable: string;
  tail: string;
}

/**
 * What the dictation view shows, as data: the finals so far and the live partial. A final
 * replaces the partial (the utterance it ends). `version` increases on every visible change, so a
 * view can skip redundant renders. DOM-free.
 */
export class DictationTranscript {
  readonly finals: TranscriptFinal[] = [];
  partial: TranscriptPartial = { stable: '', tail: '' };
  version = 0;

  /**
   * A partial hypothesis: `text` is the whole hypothesis, `stable` its settled prefix. When
   * `stable` is not a prefix of `text` (it should be), everything counts as tail.
   * Returns whether the visible text changed.
   */
  setPartial(text: string, stable: string): boolean {
    const next = text.startsWith(stable) ? { stable, tail: text.slice(stable.length) } : { stable: '', tail: text };
    if (next.stable === this.partial.stable && next.tail === this.partial.tail) return false;
    this.partial = next;
    this.version++;
    return true;
  }

  /** A final ends the current utterance; an empty final only clears the partial. Returns the added final, if any. */
  addFinal(final: TranscriptFinal): TranscriptFinal | null {
    const hadPartial = this.partial.stable !== '' || this.partial.tail !== '';
    this.partial = { stable: '', tail: '' };
    if (!final.text.trim()) {
      if (hadPartial) this.version++;
      return null;
    }
    const copy = { ...final, words: final.words.map((w) => ({ ...w })) };
    this.finals.push(copy);
    this.version++;
    return copy;
  }

  /** Drops the partial (e.g. when listening stops without a final). */
  clearPartial(): boolean {
    if (this.partial.stable === '' && this.partial.tail === '') return false;
    this.partial = { stable: '', tail: '' };
    this.version++;
    return true;
  }

  /** Forgets everything. */
  clear(): void {
    this.finals.length = 0;
    this.partial = { stable: '', tail: '' };
    this.version++;
  }

  /** The finals as plain text, one utterance per line (what Copy and Save use). */
  finalText(): string {
    return this.finals.map((f) => f.text.trim()).join('\n');
  }

  /** Everything visible: finals then the partial, space-joined (the latency trace records this). */
  visibleText(): string {
    const partial = (this.partial.stable + this.partial.tail).trim();
    return [...this.finals.map((f) => f.text.trim()), partial].filter((s) => s !== '').join(' ');
  }
}

/** Words below this confidence are marked as doubtful in the view. */
export const LOW_CONFIDENCE = 0.5;
