/**
 * The user's recordings store: WAV files + an atomically written index; validation of items and
 * audio; list / remove / replace; a damaged index is an error that changes nothing on disk.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWav } from '../../src-main/audio/wav-reader.ts';
import { UserRecordings, UserRecordingsError } from '../../src-main/lexicon/user-recordings.ts';
import { itemLabel, normalizeRetrainItem } from '../../src-shared/retrain/retrain-items.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-recordings-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const tone = (sec: number, f = 220) => Float32Array.from({ length: Math.round(sec * SAMPLE_RATE) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / SAMPLE_RATE));

describe('retrain items', () => {
  it('spells words, phrases and sound tokens one way and explains what it refuses', () => {
    expect(normalizeRetrainItem('  Open   Zorblat ')).toBe('open zorblat');
    expect(normalizeRetrainItem("o'neil-2")).toBe("o'neil-2");
    expect(normalizeRetrainItem(' <Sound:Clap> ')).toBe('<sound:clap>');
    expect(() => normalizeRetrainItem('')).toThrow(/must not be empty/);
    expect(() => normalizeRetrainItem('hello!')).toThrow(/letters a-z/);
    expect(() => normalizeRetrainItem('<sound:bad name>')).toThrow(/not a sound token.*invalid sound name/);
    expect(() => normalizeRetrainItem('<clap>')).toThrow(/not a sound token/);
    expect(() => normalizeRetrainItem('x'.repeat(101))).toThrow(/longer than 100/);
    expect(itemLabel('<sound:clap>')).toBe('sound: clap');
    expect(itemLabel('open zorblat')).toBe('open zorblat');
  });
});

describe('user recordings', () => {
  it('keeps 16 kHz WAV files with an index, lists by item, gives paths and bytes, removes', async () => {
    const store = new UserRecordings(dir);
    expect(await store.list()).toEqual([]);
    const a = await store.add('Zorblat', tone(0.5));
    const b = await store.add('<sound:clap>', tone(0.25, 800));
    const c = await store.add('zorblat', tone(1));
    expect(a).toMatchObject({ item: 'zorblat', file: `${a.id}.wav`, durationSec: 0.5 });
    expect((await store.list()).map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect((await store.list(' ZORBLAT ')).map((r) => r.id)).toEqual([a.id, c.id]);
    expect((await store.list('<sound:clap>')).map((r) => r.durationSec)).toEqual([0.25]);
    const wav = parseWav(await store.audio(c.id), 'c.wav');
    expect(wav.sampleRate).toBe(16000);
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0].length).toBe(16000);
    expect(wav.channels[0][100]).toBeCloseTo(tone(1)[100], 3);
    expect(await store.path(a.id)).toBe(join(dir, `${a.id}.wav`));
    // A second instance reads the same index.
    expect((await new UserRecordings(dir).list()).length).toBe(3);
    expect(await store.remove(a.id)).toMatchObject({ id: a.id });
    expect((await readdir(dir)).sort()).toEqual([`${b.id}.wav`, `${c.id}.wav`, 'index.json'].sort());
    await expect(store.remove(a.id)).rejects.toThrow(/no recording/);
    await expect(store.path('nope')).rejects.toThrow(UserRecordingsError);
  });

  it('replaces a recording (re-record) in one step', async () => {
    const store = new UserRecordings(dir);
    const a = await store.add('zorblat', tone(0.5));
    const b = await store.add('zorblat', tone(0.7), { replaceId: a.id });
    expect((await store.list()).map((r) => r.id)).toEqual([b.id]);
    expect(await readdir(dir)).not.toContain(`${a.id}.wav`);
    await expect(store.add('zorblat', tone(0.7), { replaceId: 'gone-00000000' })).rejects.toThrow(/no recording "gone-00000000"/);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id]);
  });

  it('refuses bad items and bad audio with clear errors, writing nothing', async () => {
    const store = new UserRecordings(dir);
    await expect(store.add('', tone(0.5))).rejects.toThrow(/must not be empty/);
    await expect(store.add('héllo?', tone(0.5))).rejects.toThrow(/letters a-z/);
    await expect(store.add('x', new Float32Array(0))).rejects.toThrow(/empty or too short/);
    await expect(store.add('x', tone(10.5))).rejects.toThrow(/10.5 s long; at most 10 s/);
    const bad = tone(0.5);
    bad[77] = Number.NaN;
    await expect(store.add('x', bad)).rejects.toThrow(/non-finite sample at index 77/);
    await expect(store.add('x', [0.1, 0.2] as unknown as Float32Array)).rejects.toThrow(/Float32Array/);
    expect(await readdir(dir)).toEqual([]);
    // Concurrent adds through one instance all land in the index.
    await Promise.all([1, 2, 3, 4].map(() => store.add('x', tone(0.2))));
    expect(await store.list('x')).toHaveLength(4);
  });

  it('treats a damaged index as an error that loses nothing', async () => {
    const store = new UserRecordings(dir);
    const a = await store.add('zorblat', tone(0.5));
    const damaged = '{ "version": 1, "recordings": [ {"id": ';
    await writeFile(store.indexPath, damaged);
    await expect(store.list()).rejects.toThrow(/recordings list .*index\.json is damaged .*no recording was changed or deleted/);
    await expect(store.add('zorblat', tone(0.5))).rejects.toThrow(/damaged/);
    await expect(store.remove(a.id)).rejects.toThrow(/damaged/);
    expect(await readFile(store.indexPath, 'utf8')).toBe(damaged);
    expect(await readdir(dir)).toContain(`${a.id}.wav`);
    await writeFile(store.indexPath, JSON.stringify({ version: 1, recordings: [{ id: a.id, item: 'zorblat', file: '../evil.wav', durationSec: 1, createdAt: 'x' }] }));
    await expect(store.list()).rejects.toThrow(/names file "..\/evil.wav"/);
    await writeFile(store.indexPath, JSON.stringify({ version: 2, recordings: [] }));
    await expect(store.list()).rejects.toThrow(/expected \{"version": 1/);
  });
});
