/**
 * Fixtures for the CLI tests: runs `node bin/hark.mjs` as a child process, and builds a folder with
 * a random-weight model package, synthesized clips (espeak-ng + sox), a corrupt file and list files.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { requireTool, run } from '../unit/audio-test-tools.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface HarkRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the hark CLI with `args` in `cwd` (default: the package root); never rejects. */
export function runHark(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<HarkRun> {
  const env = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((res) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'hark.mjs'), ...args], { cwd: opts.cwd ?? ROOT, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the hark CLI with `args`, sends it `signal` once its stderr matches `when`, and resolves with
 * its exit status (null when the signal killed it), its stderr and whether the signal was sent.
 */
export function runHarkSignalled(args: string[], when: RegExp, signal: NodeJS.Signals, opts: { env?: Record<string, string> } = {}): Promise<{ code: number | null; stderr: string; sent: boolean }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hark.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr += s;
      if (!sent && when.test(stderr)) { sent = true; child.kill(signal); }
    });
    child.on('error', rej);
    child.on('close', (code) => res({ code, stderr, sent }));
  });
}

export interface CliFixture {
  dir: string;
  modelDir: string;
  /** "open the file" with 0.4 s of leading silence. */
  clipA: string;
  /** "next slide". */
  clipB: string;
  /** One second of digital silence. */
  silence: string;
  /** Text bytes named .wav. */
  corrupt: string;
  wordsList: string;
  phrasesList: string;
  cleanup: () => Promise<void>;
}

async function speak(dir: string, name: string, text: string, pad: string[]): Promise<string> {
  const raw = join(dir, `${name}.raw.wav`);
  const out = join(dir, `${name}.wav`);
  run('espeak-ng', ['-w', raw, text]);
  // -D: no dither, so every run gets the same samples.
  run('sox', ['-D', raw, '-r', '16000', '-b', '16', out, 'pad', ...pad]);
  await rm(raw);
  return out;
}

export async function makeCliFixture(): Promise<CliFixture> {
  requireTool('espeak-ng');
  requireTool('sox');
  const dir = await mkdtemp(join(tmpdir(), 'hark-cli-'));
  const { dir: modelDir } = await writeRandomModelPackage(3, { dir: join(dir, 'model') });
  const clipA = await speak(dir, 'a', 'open the file', ['0.4', '0.2']);
  const clipB = await speak(dir, 'b', 'next slide', ['0.2', '0.2']);
  const silence = join(dir, 'silence.wav');
  run('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', silence, 'trim', '0', '1']);
  const corrupt = join(dir, 'corrupt.wav');
  await writeFile(corrupt, 'this is not audio at all\n');
  const wordsList = join(dir, 'words.txt');
  await writeFile(wordsList, '# commands\nOpen\nthe file\nnext slide\nclose\n');
  const phrasesList = join(dir, 'phrases.txt');
  await writeFile(phrasesList, 'Open the file!\nNext slide\nclose the window\n');
  return { dir, modelDir, clipA, clipB, silence, corrupt, wordsList, phrasesList, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
