/**
 * The rule baseline the learned tagger is measured against (bench/punctuation.bench.ts): one
 * utterance is one sentence; its first word and "i" (with its contractions) are capitalized; no
 * commas; a question mark when the utterance starts with a question word or an auxiliary verb,
 * otherwise a period at its end.
 */
import type { WordMark } from './word-marks.ts';

/** Sentence openers that make a question ("what is it", "do you know"). */
const QUESTION_OPENERS = new Set([
  'who', 'whom', 'whose', 'what', 'when', 'where', 'why', 'how', 'which',
  'is', 'are', 'am', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'will', 'would',
  'shall', 'should', 'may', 'might', 'have', 'has', 'had', "isn't", "aren't", "don't", "doesn't",
  "didn't", "can't", "won't", "wouldn't", "couldn't", "shouldn't",
]);

/** "i", "i'm", "i'll", "i've", "i'd". */
const PRONOUN_I = /^i('[a-z]+)?$/;

/** Rule marks for one utterance's words (lower-case recognizer words). */
export function ruleMarks(words: readonly string[]): WordMark[] {
  const question = words.length > 1 && QUESTION_OPENERS.has(words[0].toLowerCase());
  return words.map((w, i): WordMark => ({
    case: i === 0 || PRONOUN_I.test(w.toLowerCase()) ? 'capitalized' : 'lower',
    punct: i === words.length - 1 ? (question ? '?' : '.') : '',
  }));
}
