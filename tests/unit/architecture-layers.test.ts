/**
 * The layers of the code (docs/DEVELOPERS.md, "Layers"): a folder of src-main imports only from
 * folders of a lower layer (and src-shared); src-shared and src-renderer never import src-main,
 * and src-shared never imports src-renderer. A new folder must be given its layer here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Layer of each src-main folder: lower layers never import higher ones. */
export const LAYERS: Record<string, number> = {
  system: 0, math: 0,
  audio: 1,
  lexicon: 2,
  decode: 3, model: 3,
  engine: 4,
  train: 5,
  app: 6,
  cli: 7, electron: 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs)$/.test(name) ? [p] : [];
  });
}

/** Relative module specifiers of a file: import/export ... from, import "x", import(), new URL(..., import.meta.url). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(?\s*|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+\.(?:ts|mjs))\1/g)].map((m) => m[2]);
}

const top = (file: string) => relative(ROOT, file).split('/');

describe('layers', () => {
  it('every src-main folder has a layer', () => {
    const folders = readdirSync(join(ROOT, 'src-main')).filter((n) => statSync(join(ROOT, 'src-main', n)).isDirectory());
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it('src-main folders import only from lower layers', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src-main'))) {
      const [, from] = top(file);
      for (const spec of relativeImports(file)) {
        const [root, to] = relative(ROOT, normalize(join(dirname(file), spec))).split('/');
        if (root === 'src-main' && to !== from && !(LAYERS[to] < LAYERS[from])) violations.push(`${relative(ROOT, file)} -> ${spec} (${from}: layer ${LAYERS[from]}, ${to}: layer ${LAYERS[to]})`);
        if (root === 'src-renderer') violations.push(`${relative(ROOT, file)} -> ${spec} (the renderer is not main-process code)`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('shared code and the renderer never import the main process', () => {
    const violations: string[] = [];
    for (const base of ['src-shared', 'src-renderer']) {
      for (const file of sourceFiles(join(ROOT, base))) {
        for (const spec of relativeImports(file)) {
          const root = relative(ROOT, normalize(join(dirname(file), spec))).split('/')[0];
          if (root === 'src-main' || (base === 'src-shared' && root === 'src-renderer')) violations.push(`${relative(ROOT, file)} -> ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
