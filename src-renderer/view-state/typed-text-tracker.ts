/**
 * What has been typed into the focused application so far, and the edit that brings it to the
 * dictation's new text: BackSpace over what changed, then the new text. A final usually only adds
 * text; "scratch that" takes the last utterance back, and a number written as digits can reach
 * into the utterance before it, so an edit may erase first. Counted in code points, as BackSpace
 * erases characters and not UTF-16 units.
 */
export interface TypingEdit {
  erase: number;
  text: string;
}

export class TypedTextTracker {
  private typed: string[] = [];

  /** The edit from what was typed to `text` (null when nothing changes); `text` counts as typed from now on. */
  next(text: string): TypingEdit | null {
    const after = Array.from(text);
    let same = 0;
    while (same < this.typed.length && same < after.length && this.typed[same] === after[same]) same++;
    const edit = { erase: this.typed.length - same, text: after.slice(same).join('') };
    this.typed = after;
    return edit.erase === 0 && edit.text === '' ? null : edit;
  }

  /** Takes `text` as typed without typing it (the transcript was cleared or rewritten in the window only). */
  rebase(text: string): void {
    this.typed = Array.from(text);
  }
}
