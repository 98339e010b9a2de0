/**
 * A package's calibrated phrase settings (metadata.decoding.phrase) decide the phrase decoders of
 * the offline and online recognizers and of the app's decoder cache, after a hot swap too; an
 * explicit phrase option overrides them. Random-weight packages sharing their weights: one whose
 * threshold accepts anything (0), one whose threshold accepts nothing it is unsure of (1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecodingChoices } from '../../src-shared/model/metadata.ts';
import { exportOnnxModel, readOnnxMetadata, restampModelMetadata } from '../../src-main/model/write-model.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../../src-main/model/model-package.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { OnlineRecognizer } from '../../src-main/engine/online-recognizer.ts';
import { DecoderCache } from '../../src-main/engine/decoder-cache.ts';
import { phraseOptionsForModel } from '../../src-main/engine/recognition-decoders.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { voiceLike } from '../helpers/voice-like.ts';

const temps: string[] = [];
const packages = {} as Record<'absent' | 'open' | 'shut', ModelPackage>;
let baseDir = '';

beforeAll(async () => {
  const base = await writeRandomModelPackage(3);
  baseDir = base.dir;
  temps.push(base.dir);
  packages.absent = await loadModelPackage(base.dir);
  for (const [k, decoding] of [['open', { phrase: { threshold: 0 } }], ['shut', { phrase: { threshold: 1, minCertainty: 1 } }]] as ['open' | 'shut', DecodingChoices][]) {
    const dir = await mkdtemp(join(tmpdir(), `hark-phrase-${k}-`));
    temps.push(dir);
    await exportOnnxModel(base.weights, { ...base.metadata, decoding }, dir);
    packages[k] = await loadModelPackage(dir);
  }
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const ITEMS = ['open the file', 'close'];
const clip = voiceLike(1, 220);

async function offlinePhrase(model: ModelPackage, threshold?: number): Promise<string | null | undefined> {
  const rec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: ITEMS }, vtln: false, ...(threshold !== undefined ? { phrase: { threshold } } : {}) });
  try {
    return (await rec.recognizePcm(clip)).phrase;
  } finally {
    await rec.dispose();
  }
}

describe('metadata.decoding.phrase', () => {
  it('is checked when a package loads', async () => {
    const bad = async (phrase: unknown): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'hark-phrase-bad-'));
      temps.push(dir);
      await cp(baseDir, dir, { recursive: true });
      const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, 'model.json'), JSON.stringify({ ...m, decoding: { phrase } }));
      const e = await loadModelPackage(dir).then(() => null, (err: unknown) => err as Error);
      expect(e).toBeInstanceOf(ModelMismatchError);
      return e!.message;
    };
    expect(await bad({ threshold: 1.5 })).toContain('decoding.phrase.threshold must be a number in [0, 1], got 1.5');
    expect(await bad({ temperature: 0 })).toContain('decoding.phrase.temperature must be a number above 0, got 0');
    expect(await bad({ minCertainty: '0.3' })).toContain('decoding.phrase.minCertainty must be a number in (0, 1], got "0.3"');
    expect(await bad({ beam: 3 })).toContain('decoding.phrase.beam is not a phrase setting');
    expect(await bad([0.5])).toContain('decoding.phrase must be an object, got [0.5]');
  });

  it('fills in what the explicit options leave unset', () => {
    expect(phraseOptionsForModel(undefined, undefined)).toEqual({});
    expect(phraseOptionsForModel({ threshold: 0.2 }, { phrase: { threshold: 0.5, temperature: 4 } })).toEqual({ threshold: 0.2, temperature: 4 });
    expect(phraseOptionsForModel({ threshold: undefined }, { phrase: { threshold: 0.5 } })).toEqual({ threshold: 0.5 });
  });

  it("decides the offline recognizer's phrase decisions unless the threshold is given", async () => {
    expect(await offlinePhrase(packages.open)).not.toBeNull();
    expect(await offlinePhrase(packages.shut)).toBeNull();
    // An explicit threshold wins (the gate of the shut package still applies: minCertainty 1).
    expect(await offlinePhrase(packages.shut, 0)).not.toBeNull();
    expect(await offlinePhrase(packages.open, 1)).toBeNull();
  });

  it("decides the online recognizer's phrase finals, and a hot swap to a package calibrated otherwise takes its settings", async () => {
    const pcm = new Float32Array(16000 * 2.5);
    pcm.set(clip, 8000);
    async function finalPhrases(model: ModelPackage, swapTo?: ModelPackage): Promise<(string | null | undefined)[]> {
      const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items: ITEMS }, keywordWarps: [1], vtln: false });
      try {
        if (swapTo) await rec.swapModel(swapTo);
        const events = [];
        for (let i = 0; i < pcm.length; i += 1600) events.push(...await rec.acceptPcm(pcm.subarray(i, i + 1600)));
        events.push(...await rec.finish());
        return events.flatMap((e) => (e.type === 'final' ? [e.phrase] : []));
      } finally {
        await rec.dispose();
      }
    }
    const open = await finalPhrases(packages.open);
    expect(open.length).toBeGreaterThan(0);
    expect(open.some((p) => p)).toBe(true);
    expect((await finalPhrases(packages.shut)).every((p) => p === null)).toBe(true);
    expect((await finalPhrases(packages.shut, packages.open)).some((p) => p)).toBe(true);
    expect((await finalPhrases(packages.open, packages.shut)).every((p) => p === null)).toBe(true);
  });

  it("decides the app's decoder cache", () => {
    const lp = new Float32Array(50 * 40).fill(Math.log(1 / 40));
    const decode = (d?: DecodingChoices) => new DecoderCache(0.03, 8, [], undefined, d).get({ kind: 'phrases', items: ITEMS }).decode(lp, 50, 40);
    expect(decode({ phrase: { threshold: 0, minCertainty: 0.01 } }).phrase).not.toBeNull();
    expect(decode({ phrase: { threshold: 1 } }).phrase).toBeNull();
  });

  it('is written into a package without touching its graphs (restampModelMetadata)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-phrase-restamp-'));
    temps.push(dir);
    await cp(baseDir, dir, { recursive: true });
    const before = await loadModelPackage(dir);
    const metadata = { ...before.metadata, decoding: { phrase: { threshold: 0.3, temperature: 2, minCertainty: 0.5 } } };
    await restampModelMetadata(dir, metadata);
    const after = await loadModelPackage(dir);
    expect(after.metadata).toEqual(metadata);
    expect(readOnnxMetadata(new Uint8Array(await readFile(join(dir, 'model.stream.onnx'))))).toEqual(metadata);
    // Same posteriors: the graph is the same.
    const a = await OfflineRecognizer.create({ model: before, mode: { kind: 'words', items: ITEMS }, vtln: false });
    const b = await OfflineRecognizer.create({ model: after, mode: { kind: 'words', items: ITEMS }, vtln: false });
    try {
      expect((await b.recognizePcm(clip)).text).toBe((await a.recognizePcm(clip)).text);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
