/**
 * The evaluation sets behind Hark's accuracy targets, synthesized on demand with a fixed seed:
 * phrase mode (20 desktop commands, out-of-list speech, noise), digit strings, dictation sentences.
 * Speech clips get mild room noise so that they are not studio-clean.
 */
import { HELDOUT_VOICES, synthesize } from '../src-main/train/data/synth/index.ts';
import { createRng, type Rng } from '../src-main/train/data/rng.ts';
import { makeNoise, mixAtSnr, NOISE_KINDS } from '../src-main/train/data/augment/noise.ts';
import { buildTextCorpus, HELDOUT_TEXT_SEED } from '../src-main/train/data/text-corpus.ts';
import { digitString } from '../src-main/train/data/text-numbers.ts';
import { augment } from '../src-main/train/data/augment/augment.ts';

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

/** Training voices used only to calibrate thresholds (never the held-out ones). */
export const CALIBRATION_VOICES = ['espeak:en-us+m3', 'espeak:en-gb+f2', 'flite:kal', 'flite:awb', 'festival:kal_diphone', 'espeak:en-us-nyc+Andrea'];

export interface BenchClip {
  pcm: Float32Array;
  /** Expected phrase/text; null = must be rejected. */
  expected: string | null;
  voice: string;
  kind: 'in-list' | 'out-of-list' | 'noise' | 'digits' | 'sentence';
}

function roomNoise(pcm: Float32Array, rng: Rng): Float32Array {
  const kind = rng.pick(['white', 'pink', 'brown', 'babble'] as const);
  const pad = Math.round(rng.uniform(0.1, 0.4) * 16000);
  const x = new Float32Array(pcm.length + 2 * pad);
  x.set(pcm, pad);
  return mixAtSnr(x, makeNoise(kind, x.length, rng), rng.uniform(15, 30));
}

async function speak(text: string, voice: string, rng: Rng, harsh = false): Promise<Float32Array> {
  const pcm = await synthesize(text, voice, rng.fork());
  return roomNoise(harsh ? augment(pcm, rng) : pcm, rng);
}

/**
 * Phrase-mode clips. `harsh` runs the training augmentation chain over the speech first: used for
 * the calibration clips of training voices, so that thresholds are not tuned to voices the model
 * knows too well (unseen voices score lower than familiar ones).
 */
export async function phraseSet(voices: readonly string[], seed: number, harsh = false): Promise<BenchClip[]> {
  const rng = createRng(seed);
  const speakClip = (text: string, voice: string) => speak(text, voice, rng, harsh);
  const clips: BenchClip[] = [];
  for (const voice of voices) {
    for (const c of COMMANDS_20) clips.push({ pcm: await speakClip(c, voice), expected: c, voice, kind: 'in-list' });
    for (let i = 0; i < 6; i++) clips.push({ pcm: await speakClip(rng.pick(OUT_OF_LIST), voice), expected: null, voice, kind: 'out-of-list' });
  }
  const sentences = buildTextCorpus({ seed: seed + 1, count: 2 * voices.length, mix: { commands: 0, digits: 0, numbers: 0, sentences: 1 }, sentencePart: 'heldout' });
  for (const [i, s] of sentences.entries()) {
    const voice = voices[i % voices.length];
    clips.push({ pcm: await speakClip(s, voice), expected: null, voice, kind: 'out-of-list' });
  }
  for (let i = 0; i < 4 * voices.length; i++) {
    const kind = NOISE_KINDS[i % NOISE_KINDS.length];
    const n = Math.round(rng.uniform(1, 3) * 16000);
    const noise = makeNoise(kind, n, rng);
    const gain = rng.uniform(0.02, 0.3) / Math.max(1e-9, Math.max(...noise.map(Math.abs)));
    clips.push({ pcm: noise.map((v) => v * gain), expected: null, voice: `noise:${kind}`, kind: 'noise' });
  }
  return clips;
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
