// A model whose features carry `cmn` loads with it, gets CMN'd frames from the live front end
// (PCM or the renderer's MFCC rows) equal to the whole-file features, and is only hot-swapped with
// a package whose CMN is the same; a bad `cmn` in model.json is refused with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFeatures } from '../../src-shared/features/compute-features.ts';
import { concatFrames, type FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { computeMfcc } from '../../src-shared/features/mfcc.ts';
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../../src-main/model/model-package.ts';
import { swapIncompatibilities } from '../../src-main/engine/model-swap.ts';
import { OnlineFrontEnd } from '../../src-main/engine/online-front-end.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomWeights } from '../helpers/random-weights.ts';
import { firstDifference, speechNoiseSines } from './features-test-audio.ts';

const temps: string[] = [];
let dir: string;
let pkg: ModelPackage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-cmn-model-'));
  temps.push(dir);
  const metadata: ModelMetadata = engineMetadata();
  metadata.features = { ...metadata.features, cmn: { windowFrames: 120, priorFrames: 60 } };
  metadata.normalization.mean[0] = 1500; // c0 is large with Meyda's scaling
  await exportOnnxModel(randomWeights(ENGINE_TEST_SPEC, 3), metadata, dir);
  pkg = await loadModelPackage(dir);
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function withJson(edit: (m: ModelMetadata) => void): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hark-cmn-pkg-'));
  temps.push(d);
  await cp(dir, d, { recursive: true });
  const m = JSON.parse(await readFile(join(d, 'model.json'), 'utf8')) as ModelMetadata;
  edit(m);
  await writeFile(join(d, 'model.json'), JSON.stringify(m));
  return d;
}

describe('a model package with CMN', () => {
  it('loads with its cmn setting', () => {
    expect(pkg.features.cmn).toEqual({ windowFrames: 120, priorFrames: 60 });
  });

  it('refuses a bad or unknown cmn setting, and model.json whose cmn differs from the ONNX metadata', async () => {
    const bad = await withJson((m) => { m.features.cmn = { windowFrames: 1 }; });
    await expect(loadModelPackage(bad)).rejects.toThrow(/feature configuration not supported: FeatureConfig\.cmn\.windowFrames must be an integer in \[2, /);
    const unknown = await withJson((m) => { (m.features.cmn as unknown as Record<string, unknown>).variance = true; });
    await expect(loadModelPackage(unknown)).rejects.toThrow(/FeatureConfig\.cmn\.variance is not a field/);
    const off = await withJson((m) => { delete m.features.cmn; });
    const e = await loadModelPackage(off).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect((e as Error).message).toContain('embedded metadata differs from model.json (features)');
  });

  it('the live front end gives the whole-file CMN features, from PCM and from MFCC rows', () => {
    const pcm = speechNoiseSines(8);
    const whole = computeFeatures(pcm, pkg.features, pkg.normalization);
    const plainWhole = computeFeatures(pcm, { ...pkg.features, cmn: undefined }, pkg.normalization);
    expect(firstDifference(whole.data, plainWhole.data)).not.toBe(-1);
    const mfcc = computeMfcc(pcm, pkg.features);
    for (const input of ['pcm', 'mfcc'] as const) {
      const fe = new OnlineFrontEnd(pkg.features, pkg.normalization);
      for (let round = 0; round < 2; round++) {
        const parts: FeatureMatrix[] = [];
        if (input === 'pcm') {
          for (let at = 0; at < pcm.length; at += 800) parts.push(fe.pushPcm(pcm.subarray(at, at + 800)).frames);
        } else {
          for (let at = 0; at < mfcc.frames; at += 7) parts.push(fe.pushMfcc(mfcc.data.slice(at * 13, Math.min(at + 7, mfcc.frames) * 13)).frames);
        }
        parts.push(fe.flush().frames);
        const got = concatFrames(parts, fe.dim);
        expect(got.frames, input).toBe(whole.frames);
        expect(firstDifference(got.data, whole.data), `${input} round ${round}`).toBe(-1);
        fe.reset(); // the CMN window starts over with the next stream
      }
    }
  });

  it('hot swap compares cmn by value', () => {
    const same = { ...pkg, features: { ...pkg.features, cmn: { priorFrames: 60, windowFrames: 120 } } };
    expect(swapIncompatibilities(pkg, same)).toEqual([]);
    const other = { ...pkg, features: { ...pkg.features, cmn: { windowFrames: 300, priorFrames: 100 } } };
    expect(swapIncompatibilities(pkg, other)).toEqual(['features.cmn is {"windowFrames":300,"priorFrames":100} where the stream\'s is {"windowFrames":120,"priorFrames":60}']);
    const none = { ...pkg, features: { ...pkg.features, cmn: undefined } };
    expect(swapIncompatibilities(pkg, none)).toEqual(['features.cmn is null where the stream\'s is {"windowFrames":120,"priorFrames":60}']);
  });
});
