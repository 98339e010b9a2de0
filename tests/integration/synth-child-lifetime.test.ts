/**
 * A killed job leaves no synthesizer running and, at the latest after the next job starts, no
 * scratch folder: a real owner process (tests/helpers/synth-owner.ts) starts a real tool through
 * the synthesizer pool, is killed with SIGKILL or SIGTERM, and the tool must die with it; its
 * /tmp/hark-synth-* folder is then removed as stale, while folders of live owners and folders
 * named by older versions stay.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src-main/system/process-alive.ts';
import { removeStaleSynthDirs } from '../../src-main/train/data/synth/synth-temp-dir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hark-child-lifetime-'));
const tools: number[] = [];
afterAll(() => {
  for (const pid of tools) if (running(pid)) process.kill(pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** Whether `pid` runs (a zombie, dead but not yet reaped by whoever adopted it, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return ok();
}

describe('synthesizer children and scratch folders', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`kills the tool with its owner (${signal}) and removes the owner's folder as stale`, async () => {
      const owner = spawn(process.execPath, ['bin/run-ts.mjs', 'tests/helpers/synth-owner.ts'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((r) => owner.once('exit', r));
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: owner.stdout! }).once('line', resolve);
        owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before its tool started`)));
      });
      const { dir, toolPid } = JSON.parse(line) as { dir: string; toolPid: number };
      tools.push(toolPid);
      expect(running(toolPid)).toBe(true);
      expect(basename(dir)).toMatch(new RegExp(`^hark-synth-${owner.pid}-\\d+-`));
      owner.kill(signal);
      await exited;
      expect(await until(() => !running(toolPid), 5000)).toBe(true);
      // Nothing ran at the owner's death: the folder stays until the next owner looks.
      expect(existsSync(dir)).toBe(true);
      const live = join(tmp, `hark-synth-${process.pid}-${processStartTime(process.pid)}-abcdef`);
      const older = join(tmp, 'hark-synth-Ab12Cd');
      mkdirSync(live, { recursive: true });
      mkdirSync(older, { recursive: true });
      expect(removeStaleSynthDirs(tmp)).toEqual([basename(dir)]);
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(live) && existsSync(older)).toBe(true);
    }, 60_000);
  }

  it('treats a folder whose pid is alive but started at another time as stale (a reused pid)', () => {
    const reused = join(tmp, `hark-synth-${process.pid}-${processStartTime(process.pid)! + 1}-abcdef`);
    mkdirSync(reused);
    expect(removeStaleSynthDirs(tmp)).toEqual([basename(reused)]);
  });
});
