/**
 * Installing, exporting and removing model packages in the user's models folder
 * (<user data>/models/<name>-<version>/, which the app's model list reads). A package is checked
 * by loading it (metadata, both graphs) before anything is copied; an import is copied into a
 * temporary folder, checked there (loaded, run by the caller's trialRun, its card read) and only
 * then renamed into place, so a failed or interrupted import never leaves a half-installed or
 * unusable model. Only the package's own files travel, as regular files: a symbolic link leading
 * out of the folder is refused before anything is read (packageFiles).
 */
import { processAlive } from '../system/process-alive.ts';
import { isInside } from '../system/path-inside.ts';
import { copyFile, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { loadModelPackage, loadStreamingGraph, ModelPackageError } from './model-package.ts';
import { ANCHOR_IMPORTANCE_FILE, JSON_FILE, ONNX_FILE, STREAM_ONNX_FILE } from './package-files.ts';
import { TRAINING_METADATA_FILE } from './training-metadata-file.ts';
import { readModelInfo } from './model-registry.ts';
import type { ModelInfo } from '../../src-shared/ipc/app-contract.ts';

/** The files a package folder may hold that travel with it (the graphs, the card, training notes, the retraining anchor's weighting). */
const PACKAGE_FILES = [ONNX_FILE, STREAM_ONNX_FILE, JSON_FILE, TRAINING_METADATA_FILE, 'README.md', ANCHOR_IMPORTANCE_FILE];

/** Folder name for a package: "<name>-<version>", reduced to safe characters. */
export function installName(name: string, version: string): string {
  const safe = `${name}-${version}`.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (!safe) throw new Error('the model has no usable name or version');
  return safe;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The package files that folder `dir` holds, each as the real path of a regular file. A symbolic
 * link is followed only to a regular file inside the folder itself; one that leads out of it (to
 * /etc/passwd, say), nowhere, or to anything but a file is refused before anything is read, so an
 * import or export never reads or copies a file the folder does not hold. A folder that cannot be
 * listed gives no files (loadModelPackage then says why).
 */
async function packageFiles(dir: string): Promise<{ name: string; source: string }[]> {
  let present: Set<string>;
  let realDir: string;
  try {
    present = new Set(await readdir(dir));
    realDir = await realpath(dir);
  } catch {
    return [];
  }
  const files: { name: string; source: string }[] = [];
  for (const name of PACKAGE_FILES.filter((f) => present.has(f))) {
    const path = join(dir, name);
    const source = await realpath(path).catch(() => null);
    if (source === null || !isInside(realDir, source)) {
      throw new ModelPackageError(path, `${name} is a symbolic link that leads out of the model folder; a model folder must hold its files itself`);
    }
    if (!(await stat(source)).isFile()) throw new ModelPackageError(path, `${name} is not a regular file`);
    files.push({ name, source });
  }
  return files;
}

async function copyPackageFiles(files: readonly { name: string; source: string }[], to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const f of files) await copyFile(f.source, join(to, f.name));
}

/** An import is staged in `<models>/.importing-<pid>-<ms>` (dot-folders are never listed as models). */
const STAGE_PREFIX = '.importing-';


/** Removes the stages of imports whose process is gone (killed mid-import). */
export async function removeStaleStages(modelsDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(modelsDir).catch(() => [] as string[])) {
    const m = /^\.importing-(\d+)-\d+$/.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    await rm(join(modelsDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** `e` with a path inside the stage `tmp` told as the same path in the package `src` the user named. */
function atSource(e: unknown, tmp: string, src: string): unknown {
  if (!(e instanceof ModelPackageError) || !isInside(tmp, e.path)) return e;
  const Same = e.constructor as new (path: string, reason: string) => ModelPackageError;
  return new Same(join(src, relative(tmp, e.path)), e.reason);
}

export interface ImportOptions {
  /** Overwrite an installed package of the same name and version. */
  replace?: boolean;
  /**
   * Runs the staged copy (its folder) and throws when it cannot: engine/model-trial-run.ts
   * trialRunModelPackage builds both onnxruntime sessions and runs a chunk of zeros through each.
   * It lives above this layer, so callers that may import the engine pass it down.
   */
  trialRun?: (dir: string) => Promise<void>;
}

/**
 * Checks and copies the package in `src` into `modelsDir`; returns the installed model's card.
 * Everything is checked on the staged copy before it is renamed into place: the package loads
 * (metadata, both graphs' embedded metadata, the streaming graph present), `trialRun` runs it,
 * and its card is read; a package failing any of them leaves nothing in `modelsDir`.
 */
export async function importModel(src: string, modelsDir: string, opts: ImportOptions = {}): Promise<ModelInfo> {
  const files = await packageFiles(resolve(src));
  const pkg = await loadModelPackage(resolve(src));
  const dest = join(modelsDir, installName(pkg.metadata.name, pkg.metadata.version));
  if (resolve(src) === resolve(dest)) throw new Error(`${src} is already installed`);
  if (await exists(dest) && !opts.replace) throw new Error(`a model ${basename(dest)} is already installed (${dest}); use --replace to overwrite it`);
  await mkdir(modelsDir, { recursive: true });
  await removeStaleStages(modelsDir);
  const tmp = join(modelsDir, `${STAGE_PREFIX}${process.pid}-${Date.now()}`);
  let card: ModelInfo;
  try {
    await copyPackageFiles(files, tmp);
    await loadStreamingGraph(await loadModelPackage(tmp));
    await opts.trialRun?.(tmp);
    card = await readModelInfo(tmp, false);
    if (await exists(dest)) await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  } catch (e) {
    throw atSource(e, tmp, resolve(src));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { ...card, dir: resolve(dest) };
}

/** Copies the package in `dir` to `out` (a new or empty folder), checked on both ends. */
export async function exportModel(dir: string, out: string): Promise<void> {
  const files = await packageFiles(resolve(dir));
  await loadModelPackage(resolve(dir));
  if (await exists(out) && (await readdir(out)).length > 0) throw new Error(`${out} is not empty`);
  await copyPackageFiles(files, out);
  await loadModelPackage(out);
}

/** Removes an installed user model by folder name; refuses anything outside `modelsDir`. */
export async function removeModel(name: string, modelsDir: string): Promise<void> {
  if (!/^[a-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new Error(`"${name}" is not an installed model name`);
  const dir = join(modelsDir, name);
  if (!(await exists(join(dir, JSON_FILE)))) throw new Error(`no installed model "${name}" in ${modelsDir}`);
  await rm(dir, { recursive: true, force: true });
}
