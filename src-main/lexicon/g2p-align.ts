import { PHONEMES } from '../../src-shared/units/phonemes.ts';

/**
 * Letter-to-phoneme alignment for training the G2P model. Each letter emits nothing (epsilon),
 * one phoneme, or a pair of phonemes ("x" -> K S); every phoneme comes from exactly one letter.
 * The emission table is learned with hard (Viterbi) EM starting from letter-phoneme co-occurrence
 * counts, as in many-to-many aligners (Jiampojamarn et al. 2007, restricted here to 1-to-{0,1,2}).
 */

/** Output symbol codes: 0 = epsilon, 1..39 = one phoneme (index in PHONEMES + 1), 40.. = pair. */
export const NUM_PHONES = PHONEMES.length;
export const NUM_OUTPUTS = 1 + NUM_PHONES + NUM_PHONES * NUM_PHONES;
/** Letter codes: 0 = word boundary, 1..26 = a..z, 27 = apostrophe. */
export const NUM_LETTERS = 28;

const PHONE_CODE = new Map<string, number>(PHONEMES.map((p, i) => [p, i + 1]));

export function letterCode(ch: string): number {
  if (ch === "'") return 27;
  const c = ch.charCodeAt(0) - 96;
  if (c < 1 || c > 26) throw new Error(`g2p: unsupported letter "${ch}"`);
  return c;
}

export function phoneCode(p: string): number {
  const c = PHONE_CODE.get(p);
  if (c === undefined) throw new Error(`g2p: unknown phoneme "${p}"`);
  return c;
}

export function pairCode(a: number, b: number): number {
  return 1 + NUM_PHONES + (a - 1) * NUM_PHONES + (b - 1);
}

/** Phonemes of an output code. */
export function outputPhones(code: number): string[] {
  if (code === 0) return [];
  if (code <= NUM_PHONES) return [PHONEMES[code - 1]];
  const k = code - 1 - NUM_PHONES;
  return [PHONEMES[Math.floor(k / NUM_PHONES)], PHONEMES[k % NUM_PHONES]];
}

/** One training word: letter codes and phoneme codes. */
export interface G2PExample {
  letters: Uint8Array;
  phones: Uint8Array;
}

/** Scratch buffers for alignExample, grown on demand (alignment runs ~10^5 times per training). */
let scoreBuf = new Float64Array(0);
let backBuf = new Uint8Array(0);

/** Best alignment of one example under log-emission table `logEmit` [letter * NUM_OUTPUTS + output]; null if none. */
export function alignExample(ex: G2PExample, logEmit: Float64Array): Uint16Array | null {
  const n = ex.letters.length;
  const m = ex.phones.length;
  if (m > 2 * n) return null;
  const W = m + 1;
  if (scoreBuf.length < (n + 1) * W) {
    scoreBuf = new Float64Array((n + 1) * W * 2);
    backBuf = new Uint8Array((n + 1) * W * 2);
  }
  const score = scoreBuf;
  const back = backBuf;
  const ph = ex.phones;
  score[0] = 0;
  for (let j = 1; j <= m; j++) score[j] = -Infinity;
  for (let i = 1; i <= n; i++) {
    const base = ex.letters[i - 1] * NUM_OUTPUTS;
    const prev = (i - 1) * W;
    const row = i * W;
    for (let j = 0; j <= m; j++) {
      let best = score[prev + j] + logEmit[base];
      let arg = 0;
      if (j >= 1) {
        const s = score[prev + j - 1] + logEmit[base + ph[j - 1]];
        if (s > best) { best = s; arg = 1; }
        if (j >= 2) {
          const s2 = score[prev + j - 2] + logEmit[base + NUM_PHONES + 1 + (ph[j - 2] - 1) * NUM_PHONES + ph[j - 1] - 1];
          if (s2 > best) { best = s2; arg = 2; }
        }
      }
      score[row + j] = best;
      back[row + j] = arg;
    }
  }
  if (score[n * W + m] === -Infinity) return null;
  const out = new Uint16Array(n);
  for (let i = n, j = m; i >= 1; i--) {
    const k = back[i * W + j];
    out[i - 1] = k === 0 ? 0 : k === 1 ? ph[j - 1] : pairCode(ph[j - 2], ph[j - 1]);
    j -= k;
  }
  return out;
}

/** Log-emission table from counts with add-`alpha` smoothing; pairs get an extra log penalty. */
function tableFromCounts(counts: Float64Array, alpha: number, pairPenalty: number): Float64Array {
  const t = new Float64Array(counts.length);
  for (let l = 0; l < NUM_LETTERS; l++) {
    let total = 0;
    for (let o = 0; o < NUM_OUTPUTS; o++) total += counts[l * NUM_OUTPUTS + o] + alpha;
    for (let o = 0; o < NUM_OUTPUTS; o++) {
      t[l * NUM_OUTPUTS + o] = Math.log((counts[l * NUM_OUTPUTS + o] + alpha) / total) - (o > NUM_PHONES ? pairPenalty : 0);
    }
  }
  return t;
}

/**
 * Aligns all examples: co-occurrence initialisation, then `iterations` rounds of Viterbi EM.
 * Returns one alignment per example (null where the word cannot be aligned).
 */
export function alignAll(examples: G2PExample[], iterations = 2): (Uint16Array | null)[] {
  const counts = new Float64Array(NUM_LETTERS * NUM_OUTPUTS);
  for (const ex of examples) {
    for (const l of ex.letters) {
      counts[l * NUM_OUTPUTS] += 0.5;
      for (const p of ex.phones) counts[l * NUM_OUTPUTS + p] += 1 / ex.letters.length;
    }
  }
  let table = tableFromCounts(counts, 0.01, 6);
  let aligned: (Uint16Array | null)[] = [];
  for (let it = 0; it < iterations; it++) {
    counts.fill(0);
    aligned = examples.map((ex) => alignExample(ex, table));
    aligned.forEach((a, k) => {
      if (!a) return;
      const ls = examples[k].letters;
      for (let i = 0; i < a.length; i++) counts[ls[i] * NUM_OUTPUTS + a[i]] += 1;
    });
    table = tableFromCounts(counts, 0.01, 0);
  }
  return aligned;
}
