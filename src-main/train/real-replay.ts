/**
 * Real speech replayed while retraining: retraining sees synthesized speech only, and a retrained model
 * hears real people worse than the one it came from (docs/DEVELOPERS.md, "Retraining and real voices").
 * This picks real utterances with transcripts from a real set's folder (a manifest.jsonl of
 * RealClipRecord, as `hark real-set` writes into data/real) to mix into a retraining job's clips:
 * train-split clips outside the validation slice (the slice measures retraining, so it is never
 * replayed), at most `maxSec` long, taken round-robin over the speakers in a seeded order so that
 * every voice is heard before any is heard twice.
 */
import { join } from 'node:path';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import type { Lexicon } from '../lexicon/lexicon.ts';
import { readRealManifest, type RealClipRecord } from './data/real/build-real-set.ts';
import { isValidationClip } from './data/real/real-split.ts';
import { createRng } from './data/rng.ts';
import { textToUnitIds } from './text-labels.ts';

/** Real clips to replay: the folder of a real set and how many of its utterances. */
export interface RealReplaySpec {
  dir: string;
  clips: number;
}

/** The longest clip replayed, in seconds (the adaptation runs' --max-clip-sec). */
export const REAL_REPLAY_MAX_SEC = 4.5;

/** `count` records of `records`, speaker-balanced: each speaker's clips shuffled, then taken one per speaker in turn. */
export function pickReplayRecords(records: readonly RealClipRecord[], count: number, seed: number, maxSec = REAL_REPLAY_MAX_SEC): RealClipRecord[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`real replay: the number of clips must be a whole number, got ${count}`);
  const usable = records.filter((r) => r.split === 'train' && !isValidationClip(r.id) && r.samples <= maxSec * SAMPLE_RATE && r.text.trim() !== '');
  const rng = createRng(seed);
  const bySpeaker = new Map<string, RealClipRecord[]>();
  for (const r of usable) bySpeaker.set(r.speaker, [...(bySpeaker.get(r.speaker) ?? []), r]);
  const queues = [...bySpeaker.keys()].sort().map((s) => rng.shuffle([...bySpeaker.get(s)!]));
  const out: RealClipRecord[] = [];
  for (let round = 0; out.length < count && queues.some((q) => round < q.length); round++) {
    for (const q of queues) {
      if (out.length === count) break;
      if (round < q.length) out.push(q[round]);
    }
  }
  return out;
}

/** The training clips of `spec`: paths in its folder and unit labels in `units`; refuses a folder with too few clips. */
export async function realReplayClips(spec: RealReplaySpec, seed: number, lexicon: Lexicon, units: readonly string[]): Promise<{ path: string; labels: number[] }[]> {
  const records = await readRealManifest(spec.dir);
  if (records.length === 0) throw new Error(`real replay: no real set in ${spec.dir} (no manifest.jsonl; build one with "hark real-set")`);
  const picked = pickReplayRecords(records, spec.clips, seed);
  if (picked.length < spec.clips) throw new Error(`real replay: ${spec.dir} has ${picked.length} train clips of at most ${REAL_REPLAY_MAX_SEC} s outside the validation slice, ${spec.clips} asked for`);
  return picked.map((r) => ({ path: join(spec.dir, r.file), labels: textToUnitIds(r.text, lexicon, units) }));
}
