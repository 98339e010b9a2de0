/**
 * Decoders report word times in model-frame units: a word spanning frames [s, e) gets
 * start = s * frameSec, end = e * frameSec. Model frame j actually sees audio centred at
 * modelFrameCenterSec(j) (framing.ts), i.e. (frameLength / 2 + (stack - 1) / 2 * hop) / rate later
 * than j * frameSec. Treating frame j as the interval of width frameSec around its centre, the
 * decoder's times are shifted by modelFrameCenterSec(0) - frameSec / 2 (11 ms for the default
 * features) and clamped to the audio's duration.
 */
import { modelFrameSec, type FeatureConfig } from '../../src-shared/features/config.ts';
import { modelFrameCenterSec } from '../../src-shared/features/framing.ts';
import type { WordResult } from '../decode/decode-types.ts';

/** Seconds added to decoder frame times to place them on the audio (see above). */
export function frameTimeOffsetSec(cfg: FeatureConfig): number {
  return modelFrameCenterSec(0, cfg) - modelFrameSec(cfg) / 2;
}

const ms = (x: number): number => Math.round(x * 1000) / 1000;

/** Words with times moved onto the audio timeline, clamped to [0, durationSec], rounded to 1 ms. */
export function placeWordTimes(words: readonly WordResult[], cfg: FeatureConfig, durationSec: number): WordResult[] {
  const offset = frameTimeOffsetSec(cfg);
  const clamp = (x: number) => Math.min(durationSec, Math.max(0, x));
  return words.map((w) => ({ ...w, start: ms(clamp(w.start + offset)), end: ms(clamp(w.end + offset)) }));
}
