import { baseDim, type CmnConfig, type FeatureConfig, type Normalization } from './config.ts';

/** Every field this front end knows; a config holding another one was made for a different front end. */
const FEATURE_KEYS: ReadonlySet<string> = new Set<keyof FeatureConfig>([
  'sampleRate', 'frameLength', 'hopLength', 'numMfcc', 'melBands', 'deltaOrder', 'deltaWindow', 'stack', 'subsample', 'cmn',
]);
const CMN_KEYS: ReadonlySet<string> = new Set<keyof CmnConfig>(['windowFrames', 'priorFrames']);
/** Longest CMN window accepted (one hour of 10 ms frames); its ring buffer is windowFrames * numMfcc floats. */
export const MAX_CMN_WINDOW_FRAMES = 360000;

/** Meyda clamps the MFCC count to [1, 40]; we refuse instead of silently clamping. */
const MEYDA_MAX_MFCC = 40;

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function isPowerOfTwo(n: number): boolean {
  return isPositiveInt(n) && (n & (n - 1)) === 0;
}

/**
 * Throws an Error naming the offending field when `cfg` cannot be computed by this front-end.
 * Every public entry point calls it, so a bad config never reaches Meyda (which would clamp or
 * silently misbehave).
 */
export function validateFeatureConfig(cfg: FeatureConfig): void {
  if (cfg === null || typeof cfg !== 'object') throw new Error('FeatureConfig: expected an object');
  for (const key of ['sampleRate', 'frameLength', 'hopLength', 'numMfcc', 'melBands', 'deltaWindow', 'stack', 'subsample'] as const) {
    if (!isPositiveInt(cfg[key])) throw new Error(`FeatureConfig.${key} must be a positive integer, got ${String(cfg[key])}`);
  }
  if (!Number.isInteger(cfg.deltaOrder) || cfg.deltaOrder < 0 || cfg.deltaOrder > 4) {
    throw new Error(`FeatureConfig.deltaOrder must be an integer in [0, 4], got ${String(cfg.deltaOrder)}`);
  }
  if (!isPowerOfTwo(cfg.frameLength) || cfg.frameLength < 16) {
    throw new Error(`FeatureConfig.frameLength must be a power of two >= 16 (Meyda), got ${cfg.frameLength}`);
  }
  if (cfg.numMfcc > cfg.melBands) {
    throw new Error(`FeatureConfig.numMfcc (${cfg.numMfcc}) must not exceed melBands (${cfg.melBands})`);
  }
  if (cfg.numMfcc > MEYDA_MAX_MFCC) {
    throw new Error(`FeatureConfig.numMfcc must be <= ${MEYDA_MAX_MFCC} (Meyda limit), got ${cfg.numMfcc}`);
  }
  for (const key of Object.keys(cfg)) {
    if (!FEATURE_KEYS.has(key) && (cfg as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new Error(`FeatureConfig.${key} is not a field of this front end (the model was made for another version of Hark)`);
    }
  }
  if (cfg.cmn !== undefined) validateCmnConfig(cfg.cmn);
}

/** Throws unless `cmn` is a CmnConfig this front end can run (see config.ts). */
function validateCmnConfig(cmn: CmnConfig): void {
  if (cmn === null || typeof cmn !== 'object' || Array.isArray(cmn)) throw new Error(`FeatureConfig.cmn must be an object { windowFrames, priorFrames? }, got ${JSON.stringify(cmn)}`);
  for (const key of Object.keys(cmn)) {
    if (!CMN_KEYS.has(key) && (cmn as unknown as Record<string, unknown>)[key] !== undefined) {
      throw new Error(`FeatureConfig.cmn.${key} is not a field of this front end (it knows windowFrames and priorFrames)`);
    }
  }
  const w = cmn.windowFrames;
  if (!isPositiveInt(w) || w < 2 || w > MAX_CMN_WINDOW_FRAMES) {
    throw new Error(`FeatureConfig.cmn.windowFrames must be an integer in [2, ${MAX_CMN_WINDOW_FRAMES}], got ${String(w)}`);
  }
  const p = cmn.priorFrames;
  if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > w)) {
    throw new Error(`FeatureConfig.cmn.priorFrames must be an integer in [0, windowFrames = ${w}], got ${String(p)}`);
  }
}

/** Throws when `norm` does not fit `cfg` (length baseDim, finite means, positive finite stds). */
export function validateNormalization(norm: Normalization, cfg: FeatureConfig): void {
  const dim = baseDim(cfg);
  if (norm === null || typeof norm !== 'object' || !Array.isArray(norm.mean) || !Array.isArray(norm.std)) {
    throw new Error('Normalization: expected { mean: number[], std: number[] }');
  }
  if (norm.mean.length !== dim || norm.std.length !== dim) {
    throw new Error(`Normalization: mean/std must have length baseDim = ${dim}, got ${norm.mean.length}/${norm.std.length}`);
  }
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(norm.mean[i])) throw new Error(`Normalization.mean[${i}] is not finite: ${norm.mean[i]}`);
    if (!Number.isFinite(norm.std[i]) || norm.std[i] <= 0) throw new Error(`Normalization.std[${i}] must be finite and > 0, got ${norm.std[i]}`);
  }
}
