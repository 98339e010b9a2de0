/**
 * Hot-swapping a running stream to a new version of its model (the shipped model's weights
 * exported again under another version): synthesized multi-utterance speech streamed in 100 ms
 * pushes, the swap issued mid-utterance or in silence, through OnlineRecognizer and through
 * RecognitionService over the in-memory IPC transport. Checked: every utterance gets its final,
 * every model frame of the audio is processed exactly once (stats.framesProcessed), finals up to
 * the boundary name the old model and later ones the new, results equal an unswapped run, and a
 * package whose front-end differs (a random-weight model with other normalization) is refused
 * while the stream keeps working.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { ModelSwapError, modelLabel, swapIncompatibilities } from '../../src-main/engine/model-swap.ts';
import { OnlineRecognizer, type OnlineRecognizerOptions, type StreamEvent } from '../../src-main/engine/online-recognizer.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { computeMfcc, computeMfccWithMeydaExtract, modelFramesForSamples } from '../../src-shared/features/index.ts';
import type { RecognitionEventMessage } from '../../src-shared/ipc/recognition-contract.ts';
import { createInMemoryRecognition } from '../helpers/in-memory-recognition.ts';
import { writeModelVersionCopy } from '../helpers/model-version-copy.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

const VOICE = 'espeak:en-gb-scotland+f3';
const DIGITS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const SAID = ['three seven', 'nine two', 'six two'];
const RATE = 16000;
const PUSH = 1600;

let v1: ModelPackage;
let v2: ModelPackage;
/** Same weights as v1 but the front-end of the random test models (other normalization). */
let foreign: ModelPackage;
let pcm: Float32Array;

/** Speech without the synthesizer's leading and trailing silence. */
function trim(x: Float32Array): Float32Array {
  let a = 0;
  let b = x.length;
  while (a < b && Math.abs(x[a]) < 0.01) a++;
  while (b > a && Math.abs(x[b - 1]) < 0.01) b--;
  return x.slice(a, b);
}

async function compose(parts: (string | number)[]): Promise<Float32Array> {
  const rng = createRng(5);
  const pieces: Float32Array[] = [];
  for (const p of parts) pieces.push(typeof p === 'number' ? new Float32Array(Math.round(p * RATE)) : trim(await synthesize(p, VOICE, rng.fork())));
  const out = new Float32Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) { out.set(p, at); at += p.length; }
  return out;
}

beforeAll(async () => {
  v1 = await loadModelPackage(resolveModelDir());
  v2 = await writeModelVersionCopy(v1, `${v1.metadata.version}-hotswap`);
  foreign = await loadModelPackage((await writeRandomModelPackage(3)).dir);
  pcm = await compose([0.5, SAID[0], 1.4, SAID[1], 1.4, SAID[2], 1.0]);
});
afterAll(async () => {
  for (const m of [v2, foreign]) if (m) await rm(m.dir, { recursive: true, force: true });
});

type Final = Extract<StreamEvent, { type: 'final' }>;
const finals = (evs: readonly StreamEvent[]) => evs.filter((e): e is Final => e.type === 'final');

/**
 * Streams `pcm` in 100 ms pushes; `before(i, events so far)` runs before push i (the place to
 * swap). Returns every event, the finish included.
 */
async function stream(rec: OnlineRecognizer, before: (i: number, evs: StreamEvent[]) => Promise<void> = async () => undefined): Promise<StreamEvent[]> {
  await rec.reset();
  const evs: StreamEvent[] = [];
  for (let i = 0; i < pcm.length; i += PUSH) {
    await before(i, evs);
    evs.push(...await rec.acceptPcm(pcm.slice(i, i + PUSH)));
  }
  evs.push(...await rec.finish());
  return evs;
}

/**
 * True once the second utterance is under way in the chunks at `nowSec` of audio pushed: one final
 * out, a partial with text after it, and 0.4 s more pushed since. A partial's text may come from the
 * preview of frames not yet in a chunk (up to chunk + look-ahead = 12 frames, 0.36 s, behind), and only
 * chunks tell the endpoint detector that speech began (which decides when a swap applies).
 */
function inSecondUtterance(evs: readonly StreamEvent[], nowSec: number): boolean {
  const f = evs.findIndex((e) => e.type === 'final');
  const p = f >= 0 ? evs.slice(f + 1).find((e) => e.type === 'partial' && e.text !== '') : undefined;
  return p !== undefined && nowSec >= p.audioSec + 0.4;
}

const recognizer = (opts: Partial<OnlineRecognizerOptions> = {}) => OnlineRecognizer.create({ model: v1, mode: { kind: 'words', items: DIGITS }, ...opts });

/** Counts the streaming posterior rows of the unwarped front-end: one per frame run through the streaming graphs. */
function rowCounter(): { rows: number; onPosteriors: OnlineRecognizerOptions['onPosteriors'] } {
  const c = { rows: 0, onPosteriors: (_l: Float32Array, frames: number, _u: number, warp: number) => { if (warp === 1) c.rows += frames; } };
  return c;
}

describe('hot swap of a running stream (OnlineRecognizer)', () => {
  it('moves to the new version after the current utterance\'s final, losing and repeating no frame', async () => {
    // Without VTLN the finals depend on the frames only, so the swapped run must equal a plain one.
    const plainRec = await recognizer({ vtln: false });
    const plain = await stream(plainRec);
    await plainRec.dispose();

    const counted = rowCounter();
    const rec = await recognizer({ vtln: false, onPosteriors: counted.onPosteriors });
    let swappedAt = -1;
    let pendingAfterSwap = false;
    const evs = await stream(rec, async (i, so) => {
      if (swappedAt >= 0 || !inSecondUtterance(so, i / RATE)) return;
      expect(await rec.swapModel(v2)).toEqual([]);
      swappedAt = so.length;
      pendingAfterSwap = rec.swapPending;
      // Until the boundary the old model decodes.
      expect(rec.model).toBe(v1);
    });
    const stats = { ...rec.stats };
    await rec.dispose();
    expect(swappedAt).toBeGreaterThan(0);
    expect(pendingAfterSwap).toBe(true);
    expect(rec.model).toBe(v2);
    expect(rec.swapPending).toBe(false);

    const f = finals(evs);
    expect(f.map((e) => e.text)).toEqual(SAID);
    // The utterance in progress at the swap is finished by the old model; the next is the new one's.
    expect(f.map((e) => e.model)).toEqual([modelLabel(v1), modelLabel(v1), modelLabel(v2)]);
    expect(finals(evs.slice(0, swappedAt))).toHaveLength(1);
    expect(stats.framesProcessed).toBe(modelFramesForSamples(pcm.length, v1.features));
    expect(counted.rows).toBe(stats.framesProcessed);
    expect(stats.utterances).toBe(3);
    // Same network, same frames: every event equals the unswapped run's but for the model named.
    const unlabel = (e: StreamEvent) => (e.type === 'final' ? { ...e, model: undefined } : e);
    expect(evs.map(unlabel)).toEqual(plain.map(unlabel));
    expect(finals(plain).every((e) => e.model === modelLabel(v1))).toBe(true);
  });

  it('swaps at once in silence, and a second swap before the boundary replaces the first', async () => {
    const counted = rowCounter();
    const rec = await recognizer({ onPosteriors: counted.onPosteriors });
    const evs = await stream(rec, async (i) => {
      if (i !== 5 * PUSH) return;
      // The leading 0.5 s of silence pushed: no utterance in progress, a chunk through the old graph.
      expect(rec.stats.chunks).toBeGreaterThan(0);
      await rec.swapModel(v2);
      expect(rec.model).toBe(v2);
      expect(rec.swapPending).toBe(false);
    });
    expect(finals(evs).map((e) => [e.text, e.model])).toEqual(SAID.map((t) => [t, modelLabel(v2)]));
    expect(rec.stats.framesProcessed).toBe(modelFramesForSamples(pcm.length, v1.features));
    // Each frame went through a streaming graph once: the old one's frames up to the cut, the new one's after.
    expect(counted.rows).toBe(rec.stats.framesProcessed);
    await rec.dispose();

    const back = await recognizer();
    let n = 0;
    const evs2 = await stream(back, async (i, so) => {
      if (n > 0 || !inSecondUtterance(so, i / RATE)) return;
      n++;
      await back.swapModel(v2);
      await back.swapModel(v1);
      expect(back.swapPending).toBe(true);
      expect(back.model).toBe(v1);
    });
    expect(finals(evs2).map((e) => e.text)).toEqual(SAID);
    expect(finals(evs2).every((e) => e.model === modelLabel(v1))).toBe(true);
    expect(back.stats.framesProcessed).toBe(modelFramesForSamples(pcm.length, v1.features));
    await back.dispose();
  });

  it('refuses a package whose front-end differs, and the stream goes on with its model', async () => {
    expect(swapIncompatibilities(v1, v2)).toEqual([]);
    expect(swapIncompatibilities(v1, foreign).join('; ')).toMatch(/normalization\.mean\[0\]/);
    const rec = await recognizer();
    let refused: unknown = null;
    const evs = await stream(rec, async (i, so) => {
      if (refused || !inSecondUtterance(so, i / RATE)) return;
      refused = await rec.swapModel(foreign).catch((e: unknown) => e);
    });
    expect(refused).toBeInstanceOf(ModelSwapError);
    expect((refused as Error).message).toMatch(/cannot switch the running stream from model hark-en .* to random-test 0\.0\.0: .*normalization.*restart the stream/);
    expect(rec.model).toBe(v1);
    expect(finals(evs).map((e) => [e.text, e.model])).toEqual(SAID.map((t) => [t, modelLabel(v1)]));
    expect(rec.stats.framesProcessed).toBe(modelFramesForSamples(pcm.length, v1.features));
    await rec.dispose();
  });
});

describe('hot swap through RecognitionService (MFCC rows as the renderer sends them)', () => {
  it('adopts a new version for the running stream and for streams started later; refuses a foreign front-end', async () => {
    const mem = createInMemoryRecognition(v1, { keywordWarps: [1, 0.8] });
    const client = mem.connect(1);
    const events: RecognitionEventMessage[] = [];
    client.onEvent((m) => events.push(m));
    try {
      const { streamId, features, keywordWarps } = await client.invoke('start', { input: 'mfcc', mode: { kind: 'words', items: DIGITS }, keywords: [{ text: 'seven' }] });
      const mfcc = computeMfccWithMeydaExtract(pcm, features);
      const warped = computeMfcc(pcm, features, keywordWarps[0]);
      const per100ms = 10 * mfcc.dim;
      let adopted = -1;
      for (let i = 0; i < mfcc.data.length; i += per100ms) {
        if (adopted < 0 && inSecondUtterance(events.map((m) => m.event), (i / mfcc.dim) * features.hopLength / RATE)) {
          await expect(mem.service.adoptModel(foreign)).rejects.toThrow(ModelSwapError);
          expect(mem.service.currentModel).toBe(v1);
          adopted = await mem.service.adoptModel(v2);
          expect(mem.service.currentModel).toBe(v2);
        }
        await client.invoke('push', { streamId, data: mfcc.data.slice(i, i + per100ms), warped: [warped.data.slice(i, i + per100ms)] });
      }
      const { audioSec } = await client.invoke('stop', { streamId });
      expect(adopted).toBe(1);
      expect(audioSec).toBeCloseTo((mfcc.frames * features.hopLength) / RATE, 3);
      const f = finals(events.map((m) => m.event));
      expect(f.map((e) => e.text)).toEqual(SAID);
      expect(f.map((e) => e.model)).toEqual([modelLabel(v1), modelLabel(v1), modelLabel(v2)]);
      expect(events.filter((m) => m.event.type === 'keyword').map((m) => (m.event as { keyword: string }).keyword)).toEqual(['seven']);

      // A stream started after the adoption runs on the new version from its first utterance.
      events.length = 0;
      const next = await client.invoke('start', { input: 'pcm', mode: { kind: 'words', items: DIGITS } });
      for (let i = 0; i < pcm.length; i += PUSH) await client.invoke('push', { streamId: next.streamId, data: pcm.slice(i, i + PUSH) });
      await client.invoke('stop', { streamId: next.streamId });
      expect(finals(events.map((m) => m.event)).map((e) => [e.text, e.model])).toEqual(SAID.map((t) => [t, modelLabel(v2)]));
      // Ownership is unchanged by the swap: another window still cannot touch a stream.
      const mine = await client.invoke('start', { input: 'pcm', mode: { kind: 'dictation' } });
      await mem.service.adoptModel(v1);
      await expect(mem.connect(2).invoke('stop', { streamId: mine.streamId })).rejects.toThrow(/no stream/);
      await client.invoke('stop', { streamId: mine.streamId });
    } finally {
      await mem.service.dispose();
    }
  });
});
