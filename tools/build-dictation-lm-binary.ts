/**
 * Writes the binary form (.hlm) of the shipped dictation LM, with its vocabulary's pronunciations
 * and the lexicon trie of its dictation words over the shipped model's units (UNITS), which is
 * what dictation loads (src-main/decode/compact-lm-file.ts). Rebuilt, it matches the
 * shipped file byte for byte (tests/unit/decode-compact-lm-shipped.test.ts fails when it is stale).
 * Usage: node bin/run-ts.mjs tools/build-dictation-lm-binary.ts [--no-trie] [LM.arpa[.gz] LEXICON.txt[.gz] OUT.hlm]
 * (default: models/lm/brown-3gram.arpa.gz and .lexicon.txt.gz -> models/lm/brown-3gram.hlm). The
 * trie needs every dictation word in the lexicon; --no-trie leaves it out (dictation then builds it).
 */
import { writeFileSync } from 'node:fs';
import { compactLmFromFiles } from '../src-main/decode/compact-ngram-builder.ts';
import { lmLexiconPath } from '../src-main/decode/dictation-lm.ts';
import { DEFAULT_LM_ARPA_PATH, DEFAULT_LM_PATH } from '../src-main/model/package-paths.ts';
import { UNITS } from '../src-shared/units/phonemes.ts';

const noTrie = process.argv.includes('--no-trie');
const args = process.argv.slice(2).filter((a) => a !== '--no-trie');
if (args[0] === '--help' || (args.length !== 0 && args.length !== 3)) {
  console.error('usage: node bin/run-ts.mjs tools/build-dictation-lm-binary.ts [--no-trie] [LM.arpa[.gz] LEXICON.txt[.gz] OUT.hlm]');
  process.exit(args[0] === '--help' ? 0 : 2);
}
const [arpa, lexicon, out] = args.length === 3 ? args : [DEFAULT_LM_ARPA_PATH, lmLexiconPath(DEFAULT_LM_ARPA_PATH), DEFAULT_LM_PATH];
const t0 = performance.now();
const bytes = compactLmFromFiles(arpa, lexicon, noTrie ? undefined : UNITS);
writeFileSync(out, bytes);
console.log(`${out}: ${bytes.length} bytes from ${arpa} and ${lexicon} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
