/**
 * Whether a whole utterance contains speech, decided as the streaming recognizer decides it
 * (utterance-endpointer.ts: a final only for an utterance with a frame that is voiced and whose
 * best unit is a phoneme): the energy VAD (energy-vad.ts) over the utterance's c0, mapped to model
 * frames as OnlineFrontEnd maps it (a model frame is voiced when any analysis frame it stacks is),
 * with the floor starting at the recording's quietest frame.
 * File mode uses it so that noise the live path ignores gives no words and fires no command.
 */
import type { FeatureConfig } from '../../src-shared/features/config.ts';
import { computeMfcc } from '../../src-shared/features/mfcc.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import type { ModelPackage } from '../model/model-package.ts';
import { DEFAULT_VAD, EnergyVad, type VadOptions } from './energy-vad.ts';
import type { NormalizedPosteriors } from './vtln.ts';

/**
 * The VAD of recordings: the live one with a lower absolute level (minC0), since a file's level is
 * whatever it was recorded at. A voice at -26 dBFS RMS peaks near c0 900 (the live minC0 is 1000);
 * 600 is about 21 dB lower still. Stationary noise is rejected by the margin above the floor.
 */
export const FILE_VAD: VadOptions = { ...DEFAULT_VAD, minC0: 600 };

/** Voice activity of each of `modelFrames` model frames of `pcm`. */
export function voicedModelFrames(pcm: Float32Array, cfg: FeatureConfig, modelFrames: number, vad: Partial<VadOptions> = FILE_VAD): Uint8Array {
  const mfcc = computeMfcc(pcm, cfg);
  const c0 = new Float32Array(mfcc.frames);
  for (let i = 0; i < mfcc.frames; i++) c0[i] = mfcc.data[i * cfg.numMfcc];
  return voicedModelFramesOfC0(c0, cfg, modelFrames, vad);
}

/**
 * voicedModelFrames from the c0 of every analysis frame, already computed (the unwarped analysis
 * behind the posteriors: NormalizedPosteriors.c0).
 */
export function voicedModelFramesOfC0(c0: Float32Array, cfg: FeatureConfig, modelFrames: number, vad: Partial<VadOptions> = FILE_VAD): Uint8Array {
  const det = new EnergyVad(cfg.hopLength / cfg.sampleRate, vad);
  let quietest = Infinity;
  for (const v of c0) quietest = Math.min(quietest, v);
  det.seedFloor(quietest);
  const analysis = new Uint8Array(c0.length);
  for (let i = 0; i < c0.length; i++) analysis[i] = det.push(c0[i]) ? 1 : 0;
  const voiced = new Uint8Array(modelFrames);
  for (let r = 0; r < modelFrames; r++) {
    const first = r * cfg.subsample;
    for (let a = first; a < Math.min(first + cfg.stack, analysis.length); a++) if (analysis[a]) voiced[r] = 1;
  }
  return voiced;
}

/** True when some model frame is voiced and has a phoneme (not blank) as its best unit. */
export function containsSpeech(logprobs: Float32Array, T: number, U: number, voiced: Uint8Array): boolean {
  for (let t = 0; t < Math.min(T, voiced.length); t++) {
    if (!voiced[t]) continue;
    let best = 0;
    for (let u = 1; u < U; u++) if (logprobs[t * U + u] > logprobs[t * U + best]) best = u;
    if (best !== BLANK_ID) return true;
  }
  return false;
}

/**
 * Whether the input `pcm` whose posteriors `p` are (posteriorsWithVtln) contains speech; the VAD
 * reuses the analysis behind the posteriors when it was unwarped, else analyses `pcm` itself.
 */
export function hasSpeech(pcm: Float32Array, p: NormalizedPosteriors, model: ModelPackage): boolean {
  const T = p.features.frames;
  const voiced = p.c0 ? voicedModelFramesOfC0(p.c0, model.features, T) : voicedModelFrames(pcm, model.features, T);
  return containsSpeech(p.logprobs, T, model.architecture.numUnits, voiced);
}
