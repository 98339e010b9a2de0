/**
 * Writes the binary form (.hlm) of a dictation LM, with its vocabulary's pronunciations and the
 * lexicon trie of its dictation words over the shipped model's units (UNITS), which is what
 * dictation loads (src-main/decode/compact-lm-file.ts). Rebuilt, it matches the shipped file byte
 * for byte (tests/unit/decode-compact-lm-shipped.test.ts fails when it is stale).
 * Usage: node bin/run-ts.mjs tools/build-dictation-lm-binary.ts [--no-trie] [--lm-weight W --word-bonus B [--chosen-on TEXT]]
 *          [LM.arpa[.gz] LEXICON.txt[.gz] OUT.hlm]
 * (default: models/lm/brown-3gram.arpa.gz and .lexicon.txt.gz -> models/lm/brown-3gram.hlm). The
 * trie needs every dictation word in the lexicon; --no-trie leaves it out (dictation then builds it).
 * --lm-weight and --word-bonus store the search weights chosen for this LM in its header
 * (dictation uses them unless told otherwise); --chosen-on says what they were chosen on.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LmSearchWeights } from '../src-main/decode/compact-lm-file.ts';
import { compactLmFromFiles } from '../src-main/decode/compact-ngram-builder.ts';
import { lmLexiconPath } from '../src-main/decode/dictation-lm.ts';
import { BROWN_LM_ARPA_PATH, BROWN_LM_PATH } from '../src-main/model/package-paths.ts';
import { UNITS } from '../src-shared/units/phonemes.ts';

const usage = 'usage: node bin/run-ts.mjs tools/build-dictation-lm-binary.ts [--no-trie] [--lm-weight W --word-bonus B [--chosen-on TEXT]] [LM.arpa[.gz] LEXICON.txt[.gz] OUT.hlm]';
const { values, positionals: args } = parseArgs({
  allowPositionals: true,
  options: { 'no-trie': { type: 'boolean' }, 'lm-weight': { type: 'string' }, 'word-bonus': { type: 'string' }, 'chosen-on': { type: 'string' }, help: { type: 'boolean' } },
});
if (values.help || (args.length !== 0 && args.length !== 3) || (values['lm-weight'] === undefined) !== (values['word-bonus'] === undefined)) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
let search: LmSearchWeights | undefined;
if (values['lm-weight'] !== undefined) {
  search = { lmWeight: Number(values['lm-weight']), wordBonus: Number(values['word-bonus']), ...(values['chosen-on'] ? { chosenOn: values['chosen-on'] } : {}) };
  if (!(search.lmWeight >= 0) || !Number.isFinite(search.wordBonus)) throw new Error('--lm-weight must be a number of at least 0 and --word-bonus a number');
}
const [arpa, lexicon, out] = args.length === 3 ? args : [BROWN_LM_ARPA_PATH, lmLexiconPath(BROWN_LM_ARPA_PATH), BROWN_LM_PATH];
const t0 = performance.now();
const bytes = compactLmFromFiles(arpa, lexicon, values['no-trie'] ? undefined : UNITS, search);
writeFileSync(out, bytes);
console.log(`${out}: ${bytes.length} bytes from ${arpa} and ${lexicon} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
