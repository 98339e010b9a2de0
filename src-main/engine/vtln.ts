/**
 * Test-time vocal tract length normalization by maximum confidence. The shipped model is trained
 * mostly on male-range synthetic voices; a speaker whose formants sit higher (most women, children)
 * is recognized much better after scaling the spectrum down. For each candidate factor the audio is
 * warped (pitch and formants scaled, duration kept), run through the acoustic model, and scored by
 * the mean per-frame log-probability of the best CTC path; the most confident factor wins, with a
 * small preference for no warping. Measured on held-out voices (epoch-3 model, greedy phoneme error
 * rate): flite slt 44.1% -> 26.8%, festival ked 33.2% -> 33.7%, espeak en-gb-scotland+f3 17.8% -> 19.0%.
 * ref: Lee & Rose, "Speaker normalization using efficient frequency warping procedures", ICASSP 1996
 * (choose the warp that maximizes the likelihood); here the model's own posteriors are the score.
 */
import { computeFeaturesAndC0, type FeatureMatrix } from '../../src-shared/features/index.ts';
import { greedyDecode } from '../decode/ctc-greedy-decoder.ts';
import { spectralWarp } from '../audio/speed-perturb.ts';
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { OfflineAcousticSession } from './offline-acoustic-session.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export interface VtlnOptions {
  /** Candidate scale factors; 1 = unwarped. Empty or [1] disables the search. */
  warps: readonly number[];
  /** Score bonus (nats per frame) for the unwarped audio, so that warping must clearly win. */
  unwarpedBonus: number;
  /** The factor is chosen on at most this many seconds of audio (the loudest stretch). */
  maxProbeSec: number;
}

export const DEFAULT_VTLN: VtlnOptions = { warps: [1, 0.9, 0.8, 0.72], unwarpedBonus: 0.005, maxProbeSec: 10 };

/** No speaker warping: the unwarped audio only (what posteriorsWithVtln runs when VTLN is off). */
export const NO_VTLN: VtlnOptions = { ...DEFAULT_VTLN, warps: [1] };

/**
 * The VTLN a recognizer uses with a model, or null for none. An explicit `option` wins (false:
 * none; an object, even {}: on, over DEFAULT_VTLN); left undefined, the package decides through
 * metadata.decoding.testTimeVtln (measured by `hark adapt`; absent = on, as before it existed).
 */
export function vtlnForModel(option: Partial<VtlnOptions> | false | undefined, metadata: ModelMetadata): VtlnOptions | null {
  if (option === false) return null;
  if (option === undefined && metadata.decoding?.testTimeVtln === false) return null;
  return { ...DEFAULT_VTLN, ...option };
}

export interface NormalizedPosteriors {
  logprobs: Float32Array;
  features: FeatureMatrix;
  warp: number;
  /**
   * The c0 of every analysis frame of the whole input, unwarped (what the voice activity detector
   * hears), when the posteriors came from that analysis (warp 1); absent after a warp.
   */
  c0?: Float32Array;
}

/** The `seconds`-long stretch of `pcm` with the most energy (whole clip when shorter). */
function loudestStretch(pcm: Float32Array, seconds: number): Float32Array {
  const n = Math.round(seconds * SAMPLE_RATE);
  if (pcm.length <= n) return pcm;
  const hop = SAMPLE_RATE / 2;
  let best = 0, bestEnergy = -1;
  for (let start = 0; start + n <= pcm.length; start += hop) {
    let e = 0;
    for (let i = start; i < start + n; i += 4) e += pcm[i] * pcm[i];
    if (e > bestEnergy) { bestEnergy = e; best = start; }
  }
  return pcm.subarray(best, best + n);
}

/** Milliseconds spent per stage, accumulated over all warps tried. */
export interface AcousticTimings {
  warpMs: number;
  featuresMs: number;
  modelMs: number;
}

async function run(pcm: Float32Array, warp: number, model: ModelPackage, session: OfflineAcousticSession, t: AcousticTimings) {
  const t0 = performance.now();
  const x = warp === 1 ? pcm : spectralWarp(pcm, warp);
  const t1 = performance.now();
  const { features, c0 } = computeFeaturesAndC0(x, model.features, model.normalization);
  const t2 = performance.now();
  const logprobs = await session.run(features);
  t.warpMs += t1 - t0;
  t.featuresMs += t2 - t1;
  t.modelMs += performance.now() - t2;
  const score = features.frames > 0 ? greedyDecode(logprobs, features.frames, model.architecture.numUnits).score / features.frames : 0;
  return { features, logprobs, score, c0: warp === 1 ? c0 : undefined };
}

/** Acoustic posteriors of `pcm` (16 kHz) at the most confident warp factor. */
export async function posteriorsWithVtln(
  pcm: Float32Array, model: ModelPackage, session: OfflineAcousticSession, opts: VtlnOptions = DEFAULT_VTLN,
  timings: AcousticTimings = { warpMs: 0, featuresMs: 0, modelMs: 0 },
): Promise<NormalizedPosteriors> {
  const warps = opts.warps.length ? opts.warps : [1];
  // Very short inputs (under 0.3 s) have too few frames to judge: no warping.
  if (warps.length === 1 || pcm.length < 0.3 * SAMPLE_RATE) {
    const r = await run(pcm, warps.length === 1 ? warps[0] : 1, model, session, timings);
    return { logprobs: r.logprobs, features: r.features, warp: warps.length === 1 ? warps[0] : 1, c0: r.c0 };
  }
  const probe = loudestStretch(pcm, opts.maxProbeSec);
  let best: { warp: number; score: number; r: Awaited<ReturnType<typeof run>> } | undefined;
  for (const warp of warps) {
    const r = await run(probe, warp, model, session, timings);
    const score = r.score + (warp === 1 ? opts.unwarpedBonus : 0);
    if (!best || score > best.score) best = { warp, score, r };
  }
  if (probe === pcm) return { logprobs: best!.r.logprobs, features: best!.r.features, warp: best!.warp, c0: best!.r.c0 };
  const r = await run(pcm, best!.warp, model, session, timings);
  return { logprobs: r.logprobs, features: r.features, warp: best!.warp, c0: r.c0 };
}
