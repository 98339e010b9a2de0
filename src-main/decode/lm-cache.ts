/**
 * A user's ARPA model (`--lm file.arpa[.gz]`) is converted once to the binary form (.hlm,
 * compact-lm-file.ts) and kept in a cache folder, by default `cache/lm/` in the user data folder.
 * The cache file is named after the SHA-256 of the ARPA file's bytes, so an edited, replaced or
 * re-downloaded file is converted again, and a copy of the same file elsewhere reuses the cache.
 * The folder keeps the LM_CACHE_KEEP conversions used most recently (a use touches its file): an LM
 * edited again and again, or many LMs tried once, do not fill the disk.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeCacheFile } from '../system/cache-file.ts';
import { defaultUserDataDir } from '../lexicon/user-vocabulary.ts';
import { compactTablesFromArpa } from './compact-ngram-builder.ts';
import { sha256 as sha256Of } from '../system/sha256.ts';
import { CompactNgramLM } from './compact-ngram-lm.ts';
import { decodeCompactLm, encodeCompactLm, HLM_EXTENSION } from './compact-lm-file.ts';

/** Conversions kept in the cache folder: the most recently used ones. */
export const LM_CACHE_KEEP = 4;

/** The default cache folder: `<user data folder>/cache/lm` (HARK_USER_DATA or the platform's). */
export function defaultLmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultUserDataDir(env), 'cache', 'lm');
}

export interface CachedLm {
  lm: CompactNgramLM;
  /** The cache file (written, or reused). */
  cachePath: string;
  /** Whether this call converted the ARPA file (false: the cache file was reused). */
  converted: boolean;
  /** A note when the cache file could not be written (the converted model is used all the same). */
  warning?: string;
}

/**
 * The model of the ARPA file at `path` (gzipped when the name ends in .gz), from the cache when it
 * holds this file's conversion, else converted and stored there. A damaged cache file is
 * converted again; a cache folder that cannot be written is reported in `warning`, not thrown.
 */
export function cachedArpaLm(path: string, cacheDir: string = defaultLmCacheDir()): CachedLm {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read language model "${path}": ${(e as Error).message}`);
  }
  const sha256 = sha256Of(raw);
  const cachePath = join(cacheDir, `${sha256}${HLM_EXTENSION}`);
  if (existsSync(cachePath)) {
    try {
      const c = decodeCompactLm(readFileSync(cachePath), cachePath);
      if (c.source.arpaSha256 === sha256) {
        touch(cachePath);
        return { lm: new CompactNgramLM(c.tables), cachePath, converted: false };
      }
    } catch { /* damaged: convert again below */ }
  }
  let tables;
  try {
    tables = compactTablesFromArpa((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const lm = new CompactNgramLM(tables);
  // Like every cache file: written atomically, no empty folders left when it cannot be.
  const failed = writeCacheFile(cachePath, encodeCompactLm({ tables, source: { arpa: basename(path), arpaSha256: sha256 } }));
  if (!failed) pruneLmCache(cacheDir, cachePath);
  return { lm, cachePath, converted: true, ...(failed ? { warning: failed } : {}) };
}

/** Marks a cache file as just used (its modification time); a read-only cache is left as it is. */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch { /* read-only: pruning order is all it costs */ }
}

/**
 * Removes all but the LM_CACHE_KEEP most recently used conversions (.hlm files) from `cacheDir`,
 * never `keep` (the one just written). Other files are not touched; a file that cannot be removed
 * is left.
 */
export function pruneLmCache(cacheDir: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir).filter((n) => n.endsWith(HLM_EXTENSION));
  } catch {
    return;
  }
  const files = names.map((n) => join(cacheDir, n)).filter((p) => p !== keep).flatMap((p) => {
    try {
      return [{ p, t: statSync(p).mtimeMs }];
    } catch {
      return [];
    }
  });
  files.sort((a, b) => b.t - a.t);
  for (const f of files.slice(LM_CACHE_KEEP - 1)) rmSync(f.p, { force: true });
}
