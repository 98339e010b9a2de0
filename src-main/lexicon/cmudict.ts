import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stripStress } from '../../src-shared/units/phonemes.ts';
import type { Pronunciation } from '../../src-shared/units/lexicon-types.ts';
import { readOrMakeCacheFile } from '../system/cache-file.ts';
import { PACKED_DICTIONARY_VERSION, PackedDictionary } from './packed-dictionary.ts';
import { defaultUserDataDir } from './user-vocabulary.ts';

let cached: ReadonlyMap<string, Pronunciation[]> | null = null;

/**
 * CMUdict (npm cmu-pronouncing-dictionary, ~135k entries) as word -> pronunciations, stress removed.
 * Alternates ("read(2)") are merged into their base word in dictionary order, duplicates after
 * stress removal dropped. Keys are lower case as in CMUdict. Built once and shared (read-only).
 * Read from its packed form in the cache folder (packed-dictionary.ts), made there from the
 * package on first use (about a second), then loaded in milliseconds by every later process.
 */
export function cmudict(): ReadonlyMap<string, Pronunciation[]> {
  cached ??= cachedCmudict(cmudictSourcePath(), defaultCmudictCacheDir()).dictionary;
  return cached;
}

/** The default cache folder: `<user data folder>/cache/lexicon` (HARK_USER_DATA or the platform's). */
export function defaultCmudictCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultUserDataDir(env), 'cache', 'lexicon');
}

/** The installed package's dictionary module. */
export function cmudictSourcePath(): string {
  return createRequire(import.meta.url).resolve('cmu-pronouncing-dictionary');
}

export interface CachedCmudict {
  dictionary: PackedDictionary;
  /** The packed file, read or written. */
  cachePath: string;
  /** Whether this call read the package (no usable packed file). */
  built: boolean;
  /** Why the packed file could not be used or written (the dictionary is right all the same). */
  warning?: string;
}

/** Names the cache files made from the package at `sourcePath` (its path, size and modification time). */
export function cmudictCacheKey(sourcePath: string): string {
  const st = statSync(sourcePath);
  return createHash('sha256').update(`${sourcePath}\n${st.size}\n${st.mtimeMs}`).digest('hex').slice(0, 16);
}

/**
 * The packed dictionary of the package at `sourcePath`, from `cacheDir` when a file for this exact
 * source (its path, size and modification time) is there and intact; otherwise built from the
 * package and written there atomically. A damaged file is rebuilt; a cache folder that cannot be
 * written only costs the build next time.
 */
export function cachedCmudict(sourcePath: string, cacheDir: string): CachedCmudict {
  // The format version in the name: a file of another version is left alone, not refused as damaged.
  const cachePath = join(cacheDir, `cmudict-v${PACKED_DICTIONARY_VERSION}-${cmudictCacheKey(sourcePath)}.hdict`);
  const r = readOrMakeCacheFile(cachePath, {
    decode: (bytes, name) => PackedDictionary.decode(bytes, name),
    make: () => PackedDictionary.fromMap(parseCmudict(sourcePath)),
    encode: (d) => d.encode(),
    what: 'the packed pronunciation dictionary',
    again: 'made again',
  });
  return { dictionary: r.value, cachePath, built: r.made, ...(r.warning ? { warning: r.warning } : {}) };
}


/** The package's dictionary parsed into word -> pronunciations (the slow path). */
export function parseCmudict(sourcePath: string): Map<string, Pronunciation[]> {
  const map = new Map<string, Pronunciation[]>();
  for (const [key, value] of Object.entries(readDictionary(sourcePath))) {
    const word = key.replace(/\([0-9]+\)$/, '');
    // Some entries carry a trailing comment: "AO1 L B AO0 R G # place, danish".
    const pron = value.replace(/#.*$/, '').trim().split(/\s+/).map(stripStress);
    const list = map.get(word);
    if (!list) map.set(word, [pron]);
    else if (!list.some((p) => p.join(' ') === pron.join(' '))) list.push(pron);
  }
  return map;
}

/**
 * The package's word -> "AH0 B ..." object, read when first needed. The package is one 4.7 MB
 * ES module (`export const dictionary = {...}`); importing it compiles it as JavaScript, about a
 * second at every start of every mode, so its object literal is read as the JSON it is instead.
 */
function readDictionary(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('= {'), end = text.lastIndexOf('}');
  try {
    if (start < 0 || end < start) throw new Error('no "export const dictionary = {...}"');
    const d = JSON.parse(text.slice(start + 2, end + 1)) as unknown;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error('not an object');
    return d as Record<string, string>;
  } catch (e) {
    throw new Error(`CMUdict (${path}) is not in the form this Hark reads: ${(e as Error).message}`);
  }
}
