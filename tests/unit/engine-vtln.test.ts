/**
 * Test-time VTLN mechanics on a random-weight model: no search reproduces the plain path, the
 * chosen factor is the one with the best confidence score, long inputs are probed on their loudest
 * stretch and then decoded whole at the chosen factor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src-shared/features/index.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_VTLN, posteriorsWithVtln } from '../../src-main/engine/vtln.ts';
import { greedyDecode } from '../../src-main/decode/ctc-greedy-decoder.ts';
import { spectralWarp } from '../../src-main/audio/speed-perturb.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { voiceLike } from '../helpers/voice-like.ts';

let model: ModelPackage;
let session: OfflineAcousticSession;
beforeAll(async () => {
  model = await loadModelPackage((await writeRandomModelPackage(3)).dir);
  session = await OfflineAcousticSession.create(model, { threads: 1 });
});

async function score(pcm: Float32Array, warp: number): Promise<number> {
  const f = computeFeatures(warp === 1 ? pcm : spectralWarp(pcm, warp), model.features, model.normalization);
  return greedyDecode(await session.run(f), f.frames, model.architecture.numUnits).score / f.frames;
}

describe('posteriorsWithVtln', () => {
  it('with only factor 1 gives exactly the plain posteriors', async () => {
    const pcm = voiceLike(1.5, 180);
    const r = await posteriorsWithVtln(pcm, model, session, { ...DEFAULT_VTLN, warps: [1] });
    const f = computeFeatures(pcm, model.features, model.normalization);
    expect(r.warp).toBe(1);
    expect(Array.from(r.logprobs)).toEqual(Array.from(await session.run(f)));
  });

  it('chooses the factor with the best mean best-path log-probability (unwarped bonus included)', async () => {
    const pcm = voiceLike(2, 220);
    const opts = { ...DEFAULT_VTLN, unwarpedBonus: 0 };
    const r = await posteriorsWithVtln(pcm, model, session, opts);
    const scores = await Promise.all(opts.warps.map((w) => score(pcm, w)));
    expect(r.warp).toBe(opts.warps[scores.indexOf(Math.max(...scores))]);
    // A huge bonus for the unwarped audio always keeps factor 1.
    expect((await posteriorsWithVtln(pcm, model, session, { ...opts, unwarpedBonus: 100 })).warp).toBe(1);
  });

  it('probes a long input on its loudest stretch, then decodes all of it at the chosen factor', async () => {
    const quiet = voiceLike(6, 150).map((v) => v * 0.01);
    const loud = voiceLike(3, 240);
    const pcm = new Float32Array(quiet.length + loud.length);
    pcm.set(quiet);
    pcm.set(loud, quiet.length);
    const opts = { ...DEFAULT_VTLN, maxProbeSec: 3, unwarpedBonus: 0 };
    const r = await posteriorsWithVtln(pcm, model, session, opts);
    const probeScores = await Promise.all(opts.warps.map((w) => score(loud, w)));
    expect(r.warp).toBe(opts.warps[probeScores.indexOf(Math.max(...probeScores))]);
    const whole = computeFeatures(r.warp === 1 ? pcm : spectralWarp(pcm, r.warp), model.features, model.normalization);
    expect(r.features.frames).toBe(whole.frames);
    expect(Array.from(r.logprobs)).toEqual(Array.from(await session.run(whole)));
  });

  it('does not warp inputs too short to judge', async () => {
    expect((await posteriorsWithVtln(voiceLike(0.2, 200), model, session)).warp).toBe(1);
  });
});
