import { splitSoundTokens } from '../../src-shared/units/sound-units.ts';
import { numberTokenWords } from './number-words.ts';

/**
 * Normalizes free text into the word tokens the lexicon and language model use:
 * lower case, numbers spelled out (see numberTokenWords), "%" -> percent, "&" -> and,
 * punctuation removed, apostrophes kept only inside words ("don't", "o'clock"), hyphens and
 * slashes split words, letters and digits glued together split apart ("mp3" -> mp three).
 * Every returned word matches /^[a-z]+('[a-z]+)*$/.
 */
export function normalizeText(s: string): string[] {
  if (typeof s !== 'string') throw new Error('normalizeText: input must be a string');
  const text = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/%/g, ' percent ')
    .replace(/&/g, ' and ')
    .replace(/(^|[^0-9])-([0-9])/g, '$1 minus $2');
  const out: string[] = [];
  // Number tokens keep their internal commas and decimal points; everything else splits on non-word characters.
  for (const raw of text.match(/[0-9][0-9,.]*[0-9](?:st|nd|rd|th)?|[0-9](?:st|nd|rd|th)?|[a-z']+/g) ?? []) {
    if (/^[0-9]/.test(raw)) {
      out.push(...numberWordsLoose(raw));
      continue;
    }
    const word = raw.replace(/^'+|'+$/g, '').replace(/'{2,}/g, "'");
    if (word) out.push(word);
  }
  return out;
}

/**
 * Normalizes a list item (a word, phrase or keyword to listen for): sound tokens `<sound:NAME>`
 * (src-shared/units/sound-units.ts) stay whole, lower-cased, as words of their own; the text
 * around them goes through normalizeText. Without sound tokens it equals normalizeText. Throws on
 * a sound token with an invalid name.
 */
export function normalizePhrase(s: string): string[] {
  if (typeof s !== 'string') throw new Error('normalizePhrase: input must be a string');
  return splitSoundTokens(s).flatMap((part) => ('sound' in part ? [part.sound] : normalizeText(part.text)));
}

/** Number words for a token; tokens that are not a clean number are read group by group ("1.2.3"). */
function numberWordsLoose(token: string): string[] {
  const words = numberTokenWords(token);
  if (words) return words;
  const out: string[] = [];
  for (const part of token.split(/[,.]/)) {
    if (part) out.push(...(numberTokenWords(part) ?? []));
  }
  return out;
}
