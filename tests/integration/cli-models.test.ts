/**
 * `hark models` end to end with a tiny random-weight package: import (checked, atomic, refused
 * twice unless --replace), list, export, remove; a broken package is refused and leaves nothing
 * behind, and the app's current model cannot be removed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installName } from '../../src-main/model/model-install.ts';
import { ANCHOR_IMPORTANCE_FILE, anchorVariableSizes, encodeAnchorImportance } from '../../src-main/train/anchor-importance.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { runHark } from './cli-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-cli-models-'));
const userData = join(dir, 'user');
const env = { HARK_USER_DATA: userData };
let pkg: string;
let name: string;
beforeAll(async () => {
  const p = await writeRandomModelPackage(3, { dir: join(dir, 'pkg'), name: 'my-model' });
  pkg = p.dir;
  // The retraining anchor's weighting travels with the package.
  writeFileSync(join(pkg, ANCHOR_IMPORTANCE_FILE), encodeAnchorImportance({ values: anchorVariableSizes(p.weights).map((n) => new Float32Array(n).fill(1)), model: 'my-model', clips: 1 }));
  name = installName(p.metadata.name, p.metadata.version);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hark models', () => {
  it('imports, lists, exports and removes a package in the user data folder', async () => {
    const imported = await runHark(['models', 'import', pkg], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`installed my-model .* in .*${name}`));
    expect((await runHark(['models', 'import', pkg], { env })).stderr).toMatch(/already installed.*--replace/);
    expect((await runHark(['models', 'import', pkg, '--replace'], { env })).code).toBe(0);
    const list = JSON.parse((await runHark(['models', 'list', '--json'], { env })).stdout) as { name: string; shipped: boolean; current: boolean }[];
    expect(list.find((m) => m.name === 'my-model')).toMatchObject({ shipped: false, current: false });
    expect(list.find((m) => m.shipped)).toMatchObject({ name: 'hark-en', current: true });
    const out = join(dir, 'exported');
    expect((await runHark(['models', 'export', name, out], { env })).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['anchor-importance.bin', 'model.json', 'model.onnx', 'model.stream.onnx']);
    expect((await runHark(['models', 'export', name, out], { env })).stderr).toMatch(/not empty/);
    // The app's current model is protected.
    mkdirSync(userData, { recursive: true });
    writeFileSync(join(userData, 'settings.json'), JSON.stringify({ modelDir: join(userData, 'models', name) }));
    const protectedRemove = await runHark(['models', 'remove', name], { env });
    expect(protectedRemove.code).toBe(2);
    expect(protectedRemove.stderr).toMatch(/current model/);
    writeFileSync(join(userData, 'settings.json'), '{}');
    expect((await runHark(['models', 'remove', name], { env })).stdout).toBe(`removed ${name}\n`);
    expect((await runHark(['models', 'remove', name], { env })).code).toBe(1);
    expect((await runHark(['models', 'remove', '../pkg'], { env })).stderr).toMatch(/not an installed model name/);
  });

  it('refuses a broken package and leaves no partial install', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'model.json'), '{"formatVersion": 1}');
    const r = await runHark(['models', 'import', broken], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model\.json/);
    const models = join(userData, 'models');
    expect(existsSync(models) ? readdirSync(models).filter((f) => f.startsWith('.importing')) : []).toEqual([]);
  });
});
