/**
 * vitest globalSetup: makes the `hark` command's bundle (dist-cli/, bin/cli-bundle.mjs) fresh once,
 * before the tests that run `node bin/hark.mjs` start, so none of them pays for a build or finds a
 * "building the CLI bundle" line on its stderr, and two of them never build at once.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'cli-bundle.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
