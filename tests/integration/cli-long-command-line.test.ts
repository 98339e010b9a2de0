// `hark transcribe` with a command line of many long paths. onnxruntime reads the process's command
// line when it starts in a thread, recursively: about 14.7 KB of arguments overflowed a worker
// thread's stack (--jobs 2) and about 57 KB the main thread's (--jobs 1), and the process died with
// SIGSEGV before recognizing anything. bin/hark.mjs now hands a long command line to a child
// through a private file; these runs fail (exit 139, no output) without it.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHark } from './cli-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIGITS = join(ROOT, 'assets', 'samples', 'digits.wav');

let dir: string;
let clip: string;
let wordsList: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-longcmd-'));
  // Two folder names of 200 characters: each path to the clip is about 440 bytes.
  const deep = join(dir, 'a'.repeat(200), 'b'.repeat(200));
  await mkdir(deep, { recursive: true });
  clip = join(deep, 'digits.wav');
  await copyFile(DIGITS, clip);
  wordsList = join(dir, 'words.txt');
  await writeFile(wordsList, 'zero\noh\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The hark-args-* folders in the temp folder (the hand-over files left behind). */
async function argsFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('hark-args-')).sort();
}

describe('a long command line', () => {
  it.each([
    // 40 paths, about 18 KB: past a worker thread's limit.
    ['--jobs 2', 40, ['--jobs', '2']],
    // 150 paths, about 66 KB: past the main thread's.
    ['--jobs 1', 150, ['--jobs', '1']],
  ])('is transcribed with %s, every file in order', async (_name, count, jobs) => {
    const before = await argsFolders();
    const files = Array.from({ length: count }, () => clip);
    expect(Buffer.byteLength(files.join('\0'))).toBeGreaterThan(count === 40 ? 15_000 : 60_000);
    const r = await runHark(['transcribe', ...files, '--words', wordsList, '--format', 'json', ...jobs]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; text: string });
    expect(lines).toHaveLength(count);
    for (const l of lines) {
      expect(l.file).toBe(clip);
      expect(l.text).toBe('four one five two nine');
    }
    // The hand-over file is gone once the child has read it.
    expect(await argsFolders()).toEqual(before);
  }, 120_000);

  it('exits with the usage error of the child, passing its exit code on', async () => {
    const files = Array.from({ length: 20 }, () => clip);
    const r = await runHark(['transcribe', ...files, '--jobs', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs expects a number, got "many"');
  }, 60_000);

  it('refuses a hand-over file that is not a list of arguments, and deletes it', async () => {
    const handDir = await mkdtemp(join(tmpdir(), 'hark-args-'));
    const file = join(handDir, 'args.json');
    await writeFile(file, '{"not": "a list"}');
    const r = await runHark([], { env: { HARK_ARGS_FILE: file } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HARK_ARGS_FILE names a file that is not a list of arguments');
    expect(await argsFolders()).not.toContain(handDir.split('/').pop());
  }, 60_000);

  it('refuses a variable naming any other file, and leaves that file and its folder alone', async () => {
    const other = join(dir, 'precious.json');
    await writeFile(other, '["transcribe"]');
    const r = await runHark([], { env: { HARK_ARGS_FILE: other } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`HARK_ARGS_FILE names ${other}, not a hand-over file of hark`);
    expect(await readFile(other, 'utf8')).toBe('["transcribe"]');
    expect(await readdir(dir)).toContain('precious.json');
  }, 60_000);
});
