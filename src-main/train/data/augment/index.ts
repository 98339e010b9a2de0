/** Waveform and feature augmentation for training. */
export { augment, augmentDetailed, DEFAULT_AUGMENT_OPTIONS, type AugmentOptions, type AugmentResult } from './augment.ts';
export { specAugment, DEFAULT_SPEC_AUGMENT, type SpecAugmentOptions } from './spec-augment.ts';
export { speedPerturb, spectralWarp } from '../../../audio/speed-perturb.ts';
export { timeStretch } from '../../../audio/time-stretch.ts';
export { resampleBy } from '../../../audio/resample-by.ts';
export { makeNoise, mixAtSnr, NOISE_KINDS, type NoiseKind } from './noise.ts';
export { roomImpulse, reverberate, measureRt60, type RoomOptions } from './reverb.ts';
export { telephoneBand, lowPass } from './band-limit.ts';
export { g711RoundTrip, g711Quantize, type G711Law } from './g711.ts';
export { lossyCodec, type LossyCodecOptions } from './lossy-codec.ts';
export { mp3RoundTrip, MP3_BITRATES_16K } from './mp3-round-trip.ts';
export { applyGain, addDcOffset, pad, limitPeak } from './level.ts';
export { fft, convolve, filterByGain } from './fft.ts';
