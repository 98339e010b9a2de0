/**
 * Runs command-line tools with bounded concurrency. Synthesizers are single-threaded
 * processes; a pool of 2 keeps both cores of a small machine busy without oversubscribing.
 * Every tool runs bound to the life of its caller (child-lifetime.ts): a killed job leaves no
 * synthesizer running.
 */
import { spawn } from 'node:child_process';
import { boundCommand, killAtExit } from './child-lifetime.ts';

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** Debian packages of the tools whose package is not named after them (for the install hint). */
const PACKAGE_OF: Readonly<Record<string, string>> = { text2wave: 'festival', pocketsphinx_continuous: 'pocketsphinx pocketsphinx-en-us' };

/**
 * Runs `cmd args`, writing `stdin` if given; rejects on a non-zero exit or spawn failure with the
 * end of the tool's stderr (where a tool that logs its configuration first puts the error).
 */
export function runProcess(cmd: string, args: readonly string[], stdin?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const bound = boundCommand(cmd, args);
    const child = spawn(bound.file, bound.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    killAtExit(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const hint = e.code === 'ENOENT' ? ` (is "${cmd}" installed? e.g. apt-get install ${PACKAGE_OF[cmd] ?? cmd})` : '';
      reject(new Error(`failed to run ${cmd}: ${e.message}${hint}`));
    });
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(-800)}`));
      else resolve({ stdout: Buffer.concat(out), stderr });
    });
    child.stdin.on('error', () => { /* reported through 'close' */ });
    child.stdin.end(stdin ?? '');
  });
}

/** A FIFO limiter: at most `size` tasks run at once. */
export class ProcessPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`ProcessPool: size must be a positive integer, got ${size}`);
  }

  /** Runs `task` when a slot is free; resolves or rejects with its result. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** The shared pool used by `synthesize` (2 concurrent synthesizer pipelines). */
export const synthPool = new ProcessPool(2);
