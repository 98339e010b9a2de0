/**
 * A .hlm file carries the dictation search weights chosen for its LM (compact-lm-file.ts, header
 * `search`), and dictation (buildDecoders) searches with them unless told otherwise. The case: two
 * words, "ma" (M AA, unigram 0.9) and "pa" (P AA, 0.1), and posteriors where P is clearly heard:
 * with a small LM weight the acoustics win ("pa"), with the file's weight of 5 the LM wins ("ma").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCompactLm, encodeCompactLm, type LmSearchWeights } from '../../src-main/decode/compact-lm-file.ts';
import { compactTablesFromArpa } from '../../src-main/decode/compact-ngram-builder.ts';
import { loadDictation } from '../../src-main/decode/dictation-lm.ts';
import { buildDecoders } from '../../src-main/engine/recognition-decoders.ts';
import { packPronunciations } from '../../src-main/lexicon/packed-lexicon.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';

const ARPA = `\\data\\
ngram 1=5

\\1-grams:
-1.0\t<s>
-0.5\t</s>
-3.0\t<unk>
${Math.log10(0.9).toFixed(6)}\tma
${Math.log10(0.1).toFixed(6)}\tpa

\\end\\
`;

const dir = mkdtempSync(join(tmpdir(), 'hark-lm-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lmFile(name: string, search?: LmSearchWeights): string {
  const tables = compactTablesFromArpa(ARPA);
  const pronunciations = packPronunciations(tables.vocab, new Map([['ma', [['M', 'AA']]], ['pa', [['P', 'AA']]]]));
  const path = join(dir, name);
  writeFileSync(path, encodeCompactLm({ tables, pronunciations, source: { test: 'hand-made' }, search }));
  return path;
}

/** Blank, then P (log 0.9) against M (log 0.05), then AA, then blank: 5 frames over UNITS. */
function posteriors(): { lp: Float32Array; T: number; U: number } {
  const U = UNITS.length;
  const T = 5;
  const lp = new Float32Array(T * U).fill(-20);
  const at = (t: number, unit: string, v: number) => { lp[t * U + UNITS.indexOf(unit)] = v; };
  at(0, '<b>', 0);
  at(1, 'P', Math.log(0.9));
  at(1, 'M', Math.log(0.05));
  at(2, 'AA', 0);
  at(3, '<b>', 0);
  at(4, '<b>', 0);
  return { lp, T, U };
}

const heard = (lmPath: string, beam?: { lmWeight: number; wordBonus: number }) => {
  const d = buildDecoders({ mode: { kind: 'dictation' }, lmPath, ...(beam ? { beam } : {}) }, 0.03);
  const { lp, T, U } = posteriors();
  return d.decode(lp, T, U).words.map((w) => w.word).join(' ');
};

describe('dictation search weights stored with an LM', () => {
  it('round-trip through the file, and a file without them has none', () => {
    const withWeights = lmFile('with.hlm', { lmWeight: 5, wordBonus: 0.5, chosenOn: 'a test' });
    expect(loadDictation(withWeights).search).toEqual({ lmWeight: 5, wordBonus: 0.5, chosenOn: 'a test' });
    expect(loadDictation(lmFile('without.hlm')).search).toBeUndefined();
  });

  it('are what dictation searches with, unless the caller sets its own', () => {
    const plain = lmFile('plain.hlm');
    const weighted = lmFile('weighted.hlm', { lmWeight: 5, wordBonus: 0 });
    expect(heard(plain)).toBe('pa');
    expect(heard(weighted)).toBe('ma');
    expect(heard(weighted, { lmWeight: 0.3, wordBonus: 0 })).toBe('pa');
    expect(heard(plain, { lmWeight: 5, wordBonus: 0 })).toBe('ma');
  });

  it('refuses a header whose weights are damaged', () => {
    const tables = compactTablesFromArpa(ARPA);
    const bad = encodeCompactLm({ tables, source: {}, search: { lmWeight: -1, wordBonus: 0 } });
    expect(() => decodeCompactLm(bad, 'bad.hlm')).toThrow(/^bad\.hlm: damaged header \(search weights\)/);
    const nan = encodeCompactLm({ tables, source: {}, search: { lmWeight: 0.4, wordBonus: Number.NaN } });
    expect(() => decodeCompactLm(nan, 'nan.hlm')).toThrow(/^nan\.hlm: damaged header \(search weights\)/);
  });
});
