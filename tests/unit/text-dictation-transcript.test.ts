// A dictation transcript with word times written as a document: tokens keep their source words'
// times, utterances come from segment sizes, subtitle cues and the CLI's outputs are built from the
// tokens (hand-computed expectations), and --stream's document edits.
import { describe, expect, it } from 'vitest';
import { formatTimedDictation, pauseUtteranceSizes, splitUtterances, type TimedWord } from '../../src-shared/text/dictation-transcript.ts';
import { formatDictation } from '../../src-shared/text/spoken-editing.ts';
import { OutputWriter, splitCueItems, writtenTranscript } from '../../src-main/engine/transcript-formats.ts';
import type { Recognition } from '../../src-main/engine/offline-recognizer.ts';
import { documentEdit } from '../../src-main/cli/stream-files.ts';

/** Words spoken one after another, 0.25 s each with 0.25 s gaps, from `t0` (times exact in binary). */
function timed(text: string, t0: number): TimedWord[] {
  return text.split(' ').map((word, i) => ({ word, start: t0 + i * 0.5, end: t0 + i * 0.5 + 0.25 }));
}

describe('splitUtterances', () => {
  it('cuts by sizes, keeps empty utterances, refuses sizes that do not add up', () => {
    expect(splitUtterances([1, 2, 3], [2, 0, 1])).toEqual([[1, 2], [], [3]]);
    expect(splitUtterances([1, 2, 3])).toEqual([[1, 2, 3]]);
    expect(() => splitUtterances([1, 2, 3], [1, 1])).toThrow(/do not add up to the 3 words/);
    expect(() => splitUtterances([1], [-1, 2])).toThrow();
  });
});

describe('pauseUtteranceSizes', () => {
  it('ends an utterance at a pause of at least pauseSec, within each given size', () => {
    const words = [...timed('hello there', 0), ...timed('new line', 2), ...timed('ok', 3.25), ...timed('bye', 10)];
    // Gaps: 0.25 inside, 1.25 before "new", 0.5 before "ok", 6.5 before "bye".
    expect(pauseUtteranceSizes(words, 0.6)).toEqual([2, 3, 1]);
    expect(pauseUtteranceSizes(words, 0.5)).toEqual([2, 2, 1, 1]);
    expect(pauseUtteranceSizes(words, 0.6, [3, 0, 3])).toEqual([2, 1, 0, 2, 1]);
    expect(pauseUtteranceSizes([], 0.6)).toEqual([0]);
  });
});

describe('formatTimedDictation', () => {
  const u = [timed('i paid twenty five dollars', 0), timed('period', 3), timed('new line', 5), timed('oops', 7), timed('scratch that', 8), timed('at seven p m', 10)];
  const doc = formatTimedDictation(u);
  it('writes the same text as formatDictation', () => {
    expect(doc.text).toBe(formatDictation(u.map((x) => x.map((w) => w.word))).text);
    expect(doc.text).toBe('i paid $25.\nat 7 p.m.');
  });
  it('gives each token its source words in the flat list and their times', () => {
    expect(doc.tokens.map((t) => [t.text, t.kind, t.words])).toEqual([
      ['i', 'text', [0, 1]], ['paid', 'text', [1, 2]], ['$25', 'text', [2, 5]], ['.', 'punctuation', [5, 6]], ['\n', 'break', [6, 8]],
      ['at', 'text', [11, 12]], ['7 p.m.', 'text', [12, 15]],
    ]);
    const flat = u.flat();
    for (const t of doc.tokens) {
      expect(t.start).toBe(flat[t.words[0]].start);
      expect(t.end).toBe(flat[t.words[1] - 1].end);
    }
  });
});

describe('cues of a written document', () => {
  it('punctuation joins the cue before it, a break ends the cue, undone words leave no cue', () => {
    const u = [timed('hello there', 0), timed('comma', 1), timed('friend', 1.5), timed('new paragraph', 3.5), timed('bye', 5), timed('scratch that', 6), timed('ten', 7)];
    const cues = splitCueItems(formatTimedDictation(u).tokens);
    expect(cues).toEqual([
      { start: 0, end: 1.75, text: 'hello there, friend' },
      { start: 7, end: 7.25, text: '10' },
    ]);
  });
  it('punctuation after a break or pause-split cue attaches to the cue before it', () => {
    const cues = splitCueItems([
      { text: 'a', start: 0, end: 0.3, kind: 'text' }, { text: 'b', start: 2, end: 2.3, kind: 'text' }, { text: '?', start: 4, end: 4.4, kind: 'punctuation' },
    ]);
    // "b" starts a new cue (pause); "?" joins it although it came after another pause.
    expect(cues).toEqual([{ start: 0, end: 0.3, text: 'a' }, { start: 2, end: 4.4, text: 'b?' }]);
    expect(splitCueItems([{ text: '.', start: 0, end: 0.3, kind: 'punctuation' }])).toEqual([{ start: 0, end: 0.3, text: '.' }]);
  });
  it('counts only text tokens toward the seven-word limit', () => {
    const items = 'a , b , c , d , e , f , g , h'.split(' ').map((text, i) => ({ text, start: i * 0.2, end: i * 0.2 + 0.1, kind: text === ',' ? 'punctuation' as const : 'text' as const }));
    expect(splitCueItems(items).map((c) => c.text)).toEqual(['a, b, c, d, e, f, g,', 'h']);
  });
});

const rec = (words: TimedWord[], utteranceWords?: number[]): Recognition => ({
  text: words.map((w) => w.word).join(' '), words: words.map((w) => ({ ...w, confidence: 0.9 })), durationSec: 20, processingSec: 0.1, confidence: 0.9, vtlnWarp: 1,
  timings: { decodeAudioMs: 0, warpMs: 0, featuresMs: 0, modelMs: 0, searchMs: 0 }, ...(utteranceWords ? { utteranceWords } : {}),
});

describe('a segmented file', () => {
  // Three pause-separated segments of a long file: each is one utterance for spoken editing.
  const words = [...timed('it is nineteen eighty four', 0), ...timed('period', 70), ...timed('scratch that', 80)];
  it('applies spoken editing per segment', () => {
    expect(writtenTranscript(rec(words, [5, 1, 2]), {}).text).toBe('it is 1984');
    expect(writtenTranscript(rec(words, [5, 1, 2]), { inverseNormalize: false }).text).toBe('it is nineteen eighty four');
    // One pass (no sizes): the whole file is one utterance, so the command words are text.
    expect(writtenTranscript(rec(words), {}).text).toBe('it is 1984 period scratch that');
    expect(writtenTranscript(rec(words, [5, 1, 2]), null).text).toBe('it is nineteen eighty four period scratch that');
    // With a pause that ends an utterance (the CLI's files), the long pauses separate the commands too.
    expect(writtenTranscript(rec(words), { utterancePauseSec: 0.6 }).text).toBe('it is 1984');
    expect(writtenTranscript(rec(words.slice(0, 6)), { utterancePauseSec: 0.6 }).text).toBe('it is 1984.');
  });
  it('OutputWriter writes the document in text, json and srt; several files prefix every line', () => {
    const r = rec([...timed('hello', 0), ...timed('new line', 2), ...timed('twenty one', 4)], [1, 2, 2]);
    const write = (format: 'text' | 'json' | 'srt', multiple: boolean, formatting: object | null) => {
      let out = '';
      const w = new OutputWriter(format, multiple, false, (s) => { out += s; }, () => {}, formatting);
      w.begin();
      w.file('a.wav', r);
      return out;
    };
    expect(write('text', false, {})).toBe('hello\n21\n');
    expect(write('text', true, {})).toBe('a.wav: hello\na.wav: 21\n');
    expect(write('text', false, null)).toBe('hello new line twenty one\n');
    const json = JSON.parse(write('json', false, {})) as Record<string, unknown>;
    expect(json.text).toBe('hello\n21');
    expect(json.tokens).toEqual([
      { text: 'hello', kind: 'text', start: 0, end: 0.25, words: [0, 1] },
      { text: '\n', kind: 'break', start: 2, end: 2.75, words: [1, 3] },
      { text: '21', kind: 'text', start: 4, end: 4.75, words: [3, 5] },
    ]);
    expect(json.words).toEqual(r.words);
    expect(write('srt', false, {})).toBe('1\n00:00:00,000 --> 00:00:00,250\nhello\n\n2\n00:00:04,000 --> 00:00:04,750\n21\n');
  });
});

describe('documentEdit', () => {
  it('deletes the changed end and appends the new one', () => {
    expect(documentEdit('', 'hello')).toEqual({ delete: 0, insert: 'hello' });
    expect(documentEdit('hello there', 'hello there.')).toEqual({ delete: 0, insert: '.' });
    expect(documentEdit('hello there.', 'hello there')).toEqual({ delete: 1, insert: '' });
    expect(documentEdit('a b', 'a c')).toEqual({ delete: 1, insert: 'c' });
  });
});
