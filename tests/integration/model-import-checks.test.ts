/**
 * Model import refuses packages that cannot run, through the real path (importModel with the
 * engine's trial run, and `hark models import`): metadata of the wrong type or lying consistently
 * in both files, a graph with nodes removed, truncated weights, no streaming graph. Each is refused
 * with a message naming the problem and leaves nothing in the models folder. A listing with a bad
 * card still lists the good packages and names the bad one with its reason.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModelCards } from '../../src-main/backend/model-cards.ts';
import { trialRunModelPackage } from '../../src-main/engine/model-trial-run.ts';
import { importModel } from '../../src-main/model/model-install.ts';
import { checkModelMetadata } from '../../src-main/model/model-package.ts';
import { listModels } from '../../src-main/model/model-registry.ts';
import { decodeModelProto, encodeModelProto, type ModelProto } from '../../src-main/model/onnx-proto.ts';
import { restampModelMetadata } from '../../src-main/model/write-model.ts';
import { JSON_FILE, ONNX_FILE, STREAM_ONNX_FILE } from '../../src-main/model/package-files.ts';
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import { engineMetadata, writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { runHark } from './cli-fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-import-checks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let serial = 0;
/** A fresh random-weight package, then `damage` applied to its folder. */
async function badPackage(damage: (pkg: string, metadata: ModelMetadata) => Promise<void>): Promise<string> {
  const { dir: pkg, metadata } = await writeRandomModelPackage(5, { dir: join(dir, `pkg-${++serial}`), name: `bad-${serial}` });
  await damage(pkg, structuredClone(metadata));
  return pkg;
}

/** Rewrites one graph of a package with `edit` (embedded metadata kept). */
async function editGraph(pkg: string, file: string, edit: (m: ModelProto) => void): Promise<void> {
  const m = decodeModelProto(new Uint8Array(await readFile(join(pkg, file))));
  edit(m);
  await writeFile(join(pkg, file), encodeModelProto(m));
}

/** Imports `pkg` into a new models folder as the app and CLI do; returns the refusal and what is left. */
async function refusedImport(pkg: string): Promise<{ message: string; left: string[] }> {
  const models = join(dir, `models-${++serial}`);
  const err = await importModel(pkg, models, { trialRun: trialRunModelPackage }).then(() => null, (e: unknown) => e as Error);
  expect(err, `${pkg} was installed`).not.toBeNull();
  return { message: err!.message, left: await readdir(models).catch(() => []) };
}

const lies: [string, (pkg: string, m: ModelMetadata) => Promise<void>, RegExp][] = [
  ['metadata lying consistently in both files (hidden size)', (pkg, m) => restampModelMetadata(pkg, { ...m, architecture: { ...m.architecture, hidden: 16 } }),
    /model\.stream\.onnx: a chunk of zeros does not run through this graph as its metadata describes/],
  ['metadata lying consistently in both files (layers)', (pkg, m) => restampModelMetadata(pkg, { ...m, architecture: { ...m.architecture, layers: 2 } }),
    /model\.stream\.onnx: a chunk of zeros does not run through this graph/],
  ['a graph with nodes removed', (pkg) => editGraph(pkg, ONNX_FILE, (m) => { m.graph!.node = m.graph!.node!.slice(0, -2); }),
    /model\.onnx: (onnxruntime cannot load the graph|a chunk of zeros does not run)/],
  ['truncated weights', (pkg) => editGraph(pkg, STREAM_ONNX_FILE, (m) => {
    const w = [...m.graph!.initializer!].sort((a, b) => (b.rawData?.length ?? 0) - (a.rawData?.length ?? 0))[0];
    w.rawData = w.rawData!.subarray(0, w.rawData!.length >> 1);
  }), /model\.stream\.onnx: (onnxruntime cannot load the graph|a chunk of zeros does not run)/],
  ['no streaming graph', (pkg) => rm(join(pkg, STREAM_ONNX_FILE)), /model\.stream\.onnx not found: this model has no streaming graph/],
  ['architecture.cell missing', (pkg, m) => {
    const { cell: _cell, ...architecture } = m.architecture;
    return restampModelMetadata(pkg, { ...m, architecture } as ModelMetadata);
  }, /model\.json: architecture\.cell must be one of lstm, gru, rnn, got null/],
  ['createdAt missing', (pkg, m) => {
    const { createdAt: _c, ...rest } = m;
    return restampModelMetadata(pkg, rest as ModelMetadata);
  }, /model\.json: "createdAt" must be a date string/],
];

describe('model import: a package that cannot run is refused before it is installed', () => {
  for (const [what, damage, message] of lies) {
    it(`refuses ${what}, leaving nothing in the models folder`, async () => {
      const pkg = await badPackage(damage);
      const refused = await refusedImport(pkg);
      expect(refused.message).toMatch(message);
      expect(refused.message).toContain(`model ${pkg}/`); // the package the user named, not the stage
      expect(refused.left).toEqual([]);
    });
  }

  it('installs the undamaged package (the trial run accepts it)', async () => {
    const { dir: pkg } = await writeRandomModelPackage(5, { dir: join(dir, 'good'), name: 'good' });
    const models = join(dir, 'models-good');
    const info = await importModel(pkg, models, { trialRun: trialRunModelPackage });
    expect(info).toMatchObject({ name: 'good', dir: join(models, 'good-0.0.0') });
    expect(await readdir(models)).toEqual(['good-0.0.0']);
  });

  it('hark models import refuses a graph with nodes removed: exit 1, the reason, nothing installed', async () => {
    const pkg = await badPackage((p) => editGraph(p, ONNX_FILE, (m) => { m.graph!.node = m.graph!.node!.slice(0, -2); }));
    const userData = join(dir, 'cli-user');
    const r = await runHark(['models', 'import', pkg], { env: { HARK_USER_DATA: userData } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/model\.onnx: (onnxruntime cannot load the graph|a chunk of zeros does not run)/);
    expect(r.stdout).toBe('');
    expect(await readdir(join(userData, 'models')).catch(() => [])).toEqual([]);
  });
});

describe('model metadata: every field is type-checked', () => {
  const cases: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ['name not a string', (m) => { m.name = 42; }, /"name" must be a non-empty string, got 42/],
    ['empty version', (m) => { m.version = ' '; }, /"version" must be a non-empty string/],
    ['createdAt not a date', (m) => { m.createdAt = 'last tuesday'; }, /"createdAt" must be a date string \(ISO 8601\), got "last tuesday"/],
    ['unknown cell', (m) => { (m.architecture as Record<string, unknown>).cell = 'transformer'; }, /architecture\.cell must be one of lstm, gru, rnn, got "transformer"/],
    ['bidirectional not a boolean', (m) => { (m.architecture as Record<string, unknown>).bidirectional = 'yes'; }, /architecture\.bidirectional must be true or false, got "yes"/],
    ['fractional chunkFrames', (m) => { m.streaming = { chunkFrames: 1.5, lookaheadFrames: 0 }; }, /"streaming" must hold integers chunkFrames >= 1/],
    ['negative lookahead', (m) => { m.streaming = { chunkFrames: 8, lookaheadFrames: -1 }; }, /"streaming" must hold integers/],
    ['training not an object', (m) => { m.training = 'lots'; }, /"training" must be an object when present, got "lots"/],
    ['metrics a list', (m) => { m.metrics = [1]; }, /"metrics" must be an object when present/],
  ];
  for (const [what, edit, message] of cases) {
    it(`refuses ${what}`, () => {
      const m = structuredClone(engineMetadata()) as unknown as Record<string, unknown>;
      edit(m);
      expect(() => checkModelMetadata(m, 'model.json')).toThrow(message);
    });
  }
  it('accepts the helper metadata and the shipped model card', async () => {
    expect(() => checkModelMetadata(engineMetadata(), 'model.json')).not.toThrow();
    const shipped = JSON.parse(await readFile(join('models', 'hark-en', JSON_FILE), 'utf8')) as unknown;
    expect(() => checkModelMetadata(shipped, 'models/hark-en/model.json')).not.toThrow();
  });
});

describe('listings tolerate a bad card', () => {
  it('lists the good packages and names the bad card with its reason (registry, Models screen, hark models)', async () => {
    const userData = join(dir, 'list-user');
    const models = join(userData, 'models');
    await writeRandomModelPackage(7, { dir: join(models, 'older-0.0.0'), name: 'older' });
    const newer = await writeRandomModelPackage(8, { dir: join(models, 'newer-0.0.0'), name: 'newer' });
    await restampModelMetadata(newer.dir, { ...newer.metadata, createdAt: '2025-06-01T00:00:00.000Z' });
    await mkdir(join(models, 'broken-0.0.0'), { recursive: true });
    const { createdAt: _c, ...noDate } = engineMetadata(undefined, 'broken');
    await writeFile(join(models, 'broken-0.0.0', JSON_FILE), JSON.stringify(noDate));
    const roots = [{ dir: models, shipped: false }];

    const { models: listed, broken } = await listModels(roots);
    expect(listed.map((m) => m.name).sort()).toEqual(['newer', 'older']);
    expect(broken).toEqual([{ dir: join(models, 'broken-0.0.0'), reason: expect.stringMatching(/model\.json: "createdAt" must be a date string/) as string }]);

    // The Models screen's list (models:list): the two cards, oldest first, and the broken folder with its reason.
    const cards = await listModelCards(roots, '');
    expect(cards.models.map((m) => m.name)).toEqual(['older', 'newer']);
    expect(cards.broken).toEqual(broken);

    const env = { HARK_USER_DATA: userData };
    const list = await runHark(['models', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/older 0\.0\.0/);
    expect(list.stdout).toMatch(/newer 0\.0\.0/);
    expect(list.stderr).toMatch(/^broken .*broken-0\.0\.0: .*"createdAt" must be a date string/m);
    expect((await runHark(['models', 'use', 'older-0.0.0'], { env })).code).toBe(0);
    expect((await runHark(['models', 'remove', 'newer-0.0.0'], { env })).code).toBe(0);
  });
});
