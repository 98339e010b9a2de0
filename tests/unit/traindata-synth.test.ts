import { describe, expect, it } from 'vitest';
import { synthesize, synthCommand, listVoices, parseVoiceId, TRAIN_VOICES, HELDOUT_VOICES } from '../../src-main/train/data/synth/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

// Real synthesizer processes: this fails (with the tool's name) when espeak-ng, flite, festival or sox is missing.
describe('synthesize', () => {
  const text = 'open the browser and scroll down';
  for (const voice of ['espeak:en-us+m3', 'espeak:en-gb-x-rp+f2', 'flite:kal16', 'flite:awb', 'festival:kal_diphone', 'festival:cmu_us_slt_arctic_hts', ...HELDOUT_VOICES]) {
    it(`${voice} speaks a short text at 16 kHz`, async () => {
      const pcm = await synthesize(text, voice, createRng(1));
      const sec = pcm.length / 16000;
      // Six words at 130..210 words per minute (or ±25% stretch): roughly 1..4 s.
      expect(sec).toBeGreaterThan(0.9);
      expect(sec).toBeLessThan(4.5);
      expect(rms(pcm)).toBeGreaterThan(0.01);
      for (const v of pcm) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }, 20000);
  }

  it('is deterministic per seed: same prosody, same samples', async () => {
    const [a, b] = await Promise.all([synthesize('next slide', 'espeak:en-us+f1', createRng(9)), synthesize('next slide', 'espeak:en-us+f1', createRng(9))]);
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = synthCommand('next slide', 'flite:rms', '/tmp/x.wav', createRng(9));
    expect(synthCommand('next slide', 'flite:rms', '/tmp/x.wav', createRng(9))).toEqual(c);
    expect(synthCommand('next slide', 'flite:rms', '/tmp/x.wav', createRng(10))).not.toEqual(c);
  });

  it('rejects unknown voices and non-spoken-form text', async () => {
    expect(() => parseVoiceId('espeak:en-xx+m1')).toThrow(/espeak:en-xx\+m1/);
    expect(() => parseVoiceId('sam:default')).toThrow(/unknown voice id "sam:default"/);
    await expect(synthesize('Hello 42', 'flite:kal', createRng(1))).rejects.toThrow(/Hello 42/);
  });
});

describe('voices', () => {
  it('splits train and held-out voices with no overlap in voice, espeak accent or variant', () => {
    const all = new Set(listVoices().map((v) => v.id));
    for (const v of [...TRAIN_VOICES, ...HELDOUT_VOICES]) expect(all.has(v)).toBe(true);
    const train = new Set(TRAIN_VOICES);
    for (const h of HELDOUT_VOICES) expect(train.has(h)).toBe(false);
    const held = HELDOUT_VOICES.map(parseVoiceId).filter((v) => v.family === 'espeak');
    for (const t of TRAIN_VOICES.map(parseVoiceId).filter((v) => v.family === 'espeak')) {
      for (const h of held) {
        expect(t.voice).not.toBe(h.voice);
        expect(t.variant).not.toBe(h.variant);
      }
    }
    const families = new Set(TRAIN_VOICES.map((v) => parseVoiceId(v).family));
    expect([...families].sort()).toEqual(['espeak', 'festival', 'flite', 'gnuspeech', 'mbrola', 'pico']);
    expect(listVoices().filter((v) => train.has(v.id) && v.gender === 'female').length).toBeGreaterThan(20);
  });
});
