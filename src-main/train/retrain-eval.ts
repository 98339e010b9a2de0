/**
 * How a retraining job judges a model: phrase-mode accuracy on
 *   - newItems: each taught item spoken once by every held-out voice (HELDOUT_VOICES, never used
 *     in training), the phrase list being the taught items;
 *   - original: ORIGINAL_COMMANDS, ordinary desktop commands the shipped model was trained for,
 *     spoken by the same voices, the phrase list being those commands (forgetting shows here);
 *   - recordings: the user's held-out recordings, the phrase list being the taught items.
 * The audio is synthesized once into the job folder (eval/), so the model before and the model
 * after are measured on exactly the same clips, and a resumed job does not synthesize it again.
 * A model that lacks a taught sound unit cannot list that sound: its clips count as misses.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAudioBuffer } from '../audio/index.ts';
import { OfflineRecognizer } from '../engine/offline-recognizer.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { EvalScore, RetrainFigures } from '../../src-shared/retrain/retrain-types.ts';
import { synthesizeCorpus } from './corpus-synthesis.ts';
import { HELDOUT_VOICES } from './data/synth/index.ts';

/** Commands of the shipped model's own kind, for the forgetting check. */
export const ORIGINAL_COMMANDS = [
  'next slide', 'previous slide', 'mute the microphone', 'open the browser', 'close the window', 'scroll down',
  'scroll up', 'stop listening', 'call my mother', 'take a screenshot', 'volume up', 'play music',
];

export interface RetrainEvalClip {
  /** Absolute WAV path. */
  file: string;
  /** The phrase it should be recognized as. */
  expected: string;
  set: 'newItems' | 'original' | 'recordings';
}

const isSound = (item: string) => item.startsWith('<sound:');

/**
 * Synthesizes (or finds, in `dir`) the held-out voices saying each spoken item and each original
 * command, once per voice. Sound items have no synthesized clips: only recordings measure them.
 */
export async function prepareEvalClips(dir: string, items: readonly string[], seed: number, onProgress?: (done: number, total: number) => void): Promise<RetrainEvalClip[]> {
  const spoken = items.filter((i) => !isSound(i));
  const plan: { text: string; set: 'newItems' | 'original' }[] = [];
  for (let v = 0; v < HELDOUT_VOICES.length; v++) {
    for (const t of spoken) plan.push({ text: t, set: 'newItems' });
    for (const t of ORIGINAL_COMMANDS) plan.push({ text: t, set: 'original' });
  }
  let next = 0;
  const perVoice = spoken.length + ORIGINAL_COMMANDS.length;
  const recs = await synthesizeCorpus({
    dir, texts: plan.map((p) => p.text), seed, prefix: 'e',
    pickVoice: () => HELDOUT_VOICES[Math.floor(next++ / perVoice)],
    onProgress,
  });
  return recs.map((r, i) => ({ file: join(dir, r.file), expected: plan[i].text, set: plan[i].set }));
}

async function readPcm(file: string): Promise<Float32Array> {
  return (await decodeAudioBuffer(new Uint8Array(await readFile(file)), file)).samples;
}

/** Phrase accuracy of `clips` with the phrase list `items` (clips of items the model cannot list count as misses). */
async function score(modelDir: string, items: readonly string[], clips: readonly RetrainEvalClip[], userWords: readonly UserWord[]): Promise<EvalScore> {
  if (clips.length === 0) return { accuracy: 0, correct: 0, total: 0 };
  let usable = [...items];
  let rec: OfflineRecognizer;
  try {
    rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'phrases', items: usable }, userWords });
  } catch (e) {
    // A model without a taught sound's unit: measure the spoken items, the sounds are misses.
    usable = items.filter((i) => !isSound(i));
    if (usable.length === items.length || usable.length === 0) {
      if (usable.length === 0) return { accuracy: 0, correct: 0, total: clips.length };
      throw e;
    }
    rec = await OfflineRecognizer.create({ modelDir, mode: { kind: 'phrases', items: usable }, userWords });
  }
  let correct = 0;
  try {
    for (const c of clips) {
      if (!usable.includes(c.expected)) continue;
      const r = await rec.recognizePcm(await readPcm(c.file));
      if (r.phrase === c.expected) correct++;
    }
  } finally {
    await rec.dispose();
  }
  return { accuracy: correct / clips.length, correct, total: clips.length };
}

/** The three figures of one model on the job's clips. */
export async function evaluateRetrainModel(modelDir: string, items: readonly string[], clips: readonly RetrainEvalClip[], userWords: readonly UserWord[]): Promise<RetrainFigures> {
  const of = (set: RetrainEvalClip['set']) => clips.filter((c) => c.set === set);
  const figures: RetrainFigures = {
    newItems: await score(modelDir, items, of('newItems'), userWords),
    original: await score(modelDir, ORIGINAL_COMMANDS, of('original'), userWords),
  };
  const recordings = of('recordings');
  if (recordings.length > 0) figures.recordings = await score(modelDir, items, recordings, userWords);
  return figures;
}

/** Largest drop on the original commands a new version may show: one point, or one clip when a clip is worth more. */
export function forgettingTolerance(original: EvalScore): number {
  return Math.max(0.01, original.total > 0 ? 1 / original.total : 0) + 1e-9;
}

/** Whether the retrained model is better (and forgets nothing that counts), with the reason in words. */
export function decideInstall(before: RetrainFigures, after: RetrainFigures): { install: boolean; reason: string } {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const drop = before.original.accuracy - after.original.accuracy;
  if (drop > forgettingTolerance(before.original)) {
    return { install: false, reason: `it forgot too much: the original commands went from ${pct(before.original.accuracy)} to ${pct(after.original.accuracy)}` };
  }
  const newGain = after.newItems.total > 0 ? after.newItems.accuracy - before.newItems.accuracy : 0;
  const recGain = before.recordings && after.recordings ? after.recordings.accuracy - before.recordings.accuracy : 0;
  if (newGain < 0) return { install: false, reason: `it is worse on the new items (${pct(before.newItems.accuracy)} -> ${pct(after.newItems.accuracy)})` };
  if (recGain < 0) return { install: false, reason: `it is worse on your recordings (${pct(before.recordings!.accuracy)} -> ${pct(after.recordings!.accuracy)})` };
  if (newGain === 0 && recGain === 0) return { install: false, reason: 'it is no better than the current model on the new items or your recordings' };
  const parts = [];
  if (after.newItems.total > 0) parts.push(`new items ${pct(before.newItems.accuracy)} -> ${pct(after.newItems.accuracy)}`);
  if (after.recordings) parts.push(`your recordings ${pct(before.recordings!.accuracy)} -> ${pct(after.recordings.accuracy)}`);
  parts.push(`original commands ${pct(before.original.accuracy)} -> ${pct(after.original.accuracy)}`);
  return { install: true, reason: `better: ${parts.join(', ')}` };
}
