#!/usr/bin/env node
// Builds the desktop app with esbuild:
//   dist-renderer/  the renderer (index.html, app.js, capture-worklet.js, styles.css) and the web
//                   bridge client (web-bridge.js, loaded only when served by the web bridge)
//   dist-electron/  main.js (ESM), preload.cjs (a sandboxed preload must be one CommonJS file),
//                   backend-worker.mjs (recognition off the main thread), retrain-worker.mjs (tfjs
//                   training off the backend's thread, started by the backend when a job runs)
//                   and data-worker-entry.mjs (training examples, started by retrain-worker.mjs).
//                   Workers are .mjs: the packaged app loads them from app.asar.unpacked, where no
//                   package.json says "type": "module" (src-main/system/app-layout.ts).
//   dist-cli/       the `hark` command's bundle and its workers (bin/cli-bundle.mjs; bin/hark.mjs
//                   also rebuilds it itself when its sources change).
// Node-side bundles keep node_modules external: electron-builder ships them next to the bundle.
// Usage: node bin/build.mjs [--renderer-only] [--renderer-out DIR] [--watch]
//   --renderer-out: build the renderer into DIR instead of dist-renderer/ (tests build their own copy)
import { build, context } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliBundle } from './cli-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const at = (p) => resolve(root, p);
const outIndex = argv.indexOf('--renderer-out');
const rendererOut = outIndex >= 0 && argv[outIndex + 1] ? resolve(argv[outIndex + 1]) : at('dist-renderer');

const renderer = {
  entryPoints: {
    app: at('src-renderer/app.ts'),
    'capture-worklet': at('src-renderer/audio/capture-worklet.ts'),
    'web-bridge': at('src-renderer/bridge/web-bridge-client.ts'),
  },
  outdir: rendererOut,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome120',
  sourcemap: true,
  logLevel: 'warning',
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

const electron = [
  { ...node, entryPoints: [at('src-main/electron/main.ts')], outfile: at('dist-electron/main.js'), format: 'esm', external: ['electron'] },
  { ...node, entryPoints: [at('src-main/electron/preload.ts')], outfile: at('dist-electron/preload.cjs'), format: 'cjs', external: ['electron'] },
  { ...node, entryPoints: [at('src-main/backend/backend-worker.ts')], outfile: at('dist-electron/backend-worker.mjs'), format: 'esm' },
  { ...node, entryPoints: [at('src-main/backend/retrain-worker.ts')], outfile: at('dist-electron/retrain-worker.mjs'), format: 'esm' },
  // Training's data worker, under the name EpochData (src-main/train/epoch-data.ts) starts next to
  // its own module, which is retrain-worker.mjs once bundled.
  { ...node, entryPoints: [at('src-main/train/data-worker.ts')], outfile: at('dist-electron/data-worker-entry.mjs'), format: 'esm' },
];

async function copyStatic() {
  await mkdir(rendererOut, { recursive: true });
  await copyFile(at('src-renderer/index.html'), resolve(rendererOut, 'index.html'));
  await copyFile(at('src-renderer/styles.css'), resolve(rendererOut, 'styles.css'));
}

const configs = args.has('--renderer-only') ? [renderer] : [renderer, ...electron];
if (args.has('--watch')) {
  await copyStatic();
  for (const c of configs) await (await context(c)).watch();
  console.log('hark build: watching');
} else {
  await rm(rendererOut, { recursive: true, force: true });
  if (!args.has('--renderer-only')) await rm(at('dist-electron'), { recursive: true, force: true });
  await Promise.all([...configs.map((c) => build(c)), ...(args.has('--renderer-only') ? [] : [buildCliBundle()])]);
  await copyStatic();
}
