import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NgramLM } from './ngram-lm.ts';

/**
 * Reads an ARPA back-off language model (the SRILM/KenLM text format: a \data\ header with
 * "ngram N=count" lines, then \N-grams: sections of "log10prob w1 .. wN [log10bow]", then \end\).
 * Log10 values are converted to natural log. Throws with the line number on malformed input.
 */
export function parseArpa(text: string): NgramLM {
  const lines = text.split(/\r?\n/);
  let i = 0;
  const fail = (msg: string): never => { throw new Error(`ARPA line ${i + 1}: ${msg}`); };
  while (i < lines.length && lines[i].trim() !== '\\data\\') i++;
  if (i === lines.length) throw new Error('ARPA: missing \\data\\ header');
  i++;
  const counts: number[] = [];
  for (; i < lines.length && lines[i].trim() !== ''; i++) {
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(lines[i].trim());
    if (!m) fail(`expected "ngram N=count", got "${lines[i]}"`);
    else counts[Number(m[1]) - 1] = Number(m[2]);
  }
  const order = counts.length;
  if (order === 0 || counts.some((c) => c === undefined)) throw new Error('ARPA: header lists no or non-consecutive n-gram orders');
  const vocab: string[] = [];
  const ids = new Map<string, number>();
  const tables: { index: Map<number | string, number>; logp: Float32Array; bow: Float32Array }[] = [];
  for (let n = 1; n <= order; n++) {
    while (i < lines.length && lines[i].trim() === '') i++;
    if (lines[i]?.trim() !== `\\${n}-grams:`) fail(`expected \\${n}-grams:`);
    i++;
    const logp = new Float32Array(counts[n - 1]);
    const bow = new Float32Array(counts[n - 1]);
    // Keys are computed as entries are read (no per-entry arrays kept): peak memory matters at start-up.
    const index = new Map<number | string, number>();
    for (let k = 0; k < counts[n - 1]; k++, i++) {
      const f = (lines[i] ?? '').trim().split(/\s+/);
      if (f.length !== n + 1 && f.length !== n + 2) fail(`expected ${n}-gram entry, got "${lines[i] ?? ''}"`);
      const p = Number(f[0]);
      const b = f.length === n + 2 ? Number(f[n + 1]) : 0;
      if (!Number.isFinite(p) || !Number.isFinite(b)) fail(`bad number in "${lines[i]}"`);
      const tuple = f.slice(1, n + 1).map((w) => {
        let id = ids.get(w);
        if (id === undefined) {
          if (n > 1) fail(`word "${w}" is not among the unigrams`);
          id = vocab.length;
          vocab.push(w);
          ids.set(w, id);
        }
        return id as number;
      });
      index.set(NgramLM.keyOf(counts[0], order, tuple), k);
      logp[k] = p * Math.LN10;
      bow[k] = b * Math.LN10;
    }
    if (index.size !== counts[n - 1]) throw new Error(`ARPA: duplicate ${n}-gram entries`);
    tables.push({ index, logp, bow });
  }
  while (i < lines.length && lines[i].trim() === '') i++;
  if (lines[i]?.trim() !== '\\end\\') fail('expected \\end\\ (n-gram count in header does not match the entries?)');
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
