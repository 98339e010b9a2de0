// Stand-in sound recordings (synth-sounds.ts): framing (noise floor, lead and tail silence, peak
// level), reproducibility from the seed, variation between calls, and each kind's character
// measured on its loud part: whistle pitch 1..3 kHz, knock energy low, click a few ms, clap and
// snap energy in their bands.
import { describe, expect, it } from 'vitest';
import { fft, nextPow2 } from '../../src-main/train/data/augment/fft.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { SOUND_KINDS, synthesizeSound, type SoundKind } from '../../src-main/train/data/synth-sounds.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

const db = (x: number): number => 20 * Math.log10(x);
const rms = (x: Float32Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
const peakOf = (x: Float32Array): number => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** First and last sample at or above `frac` of the peak. */
function loudSpan(x: Float32Array, frac: number): [number, number] {
  const th = frac * peakOf(x);
  let first = -1;
  let last = -1;
  x.forEach((v, i) => { if (Math.abs(v) >= th) { if (first < 0) first = i; last = i; } });
  return [first, last];
}

/** Power spectrum of x: [frequency Hz, power] per bin up to Nyquist. */
function spectrum(x: Float32Array): { hz: number; p: number }[] {
  const n = nextPow2(x.length);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(x);
  fft(re, im);
  return Array.from({ length: n / 2 }, (_, k) => ({ hz: (k * SAMPLE_RATE) / n, p: re[k] * re[k] + im[k] * im[k] }));
}

const centroid = (s: { hz: number; p: number }[]): number => s.reduce((a, b) => a + b.hz * b.p, 0) / s.reduce((a, b) => a + b.p, 0);

/** The loud part of a clip (from 1% of the peak to the last sample at 1%), where the sound is. */
function event(x: Float32Array): Float32Array {
  const [a, b] = loudSpan(x, 0.01);
  return x.slice(a, b + 1);
}

describe('synthesizeSound', () => {
  it.each(SOUND_KINDS)('%s: noise floor, 0.3-0.8 s of it around the sound, peak -20..-3 dBFS', (kind) => {
    const rng = createRng(7);
    for (let i = 0; i < 6; i++) {
      const x = synthesizeSound(kind, rng);
      expect(x.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
      const [first, last] = loudSpan(x, 0.1);
      expect(first / SAMPLE_RATE).toBeGreaterThan(0.29);
      expect(first / SAMPLE_RATE).toBeLessThan(0.81);
      expect((x.length - last) / SAMPLE_RATE).toBeGreaterThan(0.29);
      const lead = x.subarray(0, Math.round(0.28 * SAMPLE_RATE));
      expect(db(rms(lead))).toBeLessThan(-48);
      expect(db(rms(lead))).toBeGreaterThan(-70);
      expect(db(peakOf(x))).toBeGreaterThan(-20.5);
      expect(db(peakOf(x))).toBeLessThan(-2.9);
    }
  });

  it('is reproducible from the seed and varies from call to call', () => {
    for (const kind of SOUND_KINDS) {
      expect(synthesizeSound(kind, createRng(3))).toEqual(synthesizeSound(kind, createRng(3)));
      const rng = createRng(4);
      const lengths = new Set(Array.from({ length: 5 }, () => synthesizeSound(kind, rng).length));
      expect(lengths.size).toBeGreaterThan(3);
    }
    expect(() => synthesizeSound('moo' as SoundKind, createRng(1))).toThrow(/unknown kind "moo"/);
  });

  it('whistle: a 0.3-1 s tone whose strongest frequency is 1-3 kHz', () => {
    const rng = createRng(11);
    for (let i = 0; i < 6; i++) {
      const x = synthesizeSound('whistle', rng);
      const [a, b] = loudSpan(x, 0.3);
      expect((b - a) / SAMPLE_RATE).toBeGreaterThan(0.25);
      expect((b - a) / SAMPLE_RATE).toBeLessThan(1.01);
      const s = spectrum(x.slice(a, b + 1));
      const top = s.reduce((m, v) => (v.p > m.p ? v : m));
      expect(top.hz).toBeGreaterThan(950);
      expect(top.hz).toBeLessThan(3150);
    }
  });

  it('click: the loud part lasts a few milliseconds', () => {
    const rng = createRng(12);
    for (let i = 0; i < 6; i++) {
      const [a, b] = loudSpan(synthesizeSound('click', rng), 0.1);
      expect((b - a) / SAMPLE_RATE).toBeLessThan(0.005);
    }
  });

  it('knock is low, clap mid-band, snap bright', () => {
    const rng = createRng(13);
    for (let i = 0; i < 6; i++) {
      expect(centroid(spectrum(event(synthesizeSound('knock', rng))))).toBeLessThan(900);
      const clap = centroid(spectrum(event(synthesizeSound('clap', rng))));
      expect(clap).toBeGreaterThan(500);
      expect(clap).toBeLessThan(4000);
      expect(centroid(spectrum(event(synthesizeSound('snap', rng))))).toBeGreaterThan(1200);
    }
  });
});
