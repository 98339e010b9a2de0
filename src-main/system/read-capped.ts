/**
 * Reads files that must stay small (model cards, settings, word lists) with a size cap checked
 * before anything is read, so a huge or hostile file is refused with a clear message instead of
 * taking seconds and gigabytes to parse.
 */
import { readFileSync, statSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';

export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
}

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

function check(path: string, size: number, maxBytes: number, what: string): void {
  if (size > maxBytes) throw new FileTooLargeError(`${path}: ${mb(size)}, more than the ${mb(maxBytes)} ${what} may have`);
}

/** The file's text; FileTooLargeError when it is over `maxBytes` (`what` names the file in the message). */
export async function readTextCapped(path: string, maxBytes: number, what: string): Promise<string> {
  check(path, (await stat(path)).size, maxBytes, what);
  const bytes = await readFile(path);
  check(path, bytes.length, maxBytes, what); // it may have grown since
  return bytes.toString('utf8');
}

/** readTextCapped for synchronous callers. */
export function readTextCappedSync(path: string, maxBytes: number, what: string): string {
  check(path, statSync(path).size, maxBytes, what);
  const bytes = readFileSync(path);
  check(path, bytes.length, maxBytes, what);
  return bytes.toString('utf8');
}
