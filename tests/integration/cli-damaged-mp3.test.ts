/**
 * A damaged MP3 through `hark transcribe`: the decoder's per-frame complaints ("mpg123-decoder: -1
 * MPG123_ERR", naming no file) become one warning that names the file, instead of dozens of lines.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHark } from './cli-fixtures.ts';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An ID3v2 header and then 20,000 seeded random bytes: the decoder finds frame syncs it cannot read. */
function damagedMp3(seed: number): Uint8Array {
  const out = new Uint8Array(10 + 20_000);
  out.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  let s = seed >>> 0;
  for (let i = 10; i < out.length; i++) out[i] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24;
  return out;
}

describe('hark transcribe: damaged MP3', () => {
  it('reports the damage once, naming the file, and prints none of the decoder\'s own lines', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hark-mp3-'));
    const file = join(dir, 'damaged.mp3');
    await writeFile(file, damagedMp3(7));
    const r = await runHark(['transcribe', file]);
    expect(r.stderr).not.toMatch(/mpg123-decoder|MPG123_ERR\n/);
    const lines = r.stderr.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`${file}: warning: damaged mp3 data: the decoder skipped `)).toBe(true);
    expect(lines[0]).toMatch(/skipped \d+ frames? it could not read \(-1 MPG123_ERR\)$/);
  }, 60_000);
});
