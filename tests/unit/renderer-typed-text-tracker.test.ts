/**
 * The edits that keep another application's text equal to the dictation document
 * (src-renderer/view-state/typed-text-tracker.ts): appends type only what is new, a rewrite
 * erases back to the common prefix, counted in code points; a rebase types nothing.
 */
import { describe, expect, it } from 'vitest';
import { TypedTextTracker } from '../../src-renderer/view-state/typed-text-tracker.ts';

describe('TypedTextTracker', () => {
  it('types what a final adds and erases what an edit takes back', () => {
    const t = new TypedTextTracker();
    expect(t.next('dear anna')).toEqual({ erase: 0, text: 'dear anna' });
    expect(t.next('dear anna\n')).toEqual({ erase: 0, text: '\n' });
    expect(t.next('dear anna\nthe meeting is at noon')).toEqual({ erase: 0, text: 'the meeting is at noon' });
    // "scratch that"
    expect(t.next('dear anna\n')).toEqual({ erase: 22, text: '' });
    // A number that reaches into the utterance before it: "twenty" + "five" -> "25".
    expect(t.next('dear anna\ntwenty')).toEqual({ erase: 0, text: 'twenty' });
    expect(t.next('dear anna\n25')).toEqual({ erase: 6, text: '25' });
    expect(t.next('dear anna\n25')).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    const t = new TypedTextTracker();
    t.next('ok 😀 “x”');
    expect(t.next('ok 😀')).toEqual({ erase: 4, text: '' });
    expect(t.next('ok 😃')).toEqual({ erase: 1, text: '😃' });
  });

  it('rebases without typing (the window cleared or rewrote its transcript)', () => {
    const t = new TypedTextTracker();
    t.next('hello world');
    t.rebase('');
    expect(t.next('next')).toEqual({ erase: 0, text: 'next' });
    t.rebase('Hello world.');
    expect(t.next('Hello world. Again')).toEqual({ erase: 0, text: ' Again' });
  });
});
