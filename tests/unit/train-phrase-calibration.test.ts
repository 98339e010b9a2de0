/**
 * Phrase calibration (src-main/train/phrase-calibration.ts): the decision recomputed from raw
 * scores equals PhraseDecoder's, the grid search finds the threshold plateau's middle, and a
 * small calibration of the shipped model on real synthesized clips gives usable settings.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PHRASE_OPTIONS, PhraseDecoder, type PhraseScore } from '../../src-main/decode/phrase-decoder.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import {
  calibratePhrases, phraseAccuracy, realCalibrationLists, searchPhraseSettings, CALIBRATION_COMMANDS, CALIBRATION_REJECTS, type ScoredClip,
} from '../../src-main/train/phrase-calibration.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src-main/audio/index.ts';
import { isValidationClip } from '../../src-main/train/data/real/real-split.ts';
import { voiceLike } from '../helpers/voice-like.ts';
import { seededRandom } from '../helpers/random-weights.ts';

const U = UNITS.length;

/** A clip whose best phrase (highest logLik) is `phrase` with per-phoneme LLR `llr` and share `share`, under a fully open gate. */
function scored(expected: string | null, phrase: string, llr: number, share: number): ScoredClip {
  const score = (p: string, s: number, l: number): PhraseScore => ({ phrase: p, logLik: Math.log(s), viterbi: l, phones: 1, llrPerPhone: l, fit: 0, share: s });
  return {
    clip: { pcm: new Float32Array(0), expected, voice: 'v', kind: expected === null ? 'out-of-list' : 'in-list' },
    scores: [score(phrase, share, llr), { ...score('other', 1 - share, llr - 5), logLik: Math.log(share) - 5 }],
    certainty: 0.9,
    speech: true,
  };
}

describe('phrase calibration', () => {
  it('recomputes the decoder\'s decision from its raw scores', () => {
    const decoder = new PhraseDecoder(['open the file', 'close'], new Lexicon(), { threshold: 0 });
    const rnd = seededRandom(5);
    const T = 40;
    const lp = new Float32Array(T * U);
    for (let t = 0; t < T; t++) {
      let z = 0;
      for (let u = 0; u < U; u++) z += (lp[t * U + u] = Math.exp(3 * rnd()));
      for (let u = 0; u < U; u++) lp[t * U + u] = Math.log(lp[t * U + u] / z);
    }
    const r = decoder.decode(lp, T, U, 0.03);
    const s: ScoredClip = { clip: { pcm: new Float32Array(0), expected: r.phrase, voice: 'v', kind: 'in-list' }, scores: r.scores, certainty: r.certainty, speech: true };
    expect(phraseAccuracy([s], { threshold: 0, temperature: 1, minCertainty: DEFAULT_PHRASE_OPTIONS.minCertainty }, U).correct).toBe(1);
    expect(phraseAccuracy([s], { threshold: r.confidence + 1e-6, temperature: 1, minCertainty: DEFAULT_PHRASE_OPTIONS.minCertainty }, U).falseReject).toBe(1);
  });

  it('takes the middle of the best threshold plateau', () => {
    // In-list clips reach confidence 0.8 (share 0.8, fit 1); rejects reach 0.2: any threshold in
    // (0.2, 0.8] is perfect, and the middle of 0.21..0.80 (0.505, rounded up) is chosen.
    const clips = [scored('a', 'a', 0, 0.8), scored('b', 'b', 0, 0.8), scored(null, 'a', 0, 0.2), scored(null, 'b', 0, 0.2)];
    const { settings, tally } = searchPhraseSettings(clips, U);
    expect(tally.accuracy).toBe(1);
    expect(settings.threshold).toBeCloseTo(0.51, 6);
    expect(settings.threshold).toBeGreaterThan(0.2);
    expect(settings.threshold).toBeLessThanOrEqual(0.8);
  });

  it('uses commands and rejects that no benchmark list contains', () => {
    // The benchmarks' phrase lists are string literals in these files (read as text: tests do not import bench/).
    const benchText = ['bench/eval-sets.ts', 'bench/phrase-noise.bench.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(benchText).toContain("'open the browser'");
    for (const c of [...CALIBRATION_COMMANDS, ...CALIBRATION_REJECTS]) expect(benchText).not.toContain(`'${c}'`);
  });

  it('calibrates the shipped model on a small set of synthesized clips and noise', async () => {
    const model = await loadModelPackage(DEFAULT_MODEL_DIR);
    const c = await calibratePhrases(model, {
      voices: ['espeak:en-us+m3'], commands: CALIBRATION_COMMANDS.slice(0, 4), rejects: CALIBRATION_REJECTS.slice(0, 4), seed: 3, harsh: false, noisePerVoice: 2, quietNoise: 4,
    });
    // 4 commands + 6 rejects + 2 sentences + 2 + 4 noise clips.
    expect(c.tally.total).toBe(18);
    expect(c.byKind.noise.total).toBe(6);
    expect(c.tally.accuracy).toBeGreaterThanOrEqual(c.withDefaults.accuracy);
    expect(c.tally.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(c.settings.threshold).toBeGreaterThan(0);
    expect(c.settings.threshold).toBeLessThan(1);
  }, 120_000);
});

describe('real calibration lists', () => {
  it('take the short clips of the validation slice of the train speakers, in lists of 20 texts with the next list\'s clips as rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hark-real-cal-'));
    try {
      mkdirSync(join(dir, 'clips'));
      const pcm = encodeWav(voiceLike(0.5, 200), 16000);
      const lines: string[] = [];
      let made = 0;
      // Validation clips (by the hash of their ids) of 25 texts, plus ones that must be left out:
      // a long text, a dev clip, a train clip outside the slice.
      for (let i = 0; made < 27; i++) {
        const id = `src.${i}`;
        if (!isValidationClip(id)) continue;
        const text = made === 25 ? 'this one has far too many words' : `word ${made % 25}`;
        const split = made === 26 ? 'dev' : 'train';
        writeFileSync(join(dir, 'clips', `${i}.wav`), pcm);
        lines.push(JSON.stringify({ id, text, voice: 'real:s', file: `clips/${i}.wav`, samples: 8000, source: 'src', speaker: 's', split, originalText: text }));
        made++;
      }
      const other = Array.from({ length: 200 }, (_, i) => `other.${i}`).find((id) => !isValidationClip(id))!;
      writeFileSync(join(dir, 'clips', 'x.wav'), pcm);
      lines.push(JSON.stringify({ id: other, text: 'word 1', voice: 'real:s', file: 'clips/x.wav', samples: 8000, source: 'src', speaker: 's', split: 'train', originalText: 'word 1' }));
      writeFileSync(join(dir, 'manifest.jsonl'), lines.join('\n') + '\n');
      const lists = await realCalibrationLists(dir);
      expect(lists.map((l) => l.phrases.length)).toEqual([20, 5]);
      expect(lists.flatMap((l) => l.phrases)).not.toContain('this one has far too many words');
      const inList = lists.flatMap((l) => l.clips.filter((c) => c.kind === 'in-list'));
      expect(inList).toHaveLength(25);
      for (const l of lists) for (const c of l.clips) if (c.expected !== null) expect(l.phrases).toContain(c.expected);
      // Each list rejects up to six clips of the next list.
      expect(lists[0].clips.filter((c) => c.expected === null)).toHaveLength(5);
      expect(lists[1].clips.filter((c) => c.expected === null)).toHaveLength(6);
      expect(inList.every((c) => c.pcm.length === 8000 && c.voice === 'real:s')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
