/** `hark adapt --max-clip-sec S`: which clips training reads, and the option's checks. */
import { describe, expect, it } from 'vitest';
import { clipCountOption, deepenOption, lessHeardRepeatOption, maxClipSecOption, warpProbOption, warpRangeOption, widenOption } from '../../src-main/cli/adapt-command.ts';
import { buildFeatures } from '../../src-main/train/example-builder.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { baseDim, DEFAULT_FEATURE_CONFIG } from '../../src-shared/features/index.ts';
import { timeBudgetOption } from '../../src-main/cli/time-budget-option.ts';
import { UsageError } from '../../src-main/cli/cli-args.ts';
import { clipsWithin, realTrainingClips, type TrainingClip } from '../../src-main/train/adapt-run.ts';
import type { RealClipRecord } from '../../src-main/train/data/real/build-real-set.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';

const clip = (name: string, seconds: number): TrainingClip => ({ path: `/data/${name}.wav`, labels: [name.length, 3], samples: Math.round(seconds * 16000) });
const list = [clip('a', 2), clip('long', 9.5), clip('edge', 6), clip('b', 6.001), clip('music', 4)];

describe('clips within --max-clip-sec', () => {
  it('keeps the clips of at most S seconds, in order, without their lengths, and counts the others', () => {
    const { clips, tooLong } = clipsWithin(list, 6);
    expect(clips).toEqual([{ path: '/data/a.wav', labels: [1, 3] }, { path: '/data/edge.wav', labels: [4, 3] }, { path: '/data/music.wav', labels: [5, 3] }]);
    expect(tooLong).toBe(2);
  });

  it('keeps every clip without a limit', () => {
    const { clips, tooLong } = clipsWithin(list, undefined);
    expect(clips.map((c) => c.path)).toEqual(list.map((c) => c.path));
    expect(tooLong).toBe(0);
  });

  it('keeps repeated clips (--real-repeat) each time', () => {
    expect(clipsWithin([clip('r', 1), clip('r', 1), clip('r', 7)], 6)).toEqual({ clips: [{ path: '/data/r.wav', labels: [1, 3] }, { path: '/data/r.wav', labels: [1, 3] }], tooLong: 1 });
  });

  it('refuses a limit that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN]) expect(() => clipsWithin(list, bad)).toThrow(/maxClipSec must be a positive number/);
  });
});

describe('the --max-clip-sec option', () => {
  it('takes a positive number of seconds, or nothing', () => {
    expect(maxClipSecOption(undefined)).toBeUndefined();
    expect(maxClipSecOption(6)).toBe(6);
    expect(maxClipSecOption('7.5')).toBe(7.5);
  });

  it('says what is wrong with anything else', () => {
    for (const bad of ['0', '-2', 'six', 'Infinity']) {
      expect(() => maxClipSecOption(bad)).toThrow(UsageError);
      expect(() => maxClipSecOption(bad)).toThrow(`adapt: --max-clip-sec must be a positive number of seconds, got ${bad}`);
    }
  });
});

describe('the --time-budget option', () => {
  it('takes minutes, 0 (export only) or more, or nothing', () => {
    expect(timeBudgetOption('adapt', undefined)).toBeUndefined();
    expect(timeBudgetOption('adapt', 0)).toBe(0);
    expect(timeBudgetOption('train', '112')).toBe(112);
    for (const bad of ['-1', 'soon', 'Infinity', 'NaN']) expect(() => timeBudgetOption('adapt', bad)).toThrow(`adapt: --time-budget must be a number of minutes, 0 or more, got ${bad}`);
    expect(() => timeBudgetOption('train', -5)).toThrow(UsageError);
  });
});

describe('the clip count options (--music-negatives, --mbrola-clips)', () => {
  it('take a whole number from 0 to 100000', () => {
    expect(clipCountOption('mbrola-clips', 0)).toBe(0);
    expect(clipCountOption('mbrola-clips', '1200')).toBe(1200);
    expect(clipCountOption('music-negatives', 100_000)).toBe(100_000);
  });

  it('say which option is wrong and why', () => {
    for (const bad of [-1, 2.5, 'many', 100_001, Number.NaN]) {
      expect(() => clipCountOption('mbrola-clips', bad)).toThrow(UsageError);
      expect(() => clipCountOption('mbrola-clips', bad)).toThrow(`adapt: --mbrola-clips must be a whole number from 0 to 100000, got ${String(bad)}`);
    }
  });
});

describe('the whole-number options of a larger network (--widen, --deepen)', () => {
  it('are absent unless given, and take whole numbers in range', () => {
    expect(widenOption(undefined)).toBeUndefined();
    expect(deepenOption(undefined)).toBeUndefined();
    expect(widenOption('256')).toBe(256);
    expect(deepenOption(4)).toBe(4);
  });

  it('say the unit and the range when refused', () => {
    for (const bad of [0, 2049, 1.5, 'wide']) expect(() => widenOption(bad)).toThrow(`adapt: --widen must be a whole number of units from 1 to 2048, got ${String(bad)}`);
    for (const bad of [0, 13, 'deep']) expect(() => deepenOption(bad)).toThrow(`adapt: --deepen must be a whole number of layers from 1 to 12, got ${String(bad)}`);
  });
});

describe('the real clips training reads (realTrainingClips)', () => {
  const rec = (id: string, speaker: string, minutes: number, text = 'yes'): RealClipRecord =>
    ({ id, text, voice: `real:${speaker}`, file: `clips/${id}.wav`, samples: Math.round(minutes * 60 * 16000), source: 'test', speaker, originalText: text, split: 'train' });
  // "big" has 12 minutes (two clips), "small" 3: small is less heard (under 10 minutes).
  const real = [rec('b1', 'big', 6), rec('s1', 'small', 3), rec('b2', 'big', 6, 'no way out')];
  const lexicon = new Lexicon();
  const paths = (clips: TrainingClip[]) => clips.map((c) => c.path);

  it('reads each clip realRepeat times, in manifest order, with its labels', () => {
    const clips = realTrainingClips(real, '/set', lexicon, { realRepeat: 2 });
    expect(paths(clips)).toEqual(['/set/clips/b1.wav', '/set/clips/b1.wav', '/set/clips/s1.wav', '/set/clips/s1.wav', '/set/clips/b2.wav', '/set/clips/b2.wav']);
    expect(clips[4].labels.length).toBeGreaterThan(clips[0].labels.length);
  });

  it('repeats the less-heard speakers\' clips lessHeardRepeat times more', () => {
    expect(paths(realTrainingClips(real, '/set', lexicon, { realRepeat: 1, lessHeardRepeat: 3 }))).toEqual(['/set/clips/b1.wav', '/set/clips/s1.wav', '/set/clips/s1.wav', '/set/clips/s1.wav', '/set/clips/b2.wav']);
    expect(paths(realTrainingClips(real, '/set', lexicon, { realRepeat: 2, lessHeardRepeat: 2 })).filter((p) => p.endsWith('s1.wav'))).toHaveLength(4);
  });

  it('reads a cut clip as its pieces, in its place, repeated as the clip would be', () => {
    const pieces = { dir: '/pieces', list: [{ parent: 'b2', file: 'b2.piece1.wav', text: 'no way', samples: 100 }, { parent: 'b2', file: 'b2.piece2.wav', text: 'out', samples: 50 }] };
    const clips = realTrainingClips(real, '/set', lexicon, { realRepeat: 1, pieces });
    expect(paths(clips)).toEqual(['/set/clips/b1.wav', '/set/clips/s1.wav', '/pieces/b2.piece1.wav', '/pieces/b2.piece2.wav']);
    expect(clips[3]).toEqual({ path: '/pieces/b2.piece2.wav', labels: clips[3].labels, samples: 50 });
    expect(clips[2].labels.length + clips[3].labels.length).toBe(realTrainingClips([real[2]], '/set', lexicon, { realRepeat: 1 })[0].labels.length);
  });
});

describe('the --less-heard-repeat option', () => {
  it('takes a whole number from 1 to 20', () => {
    expect(lessHeardRepeatOption(1)).toBe(1);
    expect(lessHeardRepeatOption('3')).toBe(3);
    for (const bad of [0, 21, 1.5, 'x']) expect(() => lessHeardRepeatOption(bad)).toThrow(UsageError);
  });
});

describe('the --warp-prob and --warp-range options (speaker-changing augmentation)', () => {
  it('take a share from 0 to 1 and a range LOW,HIGH within 0.5-2, or nothing', () => {
    expect(warpProbOption(undefined)).toBeUndefined();
    expect(warpProbOption('0.8')).toBe(0.8);
    expect(warpProbOption(0)).toBe(0);
    expect(warpRangeOption(undefined)).toBeUndefined();
    expect(warpRangeOption('0.8,1.22')).toEqual([0.8, 1.22]);
    expect(warpRangeOption(' 1 , 1 ')).toEqual([1, 1]);
  });

  it('say what is wrong with anything else', () => {
    for (const bad of ['1.5', '-0.1', 'x']) expect(() => warpProbOption(bad)).toThrow(/--warp-prob must be a number from 0 to 1/);
    for (const bad of ['0.8', '1.2,0.8', '0.3,1', '0.8,2.5', '0.8,x', '0.8,1,1.2']) {
      expect(() => warpRangeOption(bad)).toThrow(UsageError);
      expect(() => warpRangeOption(bad)).toThrow(/--warp-range must be LOW,HIGH/);
    }
  });

  it('reach the example builder: with the warp always on, a clip comes out otherwise than with it off, the same rng', () => {
    const pcm = new Float32Array(16000).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000) + 0.2 * Math.sin((2 * Math.PI * 1250 * i) / 16000));
    const features = DEFAULT_FEATURE_CONFIG;
    const normalization = { mean: new Array(baseDim(features)).fill(0), std: new Array(baseDim(features)).fill(1) };
    const build = (augmentOptions: object) => buildFeatures(pcm, { features, normalization, augment: true, augmentOptions, specAugment: false }, createRng(7)).data;
    const noEffects = { prob: { speed: 0, warp: 0, pad: 0, reverb: 0, noise: 0, telephone: 0, g711: 0, lowPass: 0, codec: 0, gain: 0, dc: 0 } };
    const off = build(noEffects);
    const on = build({ ...noEffects, prob: { ...noEffects.prob, warp: 1 }, warp: [0.8, 0.8] });
    expect(on.length).toBe(off.length);
    expect(on.some((v, i) => Math.abs(v - off[i]) > 1e-3)).toBe(true);
    expect(build(noEffects)).toEqual(off);
  });
});
