import type { LexiconEntry, Pronunciation, PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';

/**
 * A fixed word -> pronunciations table (e.g. the dictation vocabulary's, precomputed), with a
 * fallback lookup for anything else, created only when first needed (it may load CMUdict and G2P).
 */
export class StaticLexicon implements PronunciationLookup {
  private fallback: PronunciationLookup | undefined;

  constructor(private readonly table: ReadonlyMap<string, Pronunciation[]>, private readonly makeFallback: () => PronunciationLookup) {}

  pronounce(word: string): LexiconEntry {
    const key = word.toLowerCase();
    const prons = this.table.get(key);
    if (prons) return { word: key, pronunciations: prons.map((p) => [...p]), source: 'cmudict' };
    this.fallback ??= this.makeFallback();
    return this.fallback.pronounce(word);
  }
}

/** Where the pronunciations of an LM's vocabulary ship: `<name>.arpa[.gz]` -> `<name>.lexicon.txt.gz`. */
export function vocabularyLexiconPath(lmPath: string): string {
  return lmPath.replace(/\.arpa(\.gz)?$/, '.lexicon.txt.gz');
}
