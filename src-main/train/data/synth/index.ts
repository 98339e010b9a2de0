/** Synthesized training speech: voices, their train / held-out split, and `synthesize`. */
export { synthesize, synthCommand, type SynthOptions, type SynthVariation } from './synthesize.ts';
export { listVoices, parseVoiceId, voiceGender, TRAIN_VOICES, HELDOUT_VOICES, SYNTH_FAMILIES, type VoiceInfo, type SynthFamily } from './voices.ts';
export { ProcessPool, synthPool } from '../../../system/process-pool.ts';
