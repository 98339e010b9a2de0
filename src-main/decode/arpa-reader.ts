import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NgramLM } from './ngram-lm.ts';

/** Receives the n-grams of an ARPA file as readArpa meets them. */
export interface ArpaSink {
  /** Called once, after the \\data\\ header: the n-gram count of each order (1-based n at n-1). */
  header(counts: readonly number[]): void;
  /** Called before the entries of order n (1-based), with the count its header announces. */
  beginOrder(n: number, count: number): void;
  /**
   * Entry k (0-based) of order n: its word ids (the unigram index of each word; only valid during
   * the call), ln probability and ln back-off weight (0 when the line has none), both as Float32.
   */
  entry(n: number, k: number, ids: readonly number[], logp: number, bow: number): void;
}

/**
 * Reads an ARPA back-off language model (the SRILM/KenLM text format: a \data\ header with
 * "ngram N=count" lines, then \N-grams: sections of "log10prob w1 .. wN [log10bow]", then \end\),
 * passing each entry to `sink`; returns the vocabulary (words in unigram order) and the counts.
 * Log10 values are converted to natural log. Throws with the line number on malformed input.
 */
export function readArpa(text: string, sink: ArpaSink): { vocab: string[]; counts: number[] } {
  // Lines are read one at a time (no array of all lines, no per-entry arrays): loading the shipped
  // 470k-entry model this way keeps start-up memory of `hark transcribe` low.
  let pos = 0;
  let lineNo = 0;
  let line: string | undefined;
  const next = (): string | undefined => {
    if (pos > text.length) return (line = undefined);
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    return line;
  };
  const fail = (msg: string): never => { throw new Error(`ARPA line ${lineNo}: ${msg}`); };
  while (next() !== undefined && line!.trim() !== '\\data\\');
  if (line === undefined) throw new Error('ARPA: missing \\data\\ header');
  const counts: number[] = [];
  while (next() !== undefined && line!.trim() !== '') {
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(line!.trim());
    if (!m) fail(`expected "ngram N=count", got "${line}"`);
    else counts[Number(m[1]) - 1] = Number(m[2]);
  }
  const order = counts.length;
  if (order === 0 || counts.some((c) => c === undefined)) throw new Error('ARPA: header lists no or non-consecutive n-gram orders');
  sink.header(counts);
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const tuple: number[] = [];
  for (let n = 1; n <= order; n++) {
    while (next() !== undefined && line!.trim() === '');
    if (line?.trim() !== `\\${n}-grams:`) fail(`expected \\${n}-grams:`);
    sink.beginOrder(n, counts[n - 1]);
    for (let k = 0; k < counts[n - 1]; k++) {
      const f = (next() ?? '').trim().split(/\s+/);
      if (f.length !== n + 1 && f.length !== n + 2) fail(`expected ${n}-gram entry, got "${line ?? ''}"`);
      const p = Number(f[0]);
      const b = f.length === n + 2 ? Number(f[n + 1]) : 0;
      if (!Number.isFinite(p) || !Number.isFinite(b)) fail(`bad number in "${line}"`);
      tuple.length = 0;
      for (let j = 1; j <= n; j++) {
        const w = f[j];
        let id = ids.get(w);
        if (id === undefined) {
          if (n > 1) fail(`word "${w}" is not among the unigrams`);
          id = vocab.length;
          vocab.push(w);
          ids.set(w, id);
        }
        tuple.push(id as number);
      }
      sink.entry(n, k, tuple, Math.fround(p * Math.LN10), Math.fround(b * Math.LN10));
    }
  }
  while (next() !== undefined && line!.trim() === '');
  if (line?.trim() !== '\\end\\') fail('expected \\end\\ (n-gram count in header does not match the entries?)');
  return { vocab, counts };
}

/**
 * Reads an ARPA model (readArpa) into an NgramLM. Throws with the line number on malformed input,
 * and on an n-gram listed twice.
 */
export function parseArpa(text: string): NgramLM {
  const tables: { index: Map<number | string, number>; logp: Float32Array; bow: Float32Array }[] = [];
  let counts: readonly number[] = [];
  const checkLast = (): void => {
    const t = tables[tables.length - 1];
    if (t && t.index.size !== t.logp.length) throw new Error(`ARPA: duplicate ${tables.length}-gram entries`);
  };
  const { vocab } = readArpa(text, {
    header(c) { counts = c; },
    beginOrder(_n, count) {
      checkLast();
      tables.push({ index: new Map(), logp: new Float32Array(count), bow: new Float32Array(count) });
    },
    entry(n, k, ids, logp, bow) {
      const t = tables[n - 1];
      t.index.set(NgramLM.keyOf(counts[0], counts.length, ids), k);
      t.logp[k] = logp;
      t.bow[k] = bow;
    },
  });
  checkLast();
  return new NgramLM(vocab, tables);
}

/** The bytes of a language model file; an error names the file. */
export function readLanguageModelFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read language model "${path}": ${(e as Error).message}`);
  }
}

/** Loads an ARPA file; a name ending in .gz is gunzipped. */
export function loadArpa(path: string): NgramLM {
  const buf = readLanguageModelFile(path);
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  try {
    return parseArpa(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
