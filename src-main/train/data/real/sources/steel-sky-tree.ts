/**
 * The Huffman tree of Beneath a Steel Sky's subtitle text. The game data does not carry it (it lived
 * in the original executable); the game engine in Debian's `scummvm` package holds it, as it holds
 * the trees of the game's other releases, each an array of 3-byte nodes {left, right, value} with
 * the root at node 0, a leaf where both children are 0, and the character 0 ending a message.
 *
 * Nothing here is copied into the repository: at set-building time the engine binary is read, every
 * place that parses as such a tree is a candidate, and the candidate that decodes the most messages
 * of the game's own text sections cleanly (printable text, ending within the message's coded length)
 * is chosen. A wrong release's tree decodes garbage, so the choice needs no outside knowledge.
 */
import { decodeHuffMessageBits, type HuffNode } from './steel-sky-text.ts';

/** Fewest and most leaves a subtitle tree can have (letters, digits, punctuation, the end mark). */
export const MIN_TREE_LEAVES = 30;
export const MAX_TREE_NODES = 255;

/**
 * The tree whose root is at `at`, or null when the bytes there are not one: every internal node's
 * children come after it (so the walk ends), within 255 nodes and the buffer; internal nodes carry
 * value 0; the end mark 0 is on exactly one leaf (the others hold the game's characters, some of
 * them accented letters above 0x7f that the English text never uses).
 */
export function parseHuffTree(bin: Uint8Array, at: number): HuffNode[] | null {
  const node = (i: number): HuffNode | null => {
    const o = at + 3 * i;
    return o + 2 < bin.length ? { left: bin[o], right: bin[o + 1], value: bin[o + 2] } : null;
  };
  const root = node(0);
  if (!root || root.left === 0 || root.right === 0) return null;
  const nodes = new Map<number, HuffNode>();
  const stack = [0];
  let leaves = 0;
  let ends = 0;
  while (stack.length) {
    const i = stack.pop()!;
    if (nodes.has(i)) return null; // two parents: not a tree
    const n = node(i);
    if (!n) return null;
    nodes.set(i, n);
    if (n.left === 0 && n.right === 0) {
      leaves++;
      if (n.value === 0) ends++;
      continue;
    }
    if (n.value !== 0 || n.left <= i || n.right <= i || n.left === n.right) return null;
    if (n.left > MAX_TREE_NODES || n.right > MAX_TREE_NODES) return null;
    stack.push(n.left, n.right);
  }
  if (ends !== 1 || leaves < MIN_TREE_LEAVES) return null;
  const size = Math.max(...nodes.keys()) + 1;
  const out: HuffNode[] = [];
  for (let i = 0; i < size; i++) out.push(nodes.get(i) ?? { left: 0, right: 0, value: 0 });
  return out;
}

/** Every offset in `bin` where a tree parses. A tree's nodes 0 and 1 both branch: that prefilters. */
export function findHuffTrees(bin: Uint8Array): { at: number; tree: HuffNode[] }[] {
  const out: { at: number; tree: HuffNode[] }[] = [];
  for (let at = 0; at + 6 <= bin.length; at++) {
    if (bin[at] !== 1 || bin[at + 2] !== 0 || bin[at + 1] < 2 || bin[at + 5] !== 0 || bin[at + 3] < 2) continue;
    const tree = parseHuffTree(bin, at);
    if (tree) out.push({ at, tree });
  }
  return out;
}

export interface CodedMessage {
  section: number;
  bitOffset: number;
  /** The message's coded length in bits, -1 when unknown. */
  bits: number;
}

/**
 * The share of `messages` that `tree` decodes cleanly: printable, with letters where the message
 * has more than a few characters, and ending inside the message's coded length.
 */
export function treeFit(tree: readonly HuffNode[], sections: readonly Uint8Array[], messages: readonly CodedMessage[]): number {
  let ok = 0;
  for (const m of messages) {
    const d = decodeHuffMessageBits(sections[m.section], m.bitOffset, tree, m.bits >= 0 ? m.bits : 4000);
    if (d && (d.text.length < 4 || /[A-Za-z]/.test(d.text))) ok++;
  }
  return messages.length ? ok / messages.length : 0;
}

/** Share of messages the chosen tree must decode cleanly. */
export const MIN_TREE_FIT = 0.98;

/**
 * The candidate tree that fits the game's text best, with its fit; throws when none reaches
 * MIN_TREE_FIT (another release of the game, or an engine build without this game).
 */
export function chooseHuffTree(
  candidates: readonly { at: number; tree: HuffNode[] }[],
  sections: readonly Uint8Array[],
  messages: readonly CodedMessage[],
): { at: number; tree: HuffNode[]; fit: number } {
  let best: { at: number; tree: HuffNode[]; fit: number } | null = null;
  for (const c of candidates) {
    const fit = treeFit(c.tree, sections, messages);
    if (!best || fit > best.fit) best = { ...c, fit };
  }
  if (!best || best.fit < MIN_TREE_FIT) {
    throw new Error(
      `steel-sky: no subtitle Huffman tree fits the game's text (${candidates.length} candidates, best ${best ? (100 * best.fit).toFixed(1) : 0}% of messages)`,
    );
  }
  return best;
}
