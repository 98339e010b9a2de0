import { dictionary } from 'cmu-pronouncing-dictionary';
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
  for (const [key, value] of Object.entries(dictionary)) {
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
