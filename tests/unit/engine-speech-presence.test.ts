/**
 * File mode gives nothing for noise the live path ignores (speech-presence.ts): the energy VAD
 * over the whole recording, its floor seeded with the quietest frame, and a phoneme as best unit
 * on a voiced frame. Real synthesized speech, real noise generators, the shipped model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { DEFAULT_VAD } from '../../src-main/engine/energy-vad.ts';
import { FILE_VAD, voicedModelFrames } from '../../src-main/engine/speech-presence.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { decodeAudioBuffer } from '../../src-main/audio/index.ts';
import { makeNoise } from '../../src-main/train/data/augment/noise.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/config.ts';
import { voiceLike } from '../helpers/voice-like.ts';

const cfg = DEFAULT_FEATURE_CONFIG;
const frames = (pcm: Float32Array) => Math.floor(pcm.length / cfg.hopLength / cfg.subsample);
const count = (v: Uint8Array) => v.reduce((a, b) => a + b, 0);
const noise = (kind: 'white' | 'pink' | 'brown', seconds: number, amp: number, seed: number) => makeNoise(kind, seconds * 16000, createRng(seed)).map((x) => x * amp);

let model: ModelPackage;
let digits: Float32Array;
beforeAll(async () => {
  model = await loadModelPackage(DEFAULT_MODEL_DIR);
  digits = (await decodeAudioBuffer(new Uint8Array(await readFile('assets/samples/digits.wav')), 'digits.wav')).samples;
});

describe('voicedModelFrames', () => {
  it('hears no voice in stationary noise at any level', () => {
    for (const kind of ['white', 'pink', 'brown'] as const) {
      for (const amp of [0.01, 0.1, 0.5]) expect(count(voicedModelFrames(noise(kind, 3, amp, 7), cfg, frames(noise(kind, 3, amp, 7))))).toBe(0);
    }
  });

  it('hears speech, even when the recording starts in it (no pause first) and when it is quiet', () => {
    expect(count(voicedModelFrames(digits, cfg, frames(digits)))).toBeGreaterThan(20);
    // A voice-like sound with no leading pause at -26 dBFS: the live minimum level would miss it.
    const quiet = voiceLike(1, 220);
    expect(count(voicedModelFrames(quiet, cfg, frames(quiet)))).toBeGreaterThan(10);
    expect(count(voicedModelFrames(quiet, cfg, frames(quiet), DEFAULT_VAD))).toBe(0);
    expect(FILE_VAD.minC0).toBeLessThan(DEFAULT_VAD.minC0);
  });
});

describe('OfflineRecognizer on noise', () => {
  let recs: OfflineRecognizer[] = [];
  afterAll(async () => {
    for (const r of recs) await r.dispose();
    recs = [];
  });

  it('gives no words, no phrase and no keyword for noise, and still hears the speech in a noisy file', async () => {
    const dictation = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' }, keywords: [{ text: 'nine' }] });
    const phrases = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: ['next slide', 'open the browser', 'volume up', 'go back'] } });
    const words = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] } });
    recs = [dictation, phrases, words];
    for (const [i, kind] of (['white', 'pink', 'brown'] as const).entries()) {
      const pcm = noise(kind, 10, 0.05, 100 + i);
      const d = await dictation.recognizePcm(pcm);
      expect(d.text).toBe('');
      expect(d.words).toEqual([]);
      expect(d.keywords).toEqual([]);
      expect((await phrases.recognizePcm(pcm)).phrase).toBeNull();
      expect((await words.recognizePcm(pcm)).words).toEqual([]);
    }
    // The digits clip with quiet white noise added throughout: speech is still heard.
    const hiss = noise('white', Math.ceil(digits.length / 16000), 0.003, 9);
    const noisy = digits.map((x, i) => x + hiss[i]);
    expect((await words.recognizePcm(noisy)).words.map((w) => w.word)).toEqual(['four', 'one', 'five', 'two', 'nine']);
  }, 120_000);
});
