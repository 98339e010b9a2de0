/** `npm run bench` runs every benchmark but those listed to run on their own, each with the arguments it takes. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUN_ALL, RUN_SEPARATELY } from '../../testkit/bench-list.ts';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench');
const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();

describe('the benchmark list', () => {
  it('names every bench/*.bench.ts exactly once, in RUN_ALL or RUN_SEPARATELY', () => {
    const listed = [...RUN_ALL.map((b) => b.file), ...Object.keys(RUN_SEPARATELY)];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(files);
  });

  it('passes --model only to the benches that declare a model option', () => {
    for (const b of RUN_ALL) {
      const source = readFileSync(join(benchDir, b.file), 'utf8');
      expect(/\bmodel: \{ type: 'string'/.test(source), b.file).toBe(b.model);
    }
  });

  it('gives a reason for each bench it leaves out', () => {
    for (const [file, why] of Object.entries(RUN_SEPARATELY)) expect(why.length, file).toBeGreaterThan(20);
  });
});
