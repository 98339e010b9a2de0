// `hark adapt --split-long` (long-clip-pieces.ts) on real audio and the shipped model: a long
// utterance with two known pauses is cut inside those pauses, the pieces' words are the clip's words
// in order, each piece fits the limit, a second call reads the pieces back instead of cutting again,
// other limits are refused, and a clip whose transcript the model does not hear is left out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeWav } from '../../src-main/audio/index.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { longClipPieces } from '../../src-main/train/data/real/long-clip-pieces.ts';
import type { RealClipRecord } from '../../src-main/train/data/real/build-real-set.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { speechClip } from '../helpers/speech-clip.ts';
import { tempDir } from '../unit/audio-test-tools.ts';

const tmp = tempDir();
afterAll(tmp.cleanup);
const PARTS = ['open the file and read it', 0.6, 'the weather is cold today', 0.6, 'please call me tomorrow morning'];
const TEXT = 'open the file and read it the weather is cold today please call me tomorrow morning';
let model: ModelPackage;
let pcm: Float32Array;
let pauses: [number, number][];
const record = (id: string, text: string, samples: number): RealClipRecord =>
  ({ id, text, voice: 'real:test:a', file: `clips/${id}.wav`, samples, source: 'test', speaker: 'test:a', originalText: text, split: 'train' });

beforeAll(async () => {
  model = await loadModelPackage(resolveModelDir());
  const rng = createRng(3);
  const a = await speechClip([PARTS[0]], rng.fork()), b = await speechClip([PARTS[2]], rng.fork());
  pcm = await speechClip(PARTS, createRng(3));
  const gap = Math.round(0.6 * 16000);
  pauses = [[a.length, a.length + gap], [a.length + gap + b.length, a.length + 2 * gap + b.length]];
  mkdirSync(join(tmp.dir, 'set', 'clips'), { recursive: true });
  writeFileSync(join(tmp.dir, 'set', 'clips', 'long.wav'), encodeWav(pcm, 16000));
  writeFileSync(join(tmp.dir, 'set', 'clips', 'wrong.wav'), encodeWav(pcm, 16000));
}, 120_000);

describe('long clip pieces', () => {
  it('cuts in the pauses, keeps every word in order and each piece within the limit', async () => {
    expect(pcm.length / 16000).toBeGreaterThan(5);
    const { pieces, report } = await longClipPieces([record('long', TEXT, pcm.length)], model, new Lexicon(), { setDir: join(tmp.dir, 'set'), outDir: join(tmp.dir, 'pieces'), maxClipSec: 3.5 });
    expect(report).toMatchObject({ clips: 1, split: 1, misheard: 0, unaligned: 0, wordsDropped: 0 });
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.map((p) => p.text).join(' ')).toBe(TEXT);
    expect(pieces.every((p) => p.parent === 'long' && p.samples <= 3.5 * 16000)).toBe(true);
    // The pieces are the clip's samples, back to back, and each cut lies inside a pause.
    let at = 0;
    for (const [i, p] of pieces.entries()) {
      const audio = (await decodeAudioFile(join(tmp.dir, 'pieces', p.file))).samples;
      expect(audio.length).toBe(p.samples);
      const start = i === 0 ? 0 : pauses.find(([s, e]) => at >= s && at <= e) ? at : -1;
      expect(start, `cut ${i} at sample ${at} lies in neither pause ${JSON.stringify(pauses)}`).toBe(at);
      expect(Math.max(...audio.map((v, k) => Math.abs(v - pcm[at + k])))).toBeLessThan(1e-4);
      at += audio.length;
    }
    expect(at).toBe(pcm.length);
    expect(report.pieceSeconds).toBeCloseTo(pcm.length / 16000, 1);
  }, 120_000);

  it('reads the pieces back on the next call, and refuses pieces cut to another limit', async () => {
    const before = readFileSync(join(tmp.dir, 'pieces', 'pieces.json'), 'utf8');
    const again = await longClipPieces([], model, new Lexicon(), { setDir: join(tmp.dir, 'set'), outDir: join(tmp.dir, 'pieces'), maxClipSec: 3.5 });
    expect(again.pieces.map((p) => p.text).join(' ')).toBe(TEXT);
    expect(readFileSync(join(tmp.dir, 'pieces', 'pieces.json'), 'utf8')).toBe(before);
    await expect(longClipPieces([], model, new Lexicon(), { setDir: join(tmp.dir, 'set'), outDir: join(tmp.dir, 'pieces'), maxClipSec: 3 }))
      .rejects.toThrow(/holds pieces cut by .* at 3.5 s .*not by .* at 3 s/);
  });

  it('leaves out a clip whose transcript the model does not hear', async () => {
    const { pieces, report } = await longClipPieces([record('wrong', 'seven hundred elephants marched slowly across the frozen northern river valley at dawn', pcm.length)], model, new Lexicon(),
      { setDir: join(tmp.dir, 'set'), outDir: join(tmp.dir, 'pieces-wrong'), maxClipSec: 3.5 });
    expect(pieces).toEqual([]);
    expect(report).toMatchObject({ clips: 1, split: 0, misheard: 1 });
  }, 60_000);
});
