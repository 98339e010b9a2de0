/** A word's pronunciations: each is a sequence of stressless ARPAbet phonemes. */
export type Pronunciation = readonly string[];

export interface LexiconEntry {
  word: string;
  pronunciations: Pronunciation[];
  /** Where the pronunciation came from. */
  source: 'cmudict' | 'g2p' | 'user';
}

/** Looks words up; implemented in src-main/lexicon. */
export interface PronunciationLookup {
  /** Pronunciations of a word (lower-cased, any spelling); never empty for a word with letters or digits. */
  pronounce(word: string): LexiconEntry;
  /** Words this lookup adds beyond a fixed vocabulary (the user's own); dictation adds them to its own. */
  readonly userWords?: readonly string[];
}
