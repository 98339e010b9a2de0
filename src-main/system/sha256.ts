/**
 * SHA-256 in hex: of bytes in memory, and of a file read as a stream (memory stays bounded
 * whatever its size). The one home of content hashing: LM caches, model versions and the job
 * queue's duplicate suppression hash through it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex SHA-256 of `bytes` (a string is hashed as UTF-8). */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hex SHA-256 of the file at `path`, read in chunks; rejects with the read error (ENOENT, EISDIR...). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
