/**
 * Where the files shipped with Hark lie at run time, in the two layouts it runs from:
 * - the repository (development, the CLI, `npm start`): the folder holding package.json, with the
 *   sources in src-main/ or the bundles in dist-electron/;
 * - the packaged desktop app (electron-builder): resources/app.asar holds what Electron itself
 *   loads (dist-electron/main.js, preload.cjs, dist-renderer/), and resources/app.asar.unpacked
 *   holds as real files what Node or native code loads without Electron's asar support: the worker
 *   threads (dist-electron/*.mjs), node_modules (the workers' packages, onnxruntime's binaries,
 *   tfjs's .wasm files) and models/. The split is electron-builder.yml's asarUnpack, and
 *   tests/unit/electron-packaged-layout.test.ts checks the two against each other.
 */
import { existsSync } from 'node:fs';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ARCHIVE = 'app.asar';
const UNPACKED = 'app.asar.unpacked';

export interface AppLayout {
  /** Whether the app runs from electron-builder's resources/app.asar. */
  packaged: boolean;
  /** The app's root as Electron sees it: resources/app.asar, or the repository. */
  appRoot: string;
  /** The root of the real files (models, workers, node_modules): resources/app.asar.unpacked, or the repository. */
  diskRoot: string;
}

const asPath = (from: string | URL): string => (from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : resolve(from));

/**
 * The layout that the module or file `from` (an import.meta.url, or a path) belongs to: packaged
 * when `from` lies inside app.asar or app.asar.unpacked, else the nearest folder above it that
 * holds a package.json (the repository, whether `from` is a source file or a bundle).
 */
export function appLayout(from: string | URL, hasPackageJson = (dir: string) => existsSync(join(dir, 'package.json'))): AppLayout {
  const file = asPath(from);
  const parts = file.split(sep);
  const at = parts.findIndex((p) => p === ARCHIVE || p === UNPACKED);
  if (at > 0) {
    const resources = parts.slice(0, at).join(sep) || sep;
    return { packaged: true, appRoot: join(resources, ARCHIVE), diskRoot: join(resources, UNPACKED) };
  }
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (hasPackageJson(dir)) return { packaged: false, appRoot: dir, diskRoot: dir };
    if (dir === parse(dir).root) throw new Error(`no package.json in a folder above ${file}: cannot tell where Hark's files are`);
  }
}

/**
 * The shipped file `relative` (a URL path, resolved like `new URL(relative, from)`) as a path.
 * `place` 'disk' (the default) is the real file: inside app.asar.unpacked when `from` is in the
 * archive, which is where worker entries, WASM, native binaries and models must be loaded from.
 * 'archive' is the path Electron resolves through its asar support (the preload, the renderer).
 * In the repository both are the plain path.
 */
export function shippedPath(relative: string, from: string | URL, place: 'disk' | 'archive' = 'disk'): string {
  const base = from instanceof URL || from.startsWith('file:') ? from : pathToFileURL(from);
  const path = fileURLToPath(new URL(relative, base));
  const parts = path.split(sep);
  const at = parts.findIndex((p) => p === ARCHIVE || p === UNPACKED);
  if (at <= 0) return path;
  parts[at] = place === 'disk' ? UNPACKED : ARCHIVE;
  return parts.join(sep);
}
