/**
 * The desktop app's backend without Electron: settings persisted in the user data folder, the
 * shipped model loaded in the background, the file queue (paths and dropped bytes, progress,
 * cancel, exports, playback audio, corrupt files), window ownership, live recognition through
 * the same object, and a model switch to a broken folder and back.
 */
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppBackend } from '../../src-main/backend/app-backend.ts';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { decodeAudioBuffer } from '../../src-main/audio/index.ts';
import type { EventChannel, FileJobEvent, HarkEventApi } from '../../src-shared/ipc/app-contract.ts';

let dir: string;
let backend: AppBackend | undefined;
let events: { senderId: number; channel: EventChannel; payload: unknown }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-app-'));
  events = [];
});
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
  await rm(dir, { recursive: true, force: true });
});

const open = async () => {
  backend = await AppBackend.create({ userDataDir: dir, emit: (senderId, channel, payload) => events.push({ senderId, channel, payload }) });
  return backend;
};
const fileEvents = (jobId: string) => events.filter((e) => e.channel === 'files:event' && (e.payload as FileJobEvent).jobId === jobId).map((e) => e.payload as FileJobEvent);

describe('app backend', () => {
  it('persists validated settings atomically and falls back field by field from a damaged file', async () => {
    const b = await open();
    await b.handle(1, 'settings:get', {});
    const s = await b.handle(1, 'settings:set', { patch: { mode: 'commands', commands: ['lights on', 'lights off'], endpointSilenceSec: 0.9 } });
    expect(s.commands).toEqual(['lights on', 'lights off']);
    await expect(b.handle(1, 'settings:set', { patch: { endpointSilenceSec: 99 } })).rejects.toThrow(/endpointSilenceSec must be in \[0.2, 5\]/);
    const onDisk = JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8'));
    expect(onDisk).toMatchObject({ mode: 'commands', commands: ['lights on', 'lights off'], endpointSilenceSec: 0.9 });
    // Every window that has talked to the backend hears about the change.
    expect(events.some((e) => e.channel === 'app:event' && (e.payload as HarkEventApi['app:event']).type === 'settings')).toBe(true);
    await b.dispose();
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ ...onDisk, pushMs: -4 }));
    const again = await open();
    const back = await again.handle(1, 'settings:get', {});
    expect(back.commands).toEqual(['lights on', 'lights off']);
    expect(back.pushMs).toBe(50);
    await writeFile(join(dir, SETTINGS_FILE), '{ not json');
    await again.dispose();
    const third = await open();
    expect((await third.handle(1, 'settings:get', {})).mode).toBe('dictation');
  });

  it('loads the shipped model, lists it, and transcribes queued files from paths and bytes with progress and exports', async () => {
    const b = await open();
    expect((await b.handle(1, 'models:list', {})).models.map((m) => m.name)).toContain('hark-en');
    expect(await b.modelSettled()).toMatchObject({ state: 'ready', model: { name: 'hark-en', chunkFrames: 8, lookaheadFrames: 4 } });
    const bytes = await readFile('assets/samples/digits.wav');
    const { jobs } = await b.handle(1, 'files:add', {
      files: [
        { name: 'digits.wav', path: 'assets/samples/digits.wav' },
        { name: 'dropped digits.wav', data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
        { name: 'broken.wav', data: new TextEncoder().encode('RIFF....WAVEfmt garbage').buffer },
        { name: 'missing.wav', path: join(dir, 'nope.wav') },
      ],
      // The digit list, as the README's demo transcribes this clip: the queue's job is to pass the
      // mode through (dictation of a bare digit string with a general LM is the accuracy benches' part).
      mode: { kind: 'words', items: (await readFile('assets/samples/digits.txt', 'utf8')).split('\n').filter(Boolean) },
      keywords: [{ text: 'nine' }],
    });
    expect(jobs).toHaveLength(4);
    await b.fileQueue.idle();
    const [a, d, broken, missing] = jobs.map((j) => fileEvents(j.jobId));
    expect(a.map((e) => e.state)).toEqual(expect.arrayContaining(['queued', 'running', 'done']));
    expect(a[0].state).toBe('queued');
    expect(a[a.length - 1].state).toBe('done');
    const doneA = a[a.length - 1] as Extract<FileJobEvent, { state: 'done' }>;
    const doneD = d[d.length - 1] as Extract<FileJobEvent, { state: 'done' }>;
    expect(doneA.result.text).toBe(doneD.result.text);
    // The sample says "four one five two nine"; allow one word of slack for the model.
    const said = ['four', 'one', 'five', 'two', 'nine'];
    expect(said.filter((w) => doneA.result.words.some((x) => x.word === w)).length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < doneA.result.words.length; i++) expect(doneA.result.words[i].start).toBeGreaterThanOrEqual(doneA.result.words[i - 1].end - 1e-6);
    expect(doneA.result.durationSec).toBeGreaterThan(1);
    const running = a.filter((e) => e.state === 'running') as Extract<FileJobEvent, { state: 'running' }>[];
    expect(running.every((e, i) => i === 0 || e.progress >= running[i - 1].progress)).toBe(true);
    expect(broken[broken.length - 1]).toMatchObject({ state: 'error', error: expect.stringMatching(/broken\.wav/) });
    expect(missing[missing.length - 1]).toMatchObject({ state: 'error', error: expect.stringMatching(/nope\.wav/) });

    const srt = await b.handle(1, 'files:export', { jobId: jobs[0].jobId, format: 'srt' });
    expect(srt.fileName).toBe('digits.srt');
    expect(srt.text).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n\w/);
    const vtt = await b.handle(1, 'files:export', { jobId: jobs[0].jobId, format: 'vtt' });
    expect(vtt.text.startsWith('WEBVTT\n\n00:00:')).toBe(true);
    const json = JSON.parse((await b.handle(1, 'files:export', { jobId: jobs[1].jobId, format: 'json' })).text);
    expect(json).toMatchObject({ file: 'dropped digits.wav', text: doneD.result.text });
    expect((await b.handle(1, 'files:export', { jobId: jobs[0].jobId, format: 'txt' })).text).toBe(`${doneA.result.text}\n`);
    await expect(b.handle(1, 'files:export', { jobId: jobs[2].jobId, format: 'txt' })).rejects.toThrow(/no transcript yet \(error\)/);

    const { wav } = await b.handle(1, 'files:audio', { jobId: jobs[1].jobId });
    const audio = await decodeAudioBuffer(new Uint8Array(wav), 'playback.wav');
    expect(audio.durationSec).toBeCloseTo(doneD.result.durationSec, 2);

    // Jobs belong to their window.
    await expect(b.handle(2, 'files:export', { jobId: jobs[0].jobId, format: 'srt' })).rejects.toThrow(/no such file job in this window/);
    await expect(b.handle(2, 'files:remove', { jobId: jobs[0].jobId })).rejects.toThrow(/no such file job/);
    expect(events.filter((e) => e.channel === 'files:event').every((e) => e.senderId === 1)).toBe(true);
    await b.handle(1, 'files:remove', { jobId: jobs[0].jobId });
    await expect(b.handle(1, 'files:export', { jobId: jobs[0].jobId, format: 'srt' })).rejects.toThrow(/no such file job/);
  });

  it('cancels a running job and a queued one, and forgets a closed window\'s jobs', async () => {
    const b = await open();
    const long = new Float32Array(16000 * 30);
    for (let i = 0; i < long.length; i++) long[i] = 0.05 * Math.sin(i * 0.07) * Math.sin(i * 0.0003);
    const { encodeWav } = await import('../../src-main/audio/index.ts');
    const wav = encodeWav(long, 16000);
    const data = () => wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength) as ArrayBuffer;
    const { jobs } = await b.handle(1, 'files:add', { files: [{ name: 'long.wav', data: data() }, { name: 'next.wav', data: data() }], mode: { kind: 'dictation' } });
    while (!fileEvents(jobs[0].jobId).some((e) => e.state === 'running' && e.progress > 0)) await new Promise((r) => setTimeout(r, 20));
    await b.handle(1, 'files:cancel', { jobId: jobs[0].jobId });
    await b.handle(1, 'files:cancel', { jobId: jobs[1].jobId });
    await b.fileQueue.idle();
    expect(fileEvents(jobs[0].jobId).at(-1)!.state).toBe('canceled');
    expect(fileEvents(jobs[1].jobId).map((e) => e.state)).toEqual(['queued', 'canceled']);
    await b.handle(3, 'files:add', { files: [{ name: 'x.wav', data: data() }], mode: { kind: 'dictation' } });
    await b.closeSender(3);
    await b.fileQueue.idle();
    expect(b.fileQueue.counts()).toEqual({ queued: 0, running: 0, done: 0, error: 0, canceled: 2 });
  });

  it('runs live recognition, and reports a broken model folder clearly until switched back', async () => {
    const b = await open();
    await b.modelSettled();
    const pcm = (await decodeAudioBuffer(new Uint8Array(await readFile('assets/samples/digits.wav')), 'digits.wav')).samples;
    const start = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } });
    for (let i = 0; i < pcm.length; i += 1600) await b.handle(1, 'recognition:push', { streamId: start.streamId, data: pcm.slice(i, i + 1600) });
    await b.handle(1, 'recognition:stop', { streamId: start.streamId });
    const finals = events.filter((e) => e.channel === 'recognition:event' && (e.payload as HarkEventApi['recognition:event']).event.type === 'final');
    expect(finals.length).toBeGreaterThan(0);
    await expect(b.handle(2, 'recognition:stop', { streamId: start.streamId })).rejects.toThrow(/no stream/);
    await expect(b.handle(1, 'dialog:save-text', { fileName: 'a.txt', text: '' })).rejects.toThrow(/answered by the window's host/);

    // settings:set chooses only among installed versions, as models:use does.
    const notModel = join(dir, 'models', 'not-a-model');
    await mkdir(notModel, { recursive: true });
    await writeFile(join(notModel, 'model.json'), '{"formatVersion": 99}');
    await expect(b.handle(1, 'settings:set', { patch: { modelDir: notModel } })).rejects.toThrow(/no installed model in .*not-a-model/);
    await expect(b.handle(1, 'settings:set', { patch: { modelDir: '/etc' } })).rejects.toThrow(/no installed model in \/etc/);
    expect((await b.handle(1, 'settings:get', {})).modelDir).toBe('');
    // An installed version whose graph was damaged afterwards fails to load, clearly.
    const bad = join(dir, 'models', 'broken');
    await cp('models/hark-en', bad, { recursive: true });
    await writeFile(join(bad, 'model.onnx'), (await readFile(join(bad, 'model.onnx'))).subarray(0, 1000));
    // A stream started on the old model survives the switch.
    const before = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } });
    await b.handle(1, 'settings:set', { patch: { modelDir: bad } });
    const failed = await b.modelSettled();
    expect(failed).toMatchObject({ state: 'error', error: expect.stringMatching(/model\.onnx/) });
    await b.handle(1, 'recognition:push', { streamId: before.streamId, data: pcm.slice(0, 3200) });
    await b.handle(1, 'recognition:stop', { streamId: before.streamId });
    await expect(b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } })).rejects.toThrow(/model\.onnx/);
    const info = await b.handle(1, 'app:info', {});
    expect(info.model.state).toBe('error');
    await b.handle(1, 'settings:set', { patch: { modelDir: '' } });
    expect((await b.modelSettled()).state).toBe('ready');
    const after = await b.handle(1, 'recognition:start', { input: 'mfcc', mode: { kind: 'phrases', items: ['next slide'] }, chunkFrames: 4, lookaheadFrames: 2 });
    expect(after).toMatchObject({ chunkFrames: 4, lookaheadFrames: 2 });
    await b.handle(1, 'recognition:stop', { streamId: after.streamId });
  });
});

describe('file job progress text', () => {
  it('carries only the end of a long transcript, cut at a word', async () => {
    const { transcriptTail, PROGRESS_TEXT_CHARS } = await import('../../src-main/backend/file-jobs.ts');
    expect(transcriptTail(['one two', 'three'])).toBe('one two three');
    const long = Array.from({ length: 200 }, (_, i) => `utterance number ${i}`);
    const tail = transcriptTail(long);
    expect(tail.startsWith('…')).toBe(true);
    expect(tail.length).toBeLessThanOrEqual(PROGRESS_TEXT_CHARS + 1);
    expect(tail.endsWith('utterance number 199')).toBe(true);
    expect(tail.slice(1).split(' ')[0]).toMatch(/^(utterance|number|\d+)$/);
  });
});

describe('words through the backend', () => {
  it('adds, lists, speaks and removes words in the user data folder, with clear errors', async () => {
    const b = await open();
    expect(await b.handle(1, 'words:list', {})).toEqual({ words: [] });
    const added = await b.handle(1, 'words:add', { word: 'Zorblat' });
    expect(added.word).toMatchObject({ word: 'zorblat', source: 'g2p' });
    const mine = await b.handle(1, 'words:add', { word: 'quux', pronunciations: ['K W UH K S'] });
    expect(mine.words.map((w) => w.word)).toEqual(['quux', 'zorblat']);
    expect(JSON.parse(await readFile(join(dir, 'words.json'), 'utf8')).words).toHaveLength(2);
    const { wav } = await b.handle(1, 'words:say', { word: 'quux' });
    expect((await decodeAudioBuffer(new Uint8Array(wav), 'say.wav')).durationSec).toBeGreaterThan(0.2);
    await expect(b.handle(1, 'words:add', { word: 'two words' })).rejects.toThrow(/not a single word/);
    await expect(b.handle(1, 'words:add', { word: 'x', pronunciations: ['K QQ'] })).rejects.toThrow(/"QQ" is not an ARPAbet phoneme/);
    await expect(b.handle(1, 'words:say', { word: 'nope' })).rejects.toThrow(/not in your vocabulary/);
    expect((await b.handle(1, 'words:remove', { word: 'zorblat' })).words.map((w) => w.word)).toEqual(['quux']);
    await expect(b.handle(1, 'words:remove', { word: 'zorblat' })).rejects.toThrow(/not in your vocabulary/);
    // Streams started after a change recognize with the new words (the decoders were rebuilt).
    await b.modelSettled();
    const s = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'phrases', items: ['open quux'] } });
    await b.handle(1, 'recognition:stop', { streamId: s.streamId });
  });
});

describe('model switch while a stream runs', () => {
  it('hot-swaps the running stream to a new version of the model, and keeps it on its model for another front-end', async () => {
    const { speechClip } = await import('../helpers/speech-clip.ts');
    const { createRng } = await import('../../src-main/train/data/rng.ts');
    const { loadModelPackage } = await import('../../src-main/model/model-package.ts');
    const { writeModelVersionCopy } = await import('../helpers/model-version-copy.ts');
    const { writeRandomModelPackage } = await import('../helpers/random-model-package.ts');
    const b = await open();
    await b.handle(1, 'app:info', {});
    const first = await b.modelSettled();
    if (first.state !== 'ready') throw new Error(`the shipped model did not load: ${JSON.stringify(first)}`);
    const shipped = await loadModelPackage(b.shippedModelDir);
    const next = await writeModelVersionCopy(shipped, `${shipped.metadata.version}-next`, join(dir, 'models', 'hark-en-next'));
    const random = await writeRandomModelPackage(4, { dir: join(dir, 'models', 'random') });
    const rng = createRng(11);
    const clip = (parts: (string | number)[]) => speechClip(parts, rng);
    const recognition = () => events.filter((e) => e.channel === 'recognition:event').map((e) => (e.payload as HarkEventApi['recognition:event']).event);
    const finals = () => recognition().filter((e): e is Extract<typeof e, { type: 'final' }> => e.type === 'final');
    const modelEvents = () => events.filter((e) => e.channel === 'app:event' && (e.payload as HarkEventApi['app:event']).type === 'model')
      .map((e) => (e.payload as Extract<HarkEventApi['app:event'], { type: 'model' }>).model);
    const { streamId } = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'words', items: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] } });
    const feed = async (pcm: Float32Array) => {
      for (let i = 0; i < pcm.length; i += 1600) await b.handle(1, 'recognition:push', { streamId, data: pcm.slice(i, i + 1600) });
    };

    await feed(await clip([0.4, 'four one', 1.5]));
    expect(finals().map((f) => f.model)).toEqual([`hark-en ${shipped.metadata.version}`]);
    // Same features and normalization: the running stream moves over, the window is told so.
    await b.handle(1, 'settings:set', { patch: { modelDir: next.dir } });
    expect(await b.modelSettled()).toMatchObject({ state: 'ready', swapped: true, model: { dir: next.dir, version: next.metadata.version } });
    expect(modelEvents().slice(-2)).toMatchObject([{ state: 'loading', folder: basename(next.dir) }, { state: 'ready', swapped: true, model: { folder: basename(next.dir) } }]);
    await feed(await clip(['five two', 1.5]));
    // Another front-end: no swap; the stream keeps the model it has until it stops.
    await b.handle(1, 'settings:set', { patch: { modelDir: random.dir } });
    const third = await b.modelSettled();
    expect(third).toMatchObject({ state: 'ready', model: { name: 'random-test' } });
    expect(third).not.toHaveProperty('swapped');
    await feed(await clip(['nine', 1.0]));
    await b.handle(1, 'recognition:stop', { streamId });
    expect(finals().map((f) => [f.text, f.model])).toEqual([
      ['four one', `hark-en ${shipped.metadata.version}`],
      ['five two', `hark-en ${next.metadata.version}`],
      ['nine', `hark-en ${next.metadata.version}`],
    ]);
    // New streams run on the model now set.
    const later = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } });
    await b.handle(1, 'recognition:push', { streamId: later.streamId, data: (await clip(['seven'])) });
    await b.handle(1, 'recognition:stop', { streamId: later.streamId });
    expect(finals().slice(3).every((f) => f.model === 'random-test 0.0.0')).toBe(true);
  });
});
