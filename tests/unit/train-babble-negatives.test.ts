/** Babble negatives for `hark adapt --babble-negatives N`: many talkers at once, written once, the same for the same seed, no labels. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudioFile } from '../../src-main/audio/index.ts';
import { encodeWav } from '../../src-main/audio/wav-writer.ts';
import { BABBLE_TALKERS, ensureBabbleNegatives } from '../../src-main/train/adapt-run.ts';
import { babbleNoise } from '../../src-main/train/data/augment/noise.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

const temps: string[] = [];
afterAll(async () => { for (const d of temps) await rm(d, { recursive: true, force: true }); });

/** A talker stand-in: a 1-s tone at `hz` whose loudness rises and falls at a syllable's rate. */
function talker(hz: number): Float32Array {
  return Float32Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16000) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 4 * i) / 16000)));
}

describe('ensureBabbleNegatives', () => {
  it('writes count babble clips of 2-8 s at -40..-16 dBFS with empty labels, reproducibly, and keeps those already there', async () => {
    const poolDir = await mkdtemp(join(tmpdir(), 'hark-babble-pool-'));
    const a = await mkdtemp(join(tmpdir(), 'hark-babble-a-'));
    const b = await mkdtemp(join(tmpdir(), 'hark-babble-b-'));
    temps.push(poolDir, a, b);
    const pool: string[] = [];
    for (const hz of [180, 220, 260, 300, 340]) {
      const path = join(poolDir, `t${hz}.wav`);
      await writeFile(path, encodeWav(talker(hz), 16000));
      pool.push(path);
    }
    const clips = await ensureBabbleNegatives(a, 3, 7, pool);
    expect(clips.map((c) => c.labels)).toEqual([[], [], []]);
    const audios = await Promise.all(clips.map((c) => decodeAudioFile(c.path)));
    expect(audios.map((a) => a.samples.length)).toEqual(clips.map((c) => c.samples));
    expect(Math.min(...clips.map((c) => c.samples))).toBeGreaterThanOrEqual(2 * 16000);
    expect(Math.max(...clips.map((c) => c.samples))).toBeLessThanOrEqual(8 * 16000);
    const levels = audios.map((a) => 10 * Math.log10(a.samples.reduce((s, v) => s + v * v, 0) / a.samples.length));
    expect(Math.min(...levels)).toBeGreaterThan(-40.5);
    expect(Math.max(...levels)).toBeLessThan(-15.5);
    const again = await ensureBabbleNegatives(b, 3, 7, pool);
    expect(await readFile(again[2].path)).toEqual(await readFile(clips[2].path));
    const before = (await stat(clips[0].path)).mtimeMs;
    await ensureBabbleNegatives(a, 4, 7, pool);
    expect((await stat(clips[0].path)).mtimeMs).toBe(before);
  });

  it('refuses to make babble from no clips', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-babble-none-'));
    temps.push(dir);
    await expect(ensureBabbleNegatives(dir, 2, 7, [])).rejects.toThrow(/no synthesized clips/);
  });

  it('sums as many talkers as asked: 4 to 8 for the negatives', () => {
    // Each pool clip is a single tone, so the talkers of one mix are the tones with energy in its spectrum.
    const tones = [150, 210, 270, 330, 390, 450, 510, 570, 630, 690].map((hz) => Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 16000)));
    expect(BABBLE_TALKERS).toEqual([4, 8]);
    const counts = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const mix = babbleNoise(16000, createRng(seed), tones, 16000, BABBLE_TALKERS);
      // Distinct tones heard: correlate with each tone over the whole second (orthogonal at whole cycles).
      let heard = 0;
      for (const t of tones) {
        let dot = 0;
        for (let i = 0; i < 16000; i++) dot += mix[i] * t[i];
        if (Math.abs(dot) / 8000 > 0.2) heard++;
      }
      counts.add(heard);
      expect(heard).toBeGreaterThanOrEqual(1);
      expect(heard).toBeLessThanOrEqual(8);
    }
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(5);
  });
});
