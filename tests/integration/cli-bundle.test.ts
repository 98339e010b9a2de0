/**
 * `node bin/hark.mjs` runs the CLI bundle (dist-cli/, bin/cli-bundle.mjs), never TypeScript. In
 * this repository (made fresh by tests/helpers/cli-bundle-setup.ts) it runs under a preload that
 * fails any import of tsx or of a .ts file and logs what loads, worker threads included
 * (tests/helpers/no-typescript-at-run-time.mjs). In a copy of the repository: the first run builds
 * the bundle, a touched but unchanged source keeps it, an edited one is rebuilt before it runs, one
 * saved while the bundle builds is rebuilt by the next run, an older build a running process holds
 * is never pruned, and `npm run build` makes it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendWorkerUrl } from '../../src-main/backend/backend-host.ts';
import { retrainWorkerUrl } from '../../src-main/backend/retrain-host.ts';
import { recognizerWorkerUrl } from '../../src-main/engine/offline-recognizer-pool.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PRELOAD = join(ROOT, 'tests', 'helpers', 'no-typescript-at-run-time.mjs');
const DIGITS = join(ROOT, 'assets', 'samples', 'digits.wav');
const BROWSER = join(ROOT, 'assets', 'samples', 'open-the-browser.wav');
const DIGIT_WORDS = join(ROOT, 'assets', 'samples', 'digits.txt');

interface Run { code: number; stdout: string; stderr: string }

/** Runs `command args` in `cwd`; never rejects. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

const manifestOf = (repo: string) => JSON.parse(readFileSync(join(repo, 'dist-cli', 'manifest.json'), 'utf8')) as { id: string; files: Record<string, unknown> };

/** `node --import <preload> bin/hark.mjs ...args` in the repository, with the files it loaded. */
async function harkWithoutTypeScript(args: string[]): Promise<Run & { loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-bundle-log-'));
  try {
    const log = join(dir, 'loaded.txt');
    const r = await run(process.execPath, ['--import', PRELOAD, join(ROOT, 'bin', 'hark.mjs'), ...args], ROOT, { HARK_TEST_LOAD_LOG: log });
    const loaded = existsSync(log) ? [...new Set(readFileSync(log, 'utf8').trim().split('\n'))] : [];
    return { ...r, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('node bin/hark.mjs in this repository', () => {
  const bundle = join(ROOT, 'dist-cli', manifestOf(ROOT).id);

  it('--help runs the bundle, loads no TypeScript, and neither onnxruntime nor tfjs', async () => {
    const r = await harkWithoutTypeScript(['--help']);
    expect(r.stderr).toBe(''); // no build: the setup made the bundle fresh
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hark: offline speech recognition\n/);
    expect(r.loaded).toContain(`file://${bundle}/hark.mjs`);
    expect(r.loaded.filter((u) => u.includes('/src-main/'))).toEqual([]);
    expect(r.loaded.filter((u) => /onnxruntime|@tensorflow/.test(u))).toEqual([]);
  });

  it('transcribe --words: the sample, from the bundle', async () => {
    const r = await harkWithoutTypeScript(['transcribe', DIGITS, '--words', DIGIT_WORDS]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('four one five two nine\n');
    expect(r.loaded.filter((u) => u.includes('/src-main/'))).toEqual([]);
    expect(r.loaded.some((u) => u.includes('/node_modules/onnxruntime-node/'))).toBe(true);
  });

  it('transcribe --jobs 2: the recognition workers start from the bundled worker entry, without TypeScript', async () => {
    const r = await harkWithoutTypeScript(['transcribe', DIGITS, BROWSER, '--words', DIGIT_WORDS, '--jobs', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${DIGITS}: four one five two nine\n`);
    expect(r.loaded).toContain(`file://${bundle}/offline-recognizer-worker-entry.mjs`);
    expect(r.loaded.filter((u) => u.includes('/src-main/'))).toEqual([]);
  });

  it('every worker entry under src-main is in the bundle, where the code that starts it looks', () => {
    const entries = readdirSync(join(ROOT, 'src-main'), { recursive: true }).map(String).filter((f) => f.endsWith('-entry.mjs')).map((f) => basename(f));
    expect(entries).toEqual(expect.arrayContaining(['offline-recognizer-worker-entry.mjs', 'data-worker-entry.mjs', 'gradient-worker-entry.mjs', 'backend-worker-entry.mjs', 'retrain-worker-entry.mjs']));
    for (const e of entries) expect(existsSync(join(bundle, e)), e).toBe(true);
    const from = join(bundle, 'hark.mjs');
    for (const url of [recognizerWorkerUrl(from), backendWorkerUrl(from), retrainWorkerUrl(from)]) {
      expect(dirname(url.pathname)).toBe(bundle);
      expect(existsSync(url), url.pathname).toBe(true);
    }
  });
});

describe('the bundle in a copy of the repository', () => {
  const repo = join(mkdtempSync(join(tmpdir(), 'hark-bundle-repo-')), 'hark');
  beforeAll(() => {
    for (const p of ['bin', 'src-main', 'src-shared', 'src-renderer', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, p), join(repo, p), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  });
  afterAll(() => rmSync(dirname(repo), { recursive: true, force: true }));
  const hark = (args: string[]) => run(process.execPath, [join(repo, 'bin', 'hark.mjs'), ...args], repo);
  const check = () => run(process.execPath, [join(repo, 'bin', 'cli-bundle.mjs'), '--check'], repo);
  const mainTs = join(repo, 'src-main', 'cli', 'main.ts');

  it('is built by the first run, then used as it is', async () => {
    expect(await check()).toMatchObject({ code: 1, stderr: 'cli-bundle: stale: not built yet\n' });
    const first = await hark(['--help']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('hark: building the CLI bundle into dist-cli/ (not built yet)\n');
    expect(first.stdout).toMatch(/^hark: offline speech recognition\n/);
    const files = Object.keys(manifestOf(repo).files);
    expect(files).toEqual(expect.arrayContaining(['src-main/cli/main.ts', 'src-main/train/data-worker-entry.mjs', 'src-shared/features/config.ts', 'bin/cli-bundle.mjs']));
    expect(files.filter((f) => f.includes('node_modules'))).toEqual([]);
    const again = await hark(['--help']);
    expect(again).toEqual({ ...first, stderr: '' });
    expect((await check()).code).toBe(0);
  });

  it('a touched but unchanged source keeps the bundle', async () => {
    const { id } = manifestOf(repo);
    const later = new Date(Date.now() + 60_000);
    utimesSync(mainTs, later, later);
    expect(await check()).toMatchObject({ code: 0, stderr: '' });
    expect((await hark(['--help'])).stderr).toBe('');
    expect(manifestOf(repo).id).toBe(id);
  });

  it('an edited source is detected, and rebuilt before it runs: the edit is what runs', async () => {
    const { id } = manifestOf(repo);
    writeFileSync(mainTs, readFileSync(mainTs, 'utf8').replace('hark: offline speech recognition', 'hark: edited speech recognition'));
    expect(await check()).toMatchObject({ code: 1, stderr: 'cli-bundle: stale: src-main/cli/main.ts changed\n' });
    const r = await hark(['--help']);
    expect(r.stderr).toBe('hark: building the CLI bundle into dist-cli/ (src-main/cli/main.ts changed)\n');
    expect(r.stdout).toMatch(/^hark: edited speech recognition\n/);
    expect(manifestOf(repo).id).not.toBe(id);
    // The older build stays for processes that started from it.
    expect(existsSync(join(repo, 'dist-cli', id, 'hark.mjs'))).toBe(true);
  });

  it('a source saved while the bundle builds is not taken as built: the next run rebuilds', async () => {
    const config = join(repo, 'src-shared', 'features', 'config.ts');
    const text = readFileSync(config, 'utf8');
    // Saved again and again for as long as the build runs (each save a new mtime, alternating content).
    let saves = 0;
    const saver = setInterval(() => { saves++; writeFileSync(config, saves % 2 ? `${text}// saved\n` : text); }, 5);
    try {
      const built = await run(process.execPath, [join(repo, 'bin', 'cli-bundle.mjs'), '--force'], repo);
      expect(built.code, built.stderr).toBe(0);
    } finally {
      clearInterval(saver);
    }
    writeFileSync(config, text);
    expect(saves).toBeGreaterThan(5);
    expect(manifestOf(repo).files['src-shared/features/config.ts']).toEqual([-1, -1, 'changed during the build']);
    expect(await check()).toMatchObject({ code: 1, stderr: 'cli-bundle: stale: src-shared/features/config.ts changed\n' });
    expect((await hark(['--help'])).stderr).toBe('hark: building the CLI bundle into dist-cli/ (src-shared/features/config.ts changed)\n');
    expect(await check()).toMatchObject({ code: 0, stderr: '' });
  });

  it('an older build a live process holds survives any number of rebuilds; one whose holder died is pruned', async () => {
    const current = () => join(repo, 'dist-cli', manifestOf(repo).id);
    const held = current();
    // This test's own process stands for a long `hark adapt` (bin/hark.mjs writes the same marker).
    writeFileSync(join(held, `.in-use-${process.pid}`), '');
    const rebuild = async (k: number) => {
      writeFileSync(mainTs, readFileSync(mainTs, 'utf8').replace(/hark: [a-z0-9 ]*speech recognition/, `hark: edit ${k} speech recognition`));
      expect((await hark(['--help'])).stderr).toMatch(/^hark: building the CLI bundle/);
    };
    await rebuild(1);
    // A build whose holder is gone: a process that has exited.
    const dead = await new Promise<number>((res) => { const c = execFile(process.execPath, ['-e', '']); c.on('exit', () => res(c.pid!)); });
    const orphan = current();
    writeFileSync(join(orphan, `.in-use-${dead}`), '');
    for (let k = 2; k <= 5; k++) await rebuild(k);
    expect(existsSync(join(held, 'hark.mjs'))).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    // A run holds its build only while it lives: none of the runs above left a marker.
    const markers = readdirSync(join(repo, 'dist-cli'), { recursive: true }).map(String).filter((f) => basename(f).startsWith('.in-use-'));
    expect(markers).toEqual([`${basename(held)}/.in-use-${process.pid}`]);
    rmSync(join(held, `.in-use-${process.pid}`));
  });

  it('`npm run build` makes it', async () => {
    rmSync(join(repo, 'dist-cli'), { recursive: true, force: true });
    const built = await run('npm', ['run', 'build'], repo);
    expect(built.code, built.stderr).toBe(0);
    expect(await check()).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(repo, 'dist-cli', manifestOf(repo).id, 'hark.mjs'))).toBe(true);
    expect(await hark(['--help'])).toMatchObject({ code: 0, stderr: '' });
  });
});
