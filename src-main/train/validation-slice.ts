/**
 * The validation slice as the shipping rule reads it (tools/compare-validation.ts) and as
 * bench/retrain.bench.ts measures retraining on it: the first VALIDATION_CLIPS clips of the real
 * set's train speakers that `hark adapt` keeps out of training (isValidationClip), greedy phoneme
 * errors per clip of two packages, without test-time VTLN, on one thread.
 */
import { join } from 'node:path';
import { decodeAudioFile } from '../audio/index.ts';
import { editDistance } from '../math/edit-distance.ts';
import { OfflineAcousticSession } from '../engine/offline-acoustic-session.ts';
import { loadModelPackage } from '../model/model-package.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { readRealTrainClips } from './adapt-run.ts';
import { LESS_HEARD_MINUTES, speakerMinutes } from './data/real/real-split.ts';
import { greedyUnitsWithVtln } from './package-phoneme-error.ts';
import { textToUnitIds } from './text-labels.ts';

/** Clips of the validation slice that hark adapt measures (the first 300 in manifest order). */
export const VALIDATION_CLIPS = 300;

/** Per-clip phoneme errors of two models on the same clips, and each clip's reference length. */
export interface PairedErrors {
  base: readonly number[];
  candidate: readonly number[];
  phonemes: readonly number[];
}

/** Phoneme error rate of per-clip `errors` over the clips' reference lengths, of all clips or those marked in `only`. */
export function pooledPer(errors: readonly number[], phonemes: readonly number[], only?: readonly boolean[]): number {
  let e = 0, n = 0;
  for (let i = 0; i < errors.length; i++) {
    if (only && !only[i]) continue;
    e += errors[i];
    n += phonemes[i];
  }
  return n > 0 ? e / n : 0;
}

/** Greedy phoneme errors of each package on the validation slice's clips (no test-time VTLN, one thread). */
export async function validationErrors(setDir: string, baseDir: string, candidateDir: string): Promise<PairedErrors & { ids: string[]; lessHeard: boolean[] }> {
  const { train, val } = await readRealTrainClips(setDir);
  const clips = val.slice(0, VALIDATION_CLIPS);
  const minutes = speakerMinutes(train);
  if (clips.length === 0) throw new Error(`${setDir} has no validation clips (hark real-set builds them)`);
  const lexicon = new Lexicon();
  const labels = clips.map((c) => textToUnitIds(c.text, lexicon));
  const pcm = await Promise.all(clips.map(async (c) => (await decodeAudioFile(join(setDir, c.file))).samples));
  const errorsOf = async (dir: string): Promise<number[]> => {
    const pkg = await loadModelPackage(dir);
    const session = await OfflineAcousticSession.create(pkg, { threads: 1 });
    try {
      const out: number[] = [];
      for (let i = 0; i < clips.length; i++) out.push(editDistance(labels[i], await greedyUnitsWithVtln(pcm[i], pkg, session, [1])));
      return out;
    } finally {
      await session.release();
    }
  };
  return { ids: clips.map((c) => c.id), lessHeard: clips.map((c) => (minutes.get(c.speaker) ?? 0) < LESS_HEARD_MINUTES), base: await errorsOf(baseDir), candidate: await errorsOf(candidateDir), phonemes: labels.map((l) => l.length) };
}
