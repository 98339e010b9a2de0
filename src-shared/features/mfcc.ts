import type { FeatureConfig } from './config.ts';
import { createMatrix, type FeatureMatrix } from './feature-matrix.ts';
import { numAnalysisFrames } from './framing.ts';
import { createMeydaInstance } from './meyda-instance.ts';
import { mfccKernelFor, PCM_SCALE } from './mfcc-kernel.ts';
import { validateFeatureConfig } from './validate-config.ts';

/** Throws unless `pcm` is a Float32Array of finite samples. */
export function assertPcm(pcm: Float32Array, name: string): void {
  if (!(pcm instanceof Float32Array)) throw new Error(`${name}: PCM must be a Float32Array`);
  for (let i = 0; i < pcm.length; i++) {
    if (!Number.isFinite(pcm[i])) throw new Error(`${name}: PCM sample ${i} is not finite (${pcm[i]})`);
  }
}

/**
 * MFCC of every analysis frame of `pcm` (mono, cfg.sampleRate Hz, nominally [-1, 1]): a matrix
 * of numAnalysisFrames(pcm.length) rows of numMfcc coefficients (see MfccKernel for the formula
 * and framing.ts for which samples each frame covers). `warp`: frequency warp (MfccKernel; 1 = none).
 */
export function computeMfcc(pcm: Float32Array, cfg: FeatureConfig, warp = 1): FeatureMatrix {
  validateFeatureConfig(cfg);
  assertPcm(pcm, 'computeMfcc');
  const frames = numAnalysisFrames(pcm.length, cfg);
  const out = createMatrix(frames, cfg.numMfcc);
  const kernel = mfccKernelFor(cfg, warp);
  for (let t = 0; t < frames; t++) kernel.compute(pcm, t * cfg.hopLength, out.data, t * cfg.numMfcc);
  return out;
}

/**
 * The same features computed frame by frame with Meyda.extract('mfcc') itself (fftjs FFT,
 * float32 spectra). About 10x slower than computeMfcc; kept as the reference the fast kernel is
 * tested against and for the benchmark's comparison.
 */
export function computeMfccWithMeydaExtract(pcm: Float32Array, cfg: FeatureConfig): FeatureMatrix {
  validateFeatureConfig(cfg);
  assertPcm(pcm, 'computeMfccWithMeydaExtract');
  const frames = numAnalysisFrames(pcm.length, cfg);
  const out = createMatrix(frames, cfg.numMfcc);
  const meyda = createMeydaInstance(cfg);
  const frame = new Float32Array(cfg.frameLength);
  for (let t = 0; t < frames; t++) {
    const start = t * cfg.hopLength;
    for (let i = 0; i < cfg.frameLength; i++) frame[i] = pcm[start + i] * PCM_SCALE;
    const mfcc = meyda.extract('mfcc', frame);
    for (let q = 0; q < cfg.numMfcc; q++) out.data[t * cfg.numMfcc + q] = mfcc[q];
  }
  return out;
}
