import { describe, expect, it } from 'vitest';
import { BlockBatcher, blockSamplesFor, toDbfs, type AudioBlock } from '../../src-renderer/audio/block-batcher.ts';

describe('BlockBatcher', () => {
  it('joins 128-sample quanta into exact blocks without dropping or reordering samples', () => {
    const b = new BlockBatcher(800);
    const blocks: AudioBlock[] = [];
    const total = 128 * 40; // 5120 samples -> 6 blocks + 320 pending
    for (let q = 0; q < 40; q++) {
      const quantum = new Float32Array(128);
      for (let i = 0; i < 128; i++) quantum[i] = ((q * 128 + i) % 1000) / 1000;
      b.push(quantum, (blk) => blocks.push(blk));
    }
    expect(blocks.length).toBe(Math.floor(total / 800));
    const joined = blocks.flatMap((blk) => Array.from(blk.samples));
    expect(joined.length).toBe(4800);
    joined.forEach((x, i) => expect(x).toBeCloseTo((i % 1000) / 1000, 6));
    // Each block owns its buffer (transferable without disturbing the next one).
    expect(new Set(blocks.map((blk) => blk.samples.buffer)).size).toBe(blocks.length);
  });

  it('reports peak and RMS per block', () => {
    const b = new BlockBatcher(4);
    const blocks: AudioBlock[] = [];
    b.push(new Float32Array([0.5, -0.5, 0.5, -0.5, 0, 0, -1, 0]), (blk) => blocks.push(blk));
    expect(blocks).toHaveLength(2);
    expect(blocks[0].peak).toBeCloseTo(0.5);
    expect(blocks[0].rms).toBeCloseTo(0.5);
    expect(blocks[1].peak).toBe(1);
    expect(blocks[1].rms).toBeCloseTo(0.5);
  });

  it('sizes blocks from the push interval and rejects nonsense', () => {
    expect(blockSamplesFor(50, 16000)).toBe(800);
    expect(blockSamplesFor(20, 16000)).toBe(320);
    expect(() => new BlockBatcher(0)).toThrow(/positive integer/);
  });

  it('converts amplitudes to dBFS with a floor', () => {
    expect(toDbfs(1)).toBeCloseTo(0);
    expect(toDbfs(0.1)).toBeCloseTo(-20);
    expect(toDbfs(0)).toBe(-90);
    expect(toDbfs(1e-9, -60)).toBe(-60);
  });
});
