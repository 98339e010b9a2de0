import type { FeatureConfig } from './config.ts';

/**
 * Framing contract (identical for whole-file and streaming; no centering, no padding, like Kaldi's
 * snip-edges): analysis frame i covers samples [i * hop, i * hop + frameLength). A signal of n
 * samples yields floor((n - frameLength) / hop) + 1 frames when n >= frameLength, else 0; the
 * trailing samples that do not fill a whole frame are dropped.
 */
export function numAnalysisFrames(numSamples: number, cfg: FeatureConfig): number {
  if (numSamples < cfg.frameLength) return 0;
  return Math.floor((numSamples - cfg.frameLength) / cfg.hopLength) + 1;
}

/**
 * Stacking contract: model frame j concatenates analysis frames j * subsample ... j * subsample +
 * stack - 1. T analysis frames yield floor((T - stack) / subsample) + 1 model frames when
 * T >= stack, else 0.
 */
export function numModelFrames(numAnalysis: number, cfg: FeatureConfig): number {
  if (numAnalysis < cfg.stack) return 0;
  return Math.floor((numAnalysis - cfg.stack) / cfg.subsample) + 1;
}

/** Model frames produced by a signal of `numSamples` samples. */
export function modelFramesForSamples(numSamples: number, cfg: FeatureConfig): number {
  return numModelFrames(numAnalysisFrames(numSamples, cfg), cfg);
}

/**
 * Centre, in seconds from the start of the signal, of the audio seen by model frame j: the middle
 * of its stacked analysis windows, ((j * subsample + (stack - 1) / 2) * hop + frameLength / 2) / rate.
 */
export function modelFrameCenterSec(j: number, cfg: FeatureConfig): number {
  const firstAnalysis = j * cfg.subsample + (cfg.stack - 1) / 2;
  return (firstAnalysis * cfg.hopLength + cfg.frameLength / 2) / cfg.sampleRate;
}
