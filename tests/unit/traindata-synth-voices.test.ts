import { describe, expect, it } from 'vitest';
import { synthesize, synthCommand, listVoices, parseVoiceId, voiceGender, TRAIN_VOICES, HELDOUT_VOICES } from '../../src-main/train/data/synth/index.ts';
import { checkNeeds } from '../../src-main/train/data/synth/synthesize.ts';
import { espeakVariantFile } from '../../src-main/train/data/synth/variation.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { TRAIN_FAMILY_WEIGHTS, TRAIN_FAMILY_WEIGHTS_V2 } from '../../src-main/train/recipe.ts';

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

// Real synthesizers: a missing one fails with its name (espeak-ng, flite, text2wave, sox; Pico's language
// files name libttspico-data; the WASM packages name themselves). Nothing here is skipped.
describe('synthesize: new voices and per-utterance variation', () => {
  const text = 'open the browser and scroll down';
  const words = text.split(' ').length;
  const voices = ['pico:en-US', 'pico:en-GB', 'gnuspeech:male', 'gnuspeech:female', 'gnuspeech:large_child', 'espeak:en-us+m3', 'espeak:en-029+klatt2', 'espeak:en-gb+Annie', 'flite:kal16', 'flite:rms', 'festival:kal_diphone',
    'mbrola:us1', 'mbrola:us2', 'mbrola:us3', 'mbrola:en1'];

  for (const voice of voices) {
    it(`${voice} (wide variation) speaks at 16 kHz, 0.2..0.6 s a word, not silent`, async () => {
      for (const seed of [1, 2, 3]) {
        const pcm = await synthesize(text, voice, createRng(seed), { variation: 'wide' });
        const sec = pcm.length / 16000;
        expect(sec).toBeGreaterThan(0.2 * words);
        expect(sec).toBeLessThan(0.6 * words);
        expect(rms(pcm)).toBeGreaterThan(0.01);
        for (const v of pcm) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      }
    }, 60000);
  }

  for (const voice of ['pico:en-US', 'gnuspeech:female', 'espeak:en-gb-x-rp+m2', 'flite:awb', 'festival:kal_diphone', 'mbrola:us2']) {
    it(`${voice}: the same seed gives the same audio, another seed other audio`, async () => {
      const [a, b, c] = await Promise.all([1, 2, 1].map((seed) => synthesize(text, voice, createRng(seed), { variation: 'wide' })));
      expect(same(a, c)).toBe(true);
      expect(same(a, b)).toBe(false);
    }, 60000);
  }

  it('the classic style keeps the shipped draws (training data and held-out benchmarks reproduce)', () => {
    const r = createRng(5);
    const [s, p, g] = [r.int(130, 210), r.int(25, 75), r.int(0, 3)];
    expect(synthCommand('next slide', 'espeak:en-us+m3', '/tmp/x.wav', createRng(5))).toEqual({
      cmd: 'espeak-ng', args: ['-v', 'en-us+m3', '-s', String(s), '-p', String(p), '-g', String(g), '-w', '/tmp/x.wav', '--', 'next slide'],
    });
    const r2 = createRng(5);
    const f0 = r2.int(80, 140);
    const stretch = r2.uniform(0.8, 1.25).toFixed(3);
    expect(synthCommand('next slide', 'flite:rms', '/tmp/x.wav', createRng(5), { variation: 'classic' })).toEqual({
      cmd: 'flite', args: ['-voice', 'rms', '--setf', `duration_stretch=${stretch}`, '--setf', `int_f0_target_mean=${f0}`, '-t', 'next slide', '-o', '/tmp/x.wav'],
    });
    const st = createRng(5).uniform(0.8, 1.25).toFixed(3);
    expect(synthCommand('next slide', 'festival:kal_diphone', '/tmp/x.wav', createRng(5))).toEqual({
      cmd: 'text2wave', args: ['-eval', `(begin (voice_kal_diphone) (Parameter.set 'Duration_Stretch ${st}))`, '-o', '/tmp/x.wav'], stdin: 'next slide',
    });
  });

  it('wide settings: flite and festival F0 by gender, pico rate and pitch in natural bounds', () => {
    for (let seed = 0; seed < 50; seed++) {
      const fl = synthCommand('go', 'flite:kal', '/tmp/x.wav', createRng(seed), { variation: 'wide' });
      if (!('cmd' in fl)) throw new Error('flite is a command');
      const mean = Number(/int_f0_target_mean=(\d+)/.exec(fl.args.join(' '))![1]);
      const sd = Number(/int_f0_target_stddev=(\d+)/.exec(fl.args.join(' '))![1]);
      expect(mean).toBeGreaterThanOrEqual(85);
      expect(mean).toBeLessThanOrEqual(145);
      expect(sd / mean).toBeLessThan(0.25);
      const fe = synthCommand('go', 'festival:kal_diphone', '/tmp/x.wav', createRng(seed), { variation: 'wide' });
      if (!('cmd' in fe)) throw new Error('festival is a command');
      expect(fe.args[1]).toMatch(/Duration_Stretch (0\.[89]|1\.[0-2])\d*\).*target_f0_mean (8[5-9]|9\d|1[0-4]\d)\)/);
      const pi = synthCommand('go', 'pico:en-GB', '/tmp/x.wav', createRng(seed));
      if (!('wasm' in pi) || pi.wasm !== 'pico') throw new Error('pico is wasm');
      const [, speed, pitch] = /speed level="(\d+)"><pitch level="(\d+)">go</.exec(pi.markup)!.map(Number);
      expect(speed).toBeGreaterThanOrEqual(80);
      expect(speed).toBeLessThanOrEqual(125);
      expect(pitch).toBeGreaterThanOrEqual(85);
      expect(pitch).toBeLessThanOrEqual(118);
    }
  });

  it('espeak variant files scale the variant\'s own formants and pitch level within ±12 %, its span ×0.6..1.5', () => {
    const base = 'language variant\nname female2\ngender female\npitch 142 220\nformant 1 110 80 160\nformant 2 110 70 150\n';
    for (let seed = 0; seed < 30; seed++) {
      const file = espeakVariantFile(base, 'female', createRng(seed));
      expect(file.startsWith(base.trim().split('\n')[0])).toBe(true);
      const lines = file.split('\n');
      const last = (kw: string) => lines.filter((l) => l.startsWith(kw)).at(-1)!.split(/\s+/).slice(1).map(Number);
      const f1 = last('formant 1');
      expect(f1[1] / 110).toBeGreaterThan(0.87);
      expect(f1[1] / 110).toBeLessThan(1.14);
      const [pb, top] = last('pitch');
      expect(pb / 142).toBeGreaterThan(0.87);
      expect(pb / 142).toBeLessThan(1.13);
      expect((top - pb) / (220 - 142)).toBeGreaterThan(0.58);
      expect((top - pb) / (220 - 142)).toBeLessThan(1.52);
      expect(last('voicing')[0]).toBeGreaterThanOrEqual(85);
      expect(last('roughness')[0]).toBeLessThanOrEqual(4);
    }
  });

  it('MBROLA voices: espeak-ng\'s mb- voice with drawn rate, pitch and gaps, and the files they need named with their packages', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = synthCommand('next slide', 'mbrola:en1', '/tmp/x.wav', createRng(seed), { variation: 'wide' });
      if (!('cmd' in p)) throw new Error('mbrola is a command');
      expect(p.cmd).toBe('espeak-ng');
      expect(p.args.slice(0, 2)).toEqual(['-v', 'mb-en1']);
      const [s, pitch] = [Number(p.args[3]), Number(p.args[5])];
      expect(s).toBeGreaterThanOrEqual(125);
      expect(s).toBeLessThanOrEqual(195);
      expect(pitch).toBeGreaterThanOrEqual(30);
      expect(pitch).toBeLessThanOrEqual(70);
      expect(p.args.slice(-3)).toEqual(['/tmp/x.wav', '--', 'next slide']);
      expect(p.needs).toEqual([{ path: '/usr/bin/mbrola', package: 'mbrola' }, { path: '/usr/share/mbrola/en1/en1', package: 'mbrola-en1' }]);
    }
    expect(() => checkNeeds('mbrola:us3', [{ path: '/nonexistent/us3/us3', package: 'mbrola-us3' }])).toThrow(/mbrola:us3 needs \/nonexistent\/us3\/us3: install Debian's mbrola-us3/);
    expect(() => checkNeeds('mbrola:us3', [{ path: '/usr/share/mbrola/us3/us3', package: 'mbrola-us3' }])).not.toThrow();
  });

  it('a missing Pico language file fails naming the package that has it', async () => {
    const prior = process.env.HARK_PICO_LANG_DIR;
    process.env.HARK_PICO_LANG_DIR = '/nonexistent-pico-lang';
    try {
      await expect(synthesize('hello', 'pico:en-US', createRng(1))).rejects.toThrow(/libttspico-data/);
    } finally {
      if (prior === undefined) delete process.env.HARK_PICO_LANG_DIR;
      else process.env.HARK_PICO_LANG_DIR = prior;
    }
  });
});

describe('voices and family weights', () => {
  it('lists the Pico and GnuSpeech voices for training and keeps the held-out voices as they were', () => {
    expect(HELDOUT_VOICES).toEqual(['flite:slt', 'festival:ked_diphone', 'festival:cmu_us_slt_arctic_hts', 'espeak:en-gb-scotland+f3']);
    const ids = listVoices().map((v) => v.id);
    for (const v of ['pico:en-US', 'pico:en-GB', 'gnuspeech:male', 'gnuspeech:female', 'gnuspeech:large_child']) {
      expect(ids).toContain(v);
      expect(TRAIN_VOICES).toContain(v);
    }
    expect(voiceGender('pico:en-GB')).toBe('female');
    expect(voiceGender('gnuspeech:male')).toBe('male');
    expect(() => parseVoiceId('pico:de-DE')).toThrow(/unknown pico voice "pico:de-DE"/);
    expect(() => parseVoiceId('gnuspeech:baby')).toThrow(/gnuspeech/);
    for (const v of ['mbrola:us1', 'mbrola:us2', 'mbrola:us3', 'mbrola:en1']) expect(TRAIN_VOICES).toContain(v);
    expect(voiceGender('mbrola:us1')).toBe('female');
    expect(voiceGender('mbrola:us3')).toBe('male');
    expect(() => parseVoiceId('mbrola:fr1')).toThrow(/unknown mbrola voice "mbrola:fr1"/);
  });

  it('TRAIN_FAMILY_WEIGHTS_V2 covers every family that has training voices but MBROLA (its own corpus: hark adapt --mbrola-clips) and sums to 1; V1 is unchanged', () => {
    expect(TRAIN_FAMILY_WEIGHTS).toEqual({ espeak: 0.6, flite: 0.3, festival: 0.1 });
    // V2 draws the wide corpora of runs that resume exactly: a family added to it would change their clips.
    const families = new Set(TRAIN_VOICES.map((v) => parseVoiceId(v).family).filter((f) => f !== 'mbrola'));
    expect(Object.keys(TRAIN_FAMILY_WEIGHTS_V2).sort()).toEqual([...families].sort());
    expect(Object.values(TRAIN_FAMILY_WEIGHTS_V2).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
