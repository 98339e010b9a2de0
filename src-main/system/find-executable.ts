/**
 * Finds a program the way a shell would: `cmd` itself when it names a path, else the first
 * executable file called `cmd` in a folder of PATH. Nothing is run.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The executable `cmd` names on `path` (PATH's value), or null if there is none. */
export function findExecutable(cmd: string, path: string = process.env.PATH ?? ''): string | null {
  const candidates = cmd.includes('/') || isAbsolute(cmd) ? [cmd] : path.split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return isAbsolute(c) ? c : join(process.cwd(), c);
    } catch {
      // not this one
    }
  }
  return null;
}
