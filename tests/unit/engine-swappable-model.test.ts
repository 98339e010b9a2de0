/**
 * SwappableModel on random-weight packages: finals' posteriors with and without VTLN against the
 * whole-utterance graph run directly, the stream's warp vote, and a hot swap's graphs and
 * decoders put in place at the boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { computeFeatures } from '../../src-shared/features/index.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { buildDecoders, type RecognitionMode } from '../../src-main/engine/recognition-decoders.ts';
import { SwappableModel } from '../../src-main/engine/swappable-model.ts';
import { DEFAULT_VTLN, posteriorsWithVtln } from '../../src-main/engine/vtln.ts';
import { StaticLexicon } from '../../src-main/lexicon/static-lexicon.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { writeModelVersionCopy } from '../helpers/model-version-copy.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { voiceLike } from '../helpers/voice-like.ts';

const dirs: string[] = [];
let v1: ModelPackage;
let v2: ModelPackage;
let reference: OfflineAcousticSession;
beforeAll(async () => {
  const base = await writeRandomModelPackage(1);
  v1 = await loadModelPackage(base.dir);
  v2 = await writeModelVersionCopy(v1, '0.0.1');
  dirs.push(base.dir, v2.dir);
  reference = await OfflineAcousticSession.create(v1);
});
afterAll(async () => {
  await reference?.release();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const lexicon = new StaticLexicon(new Map([['one', [['W', 'AH', 'N']]], ['two', [['T', 'UW']]]]), () => { throw new Error('not in the test lexicon'); });
const WORDS: RecognitionMode = { kind: 'words', items: ['one', 'two'] };
const PHRASES: RecognitionMode = { kind: 'phrases', items: ['one two'] };
const clip = (f0: number) => {
  const pcm = voiceLike(1, f0);
  return { pcm, feats: computeFeatures(pcm, v1.features, v1.normalization) };
};

describe('SwappableModel', () => {
  it('without VTLN, a final\'s posteriors are the whole-utterance graph\'s over the frames', async () => {
    const m = await SwappableModel.load(v1, { vtln: false });
    try {
      expect(m.vtln).toBeNull();
      const { pcm, feats } = clip(220);
      const r = await m.finalPosteriors(pcm, feats);
      expect(r.frames).toBe(feats.frames);
      expect(r.logprobs).toEqual(await reference.run(feats));
    } finally {
      await m.release();
    }
  });

  it('with VTLN, finals search the warps until the vote keeps one for the stream', async () => {
    const m = await SwappableModel.load(v1, { vtln: { maxProbeSec: 0.5 } });
    try {
      const a = clip(220);
      const b = clip(110);
      const U = v1.architecture.numUnits;
      const opts = { ...DEFAULT_VTLN, maxProbeSec: 0.5 };
      const searched = await posteriorsWithVtln(a.pcm, v1, reference, opts);
      expect(searched.warp).not.toBe(1);
      const first = await m.finalPosteriors(a.pcm, a.feats);
      expect(first.logprobs).toEqual(searched.logprobs.subarray(0, first.frames * U));
      // One second voted: the second final runs with the kept warp only.
      const kept = await posteriorsWithVtln(b.pcm, v1, reference, { ...opts, warps: [searched.warp] });
      const free = await posteriorsWithVtln(b.pcm, v1, reference, opts);
      expect(free.warp).not.toBe(searched.warp);
      expect((await m.finalPosteriors(b.pcm, b.feats)).logprobs).toEqual(kept.logprobs.subarray(0, b.feats.frames * U));
      // A new stream votes afresh.
      m.restartVote();
      expect((await m.finalPosteriors(b.pcm, b.feats)).logprobs).toEqual(free.logprobs.subarray(0, b.feats.frames * U));
    } finally {
      await m.release();
    }
  });

  it('puts a prepared swap in place at the boundary, with the decoders it brings', async () => {
    const m = await SwappableModel.load(v1, {});
    try {
      const factory = (mode: RecognitionMode) => buildDecoders({ mode, lexicon }, v2.frameSec);
      expect(await m.applyPending(WORDS)).toBeNull();
      const pending = await m.prepare(v2, factory, WORDS);
      expect(m.swapPending).toBe(false);
      await m.setPending(pending);
      expect([m.swapPending, m.model.metadata.version]).toEqual([true, '0.0.0']);
      const swapped = await m.applyPending(WORDS);
      expect([m.swapPending, m.model.metadata.version]).toEqual([false, '0.0.1']);
      // The set built at swap time serves the same mode.
      expect(swapped?.decoders).toBe(pending.decoders);
      expect(swapped?.factory).toBe(factory);
      // The new graphs run; a mode changed since the swap gets decoders built for it.
      const { feats } = clip(150);
      expect((await m.finalPosteriors(null, feats)).logprobs).toEqual(await reference.run(feats));
      await m.setPending(await m.prepare(v1, factory, WORDS));
      expect((await m.applyPending(PHRASES))?.decoders.mode).toEqual(PHRASES);
      // Without a factory the decoders in use stay; a second swap replaces the first.
      await m.setPending(await m.prepare(v2, undefined, WORDS));
      const last = await m.prepare(v1, undefined, WORDS);
      await m.setPending(last);
      expect(await m.applyPending(WORDS)).toBeNull();
      expect(m.model).toBe(v1);
      expect(m.stream).toBe(last.stream);
    } finally {
      await m.release();
    }
  });

  it('keeps nothing of a swap whose decoders fail, and releases a swap still waiting', async () => {
    const m = await SwappableModel.load(v1, {});
    await expect(m.prepare(v2, () => { throw new Error('no decoders'); }, WORDS)).rejects.toThrow('no decoders');
    expect(m.swapPending).toBe(false);
    const unused = await m.prepare(v2, undefined, WORDS);
    await m.discard(unused);
    await m.setPending(await m.prepare(v2, undefined, WORDS));
    await m.release();
    expect(m.swapPending).toBe(false);
  });
});
