#!/usr/bin/env node
// Entry point of the `hark` command: runs the CLI bundle (dist-cli/, JavaScript built by esbuild
// from src-main/cli/main.ts), never TypeScript. bin/cli-bundle.mjs checks that the bundle was built
// from the sources as they are now, and rebuilds it first when not (the first run after a clone,
// or after an edit), saying so on stderr.
//
// Long command lines: onnxruntime (1.30) reads the process's command line (/proc/self/cmdline)
// when it first starts in a thread, with a recursion as deep as the line is long: a line of about
// 14.7 KB (350 file paths) overflowed a worker thread's 4 MB stack and one of about 57 KB the main
// thread's 8 MB, and the whole process died with SIGSEGV before recognizing anything
// (tests/integration/cli-long-command-line.test.ts). A command line longer than ARGS_FILE_BYTES is
// therefore run by a child process that gets its arguments from a private file instead (the
// variable ARGS_FILE_ENV names it; the child reads it, deletes it and unsets the variable, and
// refuses, leaving it alone, any file that is not such a hand-over file), so the
// process that loads onnxruntime always has a short one. The parent waits and exits as the child
// did; SIGTERM and SIGHUP are passed on, SIGINT reaches the child from the terminal itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBundle, holdBuild } from './cli-bundle.mjs';

const ARGS_FILE_ENV = 'HARK_ARGS_FILE';
const ARGS_FILE_BYTES = 4096;

/** This run's arguments: from the command line, or from the file a parent `hark` handed over. */
function cliArgs() {
  const file = process.env[ARGS_FILE_ENV];
  if (file === undefined) return process.argv.slice(2);
  delete process.env[ARGS_FILE_ENV];
  // Only a hand-over file that a parent made (args.json in a hark-args-* folder of the temp folder)
  // is read and deleted: a variable naming any other file is refused and the file left alone.
  const dir = dirname(file);
  if (basename(file) !== 'args.json' || !basename(dir).startsWith('hark-args-') || dirname(dir) !== tmpdir()) {
    throw new Error(`${ARGS_FILE_ENV} names ${file}, not a hand-over file of hark (${join(tmpdir(), 'hark-args-*', 'args.json')}): unset it`);
  }
  let args;
  try {
    args = JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(file, { force: true });
    try {
      rmdirSync(dir);
    } catch {
      // Not empty or already gone: left as it is.
    }
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new Error(`${ARGS_FILE_ENV} names a file that is not a list of arguments`);
  return args;
}

/** Runs this command again with its arguments in a file; resolves with the exit code to give. */
function runWithArgsFile(args) {
  const dir = mkdtempSync(join(tmpdir(), 'hark-args-'));
  const file = join(dir, 'args.json');
  writeFileSync(file, JSON.stringify(args), { mode: 0o600 });
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, [ARGS_FILE_ENV]: file } });
  const pass = (signal) => child.kill(signal);
  process.on('SIGTERM', pass);
  process.on('SIGHUP', pass);
  process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    child.on('error', (err) => {
      rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`hark: could not start: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

const fromParent = process.env[ARGS_FILE_ENV] !== undefined;
let args;
try {
  args = cliArgs();
} catch (err) {
  process.stderr.write(`hark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
if (!fromParent && Buffer.byteLength(process.argv.join('\0')) > ARGS_FILE_BYTES) process.exit(await runWithArgsFile(args));

let entry;
try {
  entry = await cliBundle((line) => process.stderr.write(`hark: ${line}\n`));
} catch (err) {
  process.stderr.write(`hark: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
// Workers started later (a training run's replacement gradient workers) load from the same build.
holdBuild(entry);
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(args);
