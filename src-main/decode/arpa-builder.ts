/**
 * Builds a trigram (or bigram) back-off LM with interpolated Kneser-Ney smoothing and writes it
 * as ARPA text. Smoothing follows Chen & Goodman (1998), "An empirical study of smoothing
 * techniques", interpolated KN with one absolute discount per order, D = n1 / (n1 + 2 n2):
 *   highest order:  p(w|h)  = max(c(hw) - D, 0) / c(h.) + D N1+(h.) / c(h.) * p(w|h')
 *   lower orders use continuation counts N1+(.hw) (raw counts for n-grams starting with <s>),
 *   unigrams interpolate with the uniform distribution over the vocabulary.
 * Pruning: n-grams of order >= 2 seen fewer than `minCount[n]` times are dropped (their
 * prefixes/suffixes of kept n-grams are always kept), and back-off weights are recomputed so
 * every conditional distribution still sums to one:
 *   bow(h) = (1 - sum_{kept hw} p(w|h)) / (1 - sum_{kept hw} P_lower(w|h')).
 */
export interface ArpaBuildOptions {
  /** N-gram order: 2 or 3. */
  order?: number;
  /** Keep words seen at least this many times... */
  minWordCount?: number;
  /** ...and at most this many of them (most frequent first); the rest become <unk>. */
  maxVocab?: number;
  /** minCount[n-1]: minimum raw count of a kept n-gram (index 0, unigrams, is ignored). */
  minCount?: number[];
  /** Words always in the vocabulary (e.g. the command and digit words). */
  forceVocab?: Iterable<string>;
}

export interface ArpaBuildResult {
  arpa: string;
  vocab: string[];
  counts: number[];
}

const SEP = '\u0001';

/** Builds the ARPA text from sentences (each a list of normalized words). */
export function buildArpa(sentences: readonly (readonly string[])[], opts: ArpaBuildOptions = {}): ArpaBuildResult {
  const order = opts.order ?? 3;
  if (order !== 2 && order !== 3) throw new Error(`buildArpa: order must be 2 or 3, got ${order}`);
  const minCount = opts.minCount ?? [1, 1, 2];
  const wordCounts = new Map<string, number>();
  for (const s of sentences) for (const w of s) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const forced = new Set(opts.forceVocab ?? []);
  const ranked = [...wordCounts].filter(([w, c]) => c >= (opts.minWordCount ?? 2) && !forced.has(w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.max(0, (opts.maxVocab ?? 20000) - forced.size))
    .map(([w]) => w);
  const vocabSet = new Set([...forced, ...ranked]);
  const vocab = ['</s>', '<s>', '<unk>', ...[...vocabSet].sort()];

  // Raw counts of all n-grams of orders 1..order (n-gram = words joined by SEP).
  const raw: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  for (const s of sentences) {
    const toks = ['<s>', ...s.map((w) => (vocabSet.has(w) ? w : '<unk>')), '</s>'];
    for (let n = 1; n <= order; n++) {
      for (let i = n === 1 ? 1 : 0; i + n <= toks.length; i++) {
        const g = toks.slice(i, i + n).join(SEP);
        raw[n - 1].set(g, (raw[n - 1].get(g) ?? 0) + 1);
      }
    }
  }
  // KN counts: highest order raw; lower orders continuation counts, except n-grams starting with <s>.
  const kn: Map<string, number>[] = raw.map((m, n) => (n === order - 1 ? m : new Map<string, number>()));
  for (let n = order - 1; n >= 1; n--) {
    const lower = kn[n - 1];
    for (const g of raw[n].keys()) {
      const suffix = g.slice(g.indexOf(SEP) + 1);
      if (!suffix.startsWith(`<s>${SEP}`) && suffix !== '<s>') lower.set(suffix, (lower.get(suffix) ?? 0) + 1);
    }
    for (const [g, c] of raw[n - 1]) if (g.startsWith('<s>')) lower.set(g, c);
  }
  for (const w of vocab) if (w !== '<s>' && !kn[0].has(w)) kn[0].set(w, 0);

  const discount = kn.map((m) => {
    let n1 = 0;
    let n2 = 0;
    for (const c of m.values()) { if (c === 1) n1++; else if (c === 2) n2++; }
    return n1 + n2 > 0 ? Math.min(0.95, Math.max(0.05, n1 / (n1 + 2 * n2))) : 0.5;
  });
  // Context statistics per order: total KN count c(h.) and distinct followers N1+(h.).
  const ctxStats = kn.map((m, n) => {
    const stats = new Map<string, { total: number; types: number }>();
    if (n === 0) return stats;
    for (const [g, c] of m) {
      const h = g.slice(0, g.lastIndexOf(SEP));
      const st = stats.get(h) ?? { total: 0, types: 0 };
      st.total += c;
      if (c > 0) st.types++;
      stats.set(h, st);
    }
    return stats;
  });
  // Interpolated probabilities of every n-gram seen (natural probabilities, not logs).
  const prob: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  let uniTotal = 0;
  let uniTypes = 0;
  for (const c of kn[0].values()) { uniTotal += c; if (c > 0) uniTypes++; }
  const V = vocab.length - 1; // <s> is never predicted
  const p1 = (w: string): number =>
    Math.max((kn[0].get(w) ?? 0) - discount[0], 0) / uniTotal + (discount[0] * uniTypes) / uniTotal / V;
  for (const w of kn[0].keys()) prob[0].set(w, p1(w));
  const interp = (n: number, g: string): number => {
    // Probability of the n-gram g (n words) under the full interpolated model.
    if (n === 1) return prob[0].get(g) ?? p1(g);
    const cut = g.indexOf(SEP);
    const lower = interp(n - 1, g.slice(cut + 1));
    const st = ctxStats[n - 1].get(g.slice(0, g.lastIndexOf(SEP)));
    if (!st) return lower;
    const c = kn[n - 1].get(g) ?? 0;
    return Math.max(c - discount[n - 1], 0) / st.total + ((discount[n - 1] * st.types) / st.total) * lower;
  };
  for (let n = 2; n <= order; n++) for (const g of kn[n - 1].keys()) prob[n - 1].set(g, interp(n, g));

  // Pruning, keeping the prefixes and suffixes of kept higher-order n-grams.
  const kept: Set<string>[] = Array.from({ length: order }, () => new Set());
  for (const g of prob[0].keys()) kept[0].add(g);
  kept[0].add('<s>');
  for (let n = order; n >= 2; n--) {
    for (const [g, c] of raw[n - 1]) if (c >= (minCount[n - 1] ?? 1)) kept[n - 1].add(g);
    if (n < order) continue;
    for (const g of kept[n - 1]) {
      kept[n - 2].add(g.slice(0, g.lastIndexOf(SEP)));
      kept[n - 2].add(g.slice(g.indexOf(SEP) + 1));
    }
  }
  for (let n = 2; n < order; n++) for (const g of [...kept[n - 1]]) if (!prob[n - 1].has(g)) kept[n - 1].delete(g);

  // Back-off weights, lowest order first, so P_lower can use the already-final lower model.
  const bow: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  const arpaProb = (n: number, g: string): number => {
    if (kept[n - 1].has(g) && prob[n - 1].has(g)) return prob[n - 1].get(g)!;
    const cut = g.indexOf(SEP);
    return (bow[n - 2].get(g.slice(0, g.lastIndexOf(SEP))) ?? 1) * arpaProb(n - 1, g.slice(cut + 1));
  };
  for (let n = 2; n <= order; n++) {
    const sums = new Map<string, [number, number]>();
    for (const g of kept[n - 1]) {
      const h = g.slice(0, g.lastIndexOf(SEP));
      const s = sums.get(h) ?? [0, 0];
      s[0] += prob[n - 1].get(g)!;
      s[1] += arpaProb(n - 1, g.slice(g.indexOf(SEP) + 1));
      sums.set(h, s);
    }
    for (const h of kept[n - 2]) {
      const s = sums.get(h);
      bow[n - 2].set(h, s ? Math.max(1e-12, 1 - s[0]) / Math.max(1e-12, 1 - s[1]) : 1);
    }
  }

  const out: string[] = ['', '\\data\\'];
  const counts = kept.map((k) => k.size);
  counts.forEach((c, n) => out.push(`ngram ${n + 1}=${c}`));
  const fmt = (x: number): string => (x === 0 ? '0' : x.toFixed(6).replace(/\.?0+$/, ''));
  for (let n = 1; n <= order; n++) {
    out.push('', `\\${n}-grams:`);
    for (const g of [...kept[n - 1]].sort()) {
      const p = g === '<s>' ? -99 : Math.log10(prob[n - 1].get(g)!);
      const words = g.split(SEP).join(' ');
      const b = n < order ? bow[n - 1].get(g) : undefined;
      out.push(b === undefined || b === 1 ? `${fmt(p)}\t${words}` : `${fmt(p)}\t${words}\t${fmt(Math.log10(b))}`);
    }
  }
  out.push('', '\\end\\', '');
  return { arpa: out.join('\n'), vocab, counts };
}
