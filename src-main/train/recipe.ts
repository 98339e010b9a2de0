/**
 * The shipped model's data recipe: which texts, voices and seeds make the training corpus and
 * the held-out evaluation corpora. `hark train` and the evaluation benchmarks both use it, so
 * one command reproduces the shipped model's data exactly.
 */
import { buildTextCorpus, HELDOUT_TEXT_SEED } from './data/text-corpus.ts';
import { HELDOUT_VOICES, TRAIN_VOICES } from './data/synth/index.ts';
import { voicePicker } from './corpus-synthesis.ts';

/** Share of training utterances per synthesizer family (flite and festival sound more natural than espeak). */
export const TRAIN_FAMILY_WEIGHTS = { espeak: 0.6, flite: 0.3, festival: 0.1 };

/**
 * Proposed shares for the next model (meant with synthesize's `variation: 'wide'`): Pico, the most
 * natural of the five (statistical voices from recorded talkers, smooth durations and pitch), gets a
 * quarter and brings the only female voices outside espeak; espeak drops to 0.3 (least natural, but its
 * accents x variants x per-utterance tract and pitch give the most talkers); flite 0.25 (awb and rms are
 * clustergen voices of real male talkers); festival stays 0.1 (its one training voice, kal_diphone, is the
 * speaker of flite's kal and kal16, and it is 10x slower to synthesize than the others); GnuSpeech 0.1
 * (articulatory: real tract-length and glottal variation, but a buzzy source).
 */
export const TRAIN_FAMILY_WEIGHTS_V2 = { espeak: 0.3, flite: 0.25, festival: 0.1, pico: 0.25, gnuspeech: 0.1 };

export interface CorpusPlan {
  texts: string[];
  pickVoice: ReturnType<typeof voicePicker>;
  seed: number;
  prefix: string;
}

export function trainCorpusPlan(count: number, seed = 1): CorpusPlan {
  return { texts: buildTextCorpus({ seed, count }), pickVoice: voicePicker(TRAIN_VOICES, TRAIN_FAMILY_WEIGHTS), seed, prefix: 't' };
}

/** Held-out corpus: held-out text spoken by held-out voices only (all families equally). */
export function heldoutCorpusPlan(count: number): CorpusPlan {
  const weights = { espeak: 1, flite: 1, festival: 2 };
  return { texts: buildTextCorpus({ seed: HELDOUT_TEXT_SEED, count }), pickVoice: voicePicker(HELDOUT_VOICES, weights), seed: HELDOUT_TEXT_SEED, prefix: 'h' };
}
