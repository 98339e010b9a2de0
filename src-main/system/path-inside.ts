/**
 * Whether `path` lies strictly inside the folder `root` (not the folder itself). Both must be
 * absolute and resolved the same way; compare real paths (fs.realpath) where symbolic links must
 * not lead out.
 */
import { isAbsolute, relative, sep } from 'node:path';

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
