/**
 * Widening a model (src-main/train/widen-weights.ts): the widened network computes what the old one
 * did (the Float64 reference forward, every cell type and direction), and its new units are trainable
 * (their activations reach the output projection's gradient).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec, CellType } from '../../src-shared/model/metadata.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { widenAcousticWeights } from '../../src-main/train/widen-weights.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';

const cells: CellType[] = ['lstm', 'gru', 'rnn'];

describe('widenAcousticWeights', () => {
  for (const cell of cells) {
    for (const bidirectional of [false, true]) {
      it(`${cell} ${bidirectional ? 'bi' : 'uni'}: 5 -> 8 units per direction computes the same log-probabilities`, () => {
        const spec: ArchitectureSpec = { cell, bidirectional, layers: 3, hidden: 5, inputDim: 4, numUnits: 6 };
        const w = randomWeights(spec, 21);
        const wide = widenAcousticWeights(w, 8, 3);
        expect(wide.spec).toEqual({ ...spec, hidden: 8 });
        const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
        const dirs = bidirectional ? 2 : 1;
        expect(wide.layers[1].forward.kernel.length).toBe(dirs * 8 * G * 8);
        expect(wide.layers[0].forward.recurrent.length).toBe(8 * G * 8);
        expect(wide.output.kernel.length).toBe(dirs * 8 * 6);
        const T = 11;
        const x = randomArray(T * spec.inputDim, seededRandom(7));
        const before = referenceForward(w, x, T), after = referenceForward(wide, x, T);
        let diff = 0;
        for (let i = 0; i < before.length; i++) diff = Math.max(diff, Math.abs(before[i] - after[i]));
        expect(diff).toBeLessThan(1e-6);
        // The new units are not dead: their incoming weights are random, not zero.
        const col = G * 8;
        let incoming = 0;
        for (let r = 0; r < spec.inputDim; r++) for (let j = 5; j < 8; j++) incoming += Math.abs(wide.layers[0].forward.kernel[r * col + j]);
        expect(incoming).toBeGreaterThan(0);
      });
    }
  }

  it('refuses a narrower width and leaves the same width as it is', () => {
    const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 1, hidden: 5, inputDim: 4, numUnits: 6 };
    const w = randomWeights(spec, 2);
    expect(() => widenAcousticWeights(w, 4, 1)).toThrow(/must be a whole number >= 5/);
    expect(() => widenAcousticWeights(w, 6.5, 1)).toThrow(/whole number/);
    expect(widenAcousticWeights(w, 5, 1)).toBe(w);
  });

  describe('in tfjs', () => {
    beforeAll(async () => {
      await initTrainingBackend({ prefer: 'wasm' });
    });

    it('the new units get a gradient at the output projection (they can learn)', () => {
      const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 4, inputDim: 3, numUnits: 5 };
      const wide = widenAcousticWeights(randomWeights(spec, 5), 6, 9);
      const model = new AcousticModel(wide.spec, 1);
      model.setWeights(wide);
      const T = 7;
      const x = tf.tensor3d(randomArray(T * 3, seededRandom(3)), [T, 1, 3]);
      const target = tf.tensor3d(randomArray(T * 5, seededRandom(4)), [T, 1, 5]);
      const outKernel = model.variables().at(-2)!;
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(x, [T]), target)) as tf.Scalar, [outKernel]);
      const g = grads[outKernel.name].arraySync() as number[][];
      // Rows 4, 5 (forward) and 10, 11 (backward) belong to new units.
      const newRows = [4, 5, 10, 11].map((r) => g[r].reduce((s, v) => s + Math.abs(v), 0));
      for (const n of newRows) expect(n).toBeGreaterThan(1e-4);
      tf.dispose([x, target, ...Object.values(grads)]);
      model.dispose();
    });
  });
});
