import { describe, expect, it } from 'vitest';
import { compareErrors, SHIP_MIN_GAIN, SHIP_MIN_SHARE } from '../../tools/compare-validation.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

/** 300 clips of 10-30 phonemes; the base model errs on about `basePer` of them, the candidate on each clip's errors less `fewer` of the time. */
function clips(basePer: number, fewerChance: number, seed: number) {
  const rng = createRng(seed);
  const phonemes: number[] = [], base: number[] = [], candidate: number[] = [];
  for (let i = 0; i < 300; i++) {
    const n = rng.int(10, 30);
    let e = 0;
    for (let k = 0; k < n; k++) if (rng.chance(basePer)) e++;
    phonemes.push(n);
    base.push(e);
    // The candidate: the same errors, one fewer or one more on some clips.
    candidate.push(Math.max(0, e + (rng.chance(fewerChance) ? -1 : rng.chance(0.2) ? 1 : 0)));
  }
  return { phonemes, base, candidate };
}

describe('the shipping rule on the validation slice (tools/compare-validation.ts)', () => {
  it('computes each PER from the summed errors and is deterministic for a seed', () => {
    const c = compareErrors({ base: [2, 3, 5], candidate: [1, 3, 4], phonemes: [10, 10, 20] }, 2000, 3);
    expect(c.basePer).toBeCloseTo(10 / 40, 12);
    expect(c.candidatePer).toBeCloseTo(8 / 40, 12);
    expect(c.phonemes).toBe(40);
    expect(compareErrors({ base: [2, 3, 5], candidate: [1, 3, 4], phonemes: [10, 10, 20] }, 2000, 3)).toEqual(c);
    expect(c.gainInterval[0]).toBeLessThanOrEqual(c.gainInterval[1]);
  });

  it('a model equal to the base does not ship; one clearly better does', () => {
    const same = clips(0.3, 0, 1);
    const eq = compareErrors({ ...same, candidate: same.base }, 2000);
    expect(eq.shareBetter).toBe(0);
    expect(eq.ships).toBe(false);
    expect(eq.reason).toMatch(/under the 0.50 points/);
    const better = compareErrors(clips(0.3, 0.6, 2), 2000);
    expect(better.basePer - better.candidatePer).toBeGreaterThan(SHIP_MIN_GAIN);
    expect(better.shareBetter).toBeGreaterThanOrEqual(SHIP_MIN_SHARE);
    expect(better.ships).toBe(true);
    expect(better.gainInterval[0]).toBeGreaterThan(0);
  });

  it('a gain of half a point or more carried by two clips is not enough: it does not ship', () => {
    // 298 clips of 20 phonemes where the candidate errs more or less at random, and two long clips
    // (100 phonemes) where it makes 15 errors fewer each: 0.9 points fewer in all (with the noise). A
    // resample without either long clip (about 1 in 7) is a coin toss, so the share stays under 97.5%.
    const rng = createRng(5);
    const phonemes = [100, 100, ...Array.from({ length: 298 }, () => 20)];
    const base = [50, 50, ...Array.from({ length: 298 }, () => 6)];
    const candidate = [35, 35, ...Array.from({ length: 298 }, () => 6 + rng.int(-2, 2))];
    const c = compareErrors({ phonemes, base, candidate }, 4000);
    expect(c.basePer - c.candidatePer).toBeGreaterThanOrEqual(SHIP_MIN_GAIN);
    expect(c.shareBetter).toBeLessThan(SHIP_MIN_SHARE);
    expect(c.ships).toBe(false);
  });

  it('a clear gain that comes with a loss on the less-heard speakers\' clips does not ship', () => {
    const better = clips(0.3, 0.6, 2);
    const marks = better.phonemes.map((_, i) => i % 3 === 0);
    expect(compareErrors(better, 2000, 1, marks).ships).toBe(true);
    // The same candidate, but on the marked clips no better than the base and one error worse on every sixth clip.
    const worse = { ...better, candidate: better.candidate.map((e, i) => (marks[i] ? better.base[i] + (i % 6 === 0 ? 1 : 0) : e)) };
    const c = compareErrors(worse, 2000, 1, marks);
    expect(c.basePer - c.candidatePer).toBeGreaterThan(SHIP_MIN_GAIN);
    expect(c.shareBetter).toBeGreaterThanOrEqual(SHIP_MIN_SHARE);
    expect(c.lessHeard!.clips).toBe(100);
    expect(c.lessHeard!.candidatePer).toBeGreaterThan(c.lessHeard!.basePer);
    expect(c.ships).toBe(false);
    expect(c.reason).toMatch(/worse on the less-heard speakers' 100 clips/);
    // Without marks there is no guard, and no breakdown.
    expect(compareErrors(worse, 2000, 1).lessHeard).toBeNull();
    expect(compareErrors(worse, 2000, 1).ships).toBe(true);
  });

  it('refuses mismatched input', () => {
    expect(() => compareErrors({ base: [1], candidate: [1], phonemes: [3] }, 10, 1, [true, false])).toThrow(/less-heard marks/);
    expect(() => compareErrors({ base: [1], candidate: [1, 2], phonemes: [3] })).toThrow(/clips/);
    expect(() => compareErrors({ base: [], candidate: [], phonemes: [] })).toThrow(/clips/);
    expect(() => compareErrors({ base: [1], candidate: [1], phonemes: [3] }, 0)).toThrow(/resamples/);
  });
});
