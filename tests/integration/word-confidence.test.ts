/**
 * Word confidences mean something, and music gives no words (issue 14 item 12): the shipped model
 * carries a word confidence calibration (decoding.words) that the recognizers apply; dictation
 * leaves out the words it is almost sure are wrong; voiced stretches too sparse in phonemes to be
 * speech (music) are blanked in file mode. Real onnxruntime, the shipped model, real synthesized
 * speech and music.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORD_CONFIDENCE_FEATURES, type WordConfidenceChoices } from '../../src-shared/model/metadata.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { blankStretches, sparseVoicedStretches } from '../../src-main/engine/speech-presence.ts';
import { loadModelPackage, ModelMismatchError, type ModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { restampModelMetadata } from '../../src-main/model/write-model.ts';
import { makeMusic } from '../../src-main/train/data/augment/music.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { fitWordCalibration, type WordSample } from '../../src-main/train/word-confidence-calibration.ts';

const temps: string[] = [];
let shipped: ModelPackage;
let speech: Float32Array;

/** A copy of the shipped package whose metadata carries `words` as its calibration. */
async function withCalibration(words: WordConfidenceChoices | unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-words-'));
  temps.push(dir);
  await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelPackage['metadata'];
  await restampModelMetadata(dir, { ...m, decoding: { ...m.decoding, words: words as WordConfidenceChoices } });
  return dir;
}

beforeAll(async () => {
  shipped = await loadModelPackage(DEFAULT_MODEL_DIR);
  const pcm = await synthesize('please open the browser window', 'flite:slt', createRng(11));
  speech = new Float32Array(pcm.length + 16000);
  speech.set(pcm, 8000);
}, 120_000);
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function recognize(model: ModelPackage | string, pcm: Float32Array, opts: Partial<Parameters<typeof OfflineRecognizer.create>[0]> = {}) {
  const rec = await OfflineRecognizer.create({ ...(typeof model === 'string' ? { modelDir: model } : { model }), mode: { kind: 'dictation' }, ...opts });
  try {
    return await rec.recognizePcm(pcm);
  } finally {
    await rec.dispose();
  }
}

describe('word confidence calibration', () => {
  it('ships with the model, and its figures say the calibrated confidences are better than the n-best posterior', () => {
    const w = shipped.metadata.decoding?.words;
    expect(w?.features).toBe('v1');
    expect(w?.weights).toHaveLength(WORD_CONFIDENCE_FEATURES.length);
    const m = shipped.metadata.metrics as { wordCalibration?: { ece: number; rawEce: number; auc: number; rawAuc: number } };
    expect(m.wordCalibration!.ece).toBeLessThan(m.wordCalibration!.rawEce);
    expect(m.wordCalibration!.auc).toBeGreaterThan(m.wordCalibration!.rawAuc);
  });

  it('gives every dictated word a confidence in [0, 1] that the calibration decides', async () => {
    const r = await recognize(shipped, speech);
    expect(r.words.length).toBeGreaterThan(0);
    for (const w of r.words) expect(w.confidence).toBeGreaterThanOrEqual(0.1);
    for (const w of r.words) expect(w.confidence).toBeLessThanOrEqual(1);
    // A calibration that is sure of everything, and one sure of nothing: the same words, then none.
    const sure = await recognize(await withCalibration({ features: 'v1', bias: 20, weights: [0, 0, 0, 0, 0, 0] }), speech);
    expect(sure.text).toBe((await recognize(shipped, speech, { minWordConfidence: 0 })).text);
    expect(sure.words.every((w) => w.confidence === 1)).toBe(true);
    const doubting = await recognize(await withCalibration({ features: 'v1', bias: -20, weights: [0, 0, 0, 0, 0, 0] }), speech);
    expect(doubting.words).toEqual([]);
    expect(doubting.text).toBe('');
    // ...unless the floor is lowered: then every word is kept, with confidence 0.
    const kept = await recognize(await withCalibration({ features: 'v1', bias: -20, weights: [0, 0, 0, 0, 0, 0] }), speech, { minWordConfidence: 0 });
    expect(kept.words.length).toBeGreaterThan(0);
    expect(kept.words.every((w) => w.confidence === 0)).toBe(true);
  }, 120_000);

  it('word lists get calibrated confidences too, and keep every word they hear', async () => {
    const dir = await withCalibration({ features: 'v1', bias: -20, weights: [0, 0, 0, 0, 0, 0] });
    const r = await recognize(dir, speech, { mode: { kind: 'words', items: ['open', 'the', 'browser', 'window', 'please', 'close'] } });
    expect(r.words.length).toBeGreaterThan(0);
    expect(r.words.every((w) => w.confidence === 0)).toBe(true);
  }, 120_000);

  it('refuses a package whose calibration is malformed', async () => {
    const bad = async (words: unknown): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'hark-words-bad-'));
      temps.push(dir);
      await cp(DEFAULT_MODEL_DIR, dir, { recursive: true });
      const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, Record<string, unknown>>;
      await writeFile(join(dir, 'model.json'), JSON.stringify({ ...m, decoding: { ...m.decoding, words } }));
      const e = await loadModelPackage(dir).then(() => null, (err: unknown) => err as Error);
      expect(e).toBeInstanceOf(ModelMismatchError);
      return e!.message;
    };
    expect(await bad({ features: 'v2', bias: 0, weights: [0, 0, 0, 0, 0, 0] })).toContain('decoding.words.features must be "v1"');
    expect(await bad({ features: 'v1', bias: 0, weights: [0, 0] })).toContain('decoding.words.weights must be 6 finite numbers');
    expect(await bad({ features: 'v1', bias: 'x', weights: [0, 0, 0, 0, 0, 0] })).toContain('decoding.words.bias must be a finite number');
    expect(await bad({ features: 'v1', bias: 0, weights: [0, 0, 0, 0, 0, 0], floor: 1 })).toContain('decoding.words.floor is not a word confidence setting');
  }, 60_000);

  it('fits a calibration from labelled words, and refuses too few or one-sided samples', () => {
    const rng = createRng(5);
    const samples: WordSample[] = [];
    for (let i = 0; i < 400; i++) {
      const correct = rng.chance(0.5);
      const f = WORD_CONFIDENCE_FEATURES.map(() => rng.gauss());
      f[3] += correct ? 1.5 : -1.5; // the fit feature tells right from wrong
      samples.push({ features: f, raw: 1, correct, source: 'real' });
    }
    const c = fitWordCalibration(samples);
    expect(c.choices.features).toBe('v1');
    expect(c.choices.weights[3]).toBeGreaterThan(1);
    expect(c.calibrated.auc).toBeGreaterThan(0.8);
    expect(c.raw.auc).toBe(0.5);
    expect(c.calibrated.reliability.ece).toBeLessThan(c.raw.reliability.ece);
    expect(() => fitWordCalibration(samples.slice(0, 10))).toThrow(/at least 50/);
    expect(() => fitWordCalibration(samples.map((s) => ({ ...s, correct: true })))).toThrow(/both right and wrong/);
  });
});

describe('music', () => {
  it('a voiced stretch of 2 s or more with under one phoneme a second is blanked; speech-dense or short ones are kept', () => {
    const U = 4, T = 400, frameSec = 0.03;
    const lp = new Float32Array(T * U).fill(-10);
    for (let t = 0; t < T; t++) lp[t * U] = 0;
    const voiced = new Uint8Array(T);
    // 0-99: 3 s voiced, one phoneme; 150-199: 1.5 s voiced, one phoneme; 250-349: 3 s voiced, 30 phonemes.
    for (let t = 0; t < 100; t++) voiced[t] = 1;
    for (let t = 150; t < 200; t++) voiced[t] = 1;
    for (let t = 250; t < 350; t++) voiced[t] = 1;
    const spike = (t: number, u: number) => { lp[t * U] = -10; lp[t * U + u] = 0; };
    spike(50, 1);
    spike(170, 2);
    for (let k = 0; k < 30; k++) spike(252 + 3 * k, 1 + (k % 3));
    const s = sparseVoicedStretches(lp, T, U, voiced, frameSec);
    expect(s).toEqual([{ start: 0, end: 100 }]);
    const b = blankStretches(lp, U, s);
    expect(b[50 * U]).toBe(0);
    expect(b[50 * U + 1]).toBeLessThan(-100);
    expect(b[170 * U + 2]).toBe(0);
    expect(lp[50 * U + 1]).toBe(0);
  });

  it('gives no word, no command and no keyword on 20 synthesized music pieces, and still hears speech over it', async () => {
    // With 2026-12-05e (the music gate only) these 20 pieces of 8 s (seeds no benchmark, calibration
    // or training uses) fired a command twice and this test bounded it; 2026-12-05f was trained on
    // synthesized music with no words (`hark adapt --music-negatives 600`, other seeds) and hears
    // none of them (bench/word-confidence.bench.ts: 0 of 30 synthesized and 0 of 153 recorded
    // ten-second pieces give a word; bench/phrase-noise.bench.ts: 0 of 60 fire a command).
    const rng = createRng(4040);
    const dictation = await OfflineRecognizer.create({ model: shipped, mode: { kind: 'dictation' }, keywords: [{ text: 'open the browser' }, { text: 'hello computer' }] });
    const phrases = await OfflineRecognizer.create({ model: shipped, mode: { kind: 'phrases', items: ['open the browser', 'next slide', 'volume up', 'stop'] } });
    try {
      const keywordHits: string[] = [];
      let withWords = 0, fired = 0;
      for (let i = 0; i < 20; i++) {
        const gain = rng.uniform(0.2, 1.2);
        const music = makeMusic(8 * 16000, rng).map((v) => v * gain);
        const d = await dictation.recognizePcm(music);
        const p = await phrases.recognizePcm(music);
        if (d.words.length) withWords++;
        if (p.phrase) fired++;
        if (d.keywords?.length) keywordHits.push(`piece ${i}: ${JSON.stringify(d.keywords)}`);
      }
      expect(keywordHits).toEqual([]);
      expect({ fired, withWords }).toEqual({ fired: 0, withWords: 0 });
      // Speech with quiet music under it is still speech.
      const bed = makeMusic(speech.length, createRng(9)).map((v) => v * 0.05);
      const mixed = speech.map((v, i) => v + bed[i]);
      expect((await dictation.recognizePcm(mixed)).words.length).toBeGreaterThan(0);
    } finally {
      await dictation.dispose();
      await phrases.dispose();
    }
  }, 180_000);
});
