/**
 * Precomputes the pronunciations of an LM's vocabulary (CMUdict, G2P for the rest) into a
 * pronunciation file shipped beside the LM.
 * Usage: node bin/run-ts.mjs src-main/train/build-dictation-lexicon.ts LM.arpa.gz OUT.lexicon.txt.gz
 */
import { loadArpa } from '../decode/arpa-reader.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { writePronunciationFile } from '../lexicon/pronunciation-file.ts';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';

export function vocabularyPronunciations(words: readonly string[], lexicon = new Lexicon()): Map<string, Pronunciation[]> {
  const out = new Map<string, Pronunciation[]>();
  for (const w of words) {
    if (/^<.*>$/.test(w) || !/[a-z0-9]/.test(w)) continue;
    out.set(w, lexicon.pronounce(w).pronunciations);
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [lmPath, out] = process.argv.slice(2);
  if (!lmPath || !out) { console.error('usage: build-vocab-lexicon.ts LM.arpa[.gz] OUT.lexicon.txt[.gz]'); process.exit(2); }
  const table = vocabularyPronunciations(loadArpa(lmPath).vocab);
  writePronunciationFile(out, table);
  console.log(`${table.size} words written to ${out}`);
}
