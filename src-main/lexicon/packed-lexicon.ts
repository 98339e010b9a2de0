/**
 * Pronunciations of a fixed vocabulary packed in three typed arrays, so that they load from a
 * binary file without per-word parsing (the dictation LM's file, src-main/decode/compact-lm-file.ts).
 */
import type { LexiconEntry, Pronunciation, PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { phonemeId, UNITS } from '../../src-shared/units/phonemes.ts';

/**
 * Word i of the vocabulary has the pronunciations pronStart[i] .. pronStart[i+1]-1 (none: the word
 * is not pronounced here); pronunciation j is the phoneme ids (src-shared/units/phonemes.ts UNITS,
 * 1..39) phones[phoneStart[j] .. phoneStart[j+1]-1].
 */
export interface PackedPronunciations {
  pronStart: Uint32Array;
  phoneStart: Uint32Array;
  phones: Uint8Array;
}

/** Packs `table`'s pronunciations of `vocab`, in vocabulary order; words not in `table` get none. */
export function packPronunciations(vocab: readonly string[], table: ReadonlyMap<string, readonly Pronunciation[]>): PackedPronunciations {
  const pronStart = new Uint32Array(vocab.length + 1);
  const phoneStart: number[] = [0];
  const phones: number[] = [];
  vocab.forEach((w, i) => {
    for (const p of table.get(w) ?? []) {
      for (const ph of p) phones.push(phonemeId(ph));
      phoneStart.push(phones.length);
    }
    pronStart[i + 1] = phoneStart.length - 1;
  });
  return { pronStart, phoneStart: Uint32Array.from(phoneStart), phones: Uint8Array.from(phones) };
}

/**
 * Throws `Error(what: reason)` unless the arrays' sizes and ends are consistent with a vocabulary
 * of `V` words (constant time: a damaged file is caught by its checksum, compact-lm-file.ts, and
 * the values in between are checked where read, unpackPronunciations).
 */
export function checkPackedPronunciations(p: PackedPronunciations, V: number, what: string): void {
  const fail = (reason: string): never => { throw new Error(`${what}: ${reason}`); };
  if (p.pronStart.length !== V + 1) fail(`pronunciation index has ${p.pronStart.length} entries for ${V} words`);
  const P = p.phoneStart.length - 1;
  if (P < 0 || p.pronStart[0] !== 0 || p.pronStart[V] !== P) fail('pronunciation index does not cover the pronunciations');
  if (p.phoneStart[0] !== 0 || p.phoneStart[P] !== p.phones.length) fail('phoneme index does not cover the phonemes');
}

/**
 * Word `i`'s pronunciations as phoneme symbols, fresh arrays (empty when it has none). Checks what
 * it reads (the ranges in order and within the arrays, the phoneme ids 1..39), so that packed
 * arrays checked only by checkPackedPronunciations never read out of range or answer a wrong
 * phoneme: throws `Error(what: reason)` instead.
 */
export function unpackPronunciations(packed: PackedPronunciations, i: number, what = 'packed pronunciations'): Pronunciation[] {
  const { pronStart, phoneStart, phones } = packed;
  const first = pronStart[i], end = pronStart[i + 1];
  if (!(first <= end && end < phoneStart.length)) unpackFailed(what, i, 'pronunciation range out of order or out of bounds');
  const out: Pronunciation[] = [];
  for (let j = first; j < end; j++) {
    const a = phoneStart[j], b = phoneStart[j + 1];
    if (!(a <= b && b <= phones.length)) unpackFailed(what, i, 'phoneme range out of order or out of bounds');
    const p: string[] = [];
    for (let k = a; k < b; k++) {
      const id = phones[k];
      if (id === 0 || id >= UNITS.length) unpackFailed(what, i, `phoneme id ${id} out of range`);
      p.push(UNITS[id]);
    }
    out.push(p);
  }
  return out;
}

function unpackFailed(what: string, i: number, reason: string): never {
  throw new Error(`${what}: word ${i}: ${reason}`);
}

/**
 * A PronunciationLookup over packed pronunciations: a word of the vocabulary (`idOf` gives its
 * index, -1 when absent) that has pronunciations gets them; any other word goes to the fallback,
 * created only when first needed (it may load CMUdict and G2P).
 */
export class PackedLexicon implements PronunciationLookup {
  private fallback: PronunciationLookup | undefined;

  constructor(
    private readonly packed: PackedPronunciations,
    private readonly idOf: (word: string) => number,
    private readonly makeFallback: () => PronunciationLookup,
  ) {}

  /** The pronunciations of vocabulary word `id` (empty when it has none). */
  pronunciationsOf(id: number): Pronunciation[] {
    return unpackPronunciations(this.packed, id);
  }

  pronounce(word: string): LexiconEntry {
    const key = word.toLowerCase();
    const id = this.idOf(key);
    if (id >= 0 && this.packed.pronStart[id + 1] > this.packed.pronStart[id]) {
      return { word: key, pronunciations: this.pronunciationsOf(id), source: 'cmudict' };
    }
    this.fallback ??= this.makeFallback();
    return this.fallback.pronounce(word);
  }
}
