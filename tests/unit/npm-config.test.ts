// The project's .npmrc holds only settings npm knows: every npm and npx call stays free of
// "Unknown project config" warnings; and every installed package runs on the declared Node.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm project config', () => {
  it('npm reads the project config without warnings', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: process.cwd(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('"hark"');
    expect(r.stderr).not.toMatch(/Unknown project config/);
  });

  it('npm ci warns of no package that needs another Node (EBADENGINE)', () => {
    // electron-builder 26 did: its @electron/rebuild 4 and node-abi 4 want Node 22.12, this project
    // runs on Node 20 (package.json "engines"). A dry run checks the lockfile's engines in 2 s.
    const r = spawnSync('npm', ['ci', '--dry-run', '--no-audit', '--no-fund'], { cwd: process.cwd(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/EBADENGINE/);
  }, 60_000);
});
