/**
 * Adds words to a back-off ARPA LM as unigrams only, keeping every conditional distribution
 * normalized, so that dictation can recognize them: the words dictation formatting reads
 * (docs/DICTATION-FORMATTING.md) that the Brown-corpus vocabulary lacks ("comma", "euros",
 * "eighties", ...), listed in tools/dictation-extra-words.txt.
 *
 * Each added word gets the vocabulary's median unigram probability (for the shipped LM 10^-4.80,
 * a word continuing a single distinct context in the interpolated Kneser-Ney counts), so the k
 * added words take a unigram share s = k * median; every other unigram (except <s>) is scaled by
 * (1 - s), and the back-off weights are recomputed so each context still sums to one:
 *   bigram contexts h:        bow'(h)    = (1 - sum of p(w | h)) / (1 - sum of p'(w)), both sums
 *                             over the words w listed after h (as arpa-builder.ts computes it);
 *   trigram contexts h2 h1:   bow'(h2 h1) = bow(h2 h1) (1 - T(h2 h1)) / (1 - T'(h2 h1)),
 *                             T = sum of P(w | h1) (listed bigram, else bow(h1) p(w)) over the
 *                             words listed after h2 h1, before (T) and after (T') the change.
 * N-grams listed in the file keep their probabilities. Words already in the LM are left alone, so
 * running it again changes nothing. The output is written as arpa-builder.ts writes it (6 decimals,
 * n-grams sorted).
 * Usage: node bin/run-ts.mjs tools/add-dictation-lm-words.ts LM.arpa[.gz] WORDS.txt OUT.arpa[.gz]
 * Then rebuild the lexicon and the binary (docs/DEVELOPERS.md, "Reproducing the shipped files").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

interface Gram { words: string[]; logp: number; bow?: number }

const [inPath, wordsPath, outPath] = process.argv.slice(2);
if (!inPath || !wordsPath || !outPath) {
  console.error('usage: node bin/run-ts.mjs tools/add-dictation-lm-words.ts LM.arpa[.gz] WORDS.txt OUT.arpa[.gz]');
  process.exit(2);
}
const raw = readFileSync(inPath);
const text = (inPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');

// Parse the n-gram sections.
const orders: Gram[][] = [];
let cur: Gram[] | null = null;
for (const line of text.split('\n')) {
  const section = /^\\(\d)-grams:$/.exec(line);
  if (section) { cur = []; orders[Number(section[1]) - 1] = cur; continue; }
  if (line === '\\end\\') { cur = null; continue; }
  if (!cur || line === '') continue;
  const f = line.split('\t');
  cur.push({ words: f[1].split(' '), logp: Number(f[0]), ...(f[2] !== undefined ? { bow: Number(f[2]) } : {}) });
}
if (orders.length !== 3) throw new Error(`${inPath}: expected a trigram ARPA file, found ${orders.length} orders`);
const [uni, bi, tri] = orders;

const vocab = new Set(uni.map((g) => g.words[0]));
// Each line: a word, optionally "like OTHER": the word gets OTHER's unigram probability instead of the median.
const listed = readFileSync(wordsPath, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim().toLowerCase()).filter(Boolean).map((l) => {
  const m = /^(\S+)(?:\s+like\s+(\S+))?$/.exec(l);
  if (!m) throw new Error(`${wordsPath}: cannot read "${l}" (a word, optionally followed by "like WORD")`);
  if (m[2] !== undefined && !vocab.has(m[2])) throw new Error(`${wordsPath}: "${m[2]}" (in "${l}") is not in the LM`);
  return { word: m[1], like: m[2] };
});
const likeOf = new Map(listed.map((x) => [x.word, x.like]));
const added = [...new Set(listed.map((x) => x.word))].filter((w) => !vocab.has(w));
if (added.length === 0) {
  console.log(`${inPath}: every listed word is already in the vocabulary; nothing to add`);
  if (outPath !== inPath) writeFileSync(outPath, raw);
  process.exit(0);
}

const pw = (logp: number) => 10 ** logp;
const sortedLogps = uni.filter((g) => g.words[0] !== '<s>').map((g) => g.logp).sort((a, b) => a - b);
const median = sortedLogps[Math.floor(sortedLogps.length / 2)];
const uniLogp = new Map(uni.map((g) => [g.words[0], g.logp]));
const addedLogp = new Map(added.map((w) => [w, likeOf.get(w) !== undefined ? uniLogp.get(likeOf.get(w)!)! : median]));
const share = added.reduce((a, w) => a + pw(addedLogp.get(w)!), 0);
const scale = Math.log10(1 - share);

// Old and new unigram probabilities and bigram-context back-off weights.
const p1Old = new Map(uni.map((g) => [g.words[0], pw(g.logp)]));
const bow1Old = new Map(uni.map((g) => [g.words[0], pw(g.bow ?? 0)]));
const p1New = new Map(p1Old);
for (const g of uni) if (g.words[0] !== '<s>') p1New.set(g.words[0], pw(g.logp + scale));
for (const w of added) p1New.set(w, pw(addedLogp.get(w)!));

// Bigram contexts: bow'(h) = (1 - sum of the listed p(w | h)) / (1 - sum of the new p(w) over them).
const S = new Map<string, [number, number]>();
for (const g of bi) {
  const s = S.get(g.words[0]) ?? [0, 0];
  s[0] += pw(g.logp);
  s[1] += p1New.get(g.words[1])!;
  S.set(g.words[0], s);
}
const bow1New = new Map(bow1Old);
for (const [h, [listed2, lower]] of S) bow1New.set(h, Math.max(1e-12, 1 - listed2) / Math.max(1e-12, 1 - lower));

const p2 = new Map(bi.map((g) => [g.words.join(' '), pw(g.logp)]));
const bigramProb = (h1: string, w: string, bow: Map<string, number>, p: Map<string, number>) => p2.get(`${h1} ${w}`) ?? bow.get(h1)! * p.get(w)!;
const T = new Map<string, [number, number]>();
for (const g of tri) {
  const h = `${g.words[0]} ${g.words[1]}`;
  const t = T.get(h) ?? [0, 0];
  t[0] += bigramProb(g.words[1], g.words[2], bow1Old, p1Old);
  t[1] += bigramProb(g.words[1], g.words[2], bow1New, p1New);
  T.set(h, t);
}

// arpa-builder.ts's number format and order.
const fmt = (x: number): string => (x === 0 ? '0' : x.toFixed(6).replace(/\.?0+$/, ''));
const line = (logp: number, words: string[], logBow?: number) => (logBow === undefined || logBow === 0 ? `${fmt(logp)}\t${words.join(' ')}` : `${fmt(logp)}\t${words.join(' ')}\t${fmt(logBow)}`);
const uniOut = [
  ...uni.map((g) => {
    const w = g.words[0];
    const logp = w === '<s>' ? g.logp : g.logp + scale;
    return { key: w, text: line(logp, g.words, S.has(w) ? Math.log10(bow1New.get(w)!) : g.bow) };
  }),
  ...added.map((w) => ({ key: w, text: line(addedLogp.get(w)!, [w]) })),
].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.text);
const biOut = bi.map((g) => {
  const t = T.get(g.words.join(' '));
  if (!t) return line(g.logp, g.words, g.bow);
  return line(g.logp, g.words, Math.log10(pw(g.bow ?? 0) * (1 - t[0]) / (1 - t[1])));
});
const triOut = tri.map((g) => line(g.logp, g.words));

const out = ['', '\\data\\', `ngram 1=${uniOut.length}`, `ngram 2=${biOut.length}`, `ngram 3=${triOut.length}`,
  '', '\\1-grams:', ...uniOut, '', '\\2-grams:', ...biOut, '', '\\3-grams:', ...triOut, '', '\\end\\', ''].join('\n');
writeFileSync(outPath, outPath.endsWith('.gz') ? gzipSync(out, { level: 9 }) : out);
console.log(JSON.stringify({ out: outPath, added: Object.fromEntries(addedLogp), medianLog10: median, share: +share.toExponential(3), vocab: uniOut.length }));
