/**
 * `hark app-server` in its own process: by default it keeps its settings, words and models in the
 * same user data folder as the desktop app and the other commands ($HARK_USER_DATA here), so what
 * `hark words` added is on its Words screen and what is set in it survives a restart.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('hark app-server', () => {
  it('uses the user data folder of the other commands by default', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hark-app-server-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'hark.mjs'), 'app-server', '--no-build', '--port', '0'], {
      cwd: ROOT, env: { ...process.env, HARK_USER_DATA: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no start-up line in 60 s: ${text}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('Ctrl+C stops')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.once('exit', (code) => reject(new Error(`app-server exited with ${code}: ${text}`)));
      });
      expect(out).toMatch(/^Hark is served at http:\/\/127\.0\.0\.1:\d+\/index\.html\?token=[0-9a-f]{32}\n/);
      expect(out).toContain(`(settings in ${dir}; Ctrl+C stops)`);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
