#!/usr/bin/env node
// The `hark` command's bundle: esbuild builds src-main/cli/main.ts and every worker entry the CLI
// can start (src-main/**/*-entry.mjs: the recognizer pool's, training's data and gradient workers,
// app-server's backend and retraining workers) into dist-cli/<id>/, so no run compiles TypeScript.
//
// Staleness: dist-cli/manifest.json names the current build <id> and stamps every file it was made
// from (esbuild's own list of inputs, plus this file, tsconfig.json and package.json) with its
// size, mtime and SHA-256. bin/hark.mjs checks it on every run: a stat per file, a hash only where
// the size or mtime differs; a changed, missing or unreadable file makes it rebuild first (about
// a second), so an edit to src-main is never run stale. <id> is the hash of the inputs' hashes:
// a build goes to a temp folder, is renamed into place and never rewritten, so concurrent runs and
// a process still using an older build never see half a bundle. The newest KEEP_OLD older builds
// stay beside the current one for processes started from them (a training run's later workers),
// and so does every older build that a running `hark` holds (holdBuild: a `.in-use-<pid>` file in
// the build's folder while the process lives): a training run that restarts a gradient worker
// hours after it began, after several edits and rebuilds, still finds the worker's entry (a
// `hark adapt` died that way on 2026-12-06).
//
// `npm ci` runs no lifecycle scripts here (.npmrc: ignore-scripts), so no `prepare` step could
// build this: the first `npx hark` after a fresh clone builds it, as do `npm run build` and the
// test setup (tests/helpers/cli-bundle-setup.ts).
//
// Usage: node bin/cli-bundle.mjs [--check | --force]
//   (none)   build if missing or stale, then print the bundle's entry
//   --check  exit 0 if the bundle is fresh, 1 (saying why) if not; builds nothing
//   --force  build even if fresh
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(root, 'dist-cli');
const MANIFEST = join(CLI_DIR, 'manifest.json');
/** What a build depends on besides the files esbuild reads. */
const BUILD_FILES = ['bin/cli-bundle.mjs', 'tsconfig.json', 'package.json'];
/** Folders whose files a build may read (stamped before it: buildCliBundle). */
const SOURCE_DIRS = ['src-main', 'src-shared'];
const KEEP_OLD = 2;

// node:crypto loads only when a file needs hashing: loading it would add a third to the check's cost.
const sha256 = (bytes) => createRequire(import.meta.url)('node:crypto').createHash('sha256').update(bytes).digest('hex');
const posix = (rel) => rel.split(sep).join('/');

/** [size, mtimeMs, sha256] of `rel` (relative to the repository, '/'-separated). */
function stamp(rel) {
  const path = join(root, rel);
  const { size, mtimeMs } = statSync(path);
  return [size, mtimeMs, sha256(readFileSync(path))];
}

/**
 * The current build's entry (dist-cli/<id>/hark.mjs) when the manifest's files are all unchanged,
 * else { stale: reason }.
 */
export function checkCliBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return { stale: 'not built yet' };
  }
  if (typeof manifest?.id !== 'string' || typeof manifest.files !== 'object' || manifest.files === null) return { stale: 'dist-cli/manifest.json is damaged' };
  const entry = join(CLI_DIR, manifest.id, 'hark.mjs');
  if (!existsSync(entry)) return { stale: `${relative(root, entry)} is missing` };
  for (const [rel, [size, mtimeMs, hash]] of Object.entries(manifest.files)) {
    let st;
    try {
      st = statSync(join(root, rel));
    } catch {
      return { stale: `${rel} is gone` };
    }
    if (st.size === size && st.mtimeMs === mtimeMs) continue;
    // Touched (a checkout, an editor's save) but maybe not changed: the content decides.
    if (st.size !== size || sha256(readFileSync(join(root, rel))) !== hash) return { stale: `${rel} changed` };
  }
  return { entry };
}

/** Entry name -> path of every worker entry under src-main; each keeps its name, which the code that starts it uses. */
function workerEntries() {
  const entries = {};
  for (const rel of readdirSync(join(root, 'src-main'), { recursive: true })) {
    if (!rel.endsWith('-entry.mjs')) continue;
    const name = basename(rel, '.mjs');
    if (entries[name]) throw new Error(`two worker entries named ${name}.mjs: ${entries[name]} and ${rel}`);
    entries[name] = join(root, 'src-main', rel);
  }
  return entries;
}

/**
 * The worker entries register tsx's loader to run their TypeScript from source; bundled, the
 * TypeScript is already JavaScript, so `register` is a no-op and tsx is never loaded.
 */
const noTsx = {
  name: 'no-tsx',
  setup(b) {
    b.onResolve({ filter: /^tsx(\/|$)/ }, (a) => ({ path: a.path, namespace: 'no-tsx' }));
    b.onLoad({ filter: /.*/, namespace: 'no-tsx' }, () => ({ contents: 'export function register() {}', loader: 'js' }));
  },
};

/** Stamps of every TypeScript file under the source folders and the build files, by relative path. */
function stampAll() {
  const out = new Map();
  const walk = (rel) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (/\.(ts|mts|mjs|js|json)$/.test(e.name)) {
        try { out.set(child, stamp(child)); } catch { /* vanished: not stamped */ }
      }
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(dir);
  for (const rel of BUILD_FILES) {
    try { out.set(rel, stamp(rel)); } catch { /* missing: the build reports it */ }
  }
  return out;
}

/** Builds the bundle (whether or not it is stale) and returns its entry, dist-cli/<id>/hark.mjs. */
export async function buildCliBundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('the CLI bundle (dist-cli/) needs building, and esbuild (a dev dependency) is not installed: run `npm ci`, then `npm run build`');
  }
  mkdirSync(CLI_DIR, { recursive: true });
  const tmp = mkdtempSync(join(CLI_DIR, '.build-'));
  // A source saved while esbuild reads the tree could be in the bundle as it was and in the
  // manifest as it is now (then never rebuilt): stamps are taken before the build, and a file whose
  // stamp differs after it is stamped as unknown, so the next run rebuilds.
  const before = stampAll();
  try {
    const result = await esbuild.build({
      entryPoints: { hark: join(root, 'src-main/cli/main.ts'), ...workerEntries() },
      outdir: tmp,
      absWorkingDir: root,
      bundle: true,
      // Chunks keep each command's imports lazy (`hark --help` loads neither onnxruntime nor tfjs),
      // and lie flat beside the entries: code finds its workers next to its own module.
      splitting: true,
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      target: 'node20',
      // As bin/build.mjs: packages (onnxruntime-node's native binding, tfjs's .wasm files) load from node_modules.
      packages: 'external',
      plugins: [noTsx],
      sourcemap: true,
      metafile: true,
      logLevel: 'warning',
    });
    const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes(':') && !p.split('/').includes('node_modules'));
    const files = {};
    for (const rel of [...new Set([...inputs.map(posix), ...BUILD_FILES])].sort()) {
      const now = stamp(rel);
      const then = before.get(rel);
      files[rel] = then && then[0] === now[0] && then[1] === now[1] && then[2] === now[2] ? now : [-1, -1, 'changed during the build'];
    }
    const id = sha256(JSON.stringify(Object.entries(files).map(([rel, s]) => [rel, s[2]]))).slice(0, 16);
    const dir = join(CLI_DIR, id);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run built the same sources first: its build is the same.
      if (!existsSync(join(dir, 'hark.mjs'))) throw err;
    }
    const next = `${MANIFEST}.${process.pid}.tmp`;
    writeFileSync(next, `${JSON.stringify({ id, files }, null, 1)}\n`);
    renameSync(next, MANIFEST);
    pruneOldBuilds(id);
    return join(dir, 'hark.mjs');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Removes builds older than the current one and the KEEP_OLD newest others, and temp folders of builds that died an hour ago. */
function pruneOldBuilds(current) {
  const now = Date.now();
  const builds = [];
  for (const name of readdirSync(CLI_DIR)) {
    const path = join(CLI_DIR, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isDirectory() || name === current) continue;
    if (name.startsWith('.build-')) {
      if (now - st.mtimeMs > 3600_000) rmSync(path, { recursive: true, force: true });
    } else builds.push({ path, mtimeMs: st.mtimeMs });
  }
  builds.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { path } of builds.slice(KEEP_OLD)) if (!heldByLiveProcess(path)) rmSync(path, { recursive: true, force: true });
}

const IN_USE = /^\.in-use-(\d+)$/;

/**
 * Marks the build of `entry` (dist-cli/<id>/hark.mjs) as used by this process until it exits, so
 * that pruneOldBuilds leaves it. A marker whose process died without removing it (killed) is
 * removed by the next prune that finds it.
 */
export function holdBuild(entry) {
  const marker = join(dirname(entry), `.in-use-${process.pid}`);
  try {
    writeFileSync(marker, '');
  } catch {
    return; // a read-only install: nothing prunes it either
  }
  process.on('exit', () => rmSync(marker, { force: true }));
}

/** Whether a live process holds the build folder `path` (holdBuild); dead holders' markers are removed. */
function heldByLiveProcess(path) {
  let held = false;
  for (const name of readdirSync(path)) {
    const m = IN_USE.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
      held = true;
    } catch (err) {
      if (err.code === 'EPERM') held = true; // alive, another user's
      else rmSync(join(path, name), { force: true });
    }
  }
  return held;
}

/** The entry of a fresh bundle, building it first when stale; `log` hears why it builds. */
export async function cliBundle(log = () => {}) {
  const check = checkCliBundle();
  if (check.entry) return check.entry;
  log(`building the CLI bundle into dist-cli/ (${check.stale})`);
  return buildCliBundle();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const say = (line) => process.stderr.write(`cli-bundle: ${line}\n`);
  if (args.has('--check')) {
    const check = checkCliBundle();
    if (check.stale) say(`stale: ${check.stale}`);
    process.exitCode = check.entry ? 0 : 1;
  } else {
    const entry = args.has('--force') ? await buildCliBundle() : await cliBundle(say);
    process.stdout.write(`${relative(root, entry)}\n`);
  }
}
