/**
 * The backend's recordings, model versions and retraining channels, through AppBackend.handle as
 * a window calls them: recordings added, listed, played and removed in the user data folder;
 * copies of the shipped model imported, used, exported, rolled back and removed (never the one in
 * use, never a shipped one); a tiny real retraining job in its worker thread, cancelled
 * (interrupted), resumed to the end and installed, with its card in the model list; a job left
 * running by a dead process listed as interrupted by the next backend; and the base model
 * untouched by all of it.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppBackend } from '../../src-main/backend/app-backend.ts';
import { parseWav } from '../../src-main/audio/wav-reader.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import type { EventChannel, HarkEventApi, ModelList } from '../../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../../src-shared/retrain/retrain-types.ts';
import { writeModelVersionCopy } from '../helpers/model-version-copy.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

let dir: string;
let events: { channel: EventChannel; payload: unknown }[] = [];
const backends: AppBackend[] = [];
let zorblat: Float32Array[] = [];

const open = async (userDataDir: string) => {
  const b = await AppBackend.create({
    userDataDir,
    emit: (_s, channel, payload) => events.push({ channel, payload }),
    retrain: { tuning: { examplesPerItem: 2, replayClips: 2, epochs: 1 }, cancelGraceMs: 60_000 },
  });
  backends.push(b);
  return b;
};
const ofChannel = <E extends EventChannel>(c: E) => events.filter((e) => e.channel === c).map((e) => e.payload as HarkEventApi[E]);
const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
async function hashFolder(d: string): Promise<string> {
  const h = createHash('sha256');
  const files = (await readdir(d, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  for (const f of files) h.update(f).update(await readFile(join(d, f)));
  return h.digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-app-retrain-'));
  const rng = createRng(11);
  zorblat = [];
  for (const voice of ['espeak:en-us+f4', 'espeak:en-us+m3', 'espeak:en-gb-scotland+f3']) zorblat.push(await synthesize('zorblat', voice, rng.fork()));
}, 60_000);
afterAll(async () => {
  for (const b of backends) await b.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('app backend: recordings', () => {
  it('adds, lists, plays, re-records and removes recordings with clear errors', async () => {
    events = [];
    const b = await open(join(dir, 'rec-user'));
    expect(await b.handle(1, 'recordings:list', {})).toEqual({ recordings: [] });
    const a = await b.handle(1, 'recordings:add', { item: 'Zorblat', pcm: zorblat[0] });
    expect(a.recording).toMatchObject({ item: 'zorblat', durationSec: Math.round((zorblat[0].length / 16000) * 1000) / 1000 });
    const clap = await b.handle(1, 'recordings:add', { item: '<sound:clap>', pcm: new Float32Array(4000).fill(0.2) });
    const second = await b.handle(1, 'recordings:add', { item: 'zorblat', pcm: zorblat[1] });
    expect(second.recordings.map((r) => r.id)).toEqual([a.recording.id, second.recording.id]);
    expect((await b.handle(1, 'recordings:list', { item: 'ZORBLAT' })).recordings).toHaveLength(2);
    expect((await b.handle(1, 'recordings:list', {})).recordings.map((r) => r.item)).toEqual(['zorblat', '<sound:clap>', 'zorblat']);
    const { wav } = await b.handle(1, 'recordings:audio', { id: a.recording.id });
    const parsed = parseWav(new Uint8Array(wav), 'a.wav');
    expect(parsed.sampleRate).toBe(16000);
    expect(parsed.channels[0].length).toBe(zorblat[0].length);
    const again = await b.handle(1, 'recordings:add', { item: 'zorblat', pcm: zorblat[2], replaceId: second.recording.id });
    expect(again.recordings.map((r) => r.id)).toEqual([a.recording.id, again.recording.id]);
    expect(await b.handle(1, 'recordings:remove', { id: clap.recording.id })).toEqual({ ok: true });
    await expect(b.handle(1, 'recordings:remove', { id: clap.recording.id })).rejects.toThrow(/there is no recording/);
    await expect(b.handle(1, 'recordings:audio', { id: 'nope-00000000' })).rejects.toThrow(/there is no recording "nope-00000000"/);
    await expect(b.handle(1, 'recordings:add', { item: 'x', pcm: new Float32Array(10) })).rejects.toThrow(/too short/);
    await expect(b.handle(1, 'recordings:add', { item: 'x?', pcm: zorblat[0] })).rejects.toThrow(/item is not usable/);
    expect((await readdir(join(dir, 'rec-user', 'recordings'))).sort()).toEqual(['index.json', `${a.recording.id}.wav`, `${again.recording.id}.wav`].sort());
  });
});

describe('app backend: model versions', () => {
  it('imports, uses, exports, rolls back and removes copies of the shipped model', async () => {
    events = [];
    const user = join(dir, 'models-user');
    const b = await open(user);
    const start = await b.handle(1, 'models:list', {});
    const shipped = start.models.find((m) => m.name === 'hark-en')!;
    expect(shipped).toMatchObject({ shipped: true, inUse: true, sounds: [] });
    expect(start.inUse).toBe(shipped.dir);
    const shippedHash = await hashFolder(shipped.dir);

    const copy = await writeModelVersionCopy(await loadModelPackage(shipped.dir), '9.9.9', join(dir, 'hark-en-copy'));
    const imported = await b.handle(1, 'models:import', { path: copy.dir });
    expect(imported.imported).toMatchObject({ name: 'hark-en', version: '9.9.9', shipped: false });
    expect(imported.imported.dir).toBe(join(user, 'models', 'hark-en-9.9.9'));
    expect(imported.models.map((m) => `${m.version}${m.inUse ? '*' : ''}`)).toContain('9.9.9');
    expect(ofChannel('models:event').at(-1)?.models.some((m) => m.version === '9.9.9')).toBe(true);
    await expect(b.handle(1, 'models:import', { path: copy.dir })).rejects.toThrow(/already installed .*remove that version first/);
    await expect(b.handle(1, 'models:import', { path: join(dir, 'nowhere') })).rejects.toThrow();

    const used = await b.handle(1, 'models:use', { dir: imported.imported.dir });
    expect(used.inUse).toBe(imported.imported.dir);
    expect(used.models.find((m) => m.inUse)?.version).toBe('9.9.9');
    expect((await b.handle(1, 'settings:get', {})).modelDir).toBe(imported.imported.dir);
    expect(await b.modelSettled()).toMatchObject({ state: 'ready', model: { version: '9.9.9' } });
    await expect(b.handle(1, 'models:remove', { dir: imported.imported.dir })).rejects.toThrow(/is the model in use/);
    await expect(b.handle(1, 'models:remove', { dir: shipped.dir })).rejects.toThrow(/came with Hark and cannot be removed/);
    await expect(b.handle(1, 'models:use', { dir: join(dir, 'hark-en-copy') })).rejects.toThrow(/no installed model in/);

    const out = join(dir, 'exported');
    expect(await b.handle(1, 'models:export', { dir: imported.imported.dir, path: out })).toEqual({ path: out });
    expect((await loadModelPackage(out)).metadata.version).toBe('9.9.9');
    await expect(b.handle(1, 'models:export', { dir: imported.imported.dir, path: out })).rejects.toThrow(/is not empty/);

    // Roll back to the shipped model: the settings name it as '' again.
    const back = await b.handle(1, 'models:use', { dir: shipped.dir });
    expect(back.inUse).toBe(shipped.dir);
    expect((await b.handle(1, 'settings:get', {})).modelDir).toBe('');
    const removed = await b.handle(1, 'models:remove', { dir: imported.imported.dir });
    expect(removed.models.map((m) => m.version)).not.toContain('9.9.9');
    expect(await readdir(join(user, 'models'))).toEqual([]);
    expect(await hashFolder(shipped.dir)).toBe(shippedHash);
  }, 120_000);
});

describe('app backend: retraining', () => {
  it('runs a tiny job in its worker: cancelled, resumed, installed with its card, hot-swapped into a running stream; the base model is untouched', async () => {
    events = [];
    const user = join(dir, 'retrain-user');
    // The base is an installed version (in the user's models folder): settings choose only among those.
    const base = (await writeRandomModelPackage(4, { dir: join(user, 'models', 'tiny'), name: 'tiny' })).dir;
    const baseHash = await hashFolder(base);
    const b = await open(user);
    await b.handle(1, 'settings:set', { patch: { modelDir: base } });
    expect(await b.modelSettled()).toMatchObject({ state: 'ready', model: { name: 'tiny' } });
    await b.handle(1, 'words:add', { word: 'zorblat', pronunciations: ['Z AO R B L AE T'] });
    for (const pcm of zorblat) await b.handle(1, 'recordings:add', { item: 'zorblat', pcm });
    expect(await b.handle(1, 'retrain:list', {})).toEqual({ jobs: [], running: null });
    await expect(b.handle(1, 'retrain:start', { items: [], sounds: ['clap'] })).rejects.toThrow(/the sound "clap" has no recordings/);

    const { job } = await b.handle(1, 'retrain:start', { items: ['zorblat'], installAnyway: true });
    expect(job).toMatchObject({ items: ['zorblat'], phase: 'synthesizing', recordingsTrain: 2, recordingsHeldOut: 1, baseModelDir: base });
    await expect(b.handle(1, 'retrain:start', { items: ['quux'] })).rejects.toThrow(/a retraining job is running/);
    await expect(b.handle(1, 'retrain:remove', { jobId: job.jobId })).rejects.toThrow(/is running; cancel it first/);
    expect((await b.handle(1, 'retrain:list', {})).running).toBe(job.jobId);
    await b.handle(1, 'retrain:cancel', { jobId: job.jobId });
    await until(() => ofChannel('retrain:event').some((s) => s.phase === 'interrupted'), 120_000, 'the cancelled job');
    const listed = await b.handle(1, 'retrain:list', {});
    expect(listed.running).toBeNull();
    expect(listed.jobs).toEqual([expect.objectContaining({ jobId: job.jobId, phase: 'interrupted' })]);

    const resumed = await b.handle(1, 'retrain:resume', { jobId: job.jobId });
    expect(resumed.job.jobId).toBe(job.jobId);
    await until(() => ofChannel('retrain:event').some((s) => s.phase === 'done' || s.phase === 'failed'), 400_000, 'the resumed job');
    const statuses = ofChannel('retrain:event');
    const final = statuses.at(-1) as RetrainJobStatus;
    expect(final.error).toBeUndefined();
    expect(final).toMatchObject({ phase: 'done', fraction: 1, decision: { installed: true, name: 'tiny' } });
    expect(final.before?.newItems.total).toBeGreaterThan(0);
    expect(final.after?.recordings?.total).toBe(1);
    expect(new Set(statuses.map((s) => s.phase))).toEqual(new Set(['synthesizing', 'training', 'exporting', 'evaluating', 'installing', 'done', 'interrupted']));
    // The list change reaches the windows; the app does not switch by itself.
    await until(() => ofChannel('models:event').some((l) => l.models.some((m) => m.dir === final.decision!.modelDir)), 10_000, 'the model list event');
    const list: ModelList = await b.handle(1, 'models:list', {});
    const card = list.models.find((m) => m.dir === final.decision!.modelDir)!;
    expect(card).toMatchObject({ name: 'tiny', shipped: false, inUse: false, retrain: { items: ['zorblat'], recordings: 2, epochs: 1 } });
    expect(card.retrain?.from).toMatch(/^tiny /);
    expect(card.retrain?.after?.newItems.total).toBe(final.after?.newItems.total);
    expect(list.inUse).toBe(base);
    expect((await b.handle(1, 'settings:get', {})).modelDir).toBe(base);
    expect(await hashFolder(base)).toBe(baseHash);
    await expect(b.handle(1, 'retrain:resume', { jobId: job.jobId })).rejects.toThrow(/is done; only a queued, interrupted or failed job can run/);

    // "Use this version" while a stream listens: the new version takes over the running stream
    // (hot swap, same front end) and decodes what comes after the switch.
    const { streamId } = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'phrases', items: ['zorblat', 'next slide'] } });
    const silence = new Float32Array(16000 * 2);
    const feed = async (pcm: Float32Array) => { for (let i = 0; i < pcm.length; i += 1600) await b.handle(1, 'recognition:push', { streamId, data: pcm.slice(i, i + 1600) }); };
    await feed(silence);
    expect((await b.handle(1, 'models:use', { dir: card.dir })).inUse).toBe(card.dir);
    expect(await b.modelSettled()).toMatchObject({ state: 'ready', swapped: true, model: { dir: card.dir } });
    await feed(zorblat[0]);
    await feed(silence);
    await b.handle(1, 'recognition:stop', { streamId });
    const finals = ofChannel('recognition:event').map((m) => m.event).filter((e): e is Extract<typeof e, { type: 'final' }> => e.type === 'final');
    expect(finals.length).toBeGreaterThan(0);
    expect(finals.every((f) => f.model === `tiny ${card.version}`)).toBe(true);

    // A job a dead process left running reads 'interrupted' in the next backend.
    const jobsDir = join(user, 'retrain');
    const ghost = '20000101000000-dead01';
    await cp(join(jobsDir, job.jobId), join(jobsDir, ghost), { recursive: true });
    const jobFile = JSON.parse(await readFile(join(jobsDir, ghost, 'job.json'), 'utf8')) as { status: RetrainJobStatus };
    jobFile.status = { ...jobFile.status, jobId: ghost, phase: 'training', decision: undefined };
    await writeFile(join(jobsDir, ghost, 'job.json'), JSON.stringify(jobFile));
    await writeFile(join(jobsDir, ghost, 'lock.json'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    await b.dispose();
    const next = await open(user);
    const after = await next.handle(2, 'retrain:list', {});
    expect(after.jobs.map((j) => `${j.jobId}:${j.phase}`)).toEqual([`${job.jobId}:done`, `${ghost}:interrupted`]);
    expect((await next.handle(2, 'retrain:remove', { jobId: job.jobId })).jobs.map((j) => j.jobId)).toEqual([ghost]);
    expect((await next.handle(2, 'models:list', {})).models.some((m) => m.dir === card.dir)).toBe(true);
  }, 600_000);
});
