// The project's .npmrc holds only settings npm knows: every npm and npx call stays free of
// "Unknown project config" warnings.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm project config', () => {
  it('npm reads the project config without warnings', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: process.cwd(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('"hark"');
    expect(r.stderr).not.toMatch(/Unknown project config/);
  });
});
