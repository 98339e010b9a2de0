/**
 * Pronunciation lists on disk: one word per line, `word<TAB>PH ON EMES|ALTERNATE PRON`, UTF-8,
 * optionally gzip-compressed (name ends in .gz). Used to ship the dictation vocabulary's
 * pronunciations precomputed, so dictation needs neither CMUdict nor G2P training at start-up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import { isPhoneme } from '../../src-shared/units/phonemes.ts';

export function parsePronunciationList(text: string, name: string): Map<string, Pronunciation[]> {
  const map = new Map<string, Pronunciation[]>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const [word, prons] = line.split('\t');
    if (!word || !prons) throw new Error(`${name}:${i + 1}: expected "word<TAB>phonemes"`);
    const list = prons.split('|').map((p) => p.trim().split(/\s+/));
    for (const p of list) {
      const bad = p.find((s) => !isPhoneme(s));
      if (bad !== undefined) throw new Error(`${name}:${i + 1}: "${bad}" is not a stressless ARPAbet phoneme`);
    }
    map.set(word, list);
  });
  return map;
}

export function readPronunciationFile(path: string): Map<string, Pronunciation[]> {
  const raw = readFileSync(path);
  return parsePronunciationList((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'), path);
}

export function writePronunciationFile(path: string, entries: Iterable<[string, readonly Pronunciation[]]>): void {
  let text = '';
  for (const [w, prons] of entries) text += `${w}\t${prons.map((p) => p.join(' ')).join('|')}\n`;
  const bytes = Buffer.from(text, 'utf8');
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(bytes, { level: 9 }) : bytes);
}
