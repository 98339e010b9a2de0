/**
 * Precomputes the pronunciations of an LM's vocabulary (CMUdict, G2P for the rest) into a
 * pronunciation file shipped beside the LM.
 * Usage: node bin/run-ts.mjs tools/build-dictation-lexicon.ts LM.arpa.gz OUT.lexicon.txt.gz
 */
import { loadArpa } from '../src-main/decode/arpa-reader.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { writePronunciationFile } from '../src-main/lexicon/pronunciation-file.ts';
import type { Pronunciation } from '../src-shared/units/lexicon-types.ts';

function vocabularyPronunciations(words: readonly string[], lexicon = new Lexicon()): Map<string, Pronunciation[]> {
  const out = new Map<string, Pronunciation[]>();
  for (const w of words) {
    if (/^<.*>$/.test(w) || !/[a-z0-9]/.test(w)) continue;
    out.set(w, lexicon.pronounce(w).pronunciations);
  }
  return out;
}

const [lmPath, out] = process.argv.slice(2);
if (!lmPath || !out || lmPath === '--help') {
  console.error('usage: node bin/run-ts.mjs tools/build-dictation-lexicon.ts LM.arpa[.gz] OUT.lexicon.txt[.gz]');
  process.exit(lmPath === '--help' ? 0 : 2);
}
const table = vocabularyPronunciations(loadArpa(lmPath).vocab);
writePronunciationFile(out, table);
console.log(`${table.size} words written to ${out}`);
