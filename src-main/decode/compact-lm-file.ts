/**
 * The dictation LM's binary file (`.hlm`): a CompactNgramLM's tables and, optionally, the packed
 * pronunciations of its vocabulary and the lexicon trie of its dictation words (lexicon-trie-file.ts), read with one readFileSync and typed-array views (no per-entry
 * parsing; Node has no memory mapping).
 *
 * Layout (little-endian): 8 bytes magic "HARKLM\0\0", u32 format version, u32 byte length J of a
 * UTF-8 JSON header (HlmHeader), the header, zero padding to a multiple of 8; then each section
 * the header lists, at its `offset` (a multiple of 8). `crc32` is zlib's CRC-32 of every byte
 * after the padded header. A file that does not match is refused with the reason.
 */
import { crc32 } from 'node:zlib';
import { checkPackedPronunciations, type PackedPronunciations } from '../lexicon/packed-lexicon.ts';
import { CompactNgramLM, type CompactNgramTables } from './compact-ngram-lm.ts';
import { readLanguageModelFile } from './arpa-reader.ts';
import { trieSections, type StoredLexiconTrie, type TrieHeader } from './lexicon-trie-file.ts';

const MAGIC = Buffer.from('HARKLM\0\0', 'latin1');
export const HLM_VERSION = 1;
/** File name ending of the binary LM. */
export const HLM_EXTENSION = '.hlm';

type SectionType = 'f32' | 'u32' | 'u16' | 'u8';
type SectionArray = Float32Array | Uint32Array | Uint16Array | Uint8Array;
const BYTES: Record<SectionType, number> = { f32: 4, u32: 4, u16: 2, u8: 1 };

interface SectionInfo { name: string; type: SectionType; offset: number; length: number }

export interface HlmHeader {
  format: 'hark-ngram-lm';
  order: number;
  vocabSize: number;
  /** Entries per order, NaN context entries included (CompactNgramTables). */
  entries: number[];
  /** Whether the file holds the vocabulary's pronunciations. */
  lexicon: boolean;
  /** The stored lexicon trie's record, when the file holds one. */
  trie?: TrieHeader;
  /** Free-form description of what the file was made from (e.g. the ARPA file's SHA-256). */
  source: Record<string, string | number>;
  /** The dictation search weights chosen for this LM, when the file carries them. */
  search?: LmSearchWeights;
  crc32: number;
  sections: SectionInfo[];
}

/**
 * The weights a dictation search uses with an LM (CtcPrefixBeamSearch's lmWeight and wordBonus),
 * chosen for that LM and stored with it, and what they were chosen on.
 */
export interface LmSearchWeights {
  lmWeight: number;
  wordBonus: number;
  chosenOn?: string;
}

/** What a .hlm file holds. */
export interface CompactLmContents {
  tables: CompactNgramTables;
  pronunciations?: PackedPronunciations;
  trie?: StoredLexiconTrie;
  source: Record<string, string | number>;
  search?: LmSearchWeights;
}

/** Section name -> array, in file order. */
function sectionsOf(c: CompactLmContents): [string, SectionArray][] {
  const t = c.tables;
  const out: [string, SectionArray][] = [['vocab', new TextEncoder().encode(t.vocab.join('\n'))]];
  t.logp.forEach((a, i) => out.push([`logp${i + 1}`, a]));
  t.bow.forEach((a, i) => out.push([`bow${i + 1}`, a]));
  t.word.forEach((a, i) => out.push([`word${i + 2}`, a]));
  t.first.forEach((a, i) => out.push([`first${i + 1}`, a]));
  if (c.pronunciations) {
    out.push(['pron-start', c.pronunciations.pronStart], ['phone-start', c.pronunciations.phoneStart], ['phones', c.pronunciations.phones]);
  }
  if (c.trie) out.push(...trieSections(c.trie));
  return out;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The bytes of a .hlm file holding `contents` (deterministic: the same contents give the same bytes). */
export function encodeCompactLm(contents: CompactLmContents): Uint8Array {
  const sections = sectionsOf(contents);
  const infos: SectionInfo[] = [];
  let offset = 0;
  for (const [name, a] of sections) {
    const type: SectionType = a instanceof Float32Array ? 'f32' : a instanceof Uint32Array ? 'u32' : a instanceof Uint16Array ? 'u16' : 'u8';
    infos.push({ name, type, offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const body = new Uint8Array(offset);
  sections.forEach(([, a], i) => body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), infos[i].offset));
  const t = contents.tables;
  const header: HlmHeader = {
    format: 'hark-ngram-lm', order: t.logp.length, vocabSize: t.vocab.length, entries: t.logp.map((a) => a.length),
    lexicon: contents.pronunciations !== undefined, ...(contents.trie ? { trie: contents.trie.header } : {}), source: contents.source,
    ...(contents.search ? { search: contents.search } : {}), crc32: crc32(body), sections: infos,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align8(16 + json.length);
  const out = new Uint8Array(start + body.length);
  out.set(MAGIC, 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, HLM_VERSION, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  out.set(body, start);
  // Section offsets in the header are relative to the body; readers add `start`.
  return out;
}

/**
 * Reads the contents of .hlm bytes; throws `Error("<name>: <reason>")` for anything that does not
 * check out. Damage is caught by the checksum and the sizes, not by walking the entries (that
 * would cost more than the load itself), so a file written by encodeCompactLm is trusted.
 */
export function decodeCompactLm(bytes: Uint8Array, name: string): CompactLmContents {
  const fail = (reason: string): never => { throw new Error(`${name}: ${reason}`); };
  if (bytes.length < 16 || !Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(MAGIC)) fail('not a Hark binary language model (.hlm)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== HLM_VERSION) fail(`format version ${version}, this Hark reads version ${HLM_VERSION}`);
  const jsonLength = dv.getUint32(12, true);
  if (16 + jsonLength > bytes.length) fail('truncated (the header runs past the end of the file)');
  let header: HlmHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 16, jsonLength).toString('utf8')) as HlmHeader;
  } catch {
    return fail('damaged header');
  }
  if (header.format !== 'hark-ngram-lm' || !Array.isArray(header.sections) || !Array.isArray(header.entries)) fail('damaged header');
  const start = align8(16 + jsonLength);
  // Typed-array views need aligned offsets; readFileSync of a large file gives a fresh buffer (offset 0).
  const base = (bytes.byteOffset + start) % 8 === 0 ? bytes : bytes.slice();
  const body = new Uint8Array(base.buffer, base.byteOffset + start, Math.max(0, base.length - start));
  const end = Math.max(0, ...header.sections.map((s) => s.offset + s.length * (BYTES[s.type] ?? 1)));
  if (end > body.length) fail(`truncated (${bytes.length} bytes, the sections need ${start + end})`);
  if (crc32(body) !== header.crc32) fail('damaged (checksum mismatch)');
  const views = new Map<string, SectionArray>();
  for (const s of header.sections) {
    if (!(s.type in BYTES) || s.offset % 8 !== 0) fail(`damaged section table (${s.name})`);
    const at = body.byteOffset + s.offset;
    const View = { f32: Float32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array }[s.type];
    views.set(s.name, new View(body.buffer as ArrayBuffer, at, s.length));
  }
  const get = <T extends SectionArray>(key: string, type: new (...a: never[]) => T, length: number): T => {
    const v = views.get(key);
    if (!(v instanceof type) || v.length !== length) return fail(`section ${key} is missing or has the wrong size`);
    return v;
  };
  const { order, vocabSize: V, entries } = header;
  if (!(order >= 1) || entries.length !== order || entries[0] !== V) fail('damaged header (orders and counts disagree)');
  const vocab = new TextDecoder().decode(get('vocab', Uint8Array, views.get('vocab')?.length ?? -1)).split('\n');
  if (vocab.length !== V) fail(`vocabulary has ${vocab.length} words, the header says ${V}`);
  const tables: CompactNgramTables = { vocab, logp: [], bow: [], word: [], first: [] };
  for (let n = 1; n <= order; n++) {
    tables.logp.push(get(`logp${n}`, Float32Array, entries[n - 1]));
    if (n < order) tables.bow.push(get(`bow${n}`, Float32Array, entries[n - 1]));
    if (n >= 2) {
      tables.word.push(V <= 0x10000 ? get(`word${n}`, Uint16Array, entries[n - 1]) : get(`word${n}`, Uint32Array, entries[n - 1]));
    }
    if (n < order) {
      const first = get(`first${n}`, Uint32Array, entries[n - 1] + 1);
      if (first[0] !== 0 || first[first.length - 1] !== entries[n]) fail(`first${n} does not cover the ${n + 1}-grams`);
      tables.first.push(first);
    }
  }
  let pronunciations: PackedPronunciations | undefined;
  if (header.lexicon) {
    const phoneStart = views.get('phone-start');
    if (!(phoneStart instanceof Uint32Array) || phoneStart.length === 0) fail('section phone-start is missing');
    pronunciations = {
      pronStart: get('pron-start', Uint32Array, V + 1),
      phoneStart: phoneStart as Uint32Array,
      phones: get('phones', Uint8Array, views.get('phones')?.length ?? -1),
    };
    checkPackedPronunciations(pronunciations, V, name);
  }
  let trie: StoredLexiconTrie | undefined;
  if (header.trie) {
    // Sizes only here; restoreLexiconTrie checks the values when dictation uses the trie.
    const { nodes, ends } = header.trie;
    const t = header.trie;
    if (!Number.isInteger(nodes) || !Number.isInteger(ends) || nodes < 1 || ends < 0 || !Array.isArray(t.units) || typeof t.wordsSha256 !== 'string') fail('damaged header (trie)');
    trie = {
      header: header.trie,
      parent: get('trie-parent', Uint32Array, nodes),
      unit: get('trie-unit', Uint8Array, nodes),
      endStart: get('trie-end-start', Uint32Array, nodes + 1),
      endWords: get('trie-end-words', Uint32Array, ends),
    };
  }
  let search: LmSearchWeights | undefined;
  if (header.search !== undefined) {
    const w = header.search as Partial<LmSearchWeights> | null;
    if (!w || typeof w !== 'object' || !Number.isFinite(w.lmWeight) || !Number.isFinite(w.wordBonus) || (w.lmWeight as number) < 0
      || (w.chosenOn !== undefined && typeof w.chosenOn !== 'string')) fail('damaged header (search weights)');
    search = header.search;
  }
  return { tables, pronunciations, trie, source: header.source ?? {}, ...(search ? { search } : {}) };
}

/** Reads a .hlm file; errors name the file. */
export function readCompactLmFile(path: string): CompactLmContents {
  return decodeCompactLm(readLanguageModelFile(path), path);
}

/** The LM of a .hlm file. */
export function loadCompactLm(path: string): CompactNgramLM {
  return new CompactNgramLM(readCompactLmFile(path).tables);
}
