import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NgramLM } from './ngram-lm.ts';

/**
 * Reads an ARPA back-off language model (the SRILM/KenLM text format: a \data\ header with
 * "ngram N=count" lines, then \N-grams: sections of "log10prob w1 .. wN [log10bow]", then \end\).
 * Log10 values are converted to natural log. Throws with the line number on malformed input.
 */
export function parseArpa(text: string): NgramLM {
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
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const tables: { index: Map<number | string, number>; logp: Float32Array; bow: Float32Array }[] = [];
  const tuple: number[] = [];
  for (let n = 1; n <= order; n++) {
    while (next() !== undefined && line!.trim() === '');
    if (line?.trim() !== `\\${n}-grams:`) fail(`expected \\${n}-grams:`);
    const logp = new Float32Array(counts[n - 1]);
    const bow = new Float32Array(counts[n - 1]);
    const index = new Map<number | string, number>();
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
      index.set(NgramLM.keyOf(counts[0], order, tuple), k);
      logp[k] = p * Math.LN10;
      bow[k] = b * Math.LN10;
    }
    if (index.size !== counts[n - 1]) throw new Error(`ARPA: duplicate ${n}-gram entries`);
    tables.push({ index, logp, bow });
  }
  while (next() !== undefined && line!.trim() === '');
  if (line?.trim() !== '\\end\\') fail('expected \\end\\ (n-gram count in header does not match the entries?)');
  return new NgramLM(vocab, tables);
}

/** Loads an ARPA file; a name ending in .gz is gunzipped. */
export function loadArpa(path: string): NgramLM {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read language model "${path}": ${(e as Error).message}`);
  }
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  try {
    return parseArpa(text);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
