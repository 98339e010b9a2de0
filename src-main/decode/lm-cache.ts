/**
 * A user's ARPA model (`--lm file.arpa[.gz]`) is converted once to the binary form (.hlm,
 * compact-lm-file.ts) and kept in a cache folder, by default `cache/lm/` in the user data folder.
 * The cache file is named after the SHA-256 of the ARPA file's bytes, so an edited, replaced or
 * re-downloaded file is converted again, and a copy of the same file elsewhere reuses the cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeCacheFile } from '../system/cache-file.ts';
import { defaultUserDataDir } from '../lexicon/user-vocabulary.ts';
import { compactTablesFromArpa } from './compact-ngram-builder.ts';
import { sha256 as sha256Of } from '../system/sha256.ts';
import { CompactNgramLM } from './compact-ngram-lm.ts';
import { decodeCompactLm, encodeCompactLm, HLM_EXTENSION } from './compact-lm-file.ts';

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
      if (c.source.arpaSha256 === sha256) return { lm: new CompactNgramLM(c.tables), cachePath, converted: false };
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
  return { lm, cachePath, converted: true, ...(failed ? { warning: failed } : {}) };
}
