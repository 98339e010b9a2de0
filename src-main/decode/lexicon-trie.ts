import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { BLANK_ID, UNITS } from '../../src-shared/units/phonemes.ts';
import { isSoundUnit, unitIdIn } from '../../src-shared/units/sound-units.ts';
import { normalizePhrase } from '../lexicon/normalize-text.ts';
import { itemVariants } from '../lexicon/phrase-pronunciation.ts';

/** One decoder vocabulary item: the output label and its pronunciations (phoneme or sound-unit symbols). */
export interface TrieEntry {
  word: string;
  pronunciations: readonly (readonly string[])[];
}

/**
 * The arrays a LexiconTrie consists of (see its fields). Word ends are compressed rows: the ids of
 * the words ending at node n are endWords[endStart[n] .. endStart[n+1]-1], ascending.
 */
export interface LexiconTrieParts {
  words: readonly string[];
  numUnits: number;
  numNodes: number;
  /** numNodes rows of numUnits child ids (-1: none); may be longer (rows past numNodes unused). */
  table: Int32Array;
  nodeUnit: Int32Array;
  hasChild: Uint8Array;
  endStart: Uint32Array;
  endWords: Uint32Array;
  unusedSoundUnits: readonly number[];
}

/**
 * Prefix tree over the unit-id sequences of all pronunciations of a vocabulary. Node 0 is the
 * root; child(node, unit) is O(1) (dense table of numUnits entries per node). A node where a
 * pronunciation ends lists the ids of the words ending there (homophones share a node).
 * Symbols resolve against the model's units (unitIdIn): phonemes by their fixed ids, sound units
 * `<sound:NAME>` by their index in the model's units list (MissingSoundUnitError when absent).
 * Nodes are numbered in the order entries create them, so a trie is fully determined by its
 * entries in order (what lexicon-trie-file.ts relies on).
 */
export class LexiconTrie {
  /** Output labels; word ids index this array. */
  readonly words: readonly string[];
  readonly numUnits: number;
  readonly numNodes: number;
  private readonly table: Int32Array;
  /** Unit on the edge into each node (BLANK_ID for the root). */
  readonly nodeUnit: Int32Array;
  /** Whether each node has at least one child. */
  readonly hasChild: Uint8Array;
  /** Word ends as compressed rows (LexiconTrieParts); wordsAt reads them, a hot loop may too. */
  readonly endStart: Uint32Array;
  readonly endWords: Uint32Array;
  /**
   * Sound units of the model that no pronunciation uses, ascending. A decoder treats them as blank
   * (dictation ignores a clap, a word loop a sound it does not list).
   */
  readonly unusedSoundUnits: readonly number[];

  /**
   * @param entries the vocabulary, or the parts of a trie made before (LexiconTrie.parts, lexicon-trie-file.ts)
   * @param units the model's output units (ModelMetadata.units): the table is units.length wide.
   * A number n means n units of which only phonemes (fixed ids below n) can be used.
   */
  constructor(entries: readonly TrieEntry[] | LexiconTrieParts, units: number | readonly string[] = UNITS) {
    const p = Array.isArray(entries) ? insertEntries(emptyParts(units), entries as readonly TrieEntry[], units, true) : entries as LexiconTrieParts;
    this.words = p.words;
    this.numUnits = p.numUnits;
    this.numNodes = p.numNodes;
    this.table = p.table;
    this.nodeUnit = p.nodeUnit;
    this.hasChild = p.hasChild;
    this.endStart = p.endStart;
    this.endWords = p.endWords;
    this.unusedSoundUnits = p.unusedSoundUnits;
  }

  /**
   * Builds a trie for words or multi-word phrases over the model's `units`, pronounced with
   * `lookup` (all variants). An item with a sound token (`<sound:clap>`, alone or among words) is
   * normalized with normalizePhrase and pronounced word by word (at most 4 combinations), its
   * sounds as their single units.
   */
  static fromWords(words: readonly string[], lookup: PronunciationLookup, units: readonly string[] = UNITS): LexiconTrie {
    const entries = wordEntries(words, lookup, []);
    if (entries.length === 0) throw new Error('LexiconTrie.fromWords: no words given');
    return new LexiconTrie(entries, units);
  }

  /**
   * A new trie: this one with `words` appended, exactly what fromWords would build from this
   * trie's words followed by `words` (same node and word numbering); this trie is left unchanged.
   * `units` must be the list this trie was built over.
   */
  withWords(words: readonly string[], lookup: PronunciationLookup, units: readonly string[] = UNITS): LexiconTrie {
    if (units.length !== this.numUnits) throw new Error(`LexiconTrie.withWords: ${units.length} units, the trie has ${this.numUnits}`);
    const entries = wordEntries(words, lookup, this.words);
    return entries.length === 0 ? this : new LexiconTrie(insertEntries(this.parts(), entries, units, false), units);
  }

  /** The arrays of this trie (shared, not copied). */
  parts(): LexiconTrieParts {
    const { words, numUnits, numNodes, table, nodeUnit, hasChild, endStart, endWords, unusedSoundUnits } = this;
    return { words, numUnits, numNodes, table, nodeUnit, hasChild, endStart, endWords, unusedSoundUnits };
  }

  /** Child of `node` along unit `u`, or -1. */
  child(node: number, u: number): number {
    return this.table[node * this.numUnits + u];
  }

  /** Ids of the words whose pronunciation ends at `node` (empty when none), ascending; a view. */
  wordsAt(node: number): Uint32Array {
    return this.endWords.subarray(this.endStart[node], this.endStart[node + 1]);
  }
}

/**
 * fromWords' items as entries: trimmed, lower-cased, blanks collapsed, repeats and the words of
 * `existing` (a trie's words) skipped.
 */
export function wordEntries(words: readonly string[], lookup: PronunciationLookup, existing: readonly string[]): TrieEntry[] {
  if (words.length === 0) return [];
  const seen = new Set(existing);
  const entries: TrieEntry[] = [];
  for (const raw of words) {
    const word = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!word || seen.has(word)) continue;
    seen.add(word);
    const itemWords = word.includes('<') ? normalizePhrase(word) : [];
    const pronunciations = itemWords.some(isSoundUnit) ? itemVariants(itemWords, lookup, 4).map((v) => v.symbols) : lookup.pronounce(word).pronunciations;
    entries.push({ word, pronunciations });
  }
  return entries;
}

/** A trie with only the root. */
function emptyParts(units: number | readonly string[]): LexiconTrieParts {
  const numUnits = typeof units === 'number' ? units : units.length;
  const unusedSoundUnits = typeof units === 'number' ? [] : units.flatMap((u, id) => (isSoundUnit(u) ? [id] : []));
  return {
    words: [], numUnits, numNodes: 1, table: new Int32Array(numUnits).fill(-1), nodeUnit: Int32Array.of(BLANK_ID),
    hasChild: new Uint8Array(1), endStart: new Uint32Array(2), endWords: new Uint32Array(0), unusedSoundUnits,
  };
}

/** The most nodes `entries` can add to a trie (one per symbol). */
export function maxNewNodes(entries: readonly TrieEntry[]): number {
  let n = 0;
  for (const e of entries) for (const pron of e.pronunciations) n += pron.length;
  return n;
}

/**
 * `base` with `entries` appended. `owned`: base's table, nodeUnit and hasChild are written into
 * (the caller gives them up) when they have room for maxNewNodes(entries) more rows (table -1,
 * the others 0); otherwise, and when not owned, they are copied and `base` is not changed.
 */
export function insertEntries(base: LexiconTrieParts, entries: readonly TrieEntry[], units: number | readonly string[], owned: boolean): LexiconTrieParts {
  const { numUnits } = base;
  const unitList = typeof units === 'number' ? UNITS : units;
  const extra = maxNewNodes(entries);
  let capacity: number;
  let table: Int32Array;
  let nodeUnit: Int32Array;
  let hasChild: Uint8Array;
  if (owned && base.table.length >= (base.numNodes + extra) * numUnits && base.nodeUnit.length >= base.numNodes + extra && base.hasChild.length >= base.numNodes + extra) {
    ({ table, nodeUnit, hasChild } = base);
    capacity = base.numNodes + extra;
  } else {
    // Rows grow by doubling (a plain number[] of ~3M entries costs ~40 MB at start-up); past a
    // built trie, by `extra`, so that a few added words cost one copy.
    capacity = base.numNodes === 1 ? 1024 : base.numNodes + extra;
    table = new Int32Array(capacity * numUnits);
    table.set(base.table.subarray(0, base.numNodes * numUnits));
    table.fill(-1, base.numNodes * numUnits);
    nodeUnit = new Int32Array(capacity);
    nodeUnit.set(base.nodeUnit.subarray(0, base.numNodes));
    hasChild = new Uint8Array(capacity);
    hasChild.set(base.hasChild.subarray(0, base.numNodes));
  }
  let numNodes = base.numNodes;
  // Word ends of the new entries as (node, word id) pairs, in id order.
  const endNode: number[] = [];
  const endWord: number[] = [];
  const words = [...base.words];
  // Symbols resolve once each (unitIdIn parses the symbol; a vocabulary repeats ~40 of them).
  const unitOf = new Map<string, number>();
  for (const e of entries) {
    if (e.pronunciations.length === 0) throw new Error(`LexiconTrie: "${e.word}" has no pronunciation`);
    const id = words.length;
    words.push(e.word);
    const firstEnd = endNode.length;
    for (const pron of e.pronunciations) {
      if (pron.length === 0) throw new Error(`LexiconTrie: "${e.word}" has an empty pronunciation`);
      let node = 0;
      for (const p of pron) {
        let u = unitOf.get(p);
        if (u === undefined) {
          u = unitIdIn(unitList, p);
          if (u >= numUnits) throw new Error(`LexiconTrie: unit ${p} outside the ${numUnits} model units`);
          unitOf.set(p, u);
        }
        let next = table[node * numUnits + u];
        if (next < 0) {
          next = numNodes++;
          if (next >= capacity) {
            capacity *= 2;
            table = grown(table, capacity * numUnits, -1);
            nodeUnit = grown(nodeUnit, capacity, 0);
            hasChild = grown(hasChild, capacity, 0);
          }
          nodeUnit[next] = u;
          hasChild[node] = 1;
          table[node * numUnits + u] = next;
        }
        node = next;
      }
      // Two pronunciations of one word may end at the same node: list the word once.
      if (!endNode.includes(node, firstEnd)) {
        endNode.push(node);
        endWord.push(id);
      }
    }
  }
  // Trim the rows only when many are unused: a copy of a large table costs more than a few spare rows.
  const trim = <T extends Int32Array | Uint8Array>(a: T, used: number): T => (a.length > 2 * used ? a.slice(0, used) : a.subarray(0, used)) as T;
  const used = new Uint8Array(numUnits);
  for (let n = base.numNodes; n < numNodes; n++) used[nodeUnit[n]] = 1;
  return {
    words, numUnits, numNodes,
    table: trim(table, numNodes * numUnits), nodeUnit: trim(nodeUnit, numNodes), hasChild: trim(hasChild, numNodes),
    ...mergeEnds(base, numNodes, endNode, endWord),
    unusedSoundUnits: base.unusedSoundUnits.filter((u) => !used[u]),
  };
}

/** `a` copied into a longer array, the new tail set to `fill`. */
function grown<T extends Int32Array | Uint8Array>(a: T, length: number, fill: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

/** The base trie's word ends followed, per node, by the new (node, word id) pairs. */
function mergeEnds(base: LexiconTrieParts, numNodes: number, endNode: readonly number[], endWord: readonly number[]): { endStart: Uint32Array; endWords: Uint32Array } {
  const endStart = new Uint32Array(numNodes + 1);
  for (let n = 0; n < base.numNodes; n++) endStart[n + 1] = base.endStart[n + 1] - base.endStart[n];
  for (const n of endNode) endStart[n + 1]++;
  for (let n = 0; n < numNodes; n++) endStart[n + 1] += endStart[n];
  const at = endStart.slice(0, numNodes);
  const endWords = new Uint32Array(endStart[numNodes]);
  for (let n = 0; n < base.numNodes; n++) {
    for (let k = base.endStart[n]; k < base.endStart[n + 1]; k++) endWords[at[n]++] = base.endWords[k];
  }
  endNode.forEach((n, i) => { endWords[at[n]++] = endWord[i]; });
  return { endStart, endWords };
}
