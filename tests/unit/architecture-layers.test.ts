/**
 * The layers of the code (docs/DEVELOPERS.md, "Layers"): a folder of src-main imports only from
 * folders of a lower layer (and src-shared); each top-level folder imports only the top-level
 * folders TOP_LEVEL_IMPORTS allows it. A new folder must be given its layer here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Layer of each src-main folder (src-main/layers.json; eslint.config.js enforces it per folder too). */
export const LAYERS: Record<string, number> = JSON.parse(readFileSync(join(ROOT, 'src-main', 'layers.json'), 'utf8'));

/**
 * The top-level folders each top-level folder may import besides itself. tools/ holds the scripts
 * that build shipped data and documents: only tests import them (to check what they write).
 * bench/ is imported by nothing; what tests and benchmarks share lives in testkit/, which imports
 * neither of them.
 */
export const TOP_LEVEL_IMPORTS: Record<string, readonly string[]> = {
  'src-shared': [],
  'src-renderer': ['src-shared'],
  'src-main': ['src-shared'],
  tools: ['src-main', 'src-shared'],
  testkit: ['src-main', 'src-shared', 'src-renderer'],
  bench: ['testkit', 'src-main', 'src-shared', 'src-renderer'],
  tests: ['testkit', 'tools', 'src-main', 'src-shared', 'src-renderer'],
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

/** Why importing `spec` from `file` (both relative to the root) breaks TOP_LEVEL_IMPORTS, or null. */
export function topLevelViolation(file: string, spec: string): string | null {
  const from = file.split('/')[0];
  const to = normalize(join(dirname(file), spec)).split('/')[0];
  if (to === from || TOP_LEVEL_IMPORTS[from]?.includes(to)) return null;
  return `${from} may import only ${[from, ...(TOP_LEVEL_IMPORTS[from] ?? [])].join(', ')}`;
}

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
      }
    }
    expect(violations).toEqual([]);
  });

  it('the TypeScript folders of tsconfig.json are the folders with import rules', () => {
    const include: string[] = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).include;
    const folders = include.filter((p) => statSync(join(ROOT, p)).isDirectory());
    expect(folders.sort()).toEqual(Object.keys(TOP_LEVEL_IMPORTS).sort());
  });

  it('top-level folders import only the folders they are allowed', () => {
    const violations = Object.keys(TOP_LEVEL_IMPORTS).flatMap((base) =>
      sourceFiles(join(ROOT, base)).flatMap((file) => relativeImports(file).flatMap((spec) => {
        const why = topLevelViolation(relative(ROOT, file), spec);
        return why ? [`${relative(ROOT, file)} -> ${spec} (${why})`] : [];
      })));
    expect(violations).toEqual([]);
  });

  it('the top-level rule reports each forbidden import and allows the rest', () => {
    const forbidden: [string, string][] = [
      ['src-main/train/x.ts', '../../tools/build-dictation-lm.ts'],
      ['src-shared/units/x.ts', '../../tools/x.ts'],
      ['src-renderer/x.ts', '../tools/x.ts'],
      ['src-shared/units/x.ts', '../../src-main/lexicon/lexicon.ts'],
      ['src-shared/units/x.ts', '../../src-renderer/x.ts'],
      ['src-renderer/x.ts', '../src-main/engine/offline-acoustic-session.ts'],
      ['src-main/backend/x.ts', '../../testkit/app-harness.ts'],
      ['bench/x.bench.ts', '../tests/e2e/renderer-for-suite.ts'],
      ['bench/x.bench.ts', '../tools/build-dictation-lm.ts'],
      ['tests/unit/x.test.ts', '../../bench/app.bench.ts'],
      ['testkit/x.ts', '../tests/helpers/speech-clip.ts'],
      ['testkit/x.ts', '../bench/app.bench.ts'],
      ['tools/x.ts', '../testkit/app-harness.ts'],
      ['tools/x.ts', '../bench/app.bench.ts'],
    ];
    expect(forbidden.filter(([file, spec]) => topLevelViolation(file, spec) === null)).toEqual([]);
    const allowed: [string, string][] = [
      ['tools/x.ts', '../src-main/decode/arpa-builder.ts'],
      ['tools/x.ts', '../src-shared/units/lexicon-types.ts'],
      ['bench/x.bench.ts', '../testkit/app-harness.ts'],
      ['tests/e2e/x.test.ts', '../../testkit/app-harness.ts'],
      ['tests/unit/x.test.ts', '../../tools/benchmarks-doc.ts'],
      ['tests/unit/x.test.ts', '../helpers/random-weights.ts'],
      ['testkit/x.ts', '../src-main/backend/backend-host.ts'],
      ['src-renderer/x.ts', '../src-shared/features/index.ts'],
    ];
    expect(allowed.filter(([file, spec]) => topLevelViolation(file, spec) !== null)).toEqual([]);
  });
});
