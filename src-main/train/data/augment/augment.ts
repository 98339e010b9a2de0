/**
 * The on-the-fly waveform augmentation chain for synthesized training speech (16 kHz mono).
 * Order: speed -> spectral warp -> padding -> reverberation -> additive noise -> channel
 * (telephone / G.711 / low-pass / lossy codec) -> level and clipping -> DC offset -> peak guard.
 * Each effect fires with its own probability; all randomness comes from the given rng.
 */
import type { Rng } from '../rng.ts';
import { spectralWarp, speedPerturb } from '../../../audio/speed-perturb.ts';
import { makeNoise, mixAtSnr, NOISE_KINDS, type NoiseKind } from './noise.ts';
import { reverberate, roomImpulse } from './reverb.ts';
import { lowPass, telephoneBand } from './band-limit.ts';
import { g711RoundTrip } from './g711.ts';
import { lossyCodec } from './lossy-codec.ts';
import { addDcOffset, applyGain, limitPeak, pad, peak } from './level.ts';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

type Range = readonly [number, number];

export interface AugmentOptions {
  /** Probability of each effect, 0..1. */
  prob: {
    speed: number; warp: number; pad: number; reverb: number; noise: number;
    telephone: number; g711: number; lowPass: number; codec: number; gain: number; dc: number;
  };
  /** Speed factor (tempo, pitch and formants together). */
  speed: Range;
  /** Pitch+formant scale at constant duration. */
  warp: Range;
  /** Seconds of padding before and after, each drawn independently. */
  padSec: Range;
  rt60Sec: Range;
  /** Late reverberation energy relative to the direct path, dB. */
  reverbToDirectDb: Range;
  snrDb: Range;
  noiseKinds: readonly NoiseKind[];
  /** Clips (16 kHz) to build babble from; without them babble is modulated pink noise. */
  noisePool?: readonly Float32Array[];
  lowPassHz: Range;
  /** Lossy codec band SNR, dB. */
  codecSnrDb: Range;
  codecCutoffHz: Range;
  /** Output peak level, dBFS; above 0 the signal is soft-clipped. */
  peakDb: Range;
  dcOffset: Range;
}

export const DEFAULT_AUGMENT_OPTIONS: AugmentOptions = {
  prob: { speed: 0.6, warp: 0.4, pad: 0.5, reverb: 0.35, noise: 0.6, telephone: 0.08, g711: 0.07, lowPass: 0.15, codec: 0.1, gain: 0.8, dc: 0.1 },
  speed: [0.85, 1.15],
  warp: [0.86, 1.16],
  padSec: [0, 0.4],
  rt60Sec: [0.1, 0.9],
  reverbToDirectDb: [-12, 3],
  snrDb: [0, 30],
  noiseKinds: NOISE_KINDS,
  lowPassHz: [3000, 7000],
  codecSnrDb: [6, 20],
  codecCutoffHz: [4000, 7500],
  peakDb: [-30, 6],
  dcOffset: [-0.05, 0.05],
};

/** Names of the effects applied, in order, with their main parameter. */
export interface AugmentResult {
  pcm: Float32Array;
  applied: string[];
}

function draw(rng: Rng, r: Range): number {
  return rng.uniform(r[0], r[1]);
}

function power(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s / Math.max(1, x.length);
}

/** Augments and reports what was done. Options are merged over DEFAULT_AUGMENT_OPTIONS (prob field by field). */
export function augmentDetailed(pcm: Float32Array, rng: Rng, opts: Partial<AugmentOptions> = {}): AugmentResult {
  const o: AugmentOptions = { ...DEFAULT_AUGMENT_OPTIONS, ...opts, prob: { ...DEFAULT_AUGMENT_OPTIONS.prob, ...opts.prob } };
  for (const [k, p] of Object.entries(o.prob)) if (!(p >= 0 && p <= 1)) throw new Error(`augment: prob.${k} must be in [0, 1], got ${p}`);
  const applied: string[] = [];
  let x = pcm;
  if (x.length === 0) return { pcm: new Float32Array(0), applied };
  if (rng.chance(o.prob.speed)) {
    const f = draw(rng, o.speed);
    x = speedPerturb(x, f);
    applied.push(`speed ${f.toFixed(3)}`);
  }
  if (rng.chance(o.prob.warp)) {
    const a = draw(rng, o.warp);
    x = spectralWarp(x, a);
    applied.push(`warp ${a.toFixed(3)}`);
  }
  const speechPower = power(x);
  if (rng.chance(o.prob.pad)) {
    const lead = Math.round(draw(rng, o.padSec) * SAMPLE_RATE);
    const trail = Math.round(draw(rng, o.padSec) * SAMPLE_RATE);
    x = pad(x, lead, trail, 0, rng);
    applied.push(`pad ${lead}+${trail}`);
  }
  if (rng.chance(o.prob.reverb)) {
    const rt60 = draw(rng, o.rt60Sec);
    x = reverberate(x, roomImpulse({ rt60, reverbToDirectDb: draw(rng, o.reverbToDirectDb) }, rng));
    applied.push(`reverb ${rt60.toFixed(2)}s`);
  }
  if (rng.chance(o.prob.noise) && o.noiseKinds.length > 0) {
    const kind = rng.pick(o.noiseKinds);
    const snr = draw(rng, o.snrDb);
    // SNR against the speech power before padding, so padding does not lower the effective SNR.
    const snrOverClip = snr + 10 * Math.log10(Math.max(power(x), 1e-20) / Math.max(speechPower, 1e-20));
    x = mixAtSnr(x, makeNoise(kind, x.length, rng, o.noisePool), snrOverClip);
    applied.push(`noise ${kind} ${snr.toFixed(1)}dB`);
  }
  const channel = rng.next();
  const p = o.prob;
  if (channel < p.telephone) {
    x = telephoneBand(x);
    applied.push('telephone');
  } else if (channel < p.telephone + p.g711) {
    const law = rng.chance(0.5) ? 'mu' : 'a';
    x = g711RoundTrip(telephoneBand(x), law);
    applied.push(`g711 ${law}-law`);
  } else if (channel < p.telephone + p.g711 + p.lowPass) {
    const hz = draw(rng, o.lowPassHz);
    x = lowPass(x, hz);
    applied.push(`lowpass ${Math.round(hz)}Hz`);
  } else if (channel < p.telephone + p.g711 + p.lowPass + p.codec) {
    const snr = draw(rng, o.codecSnrDb);
    x = lossyCodec(x, { cutoffHz: draw(rng, o.codecCutoffHz), bandSnrDb: snr });
    applied.push(`codec ${snr.toFixed(1)}dB`);
  }
  if (rng.chance(o.prob.gain)) {
    const target = draw(rng, o.peakDb);
    const current = 20 * Math.log10(Math.max(peak(x), 1e-9));
    x = applyGain(x, target - current, target > 0);
    applied.push(`peak ${target.toFixed(1)}dBFS`);
  }
  if (rng.chance(o.prob.dc)) {
    const dc = draw(rng, o.dcOffset);
    x = addDcOffset(x, dc);
    applied.push(`dc ${dc.toFixed(3)}`);
  }
  return { pcm: limitPeak(x), applied };
}

/** Augments 16 kHz mono PCM; output is finite, within [-1, 1], possibly of a different length. */
export function augment(pcm: Float32Array, rng: Rng, opts: Partial<AugmentOptions> = {}): Float32Array {
  return augmentDetailed(pcm, rng, opts).pcm;
}
