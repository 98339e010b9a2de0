/**
 * Greedy phoneme error rate of an exported package (its whole-utterance ONNX graph, as the
 * recognizers run it) on PCM clips, with test-time VTLN over given warps ([1]: none). `hark adapt`
 * measures with it whether VTLN helps the model it writes (metadata.decoding.testTimeVtln), and
 * bench/real-speech.bench.ts reports the same figures.
 */
import { OfflineAcousticSession } from '../engine/offline-acoustic-session.ts';
import { loadModelPackage, type ModelPackage } from '../model/model-package.ts';
import { DEFAULT_VTLN, posteriorsWithVtln } from '../engine/vtln.ts';
import { greedyDecode } from '../decode/ctc-greedy-decoder.ts';
import { perReport, type PerReport } from './evaluate-model.ts';

/** A clip to score: 16 kHz mono PCM, its reference unit ids (textToUnitIds) and a group to report it in. */
export interface PcmEvalClip {
  pcm: Float32Array;
  labels: readonly number[];
  group: string;
}

/** Greedy CTC unit ids of `pcm` through `model`, at the most confident of `warps` (posteriorsWithVtln). */
export async function greedyUnitsWithVtln(pcm: Float32Array, model: ModelPackage, session: OfflineAcousticSession, warps: readonly number[]): Promise<number[]> {
  const { logprobs, features } = await posteriorsWithVtln(pcm, model, session, { ...DEFAULT_VTLN, warps });
  return greedyDecode(logprobs, features.frames, model.architecture.numUnits).units;
}

/** PER of `clips` (overall and by group) with VTLN over `warps`; DEFAULT_VTLN's other settings. */
export async function packageGreedyPer(
  model: ModelPackage, session: OfflineAcousticSession, clips: readonly PcmEvalClip[], warps: readonly number[],
): Promise<PerReport> {
  const pairs = [];
  for (const c of clips) pairs.push({ labels: c.labels, hyp: await greedyUnitsWithVtln(c.pcm, model, session, warps), group: c.group });
  return perReport(pairs);
}

/**
 * Greedy PER of the package in `dir` on `clips` without and with test-time VTLN (DEFAULT_VTLN.warps),
 * logged in one line; null (and a line saying why) without clips. The package uses VTLN when
 * perVtln < perNoVtln (ModelMetadata.decoding.testTimeVtln).
 */
export async function measureTestTimeVtln(dir: string, clips: readonly PcmEvalClip[], log: (line: string) => void): Promise<{ perNoVtln: number; perVtln: number } | null> {
  if (clips.length === 0) {
    log('test-time VTLN: not measured (no real validation clips); the starting package\'s choice is kept');
    return null;
  }
  const pkg = await loadModelPackage(dir);
  const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
  try {
    const perNoVtln = (await packageGreedyPer(pkg, session, clips, [1])).per;
    const perVtln = (await packageGreedyPer(pkg, session, clips, DEFAULT_VTLN.warps)).per;
    log(`test-time VTLN: validation PER ${(100 * perNoVtln).toFixed(1)}% without, ${(100 * perVtln).toFixed(1)}% with (${clips.length} clips): ${perVtln < perNoVtln ? 'on' : 'off'} for this model`);
    return { perNoVtln, perVtln };
  } finally {
    await session.release();
  }
}
