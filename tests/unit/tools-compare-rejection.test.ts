import { describe, expect, it } from 'vitest';
import { KEYWORD_MAX_DROP_OCCURRENCES, NOISE_MAX_EXTRA_FIRED, rejectionFigures, rejectionVerdict, type RejectionFigures } from '../../tools/compare-rejection.ts';

/** The two result files of one model, in the shapes the benches write. */
function files(version: string, o: { recall5: number | null; occurrences?: number; split?: string; fired: number; musicFired: number; noiseVersion?: string }) {
  const keywords = {
    model: { name: 'hark-en', version }, split: o.split ?? 'val', occurrences: o.occurrences ?? 48,
    harkCurve: { bestRecallWithinFaPerHour: { 1: null, 5: o.recall5 === null ? null : { llrThreshold: -0.8, recall: o.recall5, faPerHour: 4.4 }, 10: null } },
  };
  const noise = { results: [{ model: { dir: 'models/hark-en', name: 'hark-en', version: o.noiseVersion ?? version }, clips: 240, fired: o.fired, byKind: {}, music: { pieces: 60, fired: o.musicFired } }] };
  return rejectionFigures(keywords, noise);
}

describe('the rejection guard of the shipping rule (tools/compare-rejection.ts)', () => {
  const base = files('2026-12-06f', { recall5: 75, fired: 1, musicFired: 0 });

  it('reads the figures of both result files', () => {
    expect(base).toEqual<RejectionFigures>({ version: '2026-12-06f', occurrences: 48, keywordRecallWithin5: 75, noiseClips: 240, noiseFired: 1, musicPieces: 60, musicFired: 0 });
    // No threshold within 5 false alarms an hour: recall 0 there.
    expect(files('x', { recall5: null, fired: 0, musicFired: 0 }).keywordRecallWithin5).toBe(0);
  });

  it('refuses files of another split, of two versions, or of different sets', () => {
    expect(() => files('x', { recall5: 70, split: 'dev', fired: 0, musicFired: 0 })).toThrow(/split dev/);
    expect(() => files('x', { recall5: 70, fired: 0, musicFired: 0, noiseVersion: 'y' })).toThrow(/measured x, the noise file y/);
    expect(() => rejectionFigures({ split: 'val' }, {})).toThrow(/no threshold curve/);
    expect(() => rejectionVerdict(base, files('x', { recall5: 75, occurrences: 50, fired: 1, musicFired: 0 }))).toThrow(/different sets/);
  });

  it('passes the changes between the models shipped before it was set', () => {
    // 2026-12-06d against 2026-12-06c: two occurrences fewer; 2026-12-06f against 2026-12-06d: one noise clip more.
    expect(rejectionVerdict(files('c', { recall5: 75, fired: 0, musicFired: 0 }), files('d', { recall5: 70.8, fired: 0, musicFired: 0 })).passes).toBe(true);
    expect(rejectionVerdict(files('d', { recall5: 70.8, fired: 0, musicFired: 0 }), files('f', { recall5: 75, fired: 1, musicFired: 0 })).passes).toBe(true);
  });

  it('fails a candidate that loses more keyword occurrences than allowed, with the figures in the reason', () => {
    const edge = 75 - (100 * KEYWORD_MAX_DROP_OCCURRENCES) / 48;
    expect(rejectionVerdict(base, files('e', { recall5: edge, fired: 1, musicFired: 0 })).passes).toBe(true);
    const v = rejectionVerdict(base, files('j', { recall5: 60.4, fired: 1, musicFired: 0 }));
    expect(v.passes).toBe(false);
    expect(v.reason).toMatch(/keyword recall 14.6 points lower/);
    expect(v.reason).toMatch(/60.4% against 75%/);
  });

  it('fails a candidate that fires on noise or music more often than allowed', () => {
    expect(rejectionVerdict(base, files('a', { recall5: 75, fired: 1 + NOISE_MAX_EXTRA_FIRED, musicFired: NOISE_MAX_EXTRA_FIRED })).passes).toBe(true);
    const noisy = rejectionVerdict(base, files('b', { recall5: 75, fired: 10, musicFired: 0 }));
    expect(noisy.passes).toBe(false);
    expect(noisy.reason).toMatch(/9 more noise clips fire a command/);
    const music = rejectionVerdict(base, files('c', { recall5: 79, fired: 0, musicFired: 1 + NOISE_MAX_EXTRA_FIRED }));
    expect(music.passes).toBe(false);
    expect(music.reason).toMatch(/3 more music pieces/);
  });
});
