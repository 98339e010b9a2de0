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
  calibratePhrases, phraseAccuracy, searchPhraseSettings, CALIBRATION_COMMANDS, CALIBRATION_REJECTS, type ScoredClip,
} from '../../src-main/train/phrase-calibration.ts';
import { readFileSync } from 'node:fs';
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
