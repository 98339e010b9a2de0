// The exported ONNX graph, run by onnxruntime-node, against the plain-JS reference forward:
// every cell type x direction x depth, batch 1 and batch 2, and a time length other than the first.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { ArchitectureSpec, CellType } from '../../src-shared/model/metadata.ts';
import { encodeAcousticModel } from '../../src-main/model/write-model.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';
import { testMetadata } from '../helpers/test-metadata.ts';

const TOLERANCE = 1e-4;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function run(session: ort.InferenceSession, x: Float32Array, batch: number, time: number, dim: number) {
  const out = await session.run({ features: new ort.Tensor('float32', x, [batch, time, dim]) });
  return out.logprobs as ort.Tensor;
}

const cases: [CellType, boolean, number][] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const) {
  for (const bidirectional of [false, true]) for (const layers of [1, 2]) cases.push([cell, bidirectional, layers]);
}

describe('ONNX export vs reference forward (onnxruntime-node)', () => {
  it.each(cases)('%s bidirectional=%s layers=%i', async (cell, bidirectional, layers) => {
    const spec: ArchitectureSpec = { cell, bidirectional, layers, hidden: 5, inputDim: 7, numUnits: 6 };
    const weights = randomWeights(spec, 11 + layers);
    const session = await ort.InferenceSession.create(encodeAcousticModel(weights, testMetadata(spec)));
    const rand = seededRandom(99);
    const diffs: number[] = [];

    // batch 1, time 11
    const time = 11;
    const x = randomArray(time * spec.inputDim, rand, 2);
    const y1 = await run(session, x, 1, time, spec.inputDim);
    expect(y1.dims).toEqual([1, time, spec.numUnits]);
    const ref = referenceForward(weights, x, time);
    diffs.push(maxAbsDiff(y1.data as Float32Array, ref));

    // batch 2 with different contents: each item equals its own reference
    const x2 = randomArray(time * spec.inputDim, rand, 2);
    const both = new Float32Array(2 * x.length);
    both.set(x);
    both.set(x2, x.length);
    const yb = await run(session, both, 2, time, spec.inputDim);
    expect(yb.dims).toEqual([2, time, spec.numUnits]);
    const data = yb.data as Float32Array;
    const per = time * spec.numUnits;
    diffs.push(maxAbsDiff(data.subarray(0, per), ref));
    diffs.push(maxAbsDiff(data.subarray(per), referenceForward(weights, x2, time)));
    expect(maxAbsDiff(data.subarray(0, per), data.subarray(per))).toBeGreaterThan(1e-2);

    // the same session with another time length (dynamic "time")
    const x3 = randomArray(4 * spec.inputDim, rand, 2);
    const y3 = await run(session, x3, 1, 4, spec.inputDim);
    expect(y3.dims).toEqual([1, 4, spec.numUnits]);
    diffs.push(maxAbsDiff(y3.data as Float32Array, referenceForward(weights, x3, 4)));

    const worst = Math.max(...diffs);
    console.log(`${cell} bi=${bidirectional} layers=${layers}: max |ort - reference| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(TOLERANCE);
    await session.release();
  });
});
