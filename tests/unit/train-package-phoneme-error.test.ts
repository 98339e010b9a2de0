/**
 * Greedy PER of an exported package with and without test-time VTLN (what `hark adapt` writes into
 * metadata.decoding.testTimeVtln): the figures equal edit distances computed by hand from the
 * session's posteriors, VTLN's figure uses the warp posteriorsWithVtln picks, and no clips means
 * no measurement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { computeFeatures } from '../../src-shared/features/index.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_VTLN, posteriorsWithVtln } from '../../src-main/engine/vtln.ts';
import { greedyDecode } from '../../src-main/decode/ctc-greedy-decoder.ts';
import { editDistance } from '../../src-main/math/edit-distance.ts';
import { measureTestTimeVtln, packageGreedyPer, type PcmEvalClip } from '../../src-main/train/package-phoneme-error.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';

let dir: string;
let model: ModelPackage;
let session: OfflineAcousticSession;
beforeAll(async () => {
  dir = (await writeRandomModelPackage(1)).dir;
  model = await loadModelPackage(dir);
  session = await OfflineAcousticSession.create(model, { threads: 1 });
});
afterAll(async () => {
  await session.release();
  await rm(dir, { recursive: true, force: true });
});

/** Harmonics of a gliding pitch with a slow envelope (as in engine-vtln.test.ts). */
function voiceLike(seconds: number, f0: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * 16000));
  for (let i = 0; i < x.length; i++) {
    const t = i / 16000, env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    for (let h = 1; h <= 8; h++) x[i] += (env * 0.05 / h) * Math.sin(2 * Math.PI * h * f0 * (1 + 0.1 * Math.sin(t)) * t);
  }
  return x;
}

const CLIPS: PcmEvalClip[] = [
  { pcm: voiceLike(1, 220), labels: [3, 7, 12, 5], group: 'a' },
  { pcm: voiceLike(1.2, 130), labels: [9, 9, 2], group: 'b' },
];

async function byHand(warps: readonly number[]): Promise<{ e: number[]; n: number[] }> {
  const e: number[] = [], n: number[] = [];
  for (const c of CLIPS) {
    const r = await posteriorsWithVtln(c.pcm, model, session, { ...DEFAULT_VTLN, warps });
    e.push(editDistance(c.labels, greedyDecode(r.logprobs, r.features.frames, model.architecture.numUnits).units));
    n.push(c.labels.length);
  }
  return { e, n };
}

describe('packageGreedyPer', () => {
  it('without VTLN: edit distance of the greedy path of the plain posteriors, overall and by group', async () => {
    const r = await packageGreedyPer(model, session, CLIPS, [1]);
    const f = computeFeatures(CLIPS[0].pcm, model.features, model.normalization);
    const hyp = greedyDecode(await session.run(f), f.frames, model.architecture.numUnits).units;
    expect(r.byGroup.a).toBe(editDistance(CLIPS[0].labels, hyp) / 4);
    const { e, n } = await byHand([1]);
    expect(r.errors).toBe(e[0] + e[1]);
    expect(r.phonemes).toBe(7);
    expect(r.per).toBe((e[0] + e[1]) / (n[0] + n[1]));
  });

  it('with VTLN: the same at the warp posteriorsWithVtln chooses', async () => {
    const { e } = await byHand(DEFAULT_VTLN.warps);
    expect((await packageGreedyPer(model, session, CLIPS, DEFAULT_VTLN.warps)).errors).toBe(e[0] + e[1]);
  });
});

describe('measureTestTimeVtln', () => {
  it('gives both figures of the package in a folder, and logs them; no clips: null and why', async () => {
    const lines: string[] = [];
    const m = await measureTestTimeVtln(dir, CLIPS, (l) => lines.push(l));
    expect(m).toEqual({
      perNoVtln: (await packageGreedyPer(model, session, CLIPS, [1])).per,
      perVtln: (await packageGreedyPer(model, session, CLIPS, DEFAULT_VTLN.warps)).per,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^test-time VTLN: validation PER \d+\.\d% without, \d+\.\d% with \(2 clips\): (on|off) for this model$/);
    lines.length = 0;
    expect(await measureTestTimeVtln(dir, [], (l) => lines.push(l))).toBeNull();
    expect(lines).toEqual(["test-time VTLN: not measured (no real validation clips); the starting package's choice is kept"]);
  });
});
