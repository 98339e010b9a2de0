/**
 * Whether a whole utterance contains speech, decided as the streaming recognizer decides it
 * (utterance-endpointer.ts: a final only for an utterance with a frame that is voiced and whose
 * best unit is a phoneme): the energy VAD (energy-vad.ts) over the utterance's c0, mapped to model
 * frames as OnlineFrontEnd maps it (a model frame is voiced when any analysis frame it stacks is),
 * with the floor starting at the recording's quietest frame.
 * File mode uses it so that noise the live path ignores gives no words and fires no command, and
 * sets aside voiced stretches too sparse in phonemes to be speech (music: SPARSE_STRETCH).
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
    if (voiced[t] && bestUnitAt(logprobs, t, U) !== BLANK_ID) return true;
  }
  return false;
}

/**
 * Music and other tonal sound pass the energy VAD, and the model hears a phoneme in it now and
 * then. Speech is dense in phonemes: a voiced stretch (gaps under `bridgeSec` bridged) of at least
 * `minSec` in which the model hears fewer than `maxPhonemesPerSec` phonemes a second (greedy
 * tokens) is not speech. Chosen on the real validation slice (241 stretches of 2 s or more: 1 under
 * 1 phoneme a second, the next at 1.3, the median 8.1) and synthesized music (most pieces under 1).
 */
export const SPARSE_STRETCH = { minSec: 2, maxPhonemesPerSec: 1, bridgeSec: 0.3 } as const;

/** Model frames [start, end) of the voiced stretches that are too sparse in phonemes to be speech (SPARSE_STRETCH). */
export function sparseVoicedStretches(logprobs: Float32Array, T: number, U: number, voiced: Uint8Array, frameSec: number, o: typeof SPARSE_STRETCH = SPARSE_STRETCH): { start: number; end: number }[] {
  const bridge = Math.round(o.bridgeSec / frameSec);
  const out: { start: number; end: number }[] = [];
  const n = Math.min(T, voiced.length);
  let t = 0;
  while (t < n) {
    if (!voiced[t]) { t++; continue; }
    let end = t + 1, gap = 0;
    for (let f = t + 1; f < n && gap <= bridge; f++) {
      if (voiced[f]) { end = f + 1; gap = 0; } else gap++;
    }
    let tokens = 0, prev = BLANK_ID;
    for (let f = t; f < end; f++) {
      const b = bestUnitAt(logprobs, f, U);
      if (b !== BLANK_ID && b !== prev) tokens++;
      prev = b;
    }
    const sec = (end - t) * frameSec;
    if (sec >= o.minSec && tokens / sec < o.maxPhonemesPerSec) out.push({ start: t, end });
    t = end;
  }
  return out;
}

/** A copy of `logprobs` with the frames of `stretches` made certain blanks (nothing heard there). */
export function blankStretches(logprobs: Float32Array, U: number, stretches: readonly { start: number; end: number }[]): Float32Array {
  if (stretches.length === 0) return logprobs;
  const out = logprobs.slice();
  for (const { start, end } of stretches) {
    for (let f = start; f < end; f++) {
      out.fill(-1e4, f * U, (f + 1) * U);
      out[f * U + BLANK_ID] = 0;
    }
  }
  return out;
}

/** What a recording's posteriors say once what is not speech is set aside (speechPosteriors). */
export interface SpeechPosteriors {
  /** Whether any speech is left (containsSpeech on `logprobs`): false = give nothing. */
  speech: boolean;
  /** The posteriors with the phoneme-sparse voiced stretches (music) blanked. */
  logprobs: Float32Array;
  /** Those stretches, in model frames. */
  sparse: { start: number; end: number }[];
}

/**
 * The posteriors `p` of the input `pcm` (posteriorsWithVtln) as the decoders should see them: the
 * voiced stretches too sparse in phonemes to be speech blanked, and whether speech is left. The
 * VAD reuses the analysis behind the posteriors when it was unwarped, else analyses `pcm` itself.
 */
export function speechPosteriors(pcm: Float32Array, p: NormalizedPosteriors, model: ModelPackage): SpeechPosteriors {
  const T = p.features.frames;
  const U = model.architecture.numUnits;
  const voiced = p.c0 ? voicedModelFramesOfC0(p.c0, model.features, T) : voicedModelFrames(pcm, model.features, T);
  const sparse = sparseVoicedStretches(p.logprobs, T, U, voiced, model.frameSec);
  const logprobs = blankStretches(p.logprobs, U, sparse);
  return { speech: containsSpeech(logprobs, T, U, voiced), logprobs, sparse };
}

/** Whether the input `pcm` whose posteriors `p` are contains speech (speechPosteriors). */
export function hasSpeech(pcm: Float32Array, p: NormalizedPosteriors, model: ModelPackage): boolean {
  return speechPosteriors(pcm, p, model).speech;
}

function bestUnitAt(logprobs: Float32Array, t: number, U: number): number {
  let best = 0;
  for (let u = 1; u < U; u++) if (logprobs[t * U + u] > logprobs[t * U + best]) best = u;
  return best;
}
