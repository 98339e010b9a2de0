/** Real replay for retraining: which real clips a job mixes in (speaker-balanced, never the validation slice or dev). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickReplayRecords, realReplayClips, REAL_REPLAY_MAX_SEC } from '../../src-main/train/real-replay.ts';
import { isValidationClip } from '../../src-main/train/data/real/real-split.ts';
import type { RealClipRecord } from '../../src-main/train/data/real/build-real-set.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { textToUnitIds } from '../../src-main/train/text-labels.ts';

const temps: string[] = [];
afterAll(async () => { for (const d of temps) await rm(d, { recursive: true, force: true }); });

/** `n` clips of one speaker: ids that the validation slice takes some of, 2 s each unless `sec` says otherwise. */
function speakerClips(speaker: string, n: number, split: 'train' | 'dev' = 'train', sec = 2): RealClipRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${speaker}.${i}`, text: 'open the door', originalText: 'Open the door!', voice: `real:${speaker}`, file: `clips/${speaker}/${i}.wav`,
    samples: Math.round(sec * 16000), source: 'test', speaker, split,
  }));
}

describe('pickReplayRecords', () => {
  const set = [...speakerClips('big', 200), ...speakerClips('small', 6), ...speakerClips('mid', 30), ...speakerClips('newcomer', 40, 'dev'), ...speakerClips('long', 20, 'train', 6)];

  it('takes train clips outside the validation slice, no longer than the limit, one speaker after another', () => {
    const picked = pickReplayRecords(set, 30, 7);
    expect(picked).toHaveLength(30);
    for (const r of picked) {
      expect(r.split).toBe('train');
      expect(isValidationClip(r.id)).toBe(false);
      expect(r.samples).toBeLessThanOrEqual(REAL_REPLAY_MAX_SEC * 16000);
    }
    const per = (s: string) => picked.filter((r) => r.speaker === s).length;
    // The small speaker's usable clips are all taken before the big one is heard more than once per turn.
    const smallUsable = set.filter((r) => r.speaker === 'small' && !isValidationClip(r.id)).length;
    expect(per('small')).toBe(smallUsable);
    expect(Math.abs(per('big') - per('mid'))).toBeLessThanOrEqual(1);
    expect(per('newcomer') + per('long')).toBe(0);
    expect(new Set(picked.map((r) => r.id)).size).toBe(30);
  });

  it('is the same for the same seed and another order for another', () => {
    const ids = (seed: number) => pickReplayRecords(set, 20, seed).map((r) => r.id);
    expect(ids(7)).toEqual(ids(7));
    expect(ids(8)).not.toEqual(ids(7));
  });

  it('stops at what the set has, and refuses a count that is not a whole number', () => {
    const usable = set.filter((r) => r.split === 'train' && !isValidationClip(r.id) && r.samples <= REAL_REPLAY_MAX_SEC * 16000).length;
    expect(pickReplayRecords(set, 10_000, 1)).toHaveLength(usable);
    expect(() => pickReplayRecords(set, -1, 1)).toThrow(/whole number/);
    expect(() => pickReplayRecords(set, 2.5, 1)).toThrow(/whole number/);
  });
});

describe('realReplayClips', () => {
  it('gives paths in the set folder with unit labels, and says when the folder has no set or too few clips', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hark-replay-'));
    temps.push(dir);
    const lexicon = new Lexicon();
    await expect(realReplayClips({ dir, clips: 3 }, 1, lexicon, UNITS)).rejects.toThrow(/no real set/);
    const records = [...speakerClips('a', 5), ...speakerClips('b', 5)];
    await writeFile(join(dir, 'manifest.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const clips = await realReplayClips({ dir, clips: 4 }, 1, lexicon, UNITS);
    expect(clips).toHaveLength(4);
    for (const c of clips) {
      expect(c.path.startsWith(join(dir, 'clips'))).toBe(true);
      expect(c.labels).toEqual(textToUnitIds('open the door', lexicon, UNITS));
    }
    await expect(realReplayClips({ dir, clips: 50 }, 1, lexicon, UNITS)).rejects.toThrow(/asked for/);
  });
});
