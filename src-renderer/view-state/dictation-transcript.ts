import type { WordWire } from '../../src-shared/ipc/app-contract.ts';
import type { WordMark } from '../../src-shared/text/word-marks.ts';
import { addFinal as addDictationFinal, dictationDocument, emptyDictation, type DictationDocument, type DictationState } from '../../src-shared/text/spoken-editing.ts';

/** One finished utterance of the dictation view. */
export interface TranscriptFinal {
  text: string;
  words: WordWire[];
  confidence: number;
  /** Seconds on the session clock. */
  start: number;
  end: number;
  /** The tagger's case and punctuation for each word (recognition-contract: present with settings.punctuate on). */
  marks?: WordMark[];
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
 *
 * With `formatting` on (settings.formatDictation), the finals are also written as a document
 * (src-shared/text/spoken-editing.ts: each final one utterance, so "new line", "period", "scratch
 * that" said between pauses edit it, and numbers are written as digits); its tokens' `utterance` is
 * the index in `finals`. The partial is never formatted: it shows after the document as heard.
 */
export class DictationTranscript {
  readonly finals: TranscriptFinal[] = [];
  partial: TranscriptPartial = { stable: '', tail: '' };
  version = 0;
  private doc: DictationState = emptyDictation();

  constructor(private formatting = true) {}

  /** Whether finals are written as a document. */
  get formatted(): boolean {
    return this.formatting;
  }

  /** Turns the document writing on or off (the finals are rewritten from scratch); returns whether it changed. */
  setFormatting(on: boolean): boolean {
    if (on === this.formatting) return false;
    this.formatting = on;
    this.doc = this.finals.reduce((s, f) => addFinalTo(s, f), emptyDictation());
    this.version++;
    return true;
  }

  /** The finals written as a document (spoken editing and numbers; empty with formatting off). */
  document(): DictationDocument {
    return dictationDocument(this.formatting ? this.doc : emptyDictation());
  }

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
    const copy = { ...final, words: final.words.map((w) => ({ ...w })), ...(final.marks ? { marks: final.marks.map((m) => ({ ...m })) } : {}) };
    this.finals.push(copy);
    if (this.formatting) this.doc = addFinalTo(this.doc, copy);
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
    this.doc = emptyDictation();
    this.partial = { stable: '', tail: '' };
    this.version++;
  }

  /** What Copy and Save use: the document, or with formatting off the finals one utterance per line. */
  finalText(): string {
    if (this.formatting) return this.document().text;
    return this.finals.map((f) => f.text.trim()).join('\n');
  }

  /**
   * The text typed into another application (settings.typeIntoFocusedApp): the document, or with
   * formatting off the finals joined by spaces (a new line there would press Return, which sends
   * a chat message or submits a form).
   */
  typedText(): string {
    if (this.formatting) return this.document().text;
    return this.finals.map((f) => f.text.trim()).join(' ');
  }

  /** Everything visible: the document (or the finals) then the partial, space-joined (the latency trace records this). */
  visibleText(): string {
    const partial = (this.partial.stable + this.partial.tail).trim();
    const finals = this.formatting ? [this.document().text] : this.finals.map((f) => f.text.trim());
    return [...finals, partial].filter((s) => s !== '').join(' ');
  }
}

/** A final's words as the formatter reads them: its words, or its text's words when it came without any. */
function spokenWords(f: TranscriptFinal): string[] {
  return f.words.length ? f.words.map((w) => w.word) : f.text.trim().split(/\s+/);
}

/** The document after one more final, with its tagger marks when they fit its words. */
function addFinalTo(doc: DictationState, f: TranscriptFinal): DictationState {
  const words = spokenWords(f);
  return addDictationFinal(doc, words, {}, f.marks && f.marks.length === words.length ? f.marks : undefined);
}

/** Words below this confidence are marked as doubtful in the view. */
export const LOW_CONFIDENCE = 0.5;
