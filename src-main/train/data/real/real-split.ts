/**
 * The dev/train split of the real set, by speaker: a dev speaker's clips are never trained on and
 * never used to choose a model that ships. Named speakers are listed; speakers of the large game
 * sources (many characters) go to dev by a stable hash, about one in five, except the speaker with
 * the most clips of each such source (the protagonist: too much of the training data to give up).
 */
import { createHash } from 'node:crypto';
import { SAMPLE_RATE } from '../../../../src-shared/features/config.ts';

export type RealSplit = 'dev' | 'train';

/** Speakers of the small sources kept for dev (isolated words, numbers, short announcements). */
export const DEV_SPEAKERS: readonly string[] = [
  'saytime:dawson',
  'klettres:en',
  'qabcs:en',
  'warzone2100:pcv',
];

/** Sources whose speakers are split by hash (many characters, one actor may voice several). */
export const HASH_SPLIT_SOURCES: readonly string[] = ['amazon-queen', 'steel-sky'];

export function hashBucket(speaker: string, buckets: number): number {
  return createHash('sha256').update(speaker).digest().readUInt32BE(0) % buckets;
}

/**
 * Assigns each speaker of one source to dev or train. `clipsBySpeaker` counts the source's clips
 * per speaker (the largest speaker of a hash-split source stays in train).
 */
export function splitSpeakers(source: string, clipsBySpeaker: ReadonlyMap<string, number>): Map<string, RealSplit> {
  const out = new Map<string, RealSplit>();
  const hashed = HASH_SPLIT_SOURCES.includes(source);
  let largest = '';
  for (const [s, n] of clipsBySpeaker) if (largest === '' || n > clipsBySpeaker.get(largest)!) largest = s;
  for (const s of clipsBySpeaker.keys()) {
    const dev = DEV_SPEAKERS.includes(s) || (hashed && s !== largest && hashBucket(s, 5) === 0);
    out.set(s, dev ? 'dev' : 'train');
  }
  return out;
}

/**
 * The validation slice of the train speakers: one clip in 20 by a hash of its id. `hark adapt`
 * never trains on it and measures it after each epoch; it decides whether an adapted model ships.
 */
export function isValidationClip(id: string): boolean {
  return hashBucket(id, 20) === 0;
}

/**
 * A train speaker with less audio than this (minutes) in the train split is "less heard": the model
 * knows its voice about as little as a new one (the validation slice's clips of such speakers read
 * about as badly as dev). The shipping rule's guard (tools/compare-validation.ts) and
 * `hark adapt --less-heard-repeat` use it.
 */
export const LESS_HEARD_MINUTES = 10;

/** Minutes of audio per speaker in `clips` (sample counts at SAMPLE_RATE). */
export function speakerMinutes(clips: readonly { speaker: string; samples: number }[]): Map<string, number> {
  const minutes = new Map<string, number>();
  for (const r of clips) minutes.set(r.speaker, (minutes.get(r.speaker) ?? 0) + r.samples / SAMPLE_RATE / 60);
  return minutes;
}
