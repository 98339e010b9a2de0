import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stripStress } from '../../src-shared/units/phonemes.ts';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';

let cached: Map<string, Pronunciation[]> | null = null;

/**
 * CMUdict (npm cmu-pronouncing-dictionary, ~135k entries) as word -> pronunciations, stress removed.
 * Alternates ("read(2)") are merged into their base word in dictionary order, duplicates after
 * stress removal dropped. Keys are lower case as in CMUdict. Built once and shared (read-only).
 */
export function cmudict(): ReadonlyMap<string, Pronunciation[]> {
  if (cached) return cached;
  const map = new Map<string, Pronunciation[]>();
  for (const [key, value] of Object.entries(readDictionary())) {
    const word = key.replace(/\([0-9]+\)$/, '');
    // Some entries carry a trailing comment: "AO1 L B AO0 R G # place, danish".
    const pron = value.replace(/#.*$/, '').trim().split(/\s+/).map(stripStress);
    const list = map.get(word);
    if (!list) map.set(word, [pron]);
    else if (!list.some((p) => p.join(' ') === pron.join(' '))) list.push(pron);
  }
  cached = map;
  return map;
}

/**
 * The package's word -> "AH0 B ..." object, read when first needed. The package is one 4.7 MB
 * ES module (`export const dictionary = {...}`); importing it compiles it as JavaScript, about a
 * second at every start of every mode, so its object literal is read as the JSON it is instead.
 */
function readDictionary(): Record<string, string> {
  const path = createRequire(import.meta.url).resolve('cmu-pronouncing-dictionary');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('= {'), end = text.lastIndexOf('}');
  try {
    if (start < 0 || end < start) throw new Error('no "export const dictionary = {...}"');
    const d = JSON.parse(text.slice(start + 2, end + 1)) as unknown;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('not an object');
    return d as Record<string, string>;
  } catch (e) {
    throw new Error(`CMUdict (${path}) is not in the form this Hark reads: ${(e as Error).message}`);
  }
}
