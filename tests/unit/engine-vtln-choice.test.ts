/**
 * A package's measured VTLN choice (metadata.decoding.testTimeVtln) decides whether the recognizers
 * warp; an explicit `vtln` option overrides it. Random-weight packages sharing their weights, on a
 * voice-like clip where the search picks a warp other than 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecodingChoices } from '../../src-shared/model/metadata.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { OfflineRecognizer, type OfflineRecognizerOptions } from '../../src-main/engine/offline-recognizer.ts';
import { OnlineRecognizer, type StreamEvent } from '../../src-main/engine/online-recognizer.ts';
import { DEFAULT_VTLN, vtlnForModel } from '../../src-main/engine/vtln.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { voiceLike } from '../helpers/voice-like.ts';

const temps: string[] = [];
const packages: Record<'absent' | 'on' | 'off', ModelPackage> = {} as Record<'absent' | 'on' | 'off', ModelPackage>;

beforeAll(async () => {
  const base = await writeRandomModelPackage(1);
  temps.push(base.dir);
  packages.absent = await loadModelPackage(base.dir);
  for (const [k, decoding] of [['on', { testTimeVtln: true }], ['off', { testTimeVtln: false }]] as [('on' | 'off'), DecodingChoices][]) {
    const dir = await mkdtemp(join(tmpdir(), `hark-vtln-${k}-`));
    temps.push(dir);
    await exportOnnxModel(base.weights, { ...base.metadata, decoding }, dir);
    packages[k] = await loadModelPackage(dir);
  }
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const MODE = { kind: 'phrases', items: ['open the file', 'close'] } as const;

async function offlineWarp(model: ModelPackage, vtln?: OfflineRecognizerOptions['vtln']): Promise<number> {
  const rec = await OfflineRecognizer.create({ model, mode: { ...MODE, items: [...MODE.items] }, ...(vtln !== undefined ? { vtln } : {}) });
  try {
    return (await rec.recognizePcm(voiceLike(1, 220))).vtlnWarp;
  } finally {
    await rec.dispose();
  }
}

describe('metadata.decoding.testTimeVtln', () => {
  it('is kept by the exporter in model.json and in both graphs', () => {
    expect(packages.off.metadata.decoding).toEqual({ testTimeVtln: false });
    expect(packages.absent.metadata.decoding).toBeUndefined();
  });

  it('decides the offline recognizer\'s VTLN unless the vtln option is given', async () => {
    const warped = await offlineWarp(packages.absent);
    expect(warped).not.toBe(1);
    expect(await offlineWarp(packages.on)).toBe(warped);
    expect(await offlineWarp(packages.off)).toBe(1);
    // An explicit option wins either way.
    expect(await offlineWarp(packages.off, {})).toBe(warped);
    expect(await offlineWarp(packages.on, false)).toBe(1);
  });

  it('decides the online recognizer\'s VTLN for finals (after a hot swap too) unless the vtln option is given', async () => {
    const pcm = new Float32Array(16000 * 2.5);
    pcm.set(voiceLike(1, 220), 8000);
    /** Finals of the clip; `swapTo`: a model swapped in before any speech (it decodes the clip). */
    async function finals(model: ModelPackage, vtln?: OfflineRecognizerOptions['vtln'], swapTo?: ModelPackage): Promise<StreamEvent[]> {
      const rec = await OnlineRecognizer.create({ model, mode: { kind: 'words', items: ['open', 'close', 'file', 'the'] }, keywordWarps: [1], ...(vtln !== undefined ? { vtln } : {}) });
      try {
        if (swapTo) await rec.swapModel(swapTo);
        const events: StreamEvent[] = [];
        for (let i = 0; i < pcm.length; i += 1600) events.push(...await rec.acceptPcm(pcm.subarray(i, i + 1600)));
        events.push(...await rec.finish());
        return events.filter((e) => e.type === 'final');
      } finally {
        await rec.dispose();
      }
    }
    const on = await finals(packages.off, {}), off = await finals(packages.on, false);
    expect(on.length).toBeGreaterThan(0);
    // The warped final differs from the plain one (on this clip), so the comparisons below tell them apart.
    expect(on).not.toEqual(off);
    expect(await finals(packages.off)).toEqual(off);
    expect(await finals(packages.absent)).toEqual(on);
    // After a hot swap the new package decides.
    expect(await finals(packages.off, undefined, packages.absent)).toEqual(on);
    expect(await finals(packages.absent, undefined, packages.off)).toEqual(off);
  });
});

describe('vtlnForModel', () => {
  it('follows an explicit option, else the package (absent = on)', () => {
    expect(vtlnForModel(undefined, packages.absent.metadata)).toEqual(DEFAULT_VTLN);
    expect(vtlnForModel(undefined, packages.on.metadata)).toEqual(DEFAULT_VTLN);
    expect(vtlnForModel(undefined, packages.off.metadata)).toBeNull();
    expect(vtlnForModel({ maxProbeSec: 3 }, packages.off.metadata)).toEqual({ ...DEFAULT_VTLN, maxProbeSec: 3 });
    expect(vtlnForModel(false, packages.on.metadata)).toBeNull();
  });
});
