import { crc32 } from 'node:zlib';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import {
  alignAll, letterCode, outputPhones, phoneCode, NUM_LETTERS, NUM_OUTPUTS, type G2PExample,
} from './g2p-align.ts';

/**
 * Data-driven grapheme-to-phoneme model trained from a pronouncing dictionary at load time.
 * Letters are aligned to phonemes (g2p-align.ts), then each letter's output is predicted from its
 * letter context with an IGTree-style backoff table (Daelemans & van den Bosch, memory-based
 * G2P): context features are added in the order centre, +1, -1, +2, -2, +3, -3, +4; a context is
 * refined only while its training instances disagree, and prediction takes the most specific
 * context seen in training. Trains on CMUdict in well under a second.
 */

const MAGIC = Buffer.from('HARKG2P\0', 'latin1');
export const G2P_FILE_VERSION = 1;
const G2P_HEADER_BYTES = 24;

/** Letter offsets in the order they are added to the context. */
const FEATURE_OFFSETS = [0, 1, -1, 2, -2, 3, -3, 4];

/** Keeps a word's letters and apostrophes; throws when nothing is left. */
export function g2pLetters(word: string): string {
  const w = word.toLowerCase().replace(/[^a-z']/g, '');
  if (!/[a-z]/.test(w)) throw new Error(`g2p: word has no letters: "${word}"`);
  return w;
}

function letterAt(letters: Uint8Array, pos: number, feature: number): number {
  const p = pos + FEATURE_OFFSETS[feature];
  return p >= 0 && p < letters.length ? letters[p] : 0;
}

/** Child-map key of (node, letter); node ids stay below 2^26 so keys are small integers. */
function edgeKey(node: number, letter: number): number {
  return node * 32 + letter;
}

export class G2PModel {
  /**
   * @param best most frequent output code of each tree node (node 0 = root)
   * @param children (node, letter of the node's next context feature) -> child node
   */
  private constructor(private readonly best: Uint16Array, private readonly children: Map<number, number>) {}

  /** Trains on word -> pronunciations (first pronunciation of each word with letters a-z and '). */
  static train(dict: Iterable<[string, readonly Pronunciation[]]>): G2PModel {
    const examples: G2PExample[] = [];
    for (const [word, prons] of dict) {
      if (!/^[a-z']+$/.test(word) || !/[a-z]/.test(word) || prons.length === 0) continue;
      const letters = new Uint8Array(word.length);
      for (let i = 0; i < word.length; i++) letters[i] = word.charCodeAt(i) === 39 ? 27 : word.charCodeAt(i) - 96;
      examples.push({ letters, phones: Uint8Array.from(prons[0], phoneCode) });
    }
    if (examples.length === 0) throw new Error('G2PModel.train: no usable training words');
    const alignments = alignAll(examples);
    let total = 0;
    for (const a of alignments) total += a ? a.length : 0;
    // Instances (one per aligned letter): the letter context per feature, and the output code.
    const ctx = new Uint8Array(total * FEATURE_OFFSETS.length);
    const outs = new Uint16Array(total);
    let n = 0;
    alignments.forEach((a, k) => {
      if (!a) return;
      for (let pos = 0; pos < a.length; pos++, n++) {
        for (let f = 0; f < FEATURE_OFFSETS.length; f++) ctx[n * FEATURE_OFFSETS.length + f] = letterAt(examples[k].letters, pos, f);
        outs[n] = a[pos];
      }
    });
    return G2PModel.buildTree(ctx, outs, total);
  }

  /**
   * Grows the tree breadth-first: each node owns a range of a permutation of the instances;
   * an impure node (instances disagree on the output) is split by the letter of the next feature.
   */
  private static buildTree(ctx: Uint8Array, outs: Uint16Array, total: number): G2PModel {
    const F = FEATURE_OFFSETS.length;
    const perm = Int32Array.from({ length: total }, (_, i) => i);
    const tmp = new Int32Array(total);
    const best: number[] = [];
    const children = new Map<number, number>();
    const counts = new Int32Array(NUM_OUTPUTS);
    // Frontier of the current depth: node id, range [begin, end) in perm.
    const bucketStart = new Int32Array(NUM_LETTERS + 1);
    const fill = new Int32Array(NUM_LETTERS + 1);
    // Frontier of the current depth as parallel lists: node id, range [begin, end) in perm.
    let fNode = [0];
    let fBegin = [0];
    let fEnd = [total];
    best.push(0);
    for (let depth = 0; fNode.length > 0; depth++) {
      const nNode: number[] = [];
      const nBegin: number[] = [];
      const nEnd: number[] = [];
      for (let k = 0; k < fNode.length; k++) {
        const node = fNode[k];
        const begin = fBegin[k];
        const end = fEnd[k];
        let bestOut = 0;
        let bestCount = -1;
        for (let i = begin; i < end; i++) counts[outs[perm[i]]]++;
        for (let i = begin; i < end; i++) {
          const o = outs[perm[i]];
          const c = counts[o];
          if (c > bestCount || (c === bestCount && o < bestOut)) { bestOut = o; bestCount = c; }
        }
        for (let i = begin; i < end; i++) counts[outs[perm[i]]] = 0;
        best[node] = bestOut;
        if (bestCount === end - begin || depth === F) continue;
        // Counting sort of the range by the letter of feature `depth`.
        bucketStart.fill(0);
        for (let i = begin; i < end; i++) bucketStart[ctx[perm[i] * F + depth] + 1]++;
        for (let l = 0; l < NUM_LETTERS; l++) bucketStart[l + 1] += bucketStart[l];
        fill.set(bucketStart);
        for (let i = begin; i < end; i++) tmp[begin + fill[ctx[perm[i] * F + depth]]++] = perm[i];
        perm.set(tmp.subarray(begin, end), begin);
        for (let l = 0; l < NUM_LETTERS; l++) {
          if (bucketStart[l + 1] === bucketStart[l]) continue;
          const child = best.length;
          best.push(0);
          children.set(edgeKey(node, l), child);
          nNode.push(child);
          nBegin.push(begin + bucketStart[l]);
          nEnd.push(begin + bucketStart[l + 1]);
        }
      }
      fNode = nNode;
      fBegin = nBegin;
      fEnd = nEnd;
    }
    return new G2PModel(Uint16Array.from(best), children);
  }

  /**
   * The trained tree as bytes (so that it is trained once per machine: lexicon.ts caches it beside
   * the packed CMUdict). Layout (little-endian): 8 bytes magic "HARKG2P\0", u32 version, u32 node
   * count M, u32 edge count E, u32 CRC-32 (zlib) of every byte after this 24-byte header; then
   * u16 best[M] (padded to a multiple of 4 bytes), u32 edge keys[E], u32 edge children[E].
   */
  encode(): Uint8Array {
    const M = this.best.length, E = this.children.size;
    const bestBytes = (2 * M + 3) & ~3;
    const out = new Uint8Array(G2P_HEADER_BYTES + bestBytes + 8 * E);
    out.set(MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, G2P_FILE_VERSION, true);
    view.setUint32(12, M, true);
    view.setUint32(16, E, true);
    for (let i = 0; i < M; i++) view.setUint16(G2P_HEADER_BYTES + 2 * i, this.best[i], true);
    let k = 0;
    const keysAt = G2P_HEADER_BYTES + bestBytes, childrenAt = keysAt + 4 * E;
    for (const [key, child] of this.children) {
      view.setUint32(keysAt + 4 * k, key, true);
      view.setUint32(childrenAt + 4 * k, child, true);
      k++;
    }
    view.setUint32(20, crc32(out.subarray(G2P_HEADER_BYTES)) >>> 0, true);
    return out;
  }

  /** Reads encode()'s bytes; throws with the reason when they are not a G2P model. */
  static decode(bytes: Uint8Array, name: string): G2PModel {
    const fail = (reason: string): never => { throw new Error(`${name} is not a G2P model file: ${reason}`); };
    if (bytes.length < G2P_HEADER_BYTES || !Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC)) fail('no HARKG2P header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(8, true);
    if (version !== G2P_FILE_VERSION) fail(`format version ${version}, this Hark reads ${G2P_FILE_VERSION}`);
    const M = view.getUint32(12, true), E = view.getUint32(16, true);
    const bestBytes = (2 * M + 3) & ~3;
    if (M === 0 || bytes.length !== G2P_HEADER_BYTES + bestBytes + 8 * E) fail(`${bytes.length} bytes where its header needs ${G2P_HEADER_BYTES + bestBytes + 8 * E}`);
    if ((crc32(bytes.subarray(G2P_HEADER_BYTES)) >>> 0) !== view.getUint32(20, true)) fail('checksum mismatch (damaged)');
    const best = new Uint16Array(M);
    for (let i = 0; i < M; i++) {
      best[i] = view.getUint16(G2P_HEADER_BYTES + 2 * i, true);
      if (best[i] >= NUM_OUTPUTS) fail(`output code ${best[i]} out of range`);
    }
    const children = new Map<number, number>();
    const keysAt = G2P_HEADER_BYTES + bestBytes, childrenAt = keysAt + 4 * E;
    for (let k = 0; k < E; k++) {
      const child = view.getUint32(childrenAt + 4 * k, true);
      if (child === 0 || child >= M) fail(`edge to node ${child} of ${M}`);
      children.set(view.getUint32(keysAt + 4 * k, true), child);
    }
    return new G2PModel(best, children);
  }

  /** Predicted pronunciation (stressless ARPAbet) of any word with letters; non-letters are ignored. */
  predict(word: string): string[] {
    const letters = Uint8Array.from([...g2pLetters(word)].map(letterCode));
    const phones: string[] = [];
    for (let pos = 0; pos < letters.length; pos++) {
      let node = 0;
      for (let f = 0; f < FEATURE_OFFSETS.length; f++) {
        const child = this.children.get(edgeKey(node, letterAt(letters, pos, f)));
        if (child === undefined) break;
        node = child;
      }
      phones.push(...outputPhones(this.best[node]));
    }
    return phones;
  }
}
