import type { PronunciationLookup } from '../../src-shared/units/lexicon-types.ts';
import { BLANK_ID, UNITS } from '../../src-shared/units/phonemes.ts';
import { isSoundUnit, unitIdIn } from '../../src-shared/units/sound-units.ts';
import { normalizePhrase } from '../lexicon/normalize-text.ts';
import { itemVariants } from '../lexicon/phrase-pronunciation.ts';

const NO_WORDS: readonly number[] = [];

/** One decoder vocabulary item: the output label and its pronunciations (phoneme or sound-unit symbols). */
export interface TrieEntry {
  word: string;
  pronunciations: readonly (readonly string[])[];
}

/**
 * Prefix tree over the unit-id sequences of all pronunciations of a vocabulary. Node 0 is the
 * root; child(node, unit) is O(1) (dense table of numUnits entries per node). A node where a
 * pronunciation ends lists the ids of the words ending there (homophones share a node).
 * Symbols resolve against the model's units (unitIdIn): phonemes by their fixed ids, sound units
 * `<sound:NAME>` by their index in the model's units list (MissingSoundUnitError when absent).
 */
export class LexiconTrie {
  /** Output labels; word ids index this array. */
  readonly words: readonly string[];
  readonly numUnits: number;
  readonly numNodes: number;
  private readonly table: Int32Array;
  /** Unit on the edge into each node (BLANK_ID for the root). */
  readonly nodeUnit: Int32Array;
  private readonly ends: ReadonlyMap<number, readonly number[]>;
  /** Whether each node has at least one child. */
  readonly hasChild: Uint8Array;
  /**
   * Sound units of the model that no pronunciation uses, ascending. A decoder treats them as blank
   * (dictation ignores a clap, a word loop a sound it does not list).
   */
  readonly unusedSoundUnits: readonly number[];

  /**
   * @param units the model's output units (ModelMetadata.units): the table is units.length wide.
   * A number n means n units of which only phonemes (fixed ids below n) can be used.
   */
  constructor(entries: readonly TrieEntry[], units: number | readonly string[] = UNITS) {
    const numUnits = typeof units === 'number' ? units : units.length;
    const unitList = typeof units === 'number' ? UNITS : units;
    // Dense child table grown by doubling (a plain number[] of ~3M entries costs ~40 MB at start-up).
    let table = new Int32Array(numUnits * 1024).fill(-1);
    const nodeUnit: number[] = [BLANK_ID];
    const parent: number[] = [-1];
    // Word ids ending at each node, keyed by node (a Map: a sparse array would fall into dictionary mode).
    const ends = new Map<number, number[]>();
    const words: string[] = [];
    // Symbols resolve once each (unitIdIn parses the symbol; a vocabulary repeats ~40 of them).
    const unitOf = new Map<string, number>();
    for (const e of entries) {
      if (e.pronunciations.length === 0) throw new Error(`LexiconTrie: "${e.word}" has no pronunciation`);
      const id = words.length;
      words.push(e.word);
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
            next = nodeUnit.length;
            nodeUnit.push(u);
            parent.push(node);
            if ((next + 1) * numUnits > table.length) {
              const grown = new Int32Array(table.length * 2);
              grown.set(table);
              grown.fill(-1, table.length);
              table = grown;
            }
            table[node * numUnits + u] = next;
          }
          node = next;
        }
        const list = ends.get(node);
        if (!list) ends.set(node, [id]);
        else if (!list.includes(id)) list.push(id);
      }
    }
    this.words = words;
    this.numUnits = numUnits;
    this.numNodes = nodeUnit.length;
    this.table = table.slice(0, this.numNodes * numUnits);
    this.nodeUnit = Int32Array.from(nodeUnit);
    this.ends = ends;
    this.hasChild = new Uint8Array(this.numNodes);
    for (let n = 1; n < this.numNodes; n++) this.hasChild[parent[n]] = 1;
    const used = new Set(this.nodeUnit);
    this.unusedSoundUnits = typeof units === 'number' ? [] : units.flatMap((u, id) => (isSoundUnit(u) && !used.has(id) ? [id] : []));
  }

  /**
   * Builds a trie for words or multi-word phrases over the model's `units`, pronounced with
   * `lookup` (all variants). An item with a sound token (`<sound:clap>`, alone or among words) is
   * normalized with normalizePhrase and pronounced word by word (at most 4 combinations), its
   * sounds as their single units.
   */
  static fromWords(words: readonly string[], lookup: PronunciationLookup, units: readonly string[] = UNITS): LexiconTrie {
    const seen = new Set<string>();
    const entries: TrieEntry[] = [];
    for (const raw of words) {
      const word = raw.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!word || seen.has(word)) continue;
      seen.add(word);
      const itemWords = word.includes('<') ? normalizePhrase(word) : [];
      const pronunciations = itemWords.some(isSoundUnit) ? itemVariants(itemWords, lookup, 4).map((v) => v.symbols) : lookup.pronounce(word).pronunciations;
      entries.push({ word, pronunciations });
    }
    if (entries.length === 0) throw new Error('LexiconTrie.fromWords: no words given');
    return new LexiconTrie(entries, units);
  }

  /** Child of `node` along unit `u`, or -1. */
  child(node: number, u: number): number {
    return this.table[node * this.numUnits + u];
  }

  /** Ids of the words whose pronunciation ends at `node` (empty when none). */
  wordsAt(node: number): readonly number[] {
    return this.ends.get(node) ?? NO_WORDS;
  }
}
