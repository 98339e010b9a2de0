// Model package loading refuses every kind of broken or mismatched package with a message naming
// the file; the acoustic session runs the graph and agrees with the plain-JS reference forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMatrix } from '../../src-shared/features/feature-matrix.ts';
import { ONNX_METADATA_KEY, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { buildAcousticModel } from '../../src-main/model/acoustic-graph.ts';
import { encodeModelProto } from '../../src-main/model/onnx-proto.ts';
import { exportOnnxModel, readOnnxMetadata } from '../../src-main/model/write-model.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { OfflineAcousticSession, ProviderUnavailableError } from '../../src-main/engine/offline-acoustic-session.ts';
import { loadModelPackage, ModelMismatchError, ModelPackageError } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR, PACKAGE_ROOT, resolveModelDir } from '../../src-main/model/package-paths.ts';
import { randomArray, seededRandom } from '../helpers/random-weights.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

let good: { dir: string; weights: AcousticModelWeights; metadata: ModelMetadata };
const temps: string[] = [];

beforeAll(async () => {
  good = await writeRandomModelPackage(11);
  temps.push(good.dir);
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/** A copy of the good package with model.json replaced by `edit(metadata)`. */
async function withJson(edit: (m: ModelMetadata & Record<string, unknown>) => unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-pkg-'));
  temps.push(dir);
  await cp(good.dir, dir, { recursive: true });
  const m = structuredClone(good.metadata) as ModelMetadata & Record<string, unknown>;
  await writeFile(join(dir, 'model.json'), JSON.stringify(edit(m) ?? m));
  return dir;
}

async function refusal(dir: string): Promise<Error> {
  try {
    await loadModelPackage(dir);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`package ${dir} was accepted`);
}

describe('loadModelPackage', () => {
  it('loads a consistent package with its features, normalization and frame duration', async () => {
    const pkg = await loadModelPackage(good.dir);
    expect(pkg.metadata).toEqual(good.metadata);
    expect(pkg.features).toEqual(good.metadata.features);
    expect(pkg.normalization.mean).toHaveLength(39);
    expect(pkg.architecture.inputDim).toBe(117);
    expect(pkg.frameSec).toBeCloseTo(0.03, 12);
    expect(pkg.onnx).toEqual(new Uint8Array(await readFile(join(good.dir, 'model.onnx'))));
  });

  it('refuses a missing folder, a missing model.json and a missing model.onnx, naming the path', async () => {
    const none = join(tmpdir(), 'hark-no-such-model-dir');
    const e1 = await refusal(none);
    expect(e1).toBeInstanceOf(ModelPackageError);
    expect(e1.message).toBe(`model ${none}: model folder not found (pass --model DIR or set HARK_MODEL)`);

    const noJson = await withJson(() => null);
    await rm(join(noJson, 'model.json'));
    expect((await refusal(noJson)).message).toBe(`model ${noJson}: not a Hark model: the folder has no model.json (a model is a folder holding model.json and model.onnx, as hark train, hark export and Models > Export write it)`);
    // A JSON file that is no Hark card at all is called that, not a card of an unknown format.
    const notCard = await withJson(() => ({ hello: 1 }));
    expect((await refusal(notCard)).message).toMatch(/not a Hark model card: it has no formatVersion/);

    const noOnnx = await withJson(() => undefined);
    await rm(join(noOnnx, 'model.onnx'));
    expect((await refusal(noOnnx)).message).toBe(`model ${join(noOnnx, 'model.onnx')}: model.onnx not found`);
  });

  it('refuses model.json that is not JSON', async () => {
    const dir = await withJson(() => undefined);
    await writeFile(join(dir, 'model.json'), '{"formatVersion": 1,');
    const e = await refusal(dir);
    expect(e).toBeInstanceOf(ModelPackageError);
    expect(e.message).toBe(`model ${join(dir, 'model.json')}: not valid JSON (at line 1, column 21)`);
  });

  it('refuses another format version', async () => {
    const e = await refusal(await withJson((m) => { m.formatVersion = 99; }));
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect(e.message).toContain('formatVersion is 99, this Hark reads format 1');
  });

  it('refuses units in another order or of another count', async () => {
    const swapped = await refusal(await withJson((m) => { [m.units[1], m.units[2]] = [m.units[2], m.units[1]]; }));
    expect(swapped).toBeInstanceOf(ModelMismatchError);
    expect(swapped.message).toContain('units differ from this build\'s phoneme inventory at index 1 (model "AE", expected "AA"; model has 40 units, expected 40)');
    const short = await refusal(await withJson((m) => { m.units.pop(); }));
    expect(short.message).toContain('at index 39 (model null, expected "ZH"; model has 39 units, expected 40)');
  });

  it('refuses features whose input dimension differs from the architecture, and bad normalization', async () => {
    const e = await refusal(await withJson((m) => { m.features.stack = 2; }));
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect(e.message).toContain('architecture.inputDim is 117 but the feature configuration yields 78 values per frame');
    const bad = await refusal(await withJson((m) => { m.features.frameLength = 500; }));
    expect(bad.message).toContain('feature configuration not supported: FeatureConfig.frameLength must be a power of two');
    const norm = await refusal(await withJson((m) => { m.normalization.std = m.normalization.std.slice(1); }));
    expect(norm.message).toContain('normalization does not fit the features (baseDim 39)');
    const units = await refusal(await withJson((m) => { m.architecture.numUnits = 41; }));
    expect(units.message).toContain('architecture.numUnits is 41 but there are 40 units');
  });

  it('refuses a decoding section of the wrong type, and keeps a valid one through export', async () => {
    const word = await refusal(await withJson((m) => { m.decoding = { testTimeVtln: 'no' as unknown as boolean }; }));
    expect(word).toBeInstanceOf(ModelMismatchError);
    expect(word.message).toMatch(/^model .*model\.json: decoding\.testTimeVtln must be true or false, got "no"$/);
    const notObject = await refusal(await withJson((m) => { m.decoding = 'off' as unknown as ModelMetadata['decoding']; }));
    expect(notObject.message).toContain('"decoding" must be an object, got "off"');
    const dir = await mkdtemp(join(tmpdir(), 'hark-pkg-'));
    temps.push(dir);
    await exportOnnxModel(good.weights, { ...good.metadata, decoding: { testTimeVtln: false } }, dir);
    const pkg = await loadModelPackage(dir);
    expect(pkg.metadata.decoding).toEqual({ testTimeVtln: false });
    expect(readOnnxMetadata(pkg.onnx)?.decoding).toEqual({ testTimeVtln: false });
    expect(readOnnxMetadata(new Uint8Array(await readFile(join(dir, 'model.stream.onnx'))))?.decoding).toEqual({ testTimeVtln: false });
  });

  it('refuses a model.onnx whose embedded metadata differs from model.json, naming the differing keys', async () => {
    const e = await refusal(await withJson((m) => { m.name = 'another-model'; m.createdAt = '2025-01-01T00:00:00.000Z'; }));
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect(e.message).toContain('model.onnx: its embedded metadata differs from model.json (name, createdAt): the two files come from different models');
    // Key order alone is not a difference.
    const reordered = await withJson((m) => Object.fromEntries(Object.entries(m).reverse()));
    await expect(loadModelPackage(reordered)).resolves.toBeTruthy();
  });

  it('refuses bytes that are not ONNX and an ONNX file without Hark metadata', async () => {
    const text = await withJson(() => undefined);
    await writeFile(join(text, 'model.onnx'), 'this is not a model\n'.repeat(20));
    const e = await refusal(text);
    expect(e).toBeInstanceOf(ModelPackageError);
    expect(e.message).toMatch(new RegExp(`^model ${join(text, 'model.onnx')}: (not a readable ONNX model: |has no "${ONNX_METADATA_KEY}")`));

    const bare = await withJson(() => undefined);
    const proto = buildAcousticModel(good.weights, good.metadata);
    await writeFile(join(bare, 'model.onnx'), encodeModelProto({ ...proto, metadataProps: [] }));
    const e2 = await refusal(bare);
    expect(e2).toBeInstanceOf(ModelMismatchError);
    expect(e2.message).toBe(`model ${join(bare, 'model.onnx')}: has no "${ONNX_METADATA_KEY}" metadata entry (not a Hark model export)`);
  });
});

describe('resolveModelDir', () => {
  it('prefers --model, then HARK_MODEL, then models/hark-en under the package root', () => {
    expect(DEFAULT_MODEL_DIR).toBe(join(PACKAGE_ROOT, 'models', 'hark-en'));
    expect(PACKAGE_ROOT).toBe(resolve(import.meta.dirname, '..', '..'));
    expect(resolveModelDir(undefined, {})).toBe(DEFAULT_MODEL_DIR);
    expect(resolveModelDir(undefined, { HARK_MODEL: '/m/env' })).toBe('/m/env');
    expect(resolveModelDir('rel/dir', { HARK_MODEL: '/m/env' })).toBe(resolve('rel/dir'));
  });
});

describe('OfflineAcousticSession', () => {
  it('matches the reference forward pass, and returns no frames for T = 0 without running the graph', async () => {
    const pkg = await loadModelPackage(good.dir);
    const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
    const T = 23;
    const x = createMatrix(T, 117);
    x.data.set(randomArray(T * 117, seededRandom(5), 2));
    const lp = await session.run(x);
    const ref = referenceForward(good.weights, x.data, T);
    expect(lp).toHaveLength(T * 40);
    let maxDiff = 0;
    for (let i = 0; i < lp.length; i++) maxDiff = Math.max(maxDiff, Math.abs(lp[i] - ref[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(await session.run(createMatrix(0, 117))).toEqual(new Float32Array(0));
    await expect(session.run(createMatrix(3, 116))).rejects.toThrow('expected dim 117, got 116');
    await session.release();
  });

  it('refuses a graph whose input is not named "features"', async () => {
    const dir = await withJson(() => undefined);
    const proto = buildAcousticModel(good.weights, good.metadata);
    const g = proto.graph!;
    const renamed = {
      ...proto,
      graph: {
        ...g,
        input: g.input!.map((v) => ({ ...v, name: 'x' })),
        node: g.node!.map((n) => ({ ...n, input: (n.input ?? []).map((i) => (i === 'features' ? 'x' : i)) })),
      },
    };
    await writeFile(join(dir, 'model.onnx'), encodeModelProto(renamed));
    const pkg = await loadModelPackage(dir);
    await expect(OfflineAcousticSession.create(pkg)).rejects.toThrow(/graph inputs \[x\] \/ outputs \[logprobs\], expected input "features" and output "logprobs"/);
  });

  it('uses CUDA only when asked; where it is unavailable the error says so', async () => {
    const pkg = await loadModelPackage(good.dir);
    const cpu = await OfflineAcousticSession.create(pkg);
    expect(cpu.provider).toBe('cpu');
    const x = createMatrix(4, 117);
    x.data.set(randomArray(4 * 117, seededRandom(9), 1));
    let cuda: OfflineAcousticSession | undefined;
    try {
      cuda = await OfflineAcousticSession.create(pkg, { provider: 'cuda' });
    } catch (e) {
      expect(e).toBeInstanceOf(ProviderUnavailableError);
      expect((e as Error).message).toMatch(/^execution provider "cuda" is not available: .*use --provider cpu\)$/s);
    }
    if (cuda) {
      const a = await cpu.run(x), b = await cuda.run(x);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
      await cuda.release();
    }
    await cpu.release();
  });
});
