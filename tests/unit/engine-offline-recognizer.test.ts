// The offline recognizer on a tiny random-weight model: real audio through the real front-end,
// onnxruntime and each decoder. Random weights say nothing about accuracy; these tests check the
// result's shape and invariants, the file and PCM paths agreeing, and the edge cases (T = 0, silence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/config.ts';
import { modelFramesForSamples } from '../../src-shared/features/framing.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { OfflineRecognizer, type Recognition } from '../../src-main/engine/offline-recognizer.ts';
import { loadDictationLM } from '../../src-main/decode/dictation-lm.ts';
import { DEFAULT_LM_PATH } from '../../src-main/model/package-paths.ts';
import { ModelMismatchError } from '../../src-main/model/model-package.ts';
import { frameTimeOffsetSec, placeWordTimes } from '../../src-main/engine/word-times.ts';
import { randomWeights } from '../helpers/random-weights.ts';
import { engineMetadata, ENGINE_TEST_SPEC, writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { readWithSox, requireTool, run, tempDir } from './audio-test-tools.ts';

const tmp = tempDir();
let modelDir: string;
let clip: string;
let clipSamples: Float32Array;
const ITEMS = ['open', 'the file', 'close', 'next slide'];

beforeAll(async () => {
  modelDir = (await writeRandomModelPackage(3)).dir;
  requireTool('espeak-ng');
  requireTool('sox');
  const raw = join(tmp.dir, 'raw.wav');
  clip = join(tmp.dir, 'clip.wav');
  run('espeak-ng', ['-w', raw, 'open the file and close it']);
  // -D: no dither, so the clip (and the random model's words) are the same on every run.
  run('sox', ['-D', raw, '-r', '16000', '-b', '16', clip, 'pad', '0.5', '0.3']);
  clipSamples = readWithSox(clip);
});
afterAll(async () => {
  await rm(modelDir, { recursive: true, force: true });
  tmp.cleanup();
});

/** Invariants every recognition satisfies. */
function checkShape(r: Recognition, durationSec: number, vocabulary?: string[]): void {
  expect(r.durationSec).toBeCloseTo(durationSec, 3);
  expect(r.text).toBe(r.words.map((w) => w.word).join(' '));
  let prevStart = 0;
  for (const w of r.words) {
    if (vocabulary) expect(vocabulary).toContain(w.word);
    expect(w.start).toBeGreaterThanOrEqual(prevStart);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    expect(w.end).toBeLessThanOrEqual(durationSec);
    expect(w.confidence).toBeGreaterThanOrEqual(0);
    expect(w.confidence).toBeLessThanOrEqual(1);
    prevStart = w.start;
  }
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  for (const v of Object.values(r.timings)) expect(v).toBeGreaterThanOrEqual(0);
  expect(r.processingSec).toBeGreaterThan(0);
}

describe('OfflineRecognizer, words mode', () => {
  let rec: OfflineRecognizer;
  beforeAll(async () => { rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'words', items: ITEMS }, threads: 1 }); });
  afterAll(async () => { await rec.dispose(); });

  it('transcribes a file into listed words with times inside the audio', async () => {
    const r = await rec.recognizeFile(clip);
    checkShape(r, clipSamples.length / 16000, ITEMS);
    // Premise: this seed's random model does emit words, so the invariants above were exercised.
    expect(r.words.length).toBeGreaterThan(0);
    expect('phrase' in r).toBe(false);
    expect(r.timings.decodeAudioMs).toBeGreaterThan(0);
  });

  it('gives the same result from PCM as from the file', async () => {
    const f = await rec.recognizeFile(clip);
    const p = await rec.recognizePcm(clipSamples);
    expect(p.text).toBe(f.text);
    expect(p.words).toEqual(f.words);
    expect(p.timings.decodeAudioMs).toBe(0);
  });

  it('handles a clip too short for one model frame (T = 0) and a silent clip', async () => {
    const short = new Float32Array(480);
    expect(modelFramesForSamples(short.length, DEFAULT_FEATURE_CONFIG)).toBe(0);
    const r0 = await rec.recognizePcm(short);
    expect(r0).toMatchObject({ text: '', words: [], durationSec: 0.03 });
    const silent = await rec.recognizePcm(new Float32Array(16000));
    checkShape(silent, 1, ITEMS);
    const empty = await rec.recognizePcm(new Float32Array(0));
    expect(empty).toMatchObject({ text: '', words: [], durationSec: 0 });
  });
});

describe('OfflineRecognizer, phrases and dictation modes', () => {
  it('phrases: returns one listed phrase or null, with a confidence', async () => {
    const rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'phrases', items: ITEMS }, phrase: { threshold: 0 } });
    const r = await rec.recognizeFile(clip);
    checkShape(r, clipSamples.length / 16000);
    expect(r.phrase === null || ITEMS.includes(r.phrase!)).toBe(true);
    // threshold 0 accepts the best phrase whenever one aligns; its words are the phrase's words.
    expect(r.phrase).not.toBeNull();
    expect(r.text).toBe(r.phrase);
    const strict = await OfflineRecognizer.create({ model: rec.model, mode: { kind: 'phrases', items: ITEMS }, phrase: { threshold: 1 } });
    const s = await strict.recognizePcm(new Float32Array(480));
    expect(s).toMatchObject({ phrase: null, text: '', words: [] });
    await rec.dispose();
    await strict.dispose();
  });

  it('dictation: words from the language model with times inside the audio', async () => {
    // A generous word bonus makes the random model's phoneme noise come out as words.
    const rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'dictation' }, beam: { wordBonus: 10, lmWeight: 0.3 } });
    const vocab = new Set(loadDictationLM(DEFAULT_LM_PATH).vocab);
    const r = await rec.recognizeFile(clip);
    checkShape(r, clipSamples.length / 16000, [...vocab]);
    expect(r.words.length).toBeGreaterThan(0);
    await rec.dispose();
  });

  it('refuses a model whose features expect another sample rate, and an empty word list', async () => {
    const dir = join(tmp.dir, 'rate-8k');
    const meta = engineMetadata();
    meta.features.sampleRate = 8000;
    await exportOnnxModel(randomWeights(ENGINE_TEST_SPEC, 1), meta, dir);
    const e = await OfflineRecognizer.create({ modelDir: dir, mode: { kind: 'words', items: ['a'] } }).catch((x: Error) => x);
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect((e as Error).message).toBe(`model ${join(dir, 'model.json')}: features.sampleRate is 8000, the audio front-end delivers 16000 Hz`);
    await expect(OfflineRecognizer.create({ modelDir, mode: { kind: 'words', items: [] } })).rejects.toThrow('words mode needs at least one word or phrase');
  });
});

describe('word times', () => {
  it('moves decoder frame times onto the audio: + (frame centre of model frame 0) - frameSec / 2', () => {
    // Model frame 0 stacks analysis frames 0..2, centred on analysis frame 1: (160 + 512 / 2) / 16000 = 26 ms.
    expect(frameTimeOffsetSec(DEFAULT_FEATURE_CONFIG)).toBeCloseTo(0.026 - 0.015, 12);
    const placed = placeWordTimes([{ word: 'a', start: 0.3, end: 0.6, confidence: 0.5 }, { word: 'b', start: 1.2, end: 1.5, confidence: 1 }], DEFAULT_FEATURE_CONFIG, 1.5);
    expect(placed).toEqual([{ word: 'a', start: 0.311, end: 0.611, confidence: 0.5 }, { word: 'b', start: 1.211, end: 1.5, confidence: 1 }]);
  });
});
