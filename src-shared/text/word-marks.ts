/**
 * Case and punctuation of recognized words: what the punctuation/case tagger predicts for each
 * word (src-main/engine/punctuation-tagger.ts) and what the rule baseline (./rule-punctuation.ts)
 * guesses. A mark says how the word is written and which punctuation follows it; applying marks
 * never changes which words there are, so word times stay the recognizer's.
 */

/** How a word is written: as spoken (lower), with a capital first letter, or in capitals. */
export const CASE_LABELS = ['lower', 'capitalized', 'upper'] as const;
export type WordCase = (typeof CASE_LABELS)[number];

/** Punctuation after a word ('' = none). The order is the tagger's output order. */
export const PUNCT_LABELS = ['', '.', ',', '?', '!'] as const;
export type WordPunct = (typeof PUNCT_LABELS)[number];

/** One word's case and the punctuation written after it. */
export interface WordMark {
  case: WordCase;
  punct: WordPunct;
}

/** The mark that leaves a word as spoken. */
export const PLAIN_MARK: WordMark = { case: 'lower', punct: '' };

/**
 * `text` in case `c`: 'lower' leaves it as it is (a written number or "p.m." stays), 'capitalized'
 * upper-cases its first letter ("i'm" -> "I'm"), 'upper' all of it.
 */
export function applyWordCase(text: string, c: WordCase): string {
  if (c === 'upper') return text.toUpperCase();
  if (c === 'capitalized') return text.replace(/\p{L}/u, (ch) => ch.toUpperCase());
  return text;
}

/** Words written with their marks, joined by spaces: "how are you" + marks -> "How are you?". */
export function markedText(words: readonly string[], marks: readonly WordMark[]): string {
  if (marks.length !== words.length) throw new Error(`${marks.length} marks for ${words.length} words`);
  return words.map((w, i) => applyWordCase(w, marks[i].case) + marks[i].punct).join(' ');
}
