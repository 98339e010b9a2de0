/**
 * What the app's model card says of a package (describeModel): the parameter count of its
 * architecture, as the tfjs model counts its variables (the card's training.parameters belongs to
 * the run that first trained the line, 3 x 192, and said 2.26 M for the 3 x 256 and 4 x 256 models), and a
 * training summary that names the adaptation to real speech.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeModel } from '../../src-main/model/model-registry.ts';
import { architectureParameters } from '../../src-main/model/weights.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { DEFAULT_MODEL_DIR } from '../../src-main/model/package-paths.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';

beforeAll(async () => { await tf.setBackend('cpu'); });

describe('model card summary', () => {
  it('counts the parameters of any architecture as the trained network has them', () => {
    const specs: ArchitectureSpec[] = [
      { cell: 'lstm', bidirectional: true, layers: 3, hidden: 8, inputDim: 117, numUnits: 40 },
      { cell: 'gru', bidirectional: true, layers: 2, hidden: 6, inputDim: 10, numUnits: 5 },
      { cell: 'rnn', bidirectional: false, layers: 2, hidden: 7, inputDim: 9, numUnits: 4 },
      { cell: 'lstm', bidirectional: false, layers: 1, hidden: 5, inputDim: 3, numUnits: 41 },
    ];
    for (const spec of specs) {
      const m = new AcousticModel(spec, 3);
      expect(architectureParameters(spec), JSON.stringify(spec)).toBe(m.parameterCount());
      m.dispose();
    }
    expect(architectureParameters({ cell: 'lstm', bidirectional: true, layers: 3, hidden: 192, inputDim: 117, numUnits: 40 })).toBe(2_264_104);
  });

  it('describes the shipped model by its own architecture and its adaptation to real speech', async () => {
    const pkg = await loadModelPackage(DEFAULT_MODEL_DIR);
    const info = await describeModel(pkg.dir, pkg.metadata, true);
    expect(info.architecture).toBe(`4x256 bidirectional LSTM, ${(architectureParameters(pkg.architecture) / 1e6).toFixed(2)} M parameters`);
    expect(info.architecture).toBe('4x256 bidirectional LSTM, 5.51 M parameters');
    expect(info.trainingSummary).toMatch(/adapted on 338 min of real speech from 40 speakers/);
  });
});
