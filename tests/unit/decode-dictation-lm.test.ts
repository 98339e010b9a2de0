import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompactNgramLM } from '../../src-main/decode/compact-ngram-lm.ts';
import { dictationLexicon, dictationTrie, lmLexiconPath, loadDictationLM } from '../../src-main/decode/dictation-lm.ts';
import { SphinxTrieLM } from '../../src-main/decode/sphinx-trie-lm-reader.ts';
import { writePronunciationFile } from '../../src-main/lexicon/pronunciation-file.ts';

/** A unigram-only trie .lm.bin (order 1: header, counts, unigram records, vocabulary). */
function unigramTrie(words: string[], log10p: number[]): Uint8Array {
  const head = new TextEncoder().encode('Trie Language Model');
  const vocab = new TextEncoder().encode(words.map((w) => `${w}\0`).join(''));
  const out = new Uint8Array(head.length + 1 + 4 + 12 * (words.length + 1) + 4 + vocab.length);
  const dv = new DataView(out.buffer);
  out.set(head, 0);
  let pos = head.length;
  out[pos++] = 1;
  dv.setUint32(pos, words.length, true); pos += 4;
  for (let i = 0; i <= words.length; i++, pos += 12) dv.setFloat32(pos, i < words.length ? (log10p[i] * Math.LN10) / Math.log(1.0001) : 0, true);
  dv.setUint32(pos, vocab.length, true); pos += 4;
  out.set(vocab, pos);
  return out;
}

describe('dictation LM loading (--lm PATH)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hark-lm-'));

  it('reads .lm.bin as a PocketSphinx trie and anything else as ARPA (converted to the binary form)', () => {
    const bin = join(dir, 'tiny.lm.bin');
    writeFileSync(bin, unigramTrie(['</s>', '<s>', 'hello', 'world'], [-0.5, -99, -0.6, -0.7]));
    const lm = loadDictationLM(bin);
    expect(lm).toBeInstanceOf(SphinxTrieLM);
    expect(lm.logProb([lm.bosId], lm.wordId('world'))).toBeCloseTo(-0.7 * Math.LN10, 4);
    const arpa = join(dir, 'tiny.arpa');
    writeFileSync(arpa, '\\data\\\nngram 1=3\n\n\\1-grams:\n-1 </s>\n-99 <s>\n-0.3 hello\n\n\\end\\\n');
    expect(loadDictationLM(arpa, { cacheDir: join(dir, 'cache') })).toBeInstanceOf(CompactNgramLM);
  });

  it('fails with the file name when the model is missing or not a trie', () => {
    expect(() => loadDictationLM(join(dir, 'missing.lm.bin'))).toThrow(/cannot read language model .*missing\.lm\.bin/);
    const wrong = join(dir, 'wrong.lm.bin');
    writeFileSync(wrong, 'ARPA text, not a trie');
    expect(() => loadDictationLM(wrong)).toThrow(/wrong\.lm\.bin: .*not a trie-format/);
  });

  it('uses the pronunciations shipped beside the LM for its vocabulary trie', () => {
    expect(lmLexiconPath('/m/en-us.lm.bin')).toBe('/m/en-us.lexicon.txt.gz');
    expect(lmLexiconPath('/m/brown-3gram.arpa.gz')).toBe('/m/brown-3gram.lexicon.txt.gz');
    expect(lmLexiconPath('/m/brown-3gram.hlm')).toBe('/m/brown-3gram.lexicon.txt.gz');
    const bin = join(dir, 'words.lm.bin');
    writeFileSync(bin, unigramTrie(['</s>', '<s>', 'hello', 'world'], [-0.5, -99, -0.6, -0.7]));
    writePronunciationFile(join(dir, 'words.lexicon.txt.gz'), [['hello', [['HH', 'AH', 'L', 'OW']]], ['world', [['W', 'ER', 'L', 'D']]]]);
    const lookup = dictationLexicon(bin, () => { throw new Error('fallback must not be needed'); });
    const trie = dictationTrie(loadDictationLM(bin), lookup);
    expect([...trie.words].sort()).toEqual(['hello', 'world']);
  });
});
