/**
 * A value kept in a cache file: read from `path` when the file is there and decodes, otherwise
 * made, written atomically and returned. A damaged file is made again; a cache that cannot be
 * written only costs making it next time, and leaves no empty folders behind (a full disk must
 * not litter the user's data folder). Used for the packed CMUdict and the trained G2P model.
 */
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFileAtomicSync } from './atomic-write.ts';

export interface CachedValue<T> {
  value: T;
  /** Whether this call made the value (no usable cache file). */
  made: boolean;
  /** Why the cache file could not be used or written (the value is right all the same). */
  warning?: string;
}

export function readOrMakeCacheFile<T>(path: string, o: {
  decode: (bytes: Uint8Array, name: string) => T;
  make: () => T;
  encode: (value: T) => Uint8Array;
  /** What the file holds, for the warning ("the G2P model"). */
  what: string;
  /** How remaking a damaged file is said ("made again"). */
  again: string;
}): CachedValue<T> {
  let warning: string | undefined;
  try {
    return { value: o.decode(readFileSync(path), path), made: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warning = `${(e as Error).message}; ${o.again}`;
  }
  const value = o.make();
  const failed = writeCacheFile(path, o.encode(value));
  if (failed) warning = `cannot keep ${o.what} in ${dirname(path)}: ${failed}`;
  return { value, made: true, ...(warning ? { warning } : {}) };
}

/** Writes a cache file atomically, creating its folder; returns why it could not (null: written). */
export function writeCacheFile(path: string, bytes: Uint8Array): string | null {
  // The folders this call creates, outermost first: removed again on failure.
  const created: string[] = [];
  for (let d = dirname(resolve(path)); !existsSync(d) && dirname(d) !== d; d = dirname(d)) created.unshift(d);
  try {
    writeFileAtomicSync(path, bytes, { mkdir: true });
    return null;
  } catch (e) {
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        break; // not empty, or never made
      }
    }
    return (e as Error).message;
  }
}
