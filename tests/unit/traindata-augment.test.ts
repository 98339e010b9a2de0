import { describe, expect, it } from 'vitest';
import * as A from '../../src-main/train/data/augment/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { makeMusic } from '../../src-main/train/data/augment/music.ts';
import { zeroCrossingHz } from './traindata-helpers.ts';

const RATE = 16000;

function power(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s / x.length;
}

function db(r: number): number {
  return 10 * Math.log10(r);
}

/** Speech-like test signal: a 120 Hz harmonic source (30 harmonics, formant-ish 1/h roll-off) with a syllable-rate envelope. */
function voiced(sec: number, f0 = 120): Float32Array {
  const x = new Float32Array(Math.round(sec * RATE));
  for (let h = 1; h * f0 < 7800; h++) {
    const amp = 1 / h;
    for (let i = 0; i < x.length; i++) x[i] += amp * Math.sin((2 * Math.PI * f0 * h * i) / RATE + h);
  }
  for (let i = 0; i < x.length; i++) x[i] *= 0.1 * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / RATE));
  return x;
}

/** Energy of x between lo and hi Hz by a naive DFT over a 4096-sample segment (independent of the FFT module). */
function bandEnergy(x: Float32Array, lo: number, hi: number, start = 4000, n = 2048): number {
  let e = 0;
  for (let k = Math.ceil((lo * n) / RATE); k <= Math.floor((hi * n) / RATE) && k <= n / 2; k++) {
    let re = 0, im = 0;
    for (let t = 0; t < n; t++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / n);
      const a = (2 * Math.PI * k * t) / n;
      re += w * x[start + t] * Math.cos(a);
      im -= w * x[start + t] * Math.sin(a);
    }
    e += re * re + im * im;
  }
  return e;
}

/** Burst of tone between 0.5 and 1.0 s inside 1.5 s of silence; returns the centre time of its energy, in seconds. */
function energyCentre(x: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) { num += i * x[i] * x[i]; den += x[i] * x[i]; }
  return num / den / RATE;
}

describe('speed perturbation and spectral warp', () => {
  it('speed perturbation changes duration by the factor', () => {
    const x = voiced(2);
    for (const f of [0.85, 1.15]) expect(A.speedPerturb(x, f).length / x.length).toBeCloseTo(1 / f, 3);
  });

  it('spectral warp keeps duration (within 3%) and event timing while scaling frequency', () => {
    const x = new Float32Array(24000);
    for (let i = 8000; i < 16000; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 500 * i) / RATE);
    for (const alpha of [0.86, 1.16]) {
      const y = A.spectralWarp(x, alpha);
      expect(Math.abs(y.length / x.length - 1)).toBeLessThan(0.03);
      expect(Math.abs(energyCentre(y) - energyCentre(x))).toBeLessThan(0.03 * 1.5);
      expect(zeroCrossingHz(y.subarray(9000, 15000)) / 500).toBeCloseTo(alpha, 2);
    }
  });
});

describe('additive noise', () => {
  it('mixes every noise kind at the requested SNR within 0.5 dB', () => {
    const x = voiced(1.5);
    const rng = createRng(3);
    const pool = [voiced(1, 150), voiced(0.7, 210)];
    for (const kind of A.NOISE_KINDS) {
      for (const snr of [0, 12, 30]) {
        const y = A.mixAtSnr(x, A.makeNoise(kind, x.length, rng, pool), snr);
        const noise = y.map((v, i) => v - x[i]);
        expect(Math.abs(db(power(x) / power(noise)) - snr)).toBeLessThan(0.5);
      }
    }
  });

  it('pink and brown noise tilt toward low frequencies, white is flat', () => {
    const rng = createRng(4);
    const slope = (x: Float32Array) => db(bandEnergy(x, 200, 400) / bandEnergy(x, 3200, 6400) * (3200 / 200));
    expect(Math.abs(slope(A.makeNoise('white', 8192, rng)))).toBeLessThan(4);
    expect(slope(A.makeNoise('pink', 8192, rng))).toBeGreaterThan(8); // 1/f: 12 dB over 4 octaves
    expect(slope(A.makeNoise('brown', 8192, rng))).toBeGreaterThan(20); // 1/f²: 24 dB
  });
});

describe('reverberation', () => {
  /**
   * Independent Schroeder integration, two-point: the times where the energy decay curve crosses
   * L and L - 20 dB, T20 x 3, with L = -5 dB or lower when the direct sound alone drops the curve
   * further (then L is the curve's level 5 ms in, i.e. the start of the late decay).
   */
  function schroederRt60(h: Float32Array): number {
    const edc: number[] = [];
    let acc = 0;
    for (let i = h.length - 1; i >= 0; i--) { acc += h[i] * h[i]; edc[i] = acc; }
    const level = (i: number) => db(edc[i] / acc);
    const start = Math.min(-5, level(Math.round(0.005 * RATE)));
    const crossing = (l: number) => edc.findIndex((_e, i) => level(i) <= l);
    return (3 * (crossing(start - 20) - crossing(start))) / RATE;
  }

  it('impulse responses have the requested RT60 within 20%', () => {
    const rng = createRng(5);
    for (const rt60 of [0.1, 0.3, 0.6, 0.9]) {
      for (const drr of [-12, 0, 3]) {
        const h = A.roomImpulse({ rt60, reverbToDirectDb: drr }, rng);
        expect(Math.abs(schroederRt60(h) / rt60 - 1)).toBeLessThan(0.2);
        expect(Math.abs(A.measureRt60(h) / rt60 - 1)).toBeLessThan(0.2);
      }
    }
  });

  it('reverberation smears energy past the end of a burst', () => {
    const x = new Float32Array(16000);
    for (let i = 4000; i < 6000; i++) x[i] = Math.sin(i * 0.3);
    const y = A.reverberate(x, A.roomImpulse({ rt60: 0.6, reverbToDirectDb: 0 }, createRng(6)));
    expect(y.length).toBe(x.length);
    expect(power(y.subarray(6500, 8000))).toBeGreaterThan(1e-4);
  });
});

describe('channel effects', () => {
  it('telephone band removes energy above 4 kHz and below 200 Hz by more than 40 dB', () => {
    const x = A.makeNoise('white', 12000, createRng(7));
    const y = A.telephoneBand(x);
    const pass = bandEnergy(y, 500, 3000) / (3000 - 500);
    expect(db(pass / (bandEnergy(x, 500, 3000) / 2500))).toBeGreaterThan(-1);
    expect(db(pass / (bandEnergy(y, 4000, 8000) / 4000))).toBeGreaterThan(40);
    expect(db(pass / (bandEnergy(y, 20, 190) / 170))).toBeGreaterThan(40);
  });

  it('low-pass removes energy above 1.1 x cutoff', () => {
    const x = A.makeNoise('white', 12000, createRng(8));
    const y = A.lowPass(x, 4000);
    expect(db(bandEnergy(y, 500, 3000) / 2500 / (bandEnergy(y, 4500, 8000) / 3500))).toBeGreaterThan(40);
  });

  it('G.711 companding keeps ~35 dB SNR over a 30 dB range of levels', () => {
    for (const law of ['mu', 'a'] as const) {
      for (const level of [0.02, 0.1, 0.5]) {
        const x = voiced(0.5).map((v) => (v * level) / 0.1);
        const q = A.g711Quantize(x, law);
        const snr = db(power(x) / power(q.map((v, i) => v - x[i])));
        expect(snr).toBeGreaterThan(30);
        expect(snr).toBeLessThan(42);
      }
    }
  });

  it('G.711 round trip through 8 kHz is ~35 dB SNR on a band-limited signal', () => {
    const x = A.telephoneBand(voiced(1));
    const y = A.g711RoundTrip(x, 'mu');
    expect(y.length).toBe(x.length);
    const snr = db(power(x.subarray(400, -400)) / power(y.subarray(400, -400).map((v, i) => v - x[i + 400])));
    expect(snr).toBeGreaterThan(28);
    expect(snr).toBeLessThan(42);
  });

  it('lossy codec reconstructs perfectly at high band SNR and degrades as band SNR drops', () => {
    const x = voiced(1);
    const snrOf = (bandSnrDb: number) => {
      const y = A.lossyCodec(x, { cutoffHz: 8000, bandSnrDb });
      return db(power(x) / power(y.map((v, i) => v - x[i])));
    };
    expect(snrOf(90)).toBeGreaterThan(60);
    const mid = snrOf(20), low = snrOf(6);
    expect(mid).toBeGreaterThan(low + 6);
    expect(low).toBeGreaterThan(0);
  });

  it('MP3 round trip keeps length and roughly the waveform', async () => {
    const x = voiced(1);
    const y = await A.mp3RoundTrip(x, 32);
    expect(y.length).toBe(x.length);
    expect(db(power(x) / power(y.map((v, i) => v - x[i])))).toBeGreaterThan(5);
  }, 20000);
});

describe('augment', () => {
  it('is deterministic per seed, finite and within [-1, 1]', () => {
    const x = voiced(1.2);
    const pool = [voiced(1, 200)];
    const seen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const a = A.augmentDetailed(x, createRng(seed), { noisePool: pool });
      const b = A.augment(x, createRng(seed), { noisePool: pool });
      expect(a.pcm.every((v, i) => v === b[i]) && a.pcm.length === b.length).toBe(true);
      expect(a.pcm.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
      a.applied.forEach((e) => seen.add(e.split(' ')[0]));
    }
    for (const effect of ['speed', 'warp', 'pad', 'reverb', 'noise', 'peak']) expect(seen.has(effect)).toBe(true);
  });

  it('applies exactly the effects whose probability is 1', () => {
    const zero = { speed: 0, warp: 0, pad: 0, reverb: 0, noise: 0, telephone: 0, g711: 0, lowPass: 0, codec: 0, gain: 0, dc: 0 };
    const x = voiced(0.5);
    const none = A.augmentDetailed(x, createRng(1), { prob: zero });
    expect(none.applied).toEqual([]);
    expect(Array.from(none.pcm)).toEqual(Array.from(x));
    const loud = A.augmentDetailed(x, createRng(1), { prob: { ...zero, gain: 1 }, peakDb: [6, 6] });
    expect(loud.applied).toEqual(['peak 6.0dBFS']);
    expect(Math.max(...loud.pcm.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(() => A.augment(x, createRng(1), { prob: { ...zero, noise: 2 } })).toThrow(/prob.noise/);
  });
});

describe('specAugment', () => {
  it('masks whole frames and the same coefficients in every stacked group, deterministically', () => {
    const frames = 100, dim = 12;
    const f = new Float32Array(frames * dim).fill(1);
    const opts = { timeMasks: 2, maxTimeWidth: 10, freqMasks: 1, maxFreqWidth: 3, groups: 3 };
    const y = A.specAugment(f, frames, dim, createRng(2), opts);
    expect(Array.from(y)).toEqual(Array.from(A.specAugment(f, frames, dim, createRng(2), opts)));
    let maskedFrames = 0;
    const maskedCols = new Set<number>();
    for (let t = 0; t < frames; t++) {
      const row = y.subarray(t * dim, (t + 1) * dim);
      if (row.every((v) => v === 0)) { maskedFrames++; continue; }
      row.forEach((v, c) => { if (v === 0) maskedCols.add(c); });
    }
    expect(maskedFrames).toBeLessThanOrEqual(20);
    for (const c of maskedCols) {
      expect(maskedCols.has(c % 4)).toBe(true);
      expect(maskedCols.has((c % 4) + 4)).toBe(true);
      expect(maskedCols.has((c % 4) + 8)).toBe(true);
    }
    expect(() => A.specAugment(f, frames, 13, createRng(1))).toThrow(/features length/);
  });
});

describe('synthesized music', () => {
  it('is the length asked for, peaks at 0.5, is the same for the same seed and differs between seeds', () => {
    const a = makeMusic(16000 * 3, createRng(1));
    expect(a.length).toBe(48000);
    let peak = 0;
    for (const v of a) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeCloseTo(0.5, 5);
    expect(makeMusic(16000 * 3, createRng(1))).toEqual(a);
    expect(makeMusic(16000 * 3, createRng(2))).not.toEqual(a);
    const rms = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(rms).toBeGreaterThan(0.02);
  });
});
