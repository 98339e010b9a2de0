import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src-shared/ipc/app-contract.ts';
import { DictationTranscript } from '../../src-renderer/view-state/dictation-transcript.ts';
import type { WordMark } from '../../src-shared/text/word-marks.ts';
import { FileJobList, wordIndexAt } from '../../src-renderer/view-state/file-job-list.ts';
import { fileStamp, formatClock, formatClockTenths, formatEta, formatMinSec } from '../../src-renderer/view-state/format-time.ts';
import { itemProblem, normalizeItem } from '../../src-renderer/view-state/list-items.ts';
import { liveChangeBetween, startRequestFor } from '../../src-renderer/view-state/live-config.ts';
import { micStateOf } from '../../src-renderer/view-state/mic-state.ts';
import { rejectionText } from '../../src-renderer/view-state/command-rejection.ts';
import { parseNumericSetting } from '../../src-renderer/view-state/settings-form.ts';

const settings = (patch: Partial<Settings> = {}): Settings => ({ ...structuredClone(DEFAULT_SETTINGS), ...patch }) as Settings;

describe('DictationTranscript', () => {
  it('splits partials into stable and tail, and a final replaces the partial', () => {
    const t = new DictationTranscript();
    expect(t.setPartial('hello wor', 'hello ')).toBe(true);
    expect(t.partial).toEqual({ stable: 'hello ', tail: 'wor' });
    expect(t.setPartial('hello wor', 'hello ')).toBe(false);
    expect(t.visibleText()).toBe('hello wor');
    t.addFinal({ text: 'hello world', words: [], confidence: 0.9, start: 0.2, end: 1.1 });
    expect(t.partial).toEqual({ stable: '', tail: '' });
    t.setPartial('next', 'nope');
    expect(t.partial).toEqual({ stable: '', tail: 'next' });
    expect(t.visibleText()).toBe('hello world next');
    expect(t.finalText()).toBe('hello world');
  });

  it('counts only visible changes and ignores empty finals', () => {
    const t = new DictationTranscript();
    const v0 = t.version;
    expect(t.addFinal({ text: '  ', words: [], confidence: 0, start: 0, end: 0 })).toBeNull();
    expect(t.version).toBe(v0);
    t.setPartial('a', '');
    t.addFinal({ text: ' ', words: [], confidence: 0, start: 0, end: 0 });
    expect(t.version).toBe(v0 + 2);
    t.clear();
    expect(t.visibleText()).toBe('');
  });
});

describe('DictationTranscript written as a document', () => {
  const final = (text: string, t0: number) => ({
    text, confidence: 0.9, start: t0, end: t0 + 1,
    words: text.split(' ').map((word, i) => ({ word, start: t0 + i * 0.5, end: t0 + i * 0.5 + 0.25, confidence: 0.9 })),
  });
  it('applies spoken editing across finals and numbers within one; Copy gets the document, the partial stays as heard', () => {
    const t = new DictationTranscript();
    for (const [i, text] of ['hello there', 'new line', 'it costs twenty five dollars', 'period', 'oops', 'scratch that'].entries()) t.addFinal(final(text, i * 2));
    expect(t.finalText()).toBe('hello there\nit costs $25.');
    t.setPartial('seven thirty', 'seven');
    expect(t.visibleText()).toBe('hello there\nit costs $25. seven thirty');
    // Tokens point back into the finals (for times and confidences).
    const doc = t.document();
    expect(doc.tokens.find((k) => k.text === '$25')).toMatchObject({ utterance: 2, start: 2, end: 5 });
  });
  it('turned off, shows the finals as recognized; turned back on, rewrites them', () => {
    const t = new DictationTranscript(false);
    t.addFinal(final('twenty one', 0));
    t.addFinal(final('comma', 2));
    expect(t.finalText()).toBe('twenty one\ncomma');
    expect(t.document().tokens).toEqual([]);
    const v = t.version;
    expect(t.setFormatting(true)).toBe(true);
    expect(t.version).toBe(v + 1);
    expect(t.setFormatting(true)).toBe(false);
    expect(t.finalText()).toBe('21,');
    t.clear();
    expect(t.finalText()).toBe('');
    t.addFinal(final('new paragraph', 0));
    t.addFinal(final('hi', 2));
    expect(t.finalText()).toBe('\n\nhi');
  });
});

describe('DictationTranscript with the tagger\'s marks (settings.punctuate)', () => {
  const final = (text: string, t0: number, marks?: WordMark[]) => ({
    text, confidence: 0.9, start: t0, end: t0 + 1, ...(marks ? { marks } : {}),
    words: text.split(' ').map((word, i) => ({ word, start: t0 + i * 0.5, end: t0 + i * 0.5 + 0.25, confidence: 0.9 })),
  });
  const m = (c: WordMark['case'], punct: WordMark['punct'] = ''): WordMark => ({ case: c, punct });
  it('writes a final\'s case and punctuation into the document, keeps them through formatting off and on, and ignores marks that do not fit', () => {
    const t = new DictationTranscript();
    t.addFinal(final('how are you', 0, [m('capitalized'), m('lower'), m('lower', '?')]));
    t.addFinal(final('i am fine', 2, [m('capitalized'), m('lower'), m('lower', '.')]));
    expect(t.finalText()).toBe('How are you? I am fine.');
    t.setFormatting(false);
    expect(t.finalText()).toBe('how are you\ni am fine');
    t.setFormatting(true);
    expect(t.finalText()).toBe('How are you? I am fine.');
    t.addFinal(final('thank you', 4, [m('capitalized')]));
    expect(t.finalText()).toBe('How are you? I am fine. thank you');
  });
});

describe('time formatting', () => {
  it('formats session clocks, ETAs and file stamps', () => {
    expect(formatClock(75.9)).toBe('01:15');
    expect(formatClock(-3)).toBe('00:00');
    expect(formatClockTenths(75.96)).toBe('01:15.9');
    expect(formatClockTenths(0.3)).toBe('00:00.3');
    expect(formatMinSec(3725)).toBe('62:05');
    expect(formatEta(null)).toBe('');
    expect(formatEta(12.4)).toBe('12 s left');
    expect(formatEta(190)).toBe('3 min left');
    expect(fileStamp(new Date(2025, 0, 7, 9, 5))).toBe('20250107-0905');
  });
});

describe('list items', () => {
  it('normalizes like the settings validator and refuses duplicates case-insensitively', () => {
    expect(normalizeItem('  next   slide ')).toBe('next slide');
    expect(itemProblem('Next  Slide', ['next slide'], 'command')).toMatch(/already/);
    expect(itemProblem('   ', [], 'command')).toMatch(/Type a command/);
    expect(itemProblem('x'.repeat(201), [], 'keyword')).toMatch(/200/);
    expect(itemProblem('go', ['next slide'], 'command')).toBeNull();
  });
});

describe('live configuration', () => {
  it('builds start requests from settings', () => {
    expect(startRequestFor(settings({ keywords: [], chunkFrames: 0 }))).toEqual({ input: 'mfcc', mode: { kind: 'dictation' }, endpointSilenceSec: 0.6 });
    expect(startRequestFor(settings({ mode: 'commands', commands: ['a b'], chunkFrames: 8, lookaheadFrames: 4 }))).toMatchObject({
      mode: { kind: 'phrases', items: ['a b'] }, chunkFrames: 8, lookaheadFrames: 4, keywords: DEFAULT_SETTINGS.keywords,
    });
    expect(startRequestFor(settings({ mode: 'commands', commands: [] }))).toBeNull();
  });

  it('tells restarts from live reconfiguration', () => {
    const base = settings();
    expect(liveChangeBetween(base, settings({ pushMs: 100 })).restart).toBe(true);
    expect(liveChangeBetween(base, settings({ microphoneId: 'x' })).restart).toBe(true);
    const toCommands = liveChangeBetween(base, settings({ mode: 'commands' }));
    expect(toCommands).toEqual({ restart: false, configure: { mode: { kind: 'phrases', items: DEFAULT_SETTINGS.commands } }, emptyCommands: false });
    const kw = liveChangeBetween(base, settings({ keywords: [{ text: 'hey computer', sensitivity: 0.8 }] }));
    expect(kw.configure).toEqual({ keywords: [{ text: 'hey computer', sensitivity: 0.8 }] });
    expect(liveChangeBetween(base, settings({ commands: ['x'] })).configure).toEqual({}); // dictation: commands do not matter
    expect(liveChangeBetween(base, settings({ mode: 'commands', commands: [] })).emptyCommands).toBe(true);
  });

  it('restarts dictation for another language model, and commands not', () => {
    const lm = { dictationLm: 'pocketsphinx-en-us' } as const;
    expect(liveChangeBetween(settings(), settings(lm)).restart).toBe(true);
    expect(liveChangeBetween(settings({ mode: 'commands' }), settings({ mode: 'commands', ...lm })).restart).toBe(false);
    // Back to dictation with the new LM: the stream restarts (its decoders are the old LM's).
    expect(liveChangeBetween(settings({ mode: 'commands' }), settings(lm)).restart).toBe(true);
  });
});

describe('settings form', () => {
  it('parses numeric inputs against the backend ranges', () => {
    expect(parseNumericSetting('endpointSilenceSec', '0.6500000001')).toEqual({ patch: { endpointSilenceSec: 0.65 } });
    expect(parseNumericSetting('pushMs', '45')).toEqual({ patch: { pushMs: 45 } });
    expect(parseNumericSetting('pushMs', '45.5')).toHaveProperty('error');
    expect(parseNumericSetting('chunkFrames', '99')).toEqual({ error: 'Chunk frames: must be between 0 and 64.' });
    expect(parseNumericSetting('lookaheadFrames', '')).toHaveProperty('error');
  });
});

describe('a rejected command', () => {
  it('names the closest listed phrase, its confidence and what was heard', () => {
    expect(rejectionText({ closest: 'next slide', confidence: 0.1249, heard: 'N EH K S T' }, 1.2)).toBe('Not a command — closest: “next slide”, 12% · heard /n eh k s t/');
    expect(rejectionText({ closest: '<sound:clap>', confidence: 0, heard: '' }, 1.2)).toBe('Not a command — closest: “sound: clap”, 0%');
    // No phrase could align (or a backend that does not say): the utterance by its length.
    expect(rejectionText({ closest: null, confidence: 0, heard: 'AH' }, 0.04)).toBe('Not a command (rejected, 0.1 s of audio) · heard /ah/');
    expect(rejectionText(undefined, 1.24)).toBe('Not a command (rejected, 1.2 s of audio)');
  });
});

describe('mic state', () => {
  const ready = { state: 'ready' as const, model: {} as never };
  it('ranks model problems, listening, then microphone problems', () => {
    expect(micStateOf(null, false, null)).toBe('loading');
    expect(micStateOf({ state: 'loading', folder: 'm' }, false, null)).toBe('loading');
    // Listening goes on while another model loads (it is hot-swapped in when it is ready).
    expect(micStateOf({ state: 'loading', folder: 'm' }, true, null)).toBe('listening');
    expect(micStateOf({ state: 'error', folder: '', error: 'x' }, true, 'denied')).toBe('model-error');
    expect(micStateOf(ready, true, 'denied')).toBe('listening');
    expect(micStateOf(ready, false, 'denied')).toBe('denied');
    expect(micStateOf(ready, false, null)).toBe('ready');
  });
});

describe('FileJobList', () => {
  it('follows job events, ignores removed jobs and late progress after the end', () => {
    const jobs = new FileJobList();
    jobs.apply({ jobId: 'a', state: 'queued', name: 'a.wav' });
    jobs.add('a', 'a.wav');
    jobs.apply({ jobId: 'a', state: 'running', name: 'a.wav', progress: 0.5, etaSec: 3, text: 'hello' });
    expect(jobs.jobs.get('a')).toMatchObject({ state: 'running', progress: 0.5, partialText: 'hello' });
    const result = { name: 'a.wav', text: 'hi', words: [], durationSec: 1, processingSec: 0.1, keywords: [] };
    jobs.apply({ jobId: 'a', state: 'done', name: 'a.wav', result });
    jobs.apply({ jobId: 'a', state: 'running', name: 'a.wav', progress: 0.9, etaSec: 1, text: '' });
    expect(jobs.jobs.get('a')).toMatchObject({ state: 'done', progress: 1, result });
    jobs.remove('a');
    expect(jobs.apply({ jobId: 'a', state: 'canceled', name: 'a.wav' })).toBeNull();
    expect(jobs.jobs.size).toBe(0);
  });

  it('finds the word at a playback time', () => {
    const words = [0, 1, 2].map((i) => ({ word: `w${i}`, start: i, end: i + 0.8, confidence: 1 }));
    expect(wordIndexAt(words, 0.5)).toBe(0);
    expect(wordIndexAt(words, 0.9)).toBe(-1);
    expect(wordIndexAt(words, 2.1)).toBe(2);
    expect(wordIndexAt(words, -1)).toBe(-1);
    expect(wordIndexAt([], 1)).toBe(-1);
  });
});
