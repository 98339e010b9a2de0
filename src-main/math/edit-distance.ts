/** Levenshtein distance between two sequences (substitutions, insertions, deletions cost 1). */
export function editDistance<T>(ref: readonly T[], hyp: readonly T[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hyp.length];
}

export interface ErrorRate {
  /** errors / total; 0 when there is nothing to compare against. */
  rate: number;
  /** Summed edit distances. */
  errors: number;
  /** Summed reference lengths. */
  total: number;
}

/**
 * Error rate of hypotheses against references, summed over all pairs (errors / reference length):
 * word error rate over word sequences, phoneme error rate over unit sequences.
 */
export function errorRate<T>(pairs: readonly { ref: readonly T[]; hyp: readonly T[] }[]): ErrorRate {
  let errors = 0, total = 0;
  for (const p of pairs) { errors += editDistance(p.ref, p.hyp); total += p.ref.length; }
  return { rate: total ? errors / total : 0, errors, total };
}

/** The words of a transcript: split at spaces, empty pieces dropped. */
export const transcriptWords = (text: string): string[] => text.split(' ').filter(Boolean);

/** Word error rate of transcripts (strings of space-separated words). */
export function wordErrorRate(pairs: readonly { ref: string; hyp: string }[]): ErrorRate {
  return errorRate(pairs.map((p) => ({ ref: transcriptWords(p.ref), hyp: transcriptWords(p.hyp) })));
}

/**
 * For each hypothesis item, the index of the reference item a minimum-edit alignment pairs it with
 * (equal: a hit, or a substitution), or -1 when it is an insertion. Ties prefer hits.
 */
export function alignHypothesis<T>(ref: readonly T[], hyp: readonly T[]): number[] {
  const n = ref.length, m = hyp.length;
  const d = Array.from({ length: n + 1 }, (_, i) => { const row = new Int32Array(m + 1); row[0] = i; return row; });
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
  }
  const pairedWith = new Array<number>(m).fill(-1);
  let i = n, j = m;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === hyp[j - 1] && d[i][j] === d[i - 1][j - 1]) { pairedWith[j - 1] = i - 1; i--; j--; }
    else if (d[i][j] === d[i - 1][j - 1] + 1) { pairedWith[j - 1] = i - 1; i--; j--; }
    else if (d[i][j] === d[i][j - 1] + 1) j--;
    else i--;
  }
  return pairedWith;
}

/**
 * For each hypothesis item, whether a minimum-edit alignment with `ref` matches it to an equal
 * reference item (a hit) rather than a substitution or insertion. Ties prefer hits.
 */
export function alignedHits<T>(ref: readonly T[], hyp: readonly T[]): boolean[] {
  return alignHypothesis(ref, hyp).map((i, j) => i >= 0 && ref[i] === hyp[j]);
}
