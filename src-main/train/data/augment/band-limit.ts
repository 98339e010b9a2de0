/**
 * Channel band-limiting: telephone band (300..3400 Hz through an 8 kHz channel) and a low-pass
 * at a chosen cutoff, as zero-phase FFT filters with raised-cosine transition bands.
 */
import { filterByGain, smoothStep } from './fft.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

/** Telephone channel edges, Hz (ITU-T G.712 pass band). */
export const TELEPHONE_LOW_HZ = 300;
export const TELEPHONE_HIGH_HZ = 3400;

/**
 * Band-pass 300..3400 Hz with transitions 200..300 Hz and 3400..3800 Hz: nothing above 3.8 kHz
 * or below 200 Hz is kept (the output is what an 8 kHz telephone channel carries, at `rate`).
 */
export function telephoneBand(x: Float32Array, rate = SAMPLE_RATE): Float32Array {
  return filterByGain(x, rate, (hz) => smoothStep(hz, 200, TELEPHONE_LOW_HZ) * (1 - smoothStep(hz, TELEPHONE_HIGH_HZ, 3800)));
}

/** Low-pass at cutoffHz with a transition band of ±10% around it. */
export function lowPass(x: Float32Array, cutoffHz: number, rate = SAMPLE_RATE): Float32Array {
  if (!(cutoffHz > 0 && cutoffHz < rate / 2)) throw new Error(`lowPass: cutoffHz must be in (0, ${rate / 2}), got ${cutoffHz}`);
  return filterByGain(x, rate, (hz) => 1 - smoothStep(hz, cutoffHz * 0.9, cutoffHz * 1.1));
}
