/**
 * Keeps a byte-exact copy of a file that could not be read as it should (bad JSON, invalid fields)
 * before the program replaces it with what it could make of it: `settings.json` is copied to
 * `settings.damaged-2026-12-05T09-20-11-123Z.json` beside it. A copy with the same bytes already
 * there is reused, so opening the same damaged file again adds no second copy. Written atomically
 * (atomic-write.ts): a copy that exists is whole.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';

/** The copies of `path` look like <stem>.damaged-<time><ext>. */
function copyPattern(path: string): { stem: string; ext: string; matches: (name: string) => boolean } {
  const ext = extname(path);
  const stem = basename(path, ext);
  const prefix = `${stem}.damaged-`;
  return { stem, ext, matches: (name) => name.startsWith(prefix) && name.endsWith(ext) };
}

/** Copies `bytes` (the damaged file's content) beside `path`; returns the copy's path. Throws when it cannot be written. */
export async function keepDamagedCopy(path: string, bytes: Uint8Array): Promise<string> {
  const dir = dirname(path);
  const { stem, ext, matches } = copyPattern(path);
  for (const name of (await readdir(dir).catch(() => [] as string[])).filter(matches).sort()) {
    const existing = await readFile(join(dir, name)).catch(() => null);
    if (existing && Buffer.compare(existing, bytes) === 0) return join(dir, name);
  }
  const copy = join(dir, `${stem}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}${ext}`);
  await writeFileAtomic(copy, bytes);
  return copy;
}
