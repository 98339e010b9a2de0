/** Model cards read from free-form model.json fields: typed fields kept, anything else left out. */
import { describe, expect, it } from 'vitest';
import { retrainCardOf } from '../../src-main/backend/model-cards.ts';

describe('retrainCardOf', () => {
  it('reads the retraining card and evaluation, and ignores fields of the wrong type', () => {
    const score = (accuracy: number, correct: number, total: number) => ({ accuracy, correct, total });
    const metadata = {
      training: { retrainedFrom: 'hark-en 1.0.0', retrain: { items: ['zorblat', 7], sounds: [{ name: 'clap' }], clips: 800, recordings: '4', epochs: 2, steps: 48 } },
      metrics: { retrain: {
        before: { newItems: score(0.5, 4, 8), original: score(0.95, 19, 20), digits: { wer: 0.0625, errors: 6, words: 96 } },
        after: { newItems: score(0.875, 7, 8), original: { accuracy: 'high' }, digits: { wer: 0.05, errors: 5, words: 96 } },
        decision: 'better on the new items', evaluatedAt: '2026-11-22T07:00:00Z',
      } },
    };
    expect(retrainCardOf(metadata)).toEqual({
      from: 'hark-en 1.0.0', items: ['zorblat', '<sound:clap>'], clips: 800, epochs: 2, steps: 48,
      before: { newItems: score(0.5, 4, 8), original: score(0.95, 19, 20), digits: { wer: 0.0625, errors: 6, words: 96 } },
      decision: 'better on the new items', evaluatedAt: '2026-11-22T07:00:00Z',
    });
    // Digit figures of the wrong type are left out, the rest kept.
    const badDigits = { ...metadata, metrics: { retrain: { ...metadata.metrics.retrain, before: { ...metadata.metrics.retrain.before, digits: { wer: '6%' } } } } };
    expect(retrainCardOf(badDigits)?.before).toEqual({ newItems: score(0.5, 4, 8), original: score(0.95, 19, 20) });
    expect(retrainCardOf({ training: { audioHours: 8 } })).toBeUndefined();
    expect(retrainCardOf({ training: { retrain: { items: [] } } })).toBeUndefined();
    expect(retrainCardOf({ training: 'x' })).toBeUndefined();
  });
});
