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
