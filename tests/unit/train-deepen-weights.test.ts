/**
 * Deepening a model (src-main/train/deepen-weights.ts): the new top layers pass their input through
 * nearly unchanged, so the deeper network's log-probabilities stay close to the old one's (every
 * cell type and direction, Float64 reference forward), and the new layers can learn (their weights
 * get gradients in tfjs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec, CellType } from '../../src-shared/model/metadata.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { architectureParameters } from '../../src-main/model/weights.ts';
import { deepenAcousticWeights, passThroughScale } from '../../src-main/train/deepen-weights.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';

const cells: CellType[] = ['lstm', 'gru', 'rnn'];

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('deepenAcousticWeights', () => {
  for (const cell of cells) {
    for (const bidirectional of [false, true]) {
      it(`${cell} ${bidirectional ? 'bi' : 'uni'}: 2 -> 4 layers computes nearly the same log-probabilities`, () => {
        const spec: ArchitectureSpec = { cell, bidirectional, layers: 2, hidden: 6, inputDim: 4, numUnits: 7 };
        const w = randomWeights(spec, 31);
        const deep = deepenAcousticWeights(w, 4, 5);
        expect(deep.spec).toEqual({ ...spec, layers: 4 });
        expect(deep.layers).toHaveLength(4);
        expect(deep.layers[0]).toBe(w.layers[0]);
        const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
        const dirs = bidirectional ? 2 : 1;
        expect(deep.layers[3].inputSize).toBe(dirs * 6);
        expect(deep.layers[3].forward.kernel.length).toBe(dirs * 6 * G * 6);
        expect(Boolean(deep.layers[3].backward)).toBe(bidirectional);
        const params = deep.layers.reduce((n, l) => n + [l.forward, l.backward].filter(Boolean).reduce((m, d) => m + d!.kernel.length + d!.recurrent.length + d!.bias.length, 0), 0) + deep.output.kernel.length + deep.output.bias.length;
        expect(params).toBe(architectureParameters(deep.spec));
        const T = 13;
        const x = randomArray(T * spec.inputDim, seededRandom(8));
        const before = referenceForward(w, x, T), after = referenceForward(deep, x, T);
        // Log-probabilities of about -2 (7 units): a change of 0.05 is a posterior off by 5% of itself.
        expect(maxDiff(before, after)).toBeLessThan(0.05);
        // A layer of a larger gain is further from a copy: the gain is what keeps it close.
        expect(maxDiff(before, referenceForward(deepenAcousticWeights(w, 4, 5, 0.9), x, T))).toBeGreaterThan(maxDiff(before, after));
      });
    }
  }

  it('refuses fewer layers and leaves the same count as it is', () => {
    const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 3, hidden: 5, inputDim: 4, numUnits: 6 };
    const w = randomWeights(spec, 2);
    expect(() => deepenAcousticWeights(w, 2, 1)).toThrow(/must be a whole number >= 3/);
    expect(() => deepenAcousticWeights(w, 4.5, 1)).toThrow(/whole number/);
    expect(() => deepenAcousticWeights(w, 4, 1, 0)).toThrow(/gain/);
    expect(deepenAcousticWeights(w, 3, 1)).toBe(w);
  });

  it('scales the output projection by the pass-through factor of each new layer', () => {
    const spec: ArchitectureSpec = { cell: 'gru', bidirectional: true, layers: 1, hidden: 3, inputDim: 2, numUnits: 4 };
    const w = randomWeights(spec, 4);
    const deep = deepenAcousticWeights(w, 3, 1);
    const s = passThroughScale('gru');
    for (let i = 0; i < w.output.kernel.length; i++) expect(deep.output.kernel[i]).toBeCloseTo(w.output.kernel[i] / (s * s), 3);
    expect(Array.from(deep.output.bias)).toEqual(Array.from(w.output.bias));
  });

  describe('in tfjs', () => {
    beforeAll(async () => {
      await initTrainingBackend({ prefer: 'wasm' });
    });

    it('the new layer\'s weights, the recurrent ones that start at zero too, get gradients (it can learn)', () => {
      const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 1, hidden: 4, inputDim: 3, numUnits: 5 };
      const deep = deepenAcousticWeights(randomWeights(spec, 5), 2, 9);
      const model = new AcousticModel(deep.spec, 1);
      model.setWeights(deep);
      const T = 7;
      const x = tf.tensor3d(randomArray(T * 3, seededRandom(3)), [T, 1, 3]);
      const target = tf.tensor3d(randomArray(T * 5, seededRandom(4)), [T, 1, 5]);
      // Variables: layer 0 forward and backward (kernel, recurrent, bias each), then layer 1's, then the output's.
      const top = model.variables().slice(6, 12).filter((v) => v.shape.length === 2);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(x, [T]), target)) as tf.Scalar, top);
      expect(top.length).toBeGreaterThan(0);
      for (const v of top) expect(tf.sum(tf.abs(grads[v.name])).arraySync() as number).toBeGreaterThan(1e-6);
      tf.dispose([x, target, ...Object.values(grads)]);
      model.dispose();
    });
  });
});
