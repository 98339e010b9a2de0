// Finding Beneath a Steel Sky's subtitle Huffman tree in an engine binary: hand-built trees hidden in
// random bytes beside a decoy tree of another "release", and a text section coded with the real one.
import { describe, expect, it } from 'vitest';
import { chooseHuffTree, findHuffTrees, parseHuffTree, treeFit } from '../../src-main/train/data/real/sources/steel-sky-tree.ts';
import { decodeHuffMessageBits, textSectionTable, type HuffNode } from '../../src-main/train/data/real/sources/steel-sky-text.ts';
import { plausibleRate, steelSkySource } from '../../src-main/train/data/real/sources/steel-sky.ts';
import { isReservedPackage } from '../../src-main/train/data/real/real-source.ts';

/** A tree over `symbols` (0 = end mark) in pre-order, so children always follow their parent. */
function buildTree(symbols: number[]): { nodes: HuffNode[]; codes: Map<number, string> } {
  const nodes: HuffNode[] = [];
  const codes = new Map<number, string>();
  const make = (syms: number[], path: string): number => {
    const i = nodes.length;
    nodes.push({ left: 0, right: 0, value: 0 });
    if (syms.length === 1) {
      nodes[i].value = syms[0];
      codes.set(syms[0], path);
      return i;
    }
    const half = syms.length >> 1;
    nodes[i].left = make(syms.slice(0, half), path + '0');
    nodes[i].right = make(syms.slice(half), path + '1');
    return i;
  };
  make(symbols, '');
  return { nodes, codes };
}

const bytesOf = (t: HuffNode[]) => t.flatMap((n) => [n.left, n.right, n.value]);

const ALPHABET = [0, ...' .,!?\'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)));
const real = buildTree(ALPHABET);
// Another release: the same characters on other leaves.
const decoy = buildTree([...ALPHABET.slice(1, 20), 0, ...ALPHABET.slice(20)].reverse());

/** One block of messages coded with `codes`, each padded with zero bits to a whole 2-bit unit. */
function section(messages: string[], codes: Map<number, string>): Uint8Array {
  const coded = messages.map((m) => {
    let bits = [...m].map((c) => codes.get(c.charCodeAt(0))!).join('') + codes.get(0)!;
    bits += '0'.repeat((2 - (bits.length % 2)) % 2 + 2);
    return bits;
  });
  const dataStart = 4 + messages.length - 1;
  const stream = coded.join('');
  const body = new Uint8Array(dataStart + Math.ceil(stream.length / 8) + 1);
  body[0] = 4;
  body[2] = dataStart;
  coded.slice(0, -1).forEach((b, i) => (body[4 + i] = b.length / 2));
  [...stream].forEach((c, i) => {
    if (c === '1') body[dataStart + (i >> 3)] |= 0x80 >> (i & 7);
  });
  return body;
}

const LINES = ['I had to INSPECT it.', 'You DO that, son.', 'What did he LOOK like?', 'Is this any use to you?', 'LOVELY piece of LAMINATION!', 'STATUS REPORT'];

function engine(): { bin: Uint8Array; realAt: number; decoyAt: number } {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
  const noise = (n: number) => Array.from({ length: n }, rnd);
  const head = noise(5000);
  const mid = noise(333);
  const bin = Uint8Array.from([...head, ...bytesOf(decoy.nodes), ...mid, ...bytesOf(real.nodes), ...noise(4000)]);
  return { bin, decoyAt: head.length, realAt: head.length + 3 * decoy.nodes.length + mid.length };
}

describe('steel-sky: the subtitle tree in the engine', () => {
  it('parses a tree and refuses bytes that only look like one', () => {
    const { bin, realAt } = engine();
    expect(parseHuffTree(bin, realAt)).toEqual(real.nodes);
    // a child pointing back (a loop), two end marks, too few leaves
    const loop = bytesOf(real.nodes);
    loop[3 * 1 + 1] = 0;
    loop[3 * 1] = 1;
    expect(parseHuffTree(Uint8Array.from(loop), 0)).toBeNull();
    const twoEnds = real.nodes.map((n) => ({ ...n }));
    twoEnds[twoEnds.findIndex((n) => n.value === 'z'.charCodeAt(0))].value = 0;
    expect(parseHuffTree(Uint8Array.from(bytesOf(twoEnds)), 0)).toBeNull();
    expect(parseHuffTree(Uint8Array.from(bytesOf(buildTree([0, 97, 98, 99]).nodes)), 0)).toBeNull();
  });

  it('finds both trees and chooses the one that decodes the text', () => {
    const { bin, realAt, decoyAt } = engine();
    const found = findHuffTrees(bin);
    expect(found.map((f) => f.at)).toEqual(expect.arrayContaining([realAt, decoyAt]));
    const body = section(LINES, real.codes);
    const messages = textSectionTable(body).messages.map((m) => ({ section: 0, bitOffset: m.bitOffset, bits: m.bits }));
    expect(messages.length).toBe(LINES.length);
    expect(treeFit(real.nodes, [body], messages)).toBe(1);
    expect(treeFit(decoy.nodes, [body], messages)).toBeLessThan(0.5);
    const best = chooseHuffTree(found, [body], messages);
    expect(best.at).toBe(realAt);
    expect(messages.map((m) => decodeHuffMessageBits(body, m.bitOffset, best.tree, m.bits >= 0 ? m.bits : Infinity)?.text)).toEqual(LINES);
    expect(() => chooseHuffTree(found.filter((f) => f.at !== realAt), [body], messages)).toThrow(/no subtitle Huffman tree fits/);
  });

  it('stops a message at its coded length and at characters outside printable ASCII', () => {
    const body = section(['abc'], real.codes);
    expect(decodeHuffMessageBits(body, 0, real.nodes)?.text).toBe('abc');
    expect(decodeHuffMessageBits(body, 0, real.nodes, 5)).toBeNull();
    const odd = real.nodes.map((n) => (n.value === 'b'.charCodeAt(0) ? { ...n, value: 0x85 } : n));
    expect(decodeHuffMessageBits(body, 0, odd)).toBeNull();
  });
});

describe('steel-sky: source', () => {
  it('names the game and the engine package, neither reserved, and needs the game data', async () => {
    expect(steelSkySource.debPackages).toEqual(['beneath-a-steel-sky', 'scummvm']);
    expect(steelSkySource.debPackages.some(isReservedPackage)).toBe(false);
    const it = steelSkySource.extract('/nonexistent')[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow(/no sky\.dnr under \/nonexistent/);
  });

  it('keeps a line only when its clip is as long as the line is to say', () => {
    expect(plausibleRate('I had to INSPECT it.', 1.14)).toBe(true);
    expect(plausibleRate('I had to INSPECT it.', 0.3)).toBe(false); // 50 letters/s
    expect(plausibleRate('Yes.', 4)).toBe(false); // under 1 letter/s
  });
});
