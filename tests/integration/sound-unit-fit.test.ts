/**
 * fitSoundUnitColumns on a random-weight model expanded by one sound unit, with real synthesized
 * claps as the recordings: before fitting the new unit never wins a frame (it starts improbable);
 * after, it is the most probable unit on the loud part of a clap it has not seen and stays
 * improbable in the silence around it, and every other output column is unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeFeatures } from '../../src-shared/features/compute-features.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesizeSound } from '../../src-main/train/data/synth-sounds.ts';
import { expandOutputUnits, fitSoundUnitColumns } from '../../src-main/train/sound-unit-training.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomWeights } from '../helpers/random-weights.ts';

beforeAll(async () => { await initTrainingBackend({ prefer: 'wasm' }); });

function posteriors(model: AcousticModel, input: { data: Float32Array; frames: number }): Float32Array {
  return tf.tidy(() => tf.logSoftmax(model.forward(tf.tensor3d(input.data, [input.frames, 1, model.spec.inputDim]), [input.frames])).dataSync() as Float32Array);
}
/** Frames where `unit` is the most probable unit. */
function wins(lp: Float32Array, W: number, unit: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < lp.length / W; t++) {
    let best = 0;
    for (let u = 1; u < W; u++) if (lp[t * W + u] > lp[t * W + best]) best = u;
    if (best === unit) out.push(t);
  }
  return out;
}

describe('fitting a new sound unit to its recordings', () => {
  it('makes the unit win on an unseen clap and lose in the silence around it, other columns unchanged', async () => {
    const meta = engineMetadata();
    const base = randomWeights(ENGINE_TEST_SPEC, 3);
    const { weights, arch } = expandOutputUnits(base, ENGINE_TEST_SPEC, ['<sound:clap>'], { units: UNITS, seed: 2 });
    const unit = arch.numUnits - 1;
    const model = new AcousticModel(arch, 1);
    model.setWeights(weights);
    const rng = createRng(21);
    const input = () => {
      const f = computeFeatures(synthesizeSound('clap', rng.fork()), meta.features, meta.normalization);
      return { data: f.data, frames: f.frames };
    };
    const recordings = [input(), input(), input(), input()];
    const unseen = input();
    expect(wins(posteriors(model, unseen), arch.numUnits, unit)).toEqual([]);

    const fitted = fitSoundUnitColumns(model, [{ unit, inputs: recordings }]);
    const D = 2 * arch.hidden;
    for (let d = 0; d < D; d++) for (let u = 0; u < unit; u++) expect(fitted.output.kernel[d * arch.numUnits + u]).toBe(weights.output.kernel[d * arch.numUnits + u]);
    expect(Array.from(fitted.output.bias.subarray(0, unit))).toEqual(Array.from(weights.output.bias.subarray(0, unit)));
    model.setWeights(fitted);
    const won = wins(posteriors(model, unseen), arch.numUnits, unit);
    expect(won.length).toBeGreaterThan(0);
    // The synthesized clip has at least 0.3 s (10 model frames) of quiet before and after the clap.
    expect(won.every((t) => t >= 5 && t < unseen.frames - 5)).toBe(true);
    model.dispose();
    expect(() => fitSoundUnitColumns(new AcousticModel(arch, 1), [{ unit: arch.numUnits, inputs: recordings }])).toThrow(/not an output/);
  });
});
