/**
 * The evaluation sets behind Hark's accuracy targets, synthesized on demand with a fixed seed:
 * phrase mode (20 desktop commands, out-of-list speech, noise), digit strings, dictation sentences.
 * Speech clips get mild room noise so that they are not studio-clean.
 */
import { HELDOUT_VOICES } from '../src-main/train/data/synth/index.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { buildTextCorpus, HELDOUT_TEXT_SEED } from '../src-main/train/data/text-corpus.ts';
import { digitString } from '../src-main/train/data/text-numbers.ts';
import { CALIBRATION_VOICES, phraseClipSet, speakInRoom, type CalibrationClip } from '../src-main/train/phrase-calibration.ts';

export const COMMANDS_20 = [
  'next slide', 'previous slide', 'mute the microphone', 'unmute the microphone', 'open the browser', 'close window',
  'scroll down', 'scroll up', 'volume up', 'volume down', 'take a screenshot', 'start recording', 'stop recording',
  'zoom in', 'zoom out', 'go back', 'select all', 'lock the screen', 'play the music', 'pause the music',
];

/** Speech that must be rejected: other commands (some close to listed ones) and ordinary sentences. */
export const OUT_OF_LIST = [
  'next tab', 'open the terminal', 'scroll left', 'turn off the lights', 'start the presentation', 'what time is it',
  'copy that', 'call my boss', 'refresh the page', 'close the folder', 'show the desktop', 'set a timer for five minutes',
  'read my messages', 'new paragraph', 'go home', 'turn on the camera',
];

export { CALIBRATION_VOICES };

export interface BenchClip extends Omit<CalibrationClip, 'kind'> {
  kind: CalibrationClip['kind'] | 'digits' | 'sentence';
}

const speak = speakInRoom;

/**
 * Phrase-mode clips of COMMANDS_20 and OUT_OF_LIST. `harsh` runs the training augmentation chain
 * over the speech first (for training voices, which the model knows too well).
 */
export async function phraseSet(voices: readonly string[], seed: number, harsh = false): Promise<CalibrationClip[]> {
  return phraseClipSet({ voices, commands: COMMANDS_20, rejects: OUT_OF_LIST, seed, harsh });
}

export const DIGIT_WORDS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export async function digitSet(voices: readonly string[], perVoice: number, seed: number): Promise<BenchClip[]> {
  const rng = createRng(seed);
  const clips: BenchClip[] = [];
  for (const voice of voices) {
    for (let i = 0; i < perVoice; i++) {
      const text = digitString(rng);
      clips.push({ pcm: await speak(text, voice, rng), expected: text, voice, kind: 'digits' });
    }
  }
  return clips;
}

export async function sentenceSet(voices: readonly string[], perVoice: number, offset = 7): Promise<BenchClip[]> {
  const rng = createRng(HELDOUT_TEXT_SEED + offset);
  const texts = buildTextCorpus({ seed: HELDOUT_TEXT_SEED + offset, count: perVoice * voices.length, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 }, sentencePart: 'heldout' });
  const clips: BenchClip[] = [];
  for (const [i, text] of texts.entries()) {
    const voice = voices[i % voices.length];
    clips.push({ pcm: await speak(text, voice, rng), expected: text, voice, kind: 'sentence' });
  }
  return clips;
}

export { HELDOUT_VOICES };
