/**
 * A damaged settings.json and failed saves, against the real backend and the real CLI: a file that
 * fails to parse, or holds invalid or unknown fields, is copied aside byte for byte before anything
 * can overwrite it, and app:info's notices tell the window where the copy is; a save that cannot be
 * written (the folder gone, a full disk: a file size limit of 0 for the CLI) rejects, names the
 * file, leaves settings:get equal to the file on disk, and leaves no temporary file (words.json
 * too).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppBackend } from '../../src-main/backend/app-backend.ts';
import { SETTINGS_FILE, SettingsStore } from '../../src-main/backend/settings-store.ts';
import { DEFAULT_SETTINGS, settingsFromStored, type Settings } from '../../src-shared/ipc/app-contract.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const base = mkdtempSync(join(tmpdir(), 'hark-settings-damaged-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let backend: AppBackend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

let n = 0;
const freshDir = () => mkdtempSync(join(base, `${n++}-`));
const open = async (dir: string) => (backend = await AppBackend.create({ userDataDir: dir, emit: () => undefined }));
const copiesIn = (dir: string) => readdirSync(dir).filter((f) => /^settings\.damaged-.*\.json$/.test(f));
const tmpFilesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const onDisk = (dir: string): Settings => settingsFromStored(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).settings;

const mine = { ...DEFAULT_SETTINGS, mode: 'commands', commands: ['lights on', 'lights off', 'play some jazz'], keywords: [{ text: 'hey hark', sensitivity: 0.7 }] };

/** Runs the CLI with a file size limit of 0 bytes: every file it writes fails with EFBIG, as on a full disk. */
function harkOnFullDisk(args: string[], userData: string): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => {
    execFile('sh', ['-c', 'ulimit -f 0; exec "$0" "$@"', process.execPath, join(ROOT, 'bin', 'hark.mjs'), ...args],
      { cwd: ROOT, env: { ...process.env, HARK_USER_DATA: userData } }, (err, _stdout, stderr) => {
        res({ code: err ? Number((err as { code?: unknown }).code) : 0, stderr });
      });
  });
}

describe('a damaged settings.json', () => {
  it('is copied aside before the first save, and the window is told where the copy is', async () => {
    const dir = freshDir();
    const whole = Buffer.from(JSON.stringify(mine, null, 2));
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    writeFileSync(join(dir, SETTINGS_FILE), truncated);
    // Opening it twice (the CLI, then the app) keeps one copy.
    await SettingsStore.open(dir);
    const b = await open(dir);
    expect(await b.handle(1, 'settings:get', {})).toEqual(DEFAULT_SETTINGS);
    const { notices } = await b.handle(1, 'app:info', {});
    expect(notices).toHaveLength(1);
    // Named from the user data folder (`<user data>/`, as the user guide writes it), no absolute path.
    const [, name] = /your file is kept as <user data>\/(.+)$/.exec(notices[0]) ?? [];
    expect(notices[0]).toMatch(new RegExp(`^<user data>/${SETTINGS_FILE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON \\(.+\\): Hark uses the default settings; your file is kept as `));
    expect(copiesIn(dir)).toEqual([name]);
    const copy = join(dir, name);
    expect(readFileSync(copy)).toEqual(truncated);
    // The first change rewrites settings.json; the copy stays as it was.
    await b.handle(1, 'settings:set', { patch: { endpointSilenceSec: 0.9 } });
    expect(onDisk(dir)).toEqual({ ...DEFAULT_SETTINGS, endpointSilenceSec: 0.9 });
    expect(readFileSync(copy)).toEqual(truncated);
    expect(tmpFilesIn(dir)).toEqual([]);
  });

  it('with invalid or unknown fields keeps the valid ones, names the rest, and is copied aside', async () => {
    const dir = freshDir();
    const text = JSON.stringify({ ...mine, pushMs: 'fast', fromAFutureVersion: { x: 1 } });
    writeFileSync(join(dir, SETTINGS_FILE), text);
    const store = await SettingsStore.open(dir);
    expect(store.get()).toEqual({ ...mine, pushMs: DEFAULT_SETTINGS.pushMs });
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]).toMatch(/settings\.json: pushMs must be a finite number.*; unknown setting "fromAFutureVersion" is not kept: Hark uses the defaults in their place; your file is kept as .*settings\.damaged-.*\.json$/);
    const [copy] = copiesIn(dir);
    expect(readFileSync(join(dir, copy), 'utf8')).toBe(text);
    // A valid file, or none, is no problem and is not copied.
    const clean = freshDir();
    expect((await SettingsStore.open(clean)).problems).toEqual([]);
    writeFileSync(join(clean, SETTINGS_FILE), JSON.stringify(mine));
    expect((await SettingsStore.open(clean)).problems).toEqual([]);
    expect(copiesIn(clean)).toEqual([]);
  });

  it('is not overwritten when no copy of it can be kept (a full disk): the save fails instead', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SETTINGS_FILE), '{"mode": "commands", "commands": ["lights on"');
    const r = await harkOnFullDisk(['models', 'use', 'shipped'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/settings\.json is not overwritten: a copy of the damaged file could not be kept first \(could not save .*settings\.damaged-.*\.json \(EFBIG\)\)/);
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).toBe('{"mode": "commands", "commands": ["lights on"');
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });
});

describe('a save that cannot be written', () => {
  it('rejects, naming the file, and settings:get stays equal to the file on disk', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify(mine));
    const b = await open(dir);
    expect(await b.handle(1, 'settings:get', {})).toEqual(mine);
    // The user data folder is taken away (a removed drive): no save can land.
    const away = `${dir}.away`;
    renameSync(dir, away);
    writeFileSync(dir, 'not a folder');
    try {
      await expect(b.handle(1, 'settings:set', { patch: { mode: 'dictation', endpointSilenceSec: 1.5 } })).rejects.toThrow(/^could not save .*settings\.json \((ENOTDIR|EEXIST)\)$/);
      expect(await b.handle(1, 'settings:get', {})).toEqual(mine);
      expect(onDisk(away)).toEqual(mine);
    } finally {
      rmSync(dir);
      renameSync(away, dir);
    }
    expect(tmpFilesIn(dir)).toEqual([]);
    // Once the folder is back, the next save builds on what is on disk.
    expect(await b.handle(1, 'settings:set', { patch: { pushMs: 80 } })).toEqual({ ...mine, pushMs: 80 });
    expect(onDisk(dir)).toEqual({ ...mine, pushMs: 80 });
  });

  it('on a full disk leaves settings.json and words.json as they were and no temporary file', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify(mine));
    const words = JSON.stringify({ version: 1, words: [] });
    writeFileSync(join(dir, 'words.json'), words);
    const use = await harkOnFullDisk(['models', 'use', 'shipped'], dir);
    expect(use.code).toBe(1);
    expect(use.stderr).toMatch(/could not save .*settings\.json \(EFBIG\)/);
    const add = await harkOnFullDisk(['words', 'add', 'cat'], dir);
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/could not save .*words\.json \(EFBIG\)/);
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).toBe(JSON.stringify(mine));
    expect(readFileSync(join(dir, 'words.json'), 'utf8')).toBe(words);
    expect(readdirSync(dir).sort()).toEqual([SETTINGS_FILE, 'words.json']);
  });
});
