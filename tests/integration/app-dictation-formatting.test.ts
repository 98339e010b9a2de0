/**
 * Dictation written as text in the app's backend: the formatDictation setting (default on,
 * validated, saved, an older settings.json without it loads with it on and without a notice) and
 * the Files queue's dictation jobs, whose exports use the CLI's formatting on the job's finals
 * (spoken editing across finals, numbers within one; "words" as recognized), and the words as
 * recognized with the setting off; with settings.punctuate (default on) also the punctuation
 * tagger's capitals and punctuation. Clip: espeak-ng en-us with pauses between the utterances.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppBackend } from '../../src-main/backend/app-backend.ts';
import { FilesBackend } from '../helpers/files-backend.ts';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { splitCueItems, srtCues } from '../../src-main/engine/transcript-formats.ts';
import { formatTimedDictation, splitUtterances } from '../../src-shared/text/dictation-transcript.ts';
import { PunctuationTagger } from '../../src-main/engine/punctuation-tagger.ts';
import { requireTool, run } from '../unit/audio-test-tools.ts';

let dir: string;
let clip: string;
const harness = new FilesBackend();

beforeAll(async () => {
  requireTool('espeak-ng');
  requireTool('sox');
  dir = await mkdtemp(join(tmpdir(), 'hark-fmt-'));
  const parts = ['it costs twenty five dollars', 'new line', 'hello there', 'period'].map((t, i) => {
    // "period" said a little slower than espeak-ng's default 175 words a minute: at that speed, alone
    // after a pause, 2026-12-06a hears nothing there (this test is about formatting, not hearing).
    run('espeak-ng', ['-v', 'en-us', ...(t === 'period' ? ['-s', '150'] : []), '-w', join(dir, `${i}.raw.wav`), t]);
    run('sox', ['-D', join(dir, `${i}.raw.wav`), '-r', '16000', '-b', '16', join(dir, `${i}.wav`), 'pad', '0.3', '1.3']);
    return join(dir, `${i}.wav`);
  });
  clip = join(dir, 'clip.wav');
  run('sox', ['-D', ...parts, clip]);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
afterEach(async () => { await harness.dispose(); });

const open = (userDataDir: string) => harness.open(userDataDir);
const transcribe = (b: AppBackend) => harness.transcribe(b, clip);

describe('formatDictation setting', () => {
  it('defaults to on, is validated and saved; an older settings.json without it loads with it on, without a notice', async () => {
    const user = await mkdtemp(join(dir, 'user-'));
    await writeFile(join(user, SETTINGS_FILE), JSON.stringify({ mode: 'dictation', endpointSilenceSec: 0.7 }));
    let b = await open(user);
    expect(await b.handle(1, 'settings:get', {})).toMatchObject({ formatDictation: true, endpointSilenceSec: 0.7 });
    expect((await b.handle(1, 'app:info', {})).notices).toEqual([]);
    await expect(b.handle(1, 'settings:set', { patch: { formatDictation: 'no' } })).rejects.toThrow(/formatDictation must be true or false, got/);
    expect((await b.handle(1, 'settings:set', { patch: { formatDictation: false } })).formatDictation).toBe(false);
    expect(JSON.parse(await readFile(join(user, SETTINGS_FILE), 'utf8'))).toMatchObject({ formatDictation: false, endpointSilenceSec: 0.7 });
    await b.dispose();
    b = await open(user);
    expect((await b.handle(1, 'settings:get', {})).formatDictation).toBe(false);
    await b.dispose();
    // A bad value falls back to the default and is named.
    await writeFile(join(user, SETTINGS_FILE), JSON.stringify({ formatDictation: 1 }));
    b = await open(user);
    expect((await b.handle(1, 'settings:get', {})).formatDictation).toBe(true);
    expect((await b.handle(1, 'app:info', {})).notices.join(' ')).toMatch(/formatDictation must be true or false/);
  });
});

describe('Files exports of dictation', () => {
  it('write the document of the finals with the setting on, the words as recognized with it off', async () => {
    const b = await open(await mkdtemp(join(dir, 'user-')));
    // Numbers and spoken editing alone here; the tagger's capitals and punctuation: the next test.
    await b.handle(1, 'settings:set', { patch: { punctuate: false } });
    const on = await transcribe(b);
    const r = on.result;
    const finals = splitUtterances(r.words, r.utteranceWords).map((u) => u.map((w) => w.word).join(' '));
    expect(finals).toEqual([expect.stringMatching(/^it c[oa]sts twenty five dollars$/), 'new line', 'hello there', 'period']);
    expect(r.text).toBe(finals.join(' '));
    expect(r.formattedText).toMatch(/^it c[oa]sts \$25\nhello there\.$/);
    const txt = await b.handle(1, 'files:export', { jobId: on.jobId, format: 'txt' });
    expect(txt.text).toBe(`${r.formattedText}\n`);
    const json = JSON.parse((await b.handle(1, 'files:export', { jobId: on.jobId, format: 'json' })).text) as Record<string, unknown>;
    expect(json.text).toBe(r.formattedText);
    expect((json.words as { word: string }[]).map((w) => w.word)).toEqual(r.words.map((w) => w.word));
    const doc = formatTimedDictation(splitUtterances(r.words, r.utteranceWords));
    expect(json.tokens).toEqual(doc.tokens.map((t) => ({ ...t })));
    const srt = (await b.handle(1, 'files:export', { jobId: on.jobId, format: 'srt' })).text;
    expect(srt).toBe(srtCues(splitCueItems(doc.tokens)));
    expect(srt).toMatch(/\nit c[oa]sts \$25\n/);
    expect(srt).toMatch(/\nhello there\.\n$/);

    await b.handle(1, 'settings:set', { patch: { formatDictation: false } });
    const off = await transcribe(b);
    expect(off.result.formattedText).toBeUndefined();
    expect(off.result.words).toEqual(r.words);
    expect((await b.handle(1, 'files:export', { jobId: off.jobId, format: 'txt' })).text).toBe(`${r.text}\n`);
    const offJson = JSON.parse((await b.handle(1, 'files:export', { jobId: off.jobId, format: 'json' })).text) as Record<string, unknown>;
    expect(offJson.text).toBe(r.text);
    expect(offJson).not.toHaveProperty('tokens');
    // A job keeps what it was written with: the first one's export does not change.
    expect((await b.handle(1, 'files:export', { jobId: on.jobId, format: 'txt' })).text).toBe(`${r.formattedText}\n`);
  });

  it('with settings.punctuate on (the default), results and exports carry the tagger\'s capitals and punctuation of each final', async () => {
    const b = await open(await mkdtemp(join(dir, 'user-')));
    expect((await b.handle(1, 'settings:get', {})).punctuate).toBe(true);
    const { jobId, result: r } = await transcribe(b);
    const utterances = splitUtterances(r.words, r.utteranceWords);
    const tagger = await PunctuationTagger.load();
    const marks = await tagger.tagUtterances(utterances.map((u) => u.map((w) => w.word)));
    await tagger.release();
    const doc = formatTimedDictation(utterances, {}, marks);
    expect(r.formattedText).toBe(doc.text);
    expect(r.formattedText).toMatch(/^It c[oa]sts \$25/);
    expect(r.formattedText).toMatch(/\nHello there\.$/);
    expect(r.marks).toEqual(marks.map((m) => m ?? null));
    const json = JSON.parse((await b.handle(1, 'files:export', { jobId, format: 'json' })).text) as Record<string, unknown>;
    expect(json.text).toBe(doc.text);
    expect(json.tokens).toEqual(doc.tokens.map((t) => ({ ...t })));
    expect((json.words as { word: string; start: number }[]).map((w) => [w.word, w.start])).toEqual(r.words.map((w) => [w.word, w.start]));
    expect((await b.handle(1, 'files:export', { jobId, format: 'srt' })).text).toBe(srtCues(splitCueItems(doc.tokens)));
  });

  it('never formats word-list jobs', async () => {
    const b = await open(await mkdtemp(join(dir, 'user-')));
    const { jobId, result } = await harness.transcribe(b, clip, { kind: 'words', items: ['twenty', 'five', 'dollars', 'new line', 'period', 'hello there', 'it costs'] });
    expect(result.formattedText).toBeUndefined();
    expect(result.utteranceWords).toBeUndefined();
    expect((await b.handle(1, 'files:export', { jobId, format: 'txt' })).text).toBe(`${result.text}\n`);
    expect(result.text).toContain('twenty five dollars');
  });
});
