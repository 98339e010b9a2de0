// RealPowerSpectrum against a naive O(N^2) DFT.
import { describe, expect, it } from 'vitest';
import { RealPowerSpectrum } from '../../src-shared/features/real-fft.ts';
import { rng } from './features-test-audio.ts';

describe('RealPowerSpectrum', () => {
  it('equals |DFT|^2 of the first N / 2 bins for sizes 4 to 1024', () => {
    const r = rng(1);
    for (let size = 4; size <= 1024; size *= 2) {
      const x = Float64Array.from({ length: size }, () => r() - 0.5);
      const out = new Float64Array(size / 2);
      new RealPowerSpectrum(size).power(x, out);
      for (let k = 0; k < size / 2; k++) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < size; n++) {
          re += x[n] * Math.cos((2 * Math.PI * k * n) / size);
          im -= x[n] * Math.sin((2 * Math.PI * k * n) / size);
        }
        expect(Math.abs(out[k] - (re * re + im * im))).toBeLessThan(1e-9 * size);
      }
    }
  });

  it('puts a bin-centred sine in its bin and rejects non-power-of-two sizes', () => {
    const size = 64;
    const x = Float64Array.from({ length: size }, (_, n) => Math.cos((2 * Math.PI * 5 * n) / size));
    const out = new Float64Array(size / 2);
    new RealPowerSpectrum(size).power(x, out);
    expect(out[5]).toBeCloseTo((size / 2) ** 2, 6);
    expect(out.reduce((s, v, k) => (k === 5 ? s : s + v), 0)).toBeLessThan(1e-12);
    expect(() => new RealPowerSpectrum(48)).toThrow(/power of two/);
  });
});
