/**
 * Word, phrase and keyword list files (--words, --phrases, --keywords): UTF-8, one item per line,
 * `#` starts a comment, blank lines ignored. Items are normalized like everything the decoders see
 * (normalizePhrase), so "Next slide!" and "next slide" are the same item, and a sound token such
 * as `<sound:clap>` stays whole (a command bound to a recorded sound); duplicates after
 * normalization are dropped (the first one is kept). A keyword line may end with its sensitivity
 * between slashes, as in PocketSphinx keyword lists: `next slide /0.7/`, a number in (0, 1].
 */
import { readFile } from 'node:fs/promises';
import type { KeywordSpec } from '../decode/keyword-spotter.ts';
import { normalizePhrase } from '../lexicon/normalize-text.ts';

/** A list file that cannot be used; the message names the file (and line). */
export class ListFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'ListFileError';
  }
}

/** Items of list-file text, normalized, in order of first appearance. `name` is used in errors. */
export function parseListText(text: string, name: string): string[] {
  return parseItems(text, name, 'one item per line', (content) => ({ content, extra: undefined })).map((x) => x.item);
}

/** Reads and parses a list file; throws ListFileError when it is unreadable, not UTF-8 or empty. */
export async function readListFile(path: string): Promise<string[]> {
  return parseListText(await readListText(path), path);
}

/**
 * Keywords of keyword-list text, normalized, in order of first appearance; `sensitivity` is set
 * only where the line gives one. `name` is used in errors.
 */
export function parseKeywordListText(text: string, name: string): KeywordSpec[] {
  const items = parseItems(text, name, 'one keyword per line, optionally followed by /sensitivity/', (content, line) => {
    const field = /\/([^/]*)\/$/.exec(content);
    if (!field) return { content, extra: undefined };
    const raw = field[1].trim();
    const sensitivity = /^(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
    if (!(sensitivity > 0 && sensitivity <= 1)) throw new ListFileError(name, `line ${line}: sensitivity "/${field[1]}/" must be a number in (0, 1]`);
    return { content: content.slice(0, field.index).trim(), extra: sensitivity };
  });
  return items.map(({ item, extra }) => (extra === undefined ? { text: item } : { text: item, sensitivity: extra }));
}

/** Reads and parses a keyword list file; throws ListFileError like readListFile and on a bad sensitivity. */
export async function readKeywordListFile(path: string): Promise<KeywordSpec[]> {
  return parseKeywordListText(await readListText(path), path);
}

/**
 * The shared line rules: BOM, comments, blank lines, normalization, first of duplicates kept, an
 * empty list refused. `split` takes a line's content (and 1-based number) apart into the item text
 * and a per-line extra.
 */
function parseItems<T>(text: string, name: string, format: string, split: (content: string, line: number) => { content: string; extra: T }): { item: string; extra: T }[] {
  const items: { item: string; extra: T }[] = [];
  const seen = new Set<string>();
  text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).forEach((line, i) => {
    const trimmed = line.replace(/#.*$/, '').trim();
    if (!trimmed) return;
    const { content, extra } = split(trimmed, i + 1);
    let words: string[];
    try {
      words = normalizePhrase(content);
    } catch (e) {
      throw new ListFileError(name, `line ${i + 1}: ${(e as Error).message}`);
    }
    if (words.length === 0) throw new ListFileError(name, `line ${i + 1}: "${content}" has no words`);
    const item = words.join(' ');
    if (!seen.has(item)) {
      seen.add(item);
      items.push({ item, extra });
    }
  });
  if (items.length === 0) throw new ListFileError(name, `the list is empty (${format}; # starts a comment)`);
  return items;
}

/** The file's text; ListFileError when it is missing, unreadable or not UTF-8. */
async function readListText(path: string): Promise<string> {
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
  return text;
}
