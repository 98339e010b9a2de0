import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { BLANK_ID, UNITS, phonemeId } from '../../src-shared/units/phonemes.ts';

/** One decoder vocabulary item: the output label and its pronunciations (phoneme symbols). */
export interface TrieEntry {
  word: string;
  pronunciations: readonly (readonly string[])[];
}

/**
 * Prefix tree over the unit-id sequences of all pronunciations of a vocabulary. Node 0 is the
 * root; child(node, unit) is O(1) (dense table of numUnits entries per node). A node where a
 * pronunciation ends lists the ids of the words ending there (homophones share a node).
 */
export class LexiconTrie {
  /** Output labels; word ids index this array. */
  readonly words: readonly string[];
  readonly numUnits: number;
  readonly numNodes: number;
  private readonly table: Int32Array;
  /** Unit on the edge into each node (BLANK_ID for the root). */
  readonly nodeUnit: Int32Array;
  private readonly ends: (readonly number[] | undefined)[];
  /** Whether each node has at least one child. */
  readonly hasChild: Uint8Array;

  constructor(entries: readonly TrieEntry[], numUnits = UNITS.length) {
    // Dense child table grown by doubling (a plain number[] of ~3M entries costs ~40 MB at start-up).
    let table = new Int32Array(numUnits * 1024).fill(-1);
    let nodes = 1;
    const nodeUnit: number[] = [BLANK_ID];
    const ends: number[][] = [];
    const words: string[] = [];
    for (const e of entries) {
      if (e.pronunciations.length === 0) throw new Error(`LexiconTrie: "${e.word}" has no pronunciation`);
      const id = words.length;
      words.push(e.word);
      for (const pron of e.pronunciations) {
        if (pron.length === 0) throw new Error(`LexiconTrie: "${e.word}" has an empty pronunciation`);
        let node = 0;
        for (const p of pron) {
          const u = phonemeId(p);
          if (u >= numUnits) throw new Error(`LexiconTrie: unit ${p} outside the ${numUnits} model units`);
          let next = table[node * numUnits + u];
          if (next < 0) {
            next = nodes++;
            nodeUnit.push(u);
            if (nodes * numUnits > table.length) {
              const grown = new Int32Array(table.length * 2).fill(-1);
              grown.set(table);
              table = grown;
            }
            table[node * numUnits + u] = next;
          }
          node = next;
        }
        const list = (ends[node] ??= []);
        if (!list.includes(id)) list.push(id);
      }
    }
    this.words = words;
    this.numUnits = numUnits;
    this.numNodes = nodeUnit.length;
    this.table = table.slice(0, this.numNodes * numUnits);
    this.nodeUnit = Int32Array.from(nodeUnit);
    this.ends = Array.from({ length: this.numNodes }, (_, i) => ends[i]);
    this.hasChild = new Uint8Array(this.numNodes);
    for (let n = 0; n < this.numNodes; n++) {
      for (let u = 0; u < numUnits; u++) if (this.table[n * numUnits + u] >= 0) { this.hasChild[n] = 1; break; }
    }
  }

  /** Builds a trie for words or multi-word phrases, pronounced with `lookup` (all variants). */
  static fromWords(words: readonly string[], lookup: PronunciationLookup): LexiconTrie {
    const seen = new Set<string>();
    const entries: TrieEntry[] = [];
    for (const raw of words) {
      const word = raw.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!word || seen.has(word)) continue;
      seen.add(word);
      entries.push({ word, pronunciations: lookup.pronounce(word).pronunciations });
    }
    if (entries.length === 0) throw new Error('LexiconTrie.fromWords: no words given');
    return new LexiconTrie(entries);
  }

  /** Child of `node` along unit `u`, or -1. */
  child(node: number, u: number): number {
    return this.table[node * this.numUnits + u];
  }

  /** Ids of the words whose pronunciation ends at `node` (empty when none). */
  wordsAt(node: number): readonly number[] {
    return this.ends[node] ?? [];
  }
}
