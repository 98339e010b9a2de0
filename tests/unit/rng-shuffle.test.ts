/** Rng.shuffle: an in-place, seeded permutation, the one the epoch planner, the tagger and real replay share. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src-main/train/data/rng.ts';

describe('Rng.shuffle', () => {
  it('permutes the array in place, the same for the same seed', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const out = createRng(3).shuffle(xs);
    expect(out).toBe(xs);
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(createRng(3).shuffle(Array.from({ length: 50 }, (_, i) => i))).toEqual(xs);
    expect(createRng(4).shuffle(Array.from({ length: 50 }, (_, i) => i))).not.toEqual(xs);
  });

  it('draws int(0, i) from the end, one per position, as the epoch planner always has', () => {
    const a = createRng(9), b = createRng(9);
    const xs = ['a', 'b', 'c', 'd', 'e'];
    const ys = [...xs];
    for (let i = ys.length - 1; i > 0; i--) { const j = b.int(0, i); [ys[i], ys[j]] = [ys[j], ys[i]]; }
    expect(a.shuffle(xs)).toEqual(ys);
    expect(a.next()).toBe(b.next());
    expect(createRng(1).shuffle([])).toEqual([]);
  });
});
