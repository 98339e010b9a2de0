#!/usr/bin/env node
// `npm start`: builds the desktop app, makes sure Electron's binary is there, and starts it.
// `npm ci` runs no install scripts (.npmrc: ignore-scripts, for onnxruntime-node's CUDA fetch), so
// Electron's own download (node_modules/electron/install.js) runs here, the first time only. Where
// it cannot download (no internet), `npx hark app-server` serves the same app to a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));

const build = spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('hark: fetching the Electron binary (first start only)…');
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', cwd: electronDir });
  if (fetched.status !== 0 || !existsSync(join(electronDir, 'path.txt'))) {
    console.error('hark: Electron could not be downloaded (no internet?). The same app runs in a browser: npx hark app-server');
    process.exit(1);
  }
}

const electron = createRequire(import.meta.url)('electron');
const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
