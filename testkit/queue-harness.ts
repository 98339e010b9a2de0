/**
 * What the job-queue tests (tests/integration/queue-*.test.ts) and benchmark (bench/queue.bench.ts)
 * share: a real redis-server of their own on a free loopback port, in a temporary folder, with
 * append-only persistence (restartable on the same data, as docs/SCALE-OUT.md configures it), and
 * `hark` child processes whose JSON log lines can be awaited. Children are bound to this
 * process's life (child-lifetime.ts): a crashed test leaves no Redis or worker behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { boundCommand, killAtExit } from '../src-main/system/child-lifetime.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const HARK = join(ROOT, 'bin', 'hark.mjs');

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** Stops it (SIGTERM: the append-only file is flushed) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and data. */
  restart(): Promise<void>;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
  const cmd = boundCommand('redis-server', args);
  const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killAtExit(child);
  let out = '';
  let ready = false;
  return new Promise((res, rej) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`redis-server did not start within 20 s:\n${out}`)); }, 20_000);
    const failed = (code: number | null) => { clearTimeout(timer); rej(new Error(`redis-server exited with ${code}:\n${out}`)); };
    child.on('error', (e) => { clearTimeout(timer); rej(new Error(`cannot run redis-server (apt-get install redis-server): ${e.message}`)); });
    child.once('exit', failed);
    child.stdout!.on('data', (d: Buffer) => {
      if (ready) return;
      out += d.toString();
      if (/Ready to accept connections/.test(out)) { ready = true; clearTimeout(timer); child.off('exit', failed); res(child); }
    });
    child.stderr!.on('data', (d: Buffer) => { if (!ready) out += d.toString(); });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });
}

/** Starts redis-server on a free loopback port, its data in `dir`. */
export async function startRedisServer(dir: string): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`, port, dir,
    stop: () => stopChild(child),
    restart: async () => {
      await stopChild(child);
      child = await launch(port, dir);
    },
  };
}

/** A running `hark` command: its JSON stdout lines as they come, stderr, and its exit. */
export interface HarkProcess {
  child: ChildProcess;
  /** Every stdout line parsed as JSON so far (lines that are not JSON are kept as { line }). */
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first line (seen or to come) that `match` accepts; rejects if the process exits first. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  exited: Promise<number>;
}

/** Starts `node bin/hark.mjs ...args`, with `env` added to this process's environment. */
export function spawnHark(args: readonly string[], env: Record<string, string> = {}, nice = 0): HarkProcess {
  const base = nice > 0 ? ['nice', ['-n', String(nice), process.execPath, HARK, ...args]] as const : [process.execPath, [HARK, ...args]] as const;
  const cmd = boundCommand(base[0], base[1]);
  const child = spawn(cmd.file, cmd.args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  killAtExit(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; res: (l: Record<string, unknown>) => void; rej: (e: Error) => void }[] = [];
  let err = '';
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const text of parts) {
      if (!text.trim()) continue;
      let line: Record<string, unknown>;
      try { line = JSON.parse(text) as Record<string, unknown>; } catch { line = { line: text }; }
      lines.push(line);
      for (const w of [...waiters]) if (w.match(line)) { waiters.splice(waiters.indexOf(w), 1); w.res(line); }
    }
  });
  const exited = new Promise<number>((res) => child.on('exit', (code) => {
    for (const w of waiters.splice(0)) w.rej(new Error(`hark ${args.join(' ')} exited (${code}) before the awaited line; stderr:\n${err}`));
    res(code ?? -1);
  }));
  return {
    child, lines, stderr: () => err, exited,
    waitFor: (match) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`hark ${args.join(' ')} has exited; stderr:\n${err}`));
      return new Promise((res, rej) => waiters.push({ match, res, rej }));
    },
  };
}
