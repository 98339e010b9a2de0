import { readFileSync } from 'node:fs';
import { NgramLM, LOG_ZERO, type WordLanguageModel } from './ngram-lm.ts';

/**
 * Reader for the binary n-gram format of PocketSphinx 5 / sphinxbase ("TRIE" format, written by
 * `pocketsphinx_lm_convert` as *.lm.bin; e.g. the general US English trigram of the Debian package
 * pocketsphinx-en-us, /usr/share/pocketsphinx/model/en-us/en-us.lm.bin). Independent reimplementation
 * from the format as documented here (worked out from the public description of the format and by
 * reading sphinxbase/pocketsphinx's lm_trie*.c and ngram_model_trie.c; no code taken).
 *
 * Layout (all little-endian):
 *   "Trie Language Model" (19 ASCII bytes, no NUL)
 *   uint8 order N; uint32 count[N] (count[0] = vocabulary size; higher counts include the filler
 *     entries described below)
 *   if N > 1: int32 (quantizer type, ignored) then float32 quantizer bin centres: for each middle
 *     order 2..N-1 a 65536-entry probability table then a 65536-entry back-off table; then a
 *     65536-entry probability table of order N
 *   (count[0] + 1) unigram records {float32 logProb, float32 logBackoff, uint32 next}: record w
 *     is word w; its children (order-2 entries) are next[w] .. next[w+1]-1
 *   if N > 1: bit-packed arrays, one per order 2..N, each ((count+1) * bitsPerEntry + 7) / 8 + 8
 *     bytes long. Entry i starts at bit i * bitsPerEntry, bits are read LSB-first from
 *     little-endian bytes. Middle orders: [word id: bits(count[0])] [back-off bin: 16]
 *     [probability bin: 16] [next: bits(count[n+1])]; highest order: [word id] [probability bin: 16].
 *     An entry's children are its next .. the following entry's next - 1, sorted by word id.
 *   uint32 byte length, then the vocabulary as NUL-terminated strings in id order.
 *
 * The trie is reversed (as in KenLM): the path unigram w_n -> w_{n-1} -> ... -> w_1 leads to the
 * entry of the n-gram "w_1 .. w_n", holding log P(w_n | w_1 .. w_{n-1}) and the back-off weight of
 * "w_1 .. w_n" as a context. Where an n-gram's (n-1)-suffix was not listed in the ARPA source,
 * the converter inserted it with the backed-off probability and back-off 0, which leaves ARPA
 * semantics unchanged.
 *
 * Values are logarithms in PocketSphinx's log base (1.0001 unless the file was made otherwise);
 * they are converted to natural log here. Probabilities of orders 2..N are 16-bit quantized.
 */

export const SPHINX_TRIE_HEADER = 'Trie Language Model';
/** PocketSphinx's default log base (-logbase), in which the shipped .lm.bin files store values. */
export const SPHINX_LOG_BASE = 1.0001;
const QUANT_BITS = 16;
const QUANT_BINS = 1 << QUANT_BITS;

/** Bits needed to store integers 0..maxValue (0 for maxValue 0). */
export function requiredBits(maxValue: number): number {
  let bits = 0;
  while (maxValue > 0) { bits++; maxValue = Math.floor(maxValue / 2); }
  return bits;
}

/** One bit-packed level (n-gram order 2..N) of the trie. */
interface Level {
  bytes: Uint8Array;
  entries: number;
  wordBits: number;
  totalBits: number;
  /** Bit width of the child pointer (0 for the highest order). */
  nextBits: number;
  /** Bin centres (natural log) of the probability and back-off codes. */
  probBins: Float32Array;
  boBins: Float32Array | null;
}

/** Reads `bits` (<= 32) bits at bit offset `off`, LSB first. */
function readBits(bytes: Uint8Array, off: number, bits: number): number {
  if (bits === 0) return 0;
  let byte = Math.floor(off / 8);
  const shift = off % 8;
  let value = 0;
  let mult = 1;
  // Gather enough whole bytes (at most 5) into a number < 2^40, then drop the low `shift` bits.
  const need = Math.ceil((shift + bits) / 8);
  for (let i = 0; i < need; i++, byte++) { value += bytes[byte] * mult; mult *= 256; }
  return Math.floor(value / 2 ** shift) % 2 ** bits;
}

export class SphinxTrieLM implements WordLanguageModel {
  readonly order: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly vocab: readonly string[];
  /** Entries per order as stored (orders > 1 may include filler entries). */
  readonly counts: readonly number[];
  private readonly ids: Map<string, number>;
  private readonly ugProb: Float32Array;
  private readonly ugBo: Float32Array;
  private readonly ugNext: Uint32Array;
  private readonly levels: Level[];

  constructor(data: Uint8Array, logBase = SPHINX_LOG_BASE) {
    const fail = (msg: string): never => { throw new Error(`PocketSphinx trie LM: ${msg}`); };
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const header = new TextDecoder('latin1').decode(data.subarray(0, SPHINX_TRIE_HEADER.length));
    if (header !== SPHINX_TRIE_HEADER) fail(`not a trie-format .lm.bin (header "${header.replace(/[^ -~]/g, '?')}")`);
    let pos = SPHINX_TRIE_HEADER.length;
    const need = (n: number, what: string) => { if (pos + n > data.length) fail(`file ends inside ${what} (at byte ${pos}, ${n} more needed)`); };
    need(1, 'the order');
    const order = data[pos++];
    if (order < 1 || order > 5) fail(`n-gram order ${order} out of range 1..5`);
    need(4 * order, 'the n-gram counts');
    const counts: number[] = [];
    for (let i = 0; i < order; i++, pos += 4) counts.push(dv.getUint32(pos, true));
    if (counts[0] === 0) fail('empty vocabulary');
    const scale = Math.log(logBase);
    // Quantizer tables.
    const probTables: Float32Array[] = [];
    const boTables: Float32Array[] = [];
    if (order > 1) {
      need(4 + 4 * QUANT_BINS * (2 * (order - 2) + 1), 'the quantizer tables');
      pos += 4;
      const table = (): Float32Array => {
        const t = new Float32Array(QUANT_BINS);
        for (let i = 0; i < QUANT_BINS; i++, pos += 4) t[i] = dv.getFloat32(pos, true) * scale;
        return t;
      };
      for (let n = 2; n < order; n++) { probTables.push(table()); boTables.push(table()); }
      probTables.push(table());
    }
    // Unigrams.
    const V = counts[0];
    need(12 * (V + 1), 'the unigrams');
    this.ugProb = new Float32Array(V + 1);
    this.ugBo = new Float32Array(V + 1);
    this.ugNext = new Uint32Array(V + 1);
    for (let i = 0; i <= V; i++, pos += 12) {
      this.ugProb[i] = dv.getFloat32(pos, true) * scale;
      this.ugBo[i] = dv.getFloat32(pos + 4, true) * scale;
      this.ugNext[i] = dv.getUint32(pos + 8, true);
    }
    // Bit-packed levels.
    const wordBits = requiredBits(V);
    this.levels = [];
    for (let n = 2; n <= order; n++) {
      const last = n === order;
      const nextBits = last ? 0 : requiredBits(counts[n]);
      const totalBits = wordBits + (last ? QUANT_BITS : 2 * QUANT_BITS + nextBits);
      const size = Math.floor(((counts[n - 1] + 1) * totalBits + 7) / 8) + 8;
      need(size, `the ${n}-gram array`);
      this.levels.push({
        bytes: data.subarray(pos, pos + size), entries: counts[n - 1], wordBits, totalBits, nextBits,
        probBins: probTables[n - 2], boBins: last ? null : boTables[n - 2],
      });
      pos += size;
    }
    // Vocabulary.
    need(4, 'the vocabulary size');
    const strBytes = dv.getUint32(pos, true);
    pos += 4;
    need(strBytes, 'the vocabulary');
    const words = new TextDecoder('utf-8').decode(data.subarray(pos, pos + strBytes)).split('\0');
    if (words[words.length - 1] === '') words.pop();
    if (words.length !== V) fail(`vocabulary holds ${words.length} words, header says ${V}`);
    this.vocab = words;
    this.order = order;
    this.counts = counts;
    this.ids = new Map(words.map((w, i) => [w, i]));
    // Child pointers must be monotone and within the next level.
    for (let n = 1; n < order; n++) {
      const limit = counts[n];
      if (n === 1) {
        for (let i = 0; i < V; i++) if (this.ugNext[i] > this.ugNext[i + 1]) fail(`unigram ${i}: child pointers out of order`);
        if (this.ugNext[V] > limit) fail(`unigram child pointer ${this.ugNext[V]} beyond the ${limit} 2-grams`);
      } else if (this.next(n - 2, counts[n - 1]) > limit) {
        fail(`${n}-gram child pointer beyond the ${limit} ${n + 1}-grams`);
      }
    }
    const bos = this.ids.get('<s>');
    const eos = this.ids.get('</s>');
    if (bos === undefined || eos === undefined) fail('vocabulary lacks <s> or </s>');
    this.bosId = bos!;
    this.eosId = eos!;
    this.unkId = this.ids.get('<unk>') ?? -1;
  }

  private word(li: number, i: number): number {
    const L = this.levels[li];
    return readBits(L.bytes, i * L.totalBits, L.wordBits);
  }

  /** Back-off bin of middle entry i at level li (the code sits right after the word id). */
  private backoff(li: number, i: number): number {
    const L = this.levels[li];
    return L.boBins![readBits(L.bytes, i * L.totalBits + L.wordBits, QUANT_BITS)];
  }

  private prob(li: number, i: number): number {
    const L = this.levels[li];
    const at = i * L.totalBits + L.wordBits + (L.boBins ? QUANT_BITS : 0);
    return L.probBins[readBits(L.bytes, at, QUANT_BITS)];
  }

  private next(li: number, i: number): number {
    const L = this.levels[li];
    return readBits(L.bytes, i * L.totalBits + L.wordBits + 2 * QUANT_BITS, L.nextBits);
  }

  /** Index of `word` among entries [begin, end) of level li (sorted by word id), or -1. */
  private find(li: number, begin: number, end: number, word: number): number {
    let lo = begin, hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const w = this.word(li, mid);
      if (w < word) lo = mid + 1;
      else if (w > word) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  wordId(word: string): number {
    return this.ids.get(word) ?? this.unkId;
  }

  /**
   * ln P(word | context) with ARPA back-off: the longest listed n-gram ending in `word`, plus the
   * back-off weights of the longer contexts that are listed.
   */
  logProb(context: readonly number[], wordId: number): number {
    const V = this.vocab.length;
    if (wordId < 0 || wordId >= V) return LOG_ZERO;
    const n = Math.min(context.length, this.order - 1);
    const hist = (i: number) => context[context.length - 1 - i]; // i = 0: most recent word
    let p = this.ugProb[wordId];
    let matched = 0; // context words matched by the n-gram giving p
    let begin = this.ugNext[wordId], end = this.ugNext[wordId + 1];
    for (let i = 0; i < n && begin < end; i++) {
      const h = hist(i);
      if (h < 0 || h >= V) break;
      const at = this.find(i, begin, end, h);
      if (at < 0) break;
      p = this.prob(i, at);
      matched = i + 1;
      if (i + 1 === this.order - 1) break;
      begin = this.next(i, at);
      end = this.next(i, at + 1);
    }
    if (matched === n) return p;
    // Back-off weights of the contexts hist(matched-1..0) .. hist(n-1..0) that are listed.
    const h0 = hist(0);
    if (h0 < 0 || h0 >= V) return p;
    let bo = 0;
    if (matched === 0) bo += this.ugBo[h0];
    begin = this.ugNext[h0];
    end = this.ugNext[h0 + 1];
    for (let k = 1; k < n; k++) {
      const h = hist(k);
      if (h < 0 || h >= V || begin >= end) break;
      const at = this.find(k - 1, begin, end, h);
      if (at < 0) break;
      if (k >= matched) bo += this.backoff(k - 1, at);
      if (k + 1 < this.order - 1) { begin = this.next(k - 1, at); end = this.next(k - 1, at + 1); } else break;
    }
    return p + bo;
  }

  /**
   * Every stored n-gram in ARPA terms: ids w_1 .. w_n (oldest first), ln probability and ln
   * back-off (0 for the highest order). Orders are visited together, depth first from each unigram.
   */
  forEachNgram(visit: (ids: readonly number[], logProb: number, logBackoff: number) => void): void {
    const V = this.vocab.length;
    const ids: number[] = [];
    const walk = (li: number, begin: number, end: number, suffix: number[]) => {
      const last = li === this.levels.length - 1;
      for (let i = begin; i < end; i++) {
        const w = this.word(li, i);
        ids.length = 0;
        ids.push(w, ...suffix);
        visit(ids, this.prob(li, i), last ? 0 : this.backoff(li, i));
        if (!last) walk(li + 1, this.next(li, i), this.next(li, i + 1), [w, ...suffix]);
      }
    };
    for (let w = 0; w < V; w++) {
      visit([w], this.ugProb[w], this.order > 1 ? this.ugBo[w] : 0);
      if (this.order > 1) walk(0, this.ugNext[w], this.ugNext[w + 1], [w]);
    }
  }

  /** The same model as the project's map-based NgramLM (several times the memory of the trie). */
  toNgramLM(): NgramLM {
    const tables = this.counts.map((c) => ({ index: new Map<number | string, number>(), logp: new Float32Array(c), bow: new Float32Array(c) }));
    const V = this.vocab.length;
    this.forEachNgram((ids, lp, bo) => {
      const t = tables[ids.length - 1];
      const k = t.index.size;
      t.index.set(NgramLM.keyOf(V, this.order, ids), k);
      t.logp[k] = lp;
      t.bow[k] = bo;
    });
    return new NgramLM(this.vocab, tables);
  }

  /** ARPA text (log10) of the model; probabilities above 0 from quantization are written as 0. */
  toArpa(): string {
    const sections: string[][] = this.counts.map((_, n) => [`\\${n + 1}-grams:`]);
    const f = (x: number) => (x / Math.LN10).toFixed(6);
    this.forEachNgram((ids, lp, bo) => {
      const n = ids.length;
      const words = ids.map((i) => this.vocab[i]).join(' ');
      sections[n - 1].push(`${f(Math.min(0, lp))}\t${words}${n < this.order ? `\t${f(bo)}` : ''}`);
    });
    // The counts of the n-grams written: a file's stored count can exceed those reachable from
    // its unigrams (en-us.lm.bin stores 2,051,547 bigrams, of which 2,051,541 follow a unigram).
    const header = ['\\data\\', ...sections.map((sec, n) => `ngram ${n + 1}=${sec.length - 1}`), ''];
    return [...header, ...sections.flatMap((s) => [...s, '']), '\\end\\', ''].join('\n');
  }
}

/** Loads a PocketSphinx trie .lm.bin, with a clear error when it is missing or of another kind. */
export function loadSphinxTrieLM(path: string, logBase = SPHINX_LOG_BASE): SphinxTrieLM {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const hint = path.includes('pocketsphinx') ? ' (install the Debian/Ubuntu package pocketsphinx-en-us, or pass another --lm)' : '';
    throw new Error(`cannot read language model "${path}": ${(e as Error).message}${hint}`);
  }
  try {
    return new SphinxTrieLM(buf, logBase);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Where pocketsphinx-en-us installs its general US English trigram. */
export const POCKETSPHINX_EN_US_LM = '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin';
