/**
 * The synthesizers' scratch folder: one per process, `<tmp>/hark-synth-<pid>-<start>-XXXXXX`,
 * named after its owner (pid and start time, or `x` where the start time is unknown; see
 * system/process-alive.ts). It is removed at the owner's exit; one whose owner died without that
 * (kill -9, a crash, a signal) is removed by the next process that makes its own. Folders named
 * otherwise (older Hark versions) are never touched: their owner cannot be told.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityAlive, ownIdentity } from '../../../system/process-alive.ts';

const OWNED_NAME = /^hark-synth-(\d+)-(\d+|x)-[A-Za-z0-9]{6}$/;

let own: string | null = null;

/** Removes the scratch folders under `dir` whose owner is no longer running; returns their names. */
export function removeStaleSynthDirs(dir: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = OWNED_NAME.exec(name);
    if (!m || identityAlive({ pid: Number(m[1]), ...(m[2] === 'x' ? {} : { startTime: Number(m[2]) }) })) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** This process's scratch folder, made on first use (after removing stale ones). */
export function synthTempDir(): string {
  if (own !== null) return own;
  const base = tmpdir();
  removeStaleSynthDirs(base);
  const { pid, startTime } = ownIdentity();
  const dir = mkdtempSync(join(base, `hark-synth-${pid}-${startTime ?? 'x'}-`));
  own = dir;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
