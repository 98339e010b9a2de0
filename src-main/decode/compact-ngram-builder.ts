/**
 * Builds the typed-array tables of a CompactNgramLM from ARPA text (readArpa): the conversion a
 * user's ARPA model goes through once (lm-cache.ts), and the shipped model's .hlm
 * (tools/build-dictation-lm-binary.ts).
 */
import { sha256 } from '../system/sha256.ts';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PackedLexicon, packPronunciations, type PackedPronunciations } from '../lexicon/packed-lexicon.ts';
import { readPronunciationFile } from '../lexicon/pronunciation-file.ts';
import { readArpa } from './arpa-reader.ts';
import { encodeCompactLm, type LmSearchWeights } from './compact-lm-file.ts';
import { CompactNgramLM, type CompactNgramTables } from './compact-ngram-lm.ts';
import { dictationWords } from './dictation-vocabulary.ts';
import { LexiconTrie } from './lexicon-trie.ts';
import { storeLexiconTrie, type StoredLexiconTrie } from './lexicon-trie-file.ts';

interface OrderEntries {
  /** Word ids, n per entry. */
  ids: number[];
  logp: number[];
  bow: number[];
}

/**
 * The tables of the model in `text`. An n-gram whose context (its first n-1 words) the file does
 * not list gets that context added as a NaN entry (see CompactNgramTables), so the model scores
 * exactly as the ARPA reader's NgramLM. Throws on malformed text and on an n-gram listed twice.
 */
export function compactTablesFromArpa(text: string): CompactNgramTables {
  const orders: OrderEntries[] = [];
  const { vocab } = readArpa(text, {
    header() { /* counts come with beginOrder */ },
    beginOrder() { orders.push({ ids: [], logp: [], bow: [] }); },
    entry(n, _k, ids, logp, bow) {
      const o = orders[n - 1];
      for (const id of ids) o.ids.push(id);
      o.logp.push(logp);
      o.bow.push(bow);
    },
  });
  const V = vocab.length;
  const order = orders.length;
  if (orders[0].logp.length !== V) throw new Error('ARPA: duplicate 1-gram entries');
  // Top down, so that a context added to order n-1 gets its own context checked in turn.
  for (let n = order; n >= 3; n--) {
    const lower = orders[n - 2];
    const known = new Set<string>();
    for (let k = 0; k < lower.logp.length; k++) known.add(lower.ids.slice(k * (n - 1), (k + 1) * (n - 1)).join(' '));
    const upper = orders[n - 1];
    for (let k = 0; k < upper.logp.length; k++) {
      const ctx = upper.ids.slice(k * n, k * n + n - 1);
      const key = ctx.join(' ');
      if (known.has(key)) continue;
      known.add(key);
      lower.ids.push(...ctx);
      lower.logp.push(NaN);
      lower.bow.push(0);
    }
  }
  const tables: CompactNgramTables = {
    vocab,
    logp: [Float32Array.from(orders[0].logp)],
    bow: [],
    word: [],
    first: [],
  };
  if (order > 1) tables.bow.push(Float32Array.from(orders[0].bow));
  // Index of each entry of the previous order, keyed by (its context's index) * V + (its last word).
  let prevIndex: Map<number, number> | null = null;
  for (let n = 2; n <= order; n++) {
    const o = orders[n - 1];
    const count = o.logp.length;
    const ctxOf = new Float64Array(count);
    const keys = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      let c = o.ids[k * n];
      for (let j = 1; j < n - 1; j++) c = prevIndex!.get(c * V + o.ids[k * n + j]) ?? -1;
      if (c < 0) throw new Error(`ARPA: the context of a ${n}-gram is missing`);
      ctxOf[k] = c;
      keys[k] = c * V + o.ids[k * n + n - 1];
    }
    const perm = Array.from({ length: count }, (_, k) => k).sort((a, b) => keys[a] - keys[b]);
    const word = V <= 0x10000 ? new Uint16Array(count) : new Uint32Array(count);
    const logp = new Float32Array(count);
    const bow = new Float32Array(count);
    const first = new Uint32Array(orders[n - 2].logp.length + 1);
    const index = new Map<number, number>();
    perm.forEach((k, i) => {
      if (i > 0 && keys[perm[i - 1]] === keys[k]) throw new Error(`ARPA: duplicate ${n}-gram entries`);
      word[i] = o.ids[k * n + n - 1];
      logp[i] = o.logp[k];
      bow[i] = o.bow[k];
      first[ctxOf[k] + 1]++;
      index.set(keys[k], i);
    });
    for (let c = 0; c + 1 < first.length; c++) first[c + 1] += first[c];
    tables.first.push(first);
    tables.word.push(word);
    tables.logp.push(logp);
    if (n < order) tables.bow.push(bow);
    prevIndex = index;
  }
  return tables;
}

/**
 * The stored lexicon trie (lexicon-trie-file.ts) of the dictation words of `tables`' vocabulary
 * over `units`, pronounced by `packed` alone: throws naming `what` when a word has no
 * pronunciation there (a fallback could pronounce it differently at run time).
 */
export function dictationTrieToStore(tables: CompactNgramTables, packed: PackedPronunciations, units: readonly string[], what: string): StoredLexiconTrie {
  const lm = new CompactNgramLM(tables);
  const words = dictationWords(tables.vocab);
  const lookup = new PackedLexicon(packed, (w) => lm.wordId(w), () => { throw new Error(`${what}: a dictation word has no pronunciation, the trie cannot be stored`); });
  const trie = LexiconTrie.fromWords(words, lookup, units);
  // fromWords normalizes (trim, lower case, no repeats): the stored trie covers the words as they are.
  if (trie.words.length !== words.length || trie.words.some((w, i) => w !== words[i])) throw new Error(`${what}: the vocabulary has words dictation normalizes, the trie cannot be stored`);
  return storeLexiconTrie(trie, units);
}

/**
 * The .hlm file (compact-lm-file.ts) of the ARPA file `arpaPath` (gzipped when it ends in .gz),
 * with the pronunciations of its vocabulary from the pronunciation file `lexiconPath` when given,
 * and then, when `trieUnits` (a model's units list) is given, the lexicon trie of its dictation
 * words over those units. The header's source names both files and their SHA-256, so the bytes
 * change whenever either does; `search`, the dictation weights chosen for this LM, goes into the
 * header too (dictation uses them unless told otherwise).
 */
export function compactLmFromFiles(arpaPath: string, lexiconPath?: string, trieUnits?: readonly string[], search?: LmSearchWeights): Uint8Array {
  const raw = readFileSync(arpaPath);
  const tables = compactTablesFromArpa((arpaPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  const source: Record<string, string> = { arpa: basename(arpaPath), arpaSha256: sha256(raw) };
  if (lexiconPath === undefined) return encodeCompactLm({ tables, source, search });
  const table = readPronunciationFile(lexiconPath);
  const inVocab = new Set(tables.vocab);
  const missing = [...table.keys()].filter((w) => !inVocab.has(w));
  if (missing.length > 0) throw new Error(`${lexiconPath}: ${missing.length} words are not in ${arpaPath}'s vocabulary (e.g. "${missing[0]}")`);
  source.lexicon = basename(lexiconPath);
  source.lexiconSha256 = sha256(readFileSync(lexiconPath));
  const pronunciations = packPronunciations(tables.vocab, table);
  const trie = trieUnits ? dictationTrieToStore(tables, pronunciations, trieUnits, lexiconPath) : undefined;
  return encodeCompactLm({ tables, pronunciations, trie, source, search });
}
