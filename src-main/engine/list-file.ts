/**
 * Word and phrase list files (--words, --phrases): UTF-8, one item per line, `#` starts a comment,
 * blank lines ignored. Items are normalized like everything the decoders see (normalizeText), so
 * "Next slide!" and "next slide" are the same item; duplicates after normalization are dropped.
 */
import { readFile } from 'node:fs/promises';
import { normalizeText } from '../lexicon/normalize-text.ts';

/** A list file that cannot be used; the message names the file (and line). */
export class ListFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ListFileError';
  }
}

/** Items of list-file text, normalized, in order of first appearance. `name` is used in errors. */
export function parseListText(text: string, name: string): string[] {
  const items: string[] = [];
  const seen = new Set<string>();
  text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).forEach((line, i) => {
    const content = line.replace(/#.*$/, '').trim();
    if (!content) return;
    const words = normalizeText(content);
    if (words.length === 0) throw new ListFileError(name, `line ${i + 1}: "${content}" has no words`);
    const item = words.join(' ');
    if (!seen.has(item)) {
      seen.add(item);
      items.push(item);
    }
  });
  if (items.length === 0) throw new ListFileError(name, 'the list is empty (one item per line; # starts a comment)');
  return items;
}

/** Reads and parses a list file; throws ListFileError when it is unreadable, not UTF-8 or empty. */
export async function readListFile(path: string): Promise<string[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ListFileError(path, code === 'ENOENT' ? 'list file not found' : `cannot read list file: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ListFileError(path, 'list file is not valid UTF-8');
  }
  return parseListText(text, path);
}
