/**
 * The file form of a LexiconTrie, stored in the dictation LM's .hlm file (compact-lm-file.ts) so
 * that start-up does not build it: building the trie of the shipped 20,015 words cost ~300 ms of
 * CPU in a fresh process (pronouncing every word, then the insertion loop, all still interpreted).
 *
 * Stored per node n >= 1: its parent (`trie-parent`, u32, always < n: nodes are numbered as they
 * are created) and the unit on the edge into it (`trie-unit`, u8); word ends as compressed rows
 * (`trie-end-start`, u32 x nodes+1; `trie-end-words`, u32 word ids). Restoring is one pass over
 * the nodes that fills the dense child table. Chosen over storing the dense table itself
 * (nodes x units Int32: 8.2 MB more for the shipped trie, against 0.55 MB here): measured cold in
 * fresh processes on the 2-core build machine, reading those 8 MB and their CRC cost 34-39 ms of
 * CPU, restoring here 30-34 ms (24 of them allocating and filling the table: first touches of
 * 8 MB, which reading them would pay as well), and the file stays 7.1 MB instead of 14.8 MB.
 *
 * The header (TrieHeader) names the units list the trie was built over (ModelMetadata.units) and
 * the words it covers (count and SHA-256 of the words joined by '\n': the LM vocabulary as
 * dictationWords filters it, in order, word id = index). A trie is used only where both match.
 * Restoring checks every value (parent < node, unit < units, word id < words, rows in order), so
 * a damaged or hostile file cannot make the decoder read outside its arrays.
 */
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { isSoundUnit } from '../../src-shared/units/sound-units.ts';
import { sha256 } from '../system/sha256.ts';
import { insertEntries, LexiconTrie, maxNewNodes, type TrieEntry } from './lexicon-trie.ts';

/** What a .hlm header says about its trie. */
export interface TrieHeader {
  /** The model units the trie was built over, in order. */
  units: string[];
  /** Number of words covered, and the SHA-256 of them joined by '\n'. */
  words: number;
  wordsSha256: string;
  nodes: number;
  /** Length of the word-end list (trie-end-words). */
  ends: number;
}

/** A trie as stored: its header and section arrays. */
export interface StoredLexiconTrie {
  header: TrieHeader;
  parent: Uint32Array;
  unit: Uint8Array;
  endStart: Uint32Array;
  endWords: Uint32Array;
}

/** The SHA-256 that TrieHeader.wordsSha256 holds for `words`. */
export function wordsSha256(words: readonly string[]): string {
  return sha256(words.join('\n'));
}

/** The stored form of `trie`, built over `units` (at most 256). */
export function storeLexiconTrie(trie: LexiconTrie, units: readonly string[]): StoredLexiconTrie {
  const U = trie.numUnits;
  if (units.length !== U || U > 256) throw new Error(`storeLexiconTrie: ${units.length} units for a trie of ${U} (at most 256 can be stored)`);
  const parent = new Uint32Array(trie.numNodes);
  for (let n = 0; n < trie.numNodes; n++) {
    for (let u = 0; u < U; u++) {
      const c = trie.child(n, u);
      if (c >= 0) parent[c] = n;
    }
  }
  const endStart = trie.endStart.slice(0, trie.numNodes + 1);
  const endWords = trie.endWords.slice(0, endStart[trie.numNodes]);
  return {
    header: { units: [...units], words: trie.words.length, wordsSha256: wordsSha256(trie.words), nodes: trie.numNodes, ends: endWords.length },
    parent, unit: Uint8Array.from(trie.nodeUnit), endStart, endWords,
  };
}

/** Section name -> array, as compact-lm-file.ts writes them. */
export function trieSections(s: StoredLexiconTrie): [string, Uint32Array | Uint8Array][] {
  return [['trie-parent', s.parent], ['trie-unit', s.unit], ['trie-end-start', s.endStart], ['trie-end-words', s.endWords]];
}

/** Whether stored trie `s` was built over `units` for exactly `words` (its header's record). */
export function storedTrieFits(s: StoredLexiconTrie, words: readonly string[], units: readonly string[]): boolean {
  const h = s.header;
  return h.units.length === units.length && h.units.every((u, i) => u === units[i]) && h.words === words.length && h.wordsSha256 === wordsSha256(words);
}

/**
 * The LexiconTrie of `s` (identical to the one it was stored from) with `words` as its words, then
 * `more` appended (LexiconTrie.withWords without copying the table: wordEntries makes them);
 * throws `Error("<name>: <reason>")` when a value is out of range.
 */
export function restoreLexiconTrie(s: StoredLexiconTrie, words: readonly string[], units: readonly string[], name: string, more: readonly TrieEntry[] = []): LexiconTrie {
  const fail = (reason: string): never => { throw new Error(`${name}: damaged trie (${reason})`); };
  const { parent, unit, endStart, endWords } = s;
  const N = s.header.nodes;
  const U = units.length;
  const W = words.length;
  if (!(N >= 1) || parent.length !== N || unit.length !== N || endStart.length !== N + 1) fail('section sizes disagree with the node count');
  if (endStart[0] !== 0 || endStart[N] !== endWords.length) fail('word-end rows do not cover the word ids');
  // Room for the nodes `more` can add, so that they are inserted in place.
  const rows = N + maxNewNodes(more);
  const table = new Int32Array(rows * U).fill(-1);
  const nodeUnit = new Int32Array(rows);
  const hasChild = new Uint8Array(rows);
  const used = new Uint8Array(U);
  nodeUnit[0] = BLANK_ID;
  for (let n = 1; n < N; n++) {
    const p = parent[n];
    const u = unit[n];
    if (p >= n || u >= U || u === BLANK_ID) fail(`node ${n}: parent ${p}, unit ${u}`);
    const at = p * U + u;
    if (table[at] >= 0) fail(`node ${n}: edge of node ${table[at]}`);
    table[at] = n;
    nodeUnit[n] = u;
    hasChild[p] = 1;
    used[u] = 1;
    if (endStart[n] > endStart[n + 1]) fail(`word-end row of node ${n}`);
  }
  if (endStart[0] > endStart[1]) fail('word-end row of node 0');
  for (let k = 0; k < endWords.length; k++) if (endWords[k] >= W) fail(`word id ${endWords[k]} of ${W} words`);
  const parts = {
    words, numUnits: U, numNodes: N, table, nodeUnit, hasChild, endStart, endWords,
    unusedSoundUnits: units.flatMap((u, id) => (isSoundUnit(u) && !used[id] ? [id] : [])),
  };
  return new LexiconTrie(more.length > 0 ? insertEntries(parts, more, units, true) : parts, units);
}
