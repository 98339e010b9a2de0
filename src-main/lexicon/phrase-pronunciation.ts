/**
 * Pronunciations of list items (phrases, keywords, word-loop items) as the decoders need them:
 * a normalized item's words (normalizePhrase) each pronounced, combined in order, and resolved to
 * unit ids of one model. A sound word `<sound:NAME>` is pronounced as that single unit; it
 * resolves to the model's sound unit, or MissingSoundUnitError ("this model has no sound
 * <sound:clap>; retrain with recordings of it") when the model has none of that name.
 */
import type { Pronunciation, PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { isSoundUnit, unitIdIn } from '../../src-shared/units/sound-units.ts';

/** Pronunciations of one word of a normalized item: [[word]] for a sound unit, else the lookup's. */
export function pronounceItemWord(word: string, lookup: PronunciationLookup): Pronunciation[] {
  return isSoundUnit(word) ? [[word]] : lookup.pronounce(word).pronunciations;
}

/** One pronunciation of a whole item: its symbols and how many belong to each word, in order. */
export interface ItemVariant {
  symbols: string[];
  wordLengths: number[];
}

/**
 * Combinations of the words' pronunciations, word by word; after each word only the first
 * `maxVariants` combinations are kept (so the first pronunciation of every word comes first).
 */
export function itemVariants(words: readonly string[], lookup: PronunciationLookup, maxVariants: number): ItemVariant[] {
  let variants: ItemVariant[] = [{ symbols: [], wordLengths: [] }];
  for (const w of words) {
    const prons = pronounceItemWord(w, lookup);
    variants = variants.flatMap((v) => prons.map((p) => ({
      symbols: [...v.symbols, ...p], wordLengths: [...v.wordLengths, p.length],
    }))).slice(0, maxVariants);
  }
  return variants;
}

/** An item variant as unit ids of one model. */
export interface ItemUnitVariant {
  units: number[];
  wordLengths: number[];
}

/**
 * itemVariants resolved against the model's units list (unitIdIn), duplicates by unit sequence
 * removed (in order of first appearance; the last variant with a given sequence is kept).
 * Throws MissingSoundUnitError for a sound the model lacks.
 */
export function itemUnitVariants(words: readonly string[], lookup: PronunciationLookup, units: readonly string[], maxVariants: number): ItemUnitVariant[] {
  const resolved = itemVariants(words, lookup, maxVariants).map((v) => ({ units: v.symbols.map((s) => unitIdIn(units, s)), wordLengths: v.wordLengths }));
  return [...new Map(resolved.map((v) => [v.units.join(','), v])).values()];
}
