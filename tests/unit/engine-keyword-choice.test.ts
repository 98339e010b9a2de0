/**
 * A package's own keyword threshold (metadata.decoding.keywords) decides the keyword spotters of the
 * offline and online recognizers, after a hot swap too; an explicit keyword option overrides it;
 * tools/stamp-keyword-threshold.ts picks it from a validation-slice keyword run only. Copies of the
 * shipped model, one as lenient as a model may be (-5 nats a phoneme), one as strict (0), on the
 * sample "open the browser": "seven" is not said, "browser" is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keywordChoicesProblem } from '../../src-shared/model/metadata.ts';
import { restampModelMetadata } from '../../src-main/model/write-model.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { OnlineRecognizer } from '../../src-main/engine/online-recognizer.ts';
import { keywordOptionsForModel } from '../../src-main/engine/recognition-decoders.ts';
import { decodeAudioFile } from '../../src-main/audio/index.ts';
import { chooseKeywordThreshold } from '../../tools/stamp-keyword-threshold.ts';

const SAMPLE = 'assets/samples/open-the-browser.wav';
const temps: string[] = [];
const packages = {} as Record<'shipped' | 'lenient' | 'strict', ModelPackage>;

async function copyWith(llrThreshold: number): Promise<ModelPackage> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-keyword-choice-'));
  temps.push(dir);
  await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
  const p = await loadModelPackage(dir);
  await restampModelMetadata(dir, { ...p.metadata, decoding: { ...p.metadata.decoding, keywords: { llrThreshold } } });
  return loadModelPackage(dir);
}

beforeAll(async () => {
  packages.shipped = await loadModelPackage(DEFAULT_MODEL_DIR);
  packages.lenient = await copyWith(-5);
  packages.strict = await copyWith(0);
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function offlineHits(model: ModelPackage, keyword: string, llrThreshold?: number): Promise<string[]> {
  const rec = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: ['open', 'the', 'browser'] }, keywords: [{ text: keyword }], ...(llrThreshold !== undefined ? { keyword: { llrThreshold } } : {}) });
  try {
    return ((await rec.recognizeFile(SAMPLE)).keywords ?? []).map((k) => k.keyword);
  } finally {
    await rec.dispose();
  }
}

async function onlineHits(model: ModelPackage, keyword: string, swapTo?: ModelPackage): Promise<string[]> {
  const pcm = (await decodeAudioFile(SAMPLE)).samples;
  const rec = await OnlineRecognizer.create({ model, mode: { kind: 'words', items: ['open', 'the', 'browser'] }, keywords: [{ text: keyword }] });
  try {
    if (swapTo) await rec.swapModel(swapTo);
    const events = [];
    for (let i = 0; i < pcm.length; i += 800) events.push(...await rec.acceptPcm(pcm.subarray(i, i + 800)));
    events.push(...await rec.finish());
    return events.flatMap((e) => (e.type === 'keyword' ? [e.keyword] : []));
  } finally {
    await rec.dispose();
  }
}

describe('metadata.decoding.keywords', () => {
  it('is checked when a package loads', async () => {
    expect(keywordChoicesProblem({})).toBeNull();
    expect(keywordChoicesProblem({ llrThreshold: -0.8 })).toBeNull();
    const dir = await mkdtemp(join(tmpdir(), 'hark-keyword-bad-'));
    temps.push(dir);
    await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
    const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    const bad = async (keywords: unknown): Promise<string> => {
      await writeFile(join(dir, 'model.json'), JSON.stringify({ ...m, decoding: { keywords } }));
      const e = await loadModelPackage(dir).then(() => null, (err: unknown) => err as Error);
      expect(e).toBeInstanceOf(ModelMismatchError);
      return e!.message;
    };
    expect(await bad({ llrThreshold: 0.2 })).toContain('decoding.keywords.llrThreshold must be a number in [-5, 0], got 0.2');
    expect(await bad({ llrThreshold: '-0.7' })).toContain('decoding.keywords.llrThreshold must be a number in [-5, 0], got "-0.7"');
    expect(await bad({ minCertainty: 0.5 })).toContain('decoding.keywords.minCertainty is not a keyword setting (llrThreshold)');
    expect(await bad(-0.7)).toContain('decoding.keywords must be an object, got -0.7');
  });

  it('fills in what the explicit options leave unset', () => {
    expect(keywordOptionsForModel(undefined, undefined)).toEqual({});
    expect(keywordOptionsForModel({ minCertainty: 0.4 }, { keywords: { llrThreshold: -0.8 } })).toEqual({ llrThreshold: -0.8, minCertainty: 0.4 });
    expect(keywordOptionsForModel({ llrThreshold: -0.6 }, { keywords: { llrThreshold: -0.8 } })).toEqual({ llrThreshold: -0.6 });
    expect(keywordOptionsForModel({ llrThreshold: undefined }, { keywords: { llrThreshold: -0.8 } })).toEqual({ llrThreshold: -0.8 });
  });

  it("decides the offline recognizer's keyword hits unless the threshold is given", async () => {
    expect(await offlineHits(packages.shipped, 'browser')).toEqual(['browser']);
    expect(await offlineHits(packages.shipped, 'seven')).toEqual([]);
    expect(await offlineHits(packages.lenient, 'seven')).toEqual(['seven']);
    expect(await offlineHits(packages.strict, 'browser')).toEqual([]);
    expect(await offlineHits(packages.lenient, 'seven', -0.7)).toEqual([]);
    expect(await offlineHits(packages.strict, 'browser', -0.7)).toEqual(['browser']);
  });

  it("decides the online recognizer's, and a hot swap to a package with another threshold takes it for the same list", async () => {
    // The lenient and strict copies, not the shipped package: whether the shipped threshold lets this one
    // synthesized "browser" through in streaming is a property of the model's margin (2026-12-07b's streamed
    // score 0.52 misses at -0.8, 2026-12-06f's 0.65 passed), measured by the keyword benchmarks, not here.
    expect(await onlineHits(packages.lenient, 'browser')).toEqual(['browser']);
    expect(await onlineHits(packages.strict, 'browser')).toEqual([]);
    expect(await onlineHits(packages.strict, 'browser', packages.lenient)).toEqual(['browser']);
    expect(await onlineHits(packages.lenient, 'browser', packages.strict)).toEqual([]);
  });
});

describe('tools/stamp-keyword-threshold.ts', () => {
  const meta = { name: 'hark-en', version: '2026-12-06d' };
  const run = (over: Record<string, unknown> = {}) => ({
    model: meta, split: 'val',
    harkCurve: { bestRecallWithinFaPerHour: { 1: null, 5: { llrThreshold: -0.8, recall: 70.8, faPerHour: 4.4 }, 20: { llrThreshold: -1, recall: 81.3, faPerHour: 13.3 } } },
    ...over,
  });
  it('takes the most lenient threshold within the false-alarm budget', () => {
    expect(chooseKeywordThreshold(run(), meta)).toBe(-0.8);
    expect(chooseKeywordThreshold(run(), meta, 20)).toBe(-1);
  });
  it('refuses a run of dev, of another model, or with nothing within the budget', () => {
    expect(() => chooseKeywordThreshold(run({ split: 'dev' }), meta)).toThrow(/on the dev split: a threshold is chosen on the validation slice/);
    expect(() => chooseKeywordThreshold(run(), { ...meta, version: '2026-12-06e' })).toThrow(/measured hark-en 2026-12-06d, the package is hark-en 2026-12-06e/);
    expect(() => chooseKeywordThreshold(run(), meta, 1)).toThrow(/no threshold within 1 false alarms an hour/);
  });
});
