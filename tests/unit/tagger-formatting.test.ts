// How the tagger's marks compose with dictation formatting (spoken editing, inverse text
// normalization, word times), and the switches that turn them off: the CLI's --no-punctuation and
// --raw-text, phrase/word lists, the settings.punctuate setting and the Files exports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTimedDictation } from '../../src-shared/text/dictation-transcript.ts';
import { formatDictation } from '../../src-shared/text/spoken-editing.ts';
import { checkSettingsPatch, DEFAULT_SETTINGS } from '../../src-shared/ipc/settings-contract.ts';
import type { FileResult } from '../../src-shared/ipc/files-contract.ts';
import type { WordCase, WordMark, WordPunct } from '../../src-shared/text/word-marks.ts';
import { ruleMarks } from '../../src-shared/text/rule-punctuation.ts';
import { withTaggerMarks, writtenTranscript } from '../../src-main/engine/transcript-formats.ts';
import { sharedPunctuationTagger } from '../../src-main/engine/punctuation-tagger.ts';
import { exportResult } from '../../src-main/backend/file-exports.ts';
import { SettingsStore } from '../../src-main/backend/settings-store.ts';
import { parseCommand } from '../../src-main/cli/cli-args.ts';
import { dictationFormatting, transcribeSpec } from '../../src-main/cli/transcribe-command.ts';

/** Marks from a compact spelling: "C" capitalized, "U" upper, "l" lower, then the punctuation. */
const m = (...spec: string[]): WordMark[] => spec.map((s) => ({
  case: ({ C: 'capitalized', U: 'upper', l: 'lower' } as Record<string, WordCase>)[s[0]], punct: s.slice(1) as WordPunct,
}));
const words = (s: string) => s.split(' ');

describe('tagger marks in dictation formatting', () => {
  it('case goes on the first source word of a written token, punctuation after its last, numbers written after tagging', () => {
    const doc = formatDictation([words('i paid twenty five dollars in march')], {}, [m('C', 'l', 'l', 'l', 'l', 'l', 'C.')]);
    expect(doc.text).toBe('I paid $25 in March.');
    expect(doc.tokens.at(-1)).toEqual({ text: '.', kind: 'punctuation', utterance: 0, start: 7, end: 7 });
    const plain = formatDictation([words('i paid twenty five dollars')], { inverseNormalize: false }, [m('C', 'l', 'l', 'l', 'l.')]);
    expect(plain.text).toBe('I paid twenty five dollars.');
  });

  it('a spoken punctuation command wins over the predicted punctuation before it; other commands keep it', () => {
    const finals = [words('how are you'), ['period'], words('see you'), words('new line'), words('bye')];
    const marks = [m('C', 'l', 'l?'), undefined, m('C', 'l.'), undefined, m('C!')];
    expect(formatDictation(finals, {}, marks).text).toBe('How are you. See you.\nBye!');
    expect(formatDictation([words('yes'), ['comma'], words('sure')], {}, [m('C.'), undefined, m('l.')]).text).toBe('Yes, sure.');
  });

  it('"scratch that" removes an utterance with its predicted punctuation; "all caps" stays in capitals', () => {
    expect(formatDictation([words('hello there'), words('scratch that'), words('all caps nasa launched')], {}, [m('C', 'l.'), undefined, m('C', 'l', 'C', 'l.')]).text).toBe('NASA LAUNCHED.');
  });

  it('word times are untouched; predicted punctuation covers no words and sits at the end of the word before it', () => {
    const timed = [{ word: 'how', start: 0.1, end: 0.3 }, { word: 'are', start: 0.35, end: 0.5 }, { word: 'you', start: 0.55, end: 0.8 }];
    const doc = formatTimedDictation([timed], {}, [m('C', 'l', 'l?')]);
    expect(doc.text).toBe('How are you?');
    expect(doc.tokens.map((t) => [t.text, t.start, t.end, t.words])).toEqual([
      ['How', 0.1, 0.3, [0, 1]], ['are', 0.35, 0.5, [1, 2]], ['you', 0.55, 0.8, [2, 3]], ['?', 0.8, 0.8, [3, 3]],
    ]);
    const written = writtenTranscript({ text: 'how are you', words: timed }, { marks: [m('C', 'l', 'l?')] });
    expect(written.cues).toEqual([{ start: 0.1, end: 0.8, text: 'How are you?' }]);
  });

  it('the rule baseline: capitals at the start and for "i", a question mark after a question opener, else a period', () => {
    expect(formatDictation([words('what do i do'), words('i am here')], {}, [ruleMarks(words('what do i do')), ruleMarks(words('i am here'))]).text).toBe('What do I do? I am here.');
  });
});

describe('off switches', () => {
  const parse = (...argv: string[]) => parseCommand(transcribeSpec, ['a.wav', ...argv]).options;
  const dictation = { kind: 'dictation' } as const;

  it('CLI: punctuation on by default, off with --no-punctuation, no formatting at all with --raw-text or a list', () => {
    expect(dictationFormatting(parse(), dictation)?.punctuate).toBe(true);
    expect(dictationFormatting(parse('--no-punctuation'), dictation)).toEqual({ utterancePauseSec: 0.6, punctuate: false });
    expect(dictationFormatting(parse('--raw-text'), dictation)).toBeNull();
    expect(dictationFormatting(parse(), { kind: 'words', items: ['yes', 'no'] })).toBeNull();
    expect(dictationFormatting(parse(), { kind: 'phrases', items: ['next slide'] })).toBeNull();
  });

  it('withTaggerMarks leaves formatting without marks when punctuation is off or formatting is null', async () => {
    const r = { text: 'how are you', words: [{ word: 'how', start: 0, end: 0.2 }, { word: 'are', start: 0.3, end: 0.4 }, { word: 'you', start: 0.5, end: 0.6 }] };
    expect(await withTaggerMarks(r, { punctuate: false }, sharedPunctuationTagger)).toEqual({ punctuate: false });
    expect(await withTaggerMarks(r, null, sharedPunctuationTagger)).toBeNull();
    const on = await withTaggerMarks(r, {}, sharedPunctuationTagger);
    expect(on?.marks).toHaveLength(1);
    expect(on?.marks?.[0]).toHaveLength(3);
  });

  it('settings: punctuate defaults to true, validates as a boolean, and loads as true from files older than it', async () => {
    expect(DEFAULT_SETTINGS.punctuate).toBe(true);
    expect(checkSettingsPatch({ punctuate: false }, 'settings:update', 'patch')).toEqual({ punctuate: false });
    expect(() => checkSettingsPatch({ punctuate: 'no' }, 'settings:update', 'patch')).toThrow(/punctuate/);
    const dir = mkdtempSync(join(tmpdir(), 'hark-settings-'));
    const { punctuate: _omitted, ...older } = DEFAULT_SETTINGS;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...older, formatDictation: true }));
    const store = await SettingsStore.open(dir);
    expect(store.get().punctuate).toBe(true);
    expect((await store.update({ punctuate: false })).punctuate).toBe(false);
  });

  it('Files exports write the marks the job finished with, and none when it had none', () => {
    const base: FileResult = {
      name: 'talk.wav', text: 'how are you', durationSec: 1, processingSec: 0.1, keywords: [], utteranceWords: [3], formattedText: 'How are you?',
      words: [{ word: 'how', start: 0, end: 0.2, confidence: 1 }, { word: 'are', start: 0.3, end: 0.4, confidence: 1 }, { word: 'you', start: 0.5, end: 0.6, confidence: 1 }],
    };
    expect(exportResult({ ...base, marks: [m('C', 'l', 'l?')] }, 'txt').text).toBe('How are you?\n');
    expect(exportResult({ ...base, formattedText: 'how are you' }, 'txt').text).toBe('how are you\n');
    expect(JSON.parse(exportResult({ ...base, marks: [m('C', 'l', 'l?')] }, 'json').text).words.map((w: { word: string }) => w.word)).toEqual(['how', 'are', 'you']);
  });
});
