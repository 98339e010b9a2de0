/** Music negatives for `hark adapt --music-negatives N`: written once, the same for the same seed, no labels. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioFile } from '../../src-main/audio/index.ts';
import { ensureMusicNegatives } from '../../src-main/train/adapt-run.ts';

const temps: string[] = [];
afterAll(async () => { for (const d of temps) await rm(d, { recursive: true, force: true }); });

describe('ensureMusicNegatives', () => {
  it('writes count music clips of 2-8 s with empty labels, reproducibly, and keeps those already there', async () => {
    const a = await mkdtemp(join(tmpdir(), 'hark-music-a-'));
    const b = await mkdtemp(join(tmpdir(), 'hark-music-b-'));
    temps.push(a, b);
    const clips = await ensureMusicNegatives(a, 3, 7);
    expect(clips).toHaveLength(3);
    for (const c of clips) {
      expect(c.labels).toEqual([]);
      const audio = await decodeAudioFile(c.path);
      expect(audio.samples.length).toBe(c.samples);
      expect(c.samples / 16000).toBeGreaterThanOrEqual(2);
      expect(c.samples / 16000).toBeLessThanOrEqual(8);
    }
    const again = await ensureMusicNegatives(b, 3, 7);
    expect(await readFile(again[2].path)).toEqual(await readFile(clips[2].path));
    const before = (await stat(clips[0].path)).mtimeMs;
    await ensureMusicNegatives(a, 4, 7);
    expect((await stat(clips[0].path)).mtimeMs).toBe(before);
  });
});
