/**
 * What the packaged app is made of: the bundles bin/build.mjs makes from src-main/electron (the
 * sandboxed preload may require only 'electron'; main only Electron and Node), the packages the
 * backend, retraining and training-data workers load at run time (each must ship), and electron-builder.yml (valid against
 * electron-builder's own schema, with the files and settings the app relies on).
 */
import { build, type BuildOptions } from 'esbuild';
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAIN_FAMILY_WEIGHTS } from '../../src-main/train/recipe.ts';

const require = createRequire(import.meta.url);

/** The settings bin/build.mjs uses for the Node-side bundles. */
const nodeBundle: BuildOptions = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: false, logLevel: 'silent', write: false, metafile: true };

async function bundle(entry: string, format: 'cjs' | 'esm', external: string[] = []) {
  const r = await build({ ...nodeBundle, entryPoints: [resolve(entry)], outfile: resolve('out/unused.js'), format, external });
  const code = r.outputFiles![0].text;
  const imports = new Set<string>();
  for (const o of Object.values(r.metafile!.outputs)) for (const i of o.imports) if (i.external) imports.add(i.path);
  return { code, imports };
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

async function builderConfig(): Promise<Record<string, unknown> & { files: string[] }> {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(await readFile('electron-builder.yml', 'utf8')) as Record<string, unknown> & { files: string[] };
}

describe('bundles', () => {
  it("the preload requires nothing but 'electron'", async () => {
    const { code, imports } = await bundle('src-main/electron/preload.ts', 'cjs', ['electron']);
    expect([...imports]).toEqual(['electron']);
    const required = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((m) => m[2]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    // No computed require and no dynamic import either.
    expect([...code.matchAll(/\brequire\s*\(/g)].length).toBe(required.length);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).toContain('exposeInMainWorld');
  });

  it('main imports only Electron and Node', async () => {
    const { imports } = await bundle('src-main/electron/main.ts', 'esm', ['electron']);
    for (const spec of imports) expect(spec === 'electron' || spec.startsWith('node:'), spec).toBe(true);
  });

  it.each(['src-main/backend/backend-worker.ts', 'src-main/backend/retrain-worker.ts', 'src-main/train/data-worker.ts'])('every package %s loads is a dependency that the app ships', async (entry) => {
    const { imports } = await bundle(entry, 'esm');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { dependencies: Record<string, string>; optionalDependencies: Record<string, string>; devDependencies: Record<string, string> };
    const excluded = (await builderConfig()).files.filter((f) => f.startsWith('!node_modules/')).map((f) => f.slice('!node_modules/'.length).replace(/\/\*\*$/, ''));
    for (const spec of imports) {
      if (spec.startsWith('node:')) continue;
      const name = packageOf(spec);
      // An optional dependency is loaded only when present (tfjs-node: the native training backend).
      if (pkg.optionalDependencies[name] !== undefined) continue;
      // The WASM synthesizers are dev dependencies (GnuSpeech is GPL-3.0: not shipped), imported
      // only when a pico or gnuspeech voice speaks; the app's retraining speaks with the families
      // of TRAIN_FAMILY_WEIGHTS, which has neither (checked here).
      if (TRAINING_ONLY_PACKAGES.includes(name)) {
        expect(pkg.devDependencies[name], `${name} must be a dev dependency`).toBeDefined();
        expect(Object.keys(TRAIN_FAMILY_WEIGHTS).filter((f) => f === 'pico' || f === 'gnuspeech')).toEqual([]);
        continue;
      }
      expect(pkg.dependencies[name], `${name} must be a dependency`).toBeDefined();
      expect(excluded.some((e) => name === e || name.startsWith(`${e}/`)), `${name} is excluded by electron-builder.yml`).toBe(false);
    }
  });
});

/** Packages only training on the machine of a developer loads (see the test above). */
const TRAINING_ONLY_PACKAGES = ['@echogarden/svoxpico-wasm', '@echogarden/gnuspeech-wasm'];

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, debug: { add(): void; isEnabled: boolean }): Promise<void>;
    };
    await expect(validateConfiguration(await builderConfig(), { add: () => undefined, isEnabled: false })).resolves.toBeUndefined();
  });

  it('ships the bundles and the model, unpacks what must be real files, and asks for the microphone', async () => {
    const c = (await builderConfig()) as Record<string, never> & { files: string[] };
    expect(c.files).toEqual(expect.arrayContaining(['dist-electron/**', 'dist-renderer/**', 'models/**', '!models/*/checkpoint/**', 'package.json']));
    expect(c.files.some((f) => f.startsWith('src-'))).toBe(false);
    // Which file lies where: tests/unit/electron-packaged-layout.test.ts.
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['dist-electron/*.mjs', 'node_modules/**', 'models/**']));
    expect(c.extraMetadata).toEqual({ main: 'dist-electron/main.js' });
    expect(c.npmRebuild).toBe(false);
    expect(c.buildDependenciesFromSource).toBe(false);
    expect(c.nsis).toMatchObject({ oneClick: false, allowToChangeInstallationDirectory: true });
    const mac = c.mac as { hardenedRuntime: boolean; entitlements: string; extendInfo: Record<string, string> };
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
    await access(mac.entitlements);
    expect(await readFile(mac.entitlements, 'utf8')).toContain('com.apple.security.device.audio-input');
  });
});
