/**
 * docs/BENCHMARKS.md is generated from bench/results/*.json by tools/benchmarks-doc.ts: the committed
 * document must be exactly what the generator writes from the committed results, so a new result
 * (or a hand edit) without regenerating fails here. Fix: node bin/run-ts.mjs tools/benchmarks-doc.ts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS_DOC, renderBenchmarksDoc } from '../../tools/benchmarks-doc.ts';

describe('docs/BENCHMARKS.md', () => {
  it('matches what tools/benchmarks-doc.ts writes from bench/results', () => {
    expect(readFileSync(BENCHMARKS_DOC, 'utf8')).toBe(renderBenchmarksDoc());
  });
});
