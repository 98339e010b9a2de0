// Output formats of `hark transcribe`: subtitle cue splitting and timestamps against hand-computed
// expectations, and the JSON record of the CLI contract.
import { describe, expect, it } from 'vitest';
import type { WordResult } from '../../src-main/decode/decode-types.ts';
import type { Recognition } from '../../src-main/engine/offline-recognizer.ts';
import { formatSrt, formatVttCues, jsonRecord, OutputWriter, splitCues, srtTime, vttTime } from '../../src-main/engine/transcript-formats.ts';

const w = (word: string, start: number, end: number, confidence = 0.9): WordResult => ({ word, start, end, confidence });

describe('timestamps', () => {
  it('formats hours, minutes, seconds and milliseconds with the right separator', () => {
    expect(srtTime(0)).toBe('00:00:00,000');
    expect(srtTime(1.234)).toBe('00:00:01,234');
    expect(vttTime(1.234)).toBe('00:00:01.234');
    expect(srtTime(61.0005)).toBe('00:01:01,001');
    expect(vttTime(3723.4567)).toBe('01:02:03.457');
    expect(srtTime(59.9996)).toBe('00:01:00,000');
    expect(srtTime(-0.2)).toBe('00:00:00,000');
    expect(vttTime(36000)).toBe('10:00:00.000');
  });
});

describe('splitCues', () => {
  it('splits after 7 words', () => {
    const words = Array.from({ length: 9 }, (_, i) => w(`w${i}`, i * 0.3, i * 0.3 + 0.25));
    const cues = splitCues(words);
    expect(cues.map((c) => c.text)).toEqual(['w0 w1 w2 w3 w4 w5 w6', 'w7 w8']);
    expect(cues[0]).toMatchObject({ start: 0, end: 6 * 0.3 + 0.25 });
    expect(cues[1]).toMatchObject({ start: 7 * 0.3, end: 8 * 0.3 + 0.25 });
  });

  it('splits at pauses longer than 0.6 s but not at 0.6 s', () => {
    const cues = splitCues([w('a', 0, 0.4), w('b', 1.0, 1.3), w('c', 1.95, 2.2), w('d', 2.3, 2.5)]);
    expect(cues.map((c) => c.text)).toEqual(['a b', 'c d']);
  });

  it('keeps a cue within 3.5 s', () => {
    const cues = splitCues([w('one', 0, 1), w('two', 1.1, 2.1), w('three', 2.2, 3.5), w('four', 3.6, 3.9), w('five', 4, 4.2)]);
    expect(cues.map((c) => c.text)).toEqual(['one two three', 'four five']);
    expect(splitCues([])).toEqual([]);
  });
});

describe('subtitle text', () => {
  const words = [w('hello', 0.5, 0.9), w('world', 1.0, 1.4), w('again', 2.5, 2.9)];
  it('writes numbered SRT cues', () => {
    expect(formatSrt(words)).toBe('1\n00:00:00,500 --> 00:00:01,400\nhello world\n\n2\n00:00:02,500 --> 00:00:02,900\nagain\n');
    expect(formatSrt([])).toBe('');
  });
  it('writes WebVTT cues', () => {
    expect(formatVttCues(words)).toBe('00:00:00.500 --> 00:00:01.400\nhello world\n\n00:00:02.500 --> 00:00:02.900\nagain\n');
  });
});

const rec = (text: string, words: WordResult[], extra: Partial<Recognition> = {}): Recognition => ({
  text, words, durationSec: 3, processingSec: 0.05, confidence: 0.87654321, vtlnWarp: 1,
  timings: { decodeAudioMs: 1, warpMs: 0, featuresMs: 2, modelMs: 3, searchMs: 4 }, ...extra,
});

describe('OutputWriter', () => {
  function capture(format: 'text' | 'json' | 'srt' | 'vtt', multiple: boolean, phrase = false) {
    let out = '', err = '';
    const writer = new OutputWriter(format, multiple, phrase, (s) => { out += s; }, (s) => { err += s; });
    return { writer, get out() { return out; }, get err() { return err; } };
  }

  it('json: the contract keys, phrase and confidence only in phrase mode, errors as {file, error}', () => {
    const c = capture('json', true);
    c.writer.begin();
    c.writer.file('a.wav', rec('hello world', [w('hello', 0.5, 0.9, 0.123456), w('world', 1, 1.4)]));
    c.writer.failure('b.wav', 'not an audio file');
    const lines = c.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { file: 'a.wav', text: 'hello world', words: [{ word: 'hello', start: 0.5, end: 0.9, confidence: 0.1235 }, { word: 'world', start: 1, end: 1.4, confidence: 0.9 }], durationSec: 3, processingSec: 0.05 },
      { file: 'b.wav', error: 'not an audio file' },
    ]);
    expect(c.err).toBe('');
    expect(Object.keys(jsonRecord('x', rec('', [], { phrase: null }), true))).toEqual(['file', 'text', 'words', 'durationSec', 'processingSec', 'phrase', 'confidence']);
    expect(jsonRecord('x', rec('', [], { phrase: null }), true)).toMatchObject({ phrase: null, confidence: 0.8765 });
    // Rejected speech says which phrase came closest and what was heard; dictation records never do.
    const rejection = { closest: 'next slide', confidence: 0.0412, heard: 'N EH K S T' };
    expect(jsonRecord('x', rec('', [], { phrase: null, rejection }), true)).toMatchObject({ phrase: null, text: '', rejection });
    expect(jsonRecord('x', rec('', [], { rejection }), false)).not.toHaveProperty('rejection');
  });

  it('text: bare lines for one file, "file: text" for several, errors on stderr', () => {
    const one = capture('text', false);
    one.writer.file('a.wav', rec('hello', []));
    expect(one.out).toBe('hello\n');
    const many = capture('text', true);
    many.writer.file('a.wav', rec('hello', []));
    many.writer.failure('b.wav', 'boom');
    many.writer.file('c.wav', rec('', []));
    expect(many.out).toBe('a.wav: hello\nc.wav: \n');
    expect(many.err).toBe('b.wav: error: boom\n');
  });

  it('vtt: one header, a NOTE naming each file when there are several', () => {
    const c = capture('vtt', true);
    c.writer.begin();
    c.writer.file('a.wav', rec('hi', [w('hi', 0.2, 0.5)]));
    c.writer.file('b.wav', rec('', []));
    expect(c.out).toBe('WEBVTT\n\nNOTE file: a.wav\n\n00:00:00.200 --> 00:00:00.500\nhi\n\nNOTE file: b.wav\n');
  });

  it('srt: per-file blocks numbered from 1, separated by a blank line, files named on stderr', () => {
    const c = capture('srt', true);
    c.writer.begin();
    c.writer.file('a.wav', rec('hi', [w('hi', 0.2, 0.5)]));
    c.writer.file('b.wav', rec('yo', [w('yo', 1, 1.25)]));
    expect(c.out).toBe('1\n00:00:00,200 --> 00:00:00,500\nhi\n\n1\n00:00:01,000 --> 00:00:01,250\nyo\n');
    expect(c.err).toBe('a.wav: 1 cue\nb.wav: 1 cue\n');
  });
});
