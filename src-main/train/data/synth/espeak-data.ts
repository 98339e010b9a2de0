/**
 * espeak-ng reads voice variants only from its data folder (`voices/!v`). For per-utterance variant files
 * Hark builds a private data folder of links to the system's, with its own `voices/!v` that holds links to
 * every system variant plus the generated files, and runs espeak-ng with `--path` pointing at it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

let systemData: string | null = null;

/** The system's espeak-ng-data folder, as `espeak-ng --version` reports it. */
export function espeakSystemData(): string {
  if (systemData !== null) return systemData;
  let out: string;
  try {
    out = execFileSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`failed to run espeak-ng: ${(e as Error).message} (is "espeak-ng" installed? e.g. apt-get install espeak-ng)`);
  }
  const m = /Data at:\s*(\S+)/.exec(out);
  if (!m || !existsSync(m[1])) throw new Error(`espeak-ng --version names no data folder: ${out.trim()}`);
  systemData = m[1];
  return systemData;
}

const baseVariants = new Map<string, string>();

/** Text of a system variant file (`voices/!v/<name>`), '' when there is none. */
export function espeakVariantText(name: string): string {
  let text = baseVariants.get(name);
  if (text === undefined) {
    const path = join(espeakSystemData(), 'voices', '!v', name);
    text = existsSync(path) ? readFileSync(path, 'latin1') : '';
    baseVariants.set(name, text);
  }
  return text;
}

const prepared = new Set<string>();

/**
 * Makes `<root>/espeak-ng-data` a copy-by-links of the system data (once per root); returns the folder
 * where variant files go (`--path=<root>`, then `-v <voice>+<file name>`).
 */
export function espeakPrivateData(root: string): string {
  const data = join(root, 'espeak-ng-data');
  const variants = join(data, 'voices', '!v');
  if (prepared.has(root)) return variants;
  const sys = espeakSystemData();
  mkdirSync(variants, { recursive: true });
  const link = (from: string, to: string): void => { if (!existsSync(to)) symlinkSync(from, to); };
  for (const e of readdirSync(sys)) if (e !== 'voices') link(join(sys, e), join(data, e));
  for (const e of readdirSync(join(sys, 'voices'))) if (e !== '!v') link(join(sys, 'voices', e), join(data, 'voices', e));
  for (const e of readdirSync(join(sys, 'voices', '!v'))) link(join(sys, 'voices', '!v', e), join(variants, e));
  prepared.add(root);
  return variants;
}
