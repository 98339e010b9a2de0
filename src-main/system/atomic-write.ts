/**
 * Writes a file so that a reader never sees half of it: the data goes to a temporary file next to
 * the target (same folder, so the same file system), which then replaces the target in one rename.
 * On any failure the temporary file is removed and the target is left as it was; the error says
 * which file could not be saved and why (the system's code, e.g. EACCES or ENOSPC), with the
 * original error as its cause. The one home of this pattern: settings, vocabulary, recordings,
 * model files, job files and manifests all save through it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Create the target's folder (and its parents) first. */
  mkdir?: boolean;
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function saveError(path: string, e: unknown): Error {
  const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new Error(`could not save ${path} (${reason})`, { cause: e });
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempPath(path);
  try {
    if (opts.mkdir) await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw saveError(path, e);
  }
}

/** writeFileAtomic for callers that must finish before returning (same guarantees). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const tmp = tempPath(path);
  try {
    if (opts.mkdir) mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try { rmSync(tmp, { force: true }); } catch { /* the original error matters more */ }
    throw saveError(path, e);
  }
}
