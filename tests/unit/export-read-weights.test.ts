// readAcousticWeights inverts the exporter bit for bit for every cell x direction x depth, folds a
// non-zero recurrent bias the way onnxruntime computes it, and refuses files it cannot represent.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ONNX_METADATA_KEY, type ArchitectureSpec, type CellType } from '../../src-shared/model/metadata.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { encodeAcousticModel } from '../../src-main/model/write-model.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { decodeModelProto, encodeModelProto, type ModelProto, type TensorProto } from '../../src-main/model/onnx-proto.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';
import { testMetadata } from '../helpers/test-metadata.ts';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function expectBitIdentical(got: AcousticModelWeights, want: AcousticModelWeights): void {
  expect(got.spec).toEqual(want.spec);
  expect(got.layers.length).toBe(want.layers.length);
  got.layers.forEach((layer, l) => {
    const ref = want.layers[l];
    expect(layer.inputSize).toBe(ref.inputSize);
    expect(layer.backward === undefined).toBe(ref.backward === undefined);
    for (const dir of ['forward', 'backward'] as const) {
      const [g, w] = [layer[dir], ref[dir]];
      if (!g || !w) continue;
      for (const key of ['kernel', 'recurrent', 'bias'] as const) expect(bits(g[key]), `layers[${l}].${dir}.${key}`).toEqual(bits(w[key]));
    }
  });
  expect(bits(got.output.kernel)).toEqual(bits(want.output.kernel));
  expect(bits(got.output.bias)).toEqual(bits(want.output.bias));
}

const spec = (cell: CellType, bidirectional: boolean, layers: number): ArchitectureSpec =>
  ({ cell, bidirectional, layers, hidden: 5, inputDim: 7, numUnits: 6 });

/** Decodes `bytes`, lets `edit` change the ModelProto, and encodes it again. */
function edited(bytes: Uint8Array, edit: (m: ModelProto) => void): Uint8Array {
  const model = decodeModelProto(bytes);
  edit(model);
  return encodeModelProto(model);
}

const initializer = (m: ModelProto, name: string): TensorProto => {
  const t = m.graph?.initializer?.find((x) => x.name === name);
  if (!t) throw new Error(`test setup: no initializer ${name}`);
  return t;
};

const cases: [CellType, boolean, number][] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const) {
  for (const bidirectional of [false, true]) for (const layers of [1, 2]) cases.push([cell, bidirectional, layers]);
}

describe('readAcousticWeights round trip', () => {
  it.each(cases)('%s bidirectional=%s layers=%i gives back the exported arrays bit for bit', (cell, bidirectional, layers) => {
    const s = spec(cell, bidirectional, layers);
    const weights = randomWeights(s, 31 + layers);
    expectBitIdentical(readAcousticWeights(encodeAcousticModel(weights, testMetadata(s))), weights);
  });
});

describe('readAcousticWeights recurrent bias Rb', () => {
  // Splits each Wb into halves Wb/2 + Wb/2 (exact in float32) stored as Wb' and Rb: onnxruntime
  // must compute the same outputs, and the reader must give back the original Keras bias.
  it.each(['lstm', 'gru', 'rnn'] as const)('%s: a non-zero Rb is folded into the bias as onnxruntime applies it', async (cell) => {
    const s = spec(cell, true, 2);
    const weights = randomWeights(s, 5);
    const original = encodeAcousticModel(weights, testMetadata(s));
    const split = edited(original, (m) => {
      for (const name of ['layer0.B', 'layer1.B']) {
        const t = initializer(m, name);
        const b = new Float32Array(new Uint8Array(t.rawData!).buffer);
        const gh = b.length / 4;
        for (let n = 0; n < 2; n++) {
          for (let k = 0; k < gh; k++) {
            const half = b[n * 2 * gh + k] / 2;
            b[n * 2 * gh + k] = half;
            b[n * 2 * gh + gh + k] = half;
          }
        }
        t.rawData = new Uint8Array(b.buffer);
      }
    });
    expectBitIdentical(readAcousticWeights(split), weights);

    const x = randomArray(9 * s.inputDim, seededRandom(3), 2);
    const outputs: Float32Array[] = [];
    for (const bytes of [original, split]) {
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ features: new ort.Tensor('float32', x, [1, 9, s.inputDim]) });
      outputs.push(out.logprobs.data as Float32Array);
      await session.release();
    }
    const diff = Math.max(...outputs[0].map((v, i) => Math.abs(v - outputs[1][i])));
    expect(diff).toBeLessThan(1e-5);
  });
});

describe('readAcousticWeights refuses what it cannot represent', () => {
  const s = spec('lstm', true, 2);
  const good = encodeAcousticModel(randomWeights(s, 8), testMetadata(s));

  it('bytes that are not ONNX', () => {
    expect(() => readAcousticWeights(new TextEncoder().encode('this is not an onnx model'))).toThrow(/not an ONNX model/);
  });

  it('an ONNX file without Hark metadata', () => {
    const bytes = edited(good, (m) => { m.metadataProps = [{ key: 'other', value: '{}' }]; });
    expect(() => readAcousticWeights(bytes)).toThrow(`no "${ONNX_METADATA_KEY}" metadata: this ONNX file was not written by Hark`);
  });

  it('an initializer whose data is shorter than its dims', () => {
    const bytes = edited(good, (m) => { const t = initializer(m, 'layer0.R'); t.rawData = t.rawData!.subarray(4); });
    expect(() => readAcousticWeights(bytes)).toThrow(/layer 0 R "layer0\.R": raw_data holds 796 bytes, dims \[2, 20, 5\] need 800/);
  });

  it('an initializer with other dims', () => {
    const bytes = edited(good, (m) => { initializer(m, 'output.kernel').dims = [6, 10]; });
    expect(() => readAcousticWeights(bytes)).toThrow(/output kernel "output\.kernel": dims \[6, 10\], expected \[10, 6\]/);
  });

  it('a missing initializer', () => {
    const bytes = edited(good, (m) => { m.graph!.initializer = m.graph!.initializer!.filter((t) => t.name !== 'layer1.W'); });
    expect(() => readAcousticWeights(bytes)).toThrow('layer 1 W: initializer "layer1.W" is missing');
  });

  it('a non-finite weight', () => {
    const bytes = edited(good, (m) => {
      const t = initializer(m, 'output.bias');
      const raw = new Uint8Array(t.rawData!);
      new DataView(raw.buffer).setFloat32(8, NaN, true);
      t.rawData = raw;
    });
    expect(() => readAcousticWeights(bytes)).toThrow(/output\.bias: non-finite value NaN at index 2/);
  });

  it('metadata that disagrees with the graph', () => {
    const withArch = (arch: Partial<ArchitectureSpec>) => edited(good, (m) => {
      m.metadataProps = [{ key: ONNX_METADATA_KEY, value: JSON.stringify({ ...testMetadata(s), architecture: { ...s, ...arch } }) }];
    });
    expect(() => readAcousticWeights(withArch({ layers: 3 }))).toThrow('2 recurrent nodes, the metadata says 3 layers');
    expect(() => readAcousticWeights(withArch({ cell: 'gru' }))).toThrow(/operator LSTM, the metadata's cell "gru" needs GRU/);
    expect(() => readAcousticWeights(withArch({ bidirectional: false }))).toThrow(/direction "bidirectional", the metadata needs "forward"/);
    expect(() => readAcousticWeights(withArch({ hidden: 4 }))).toThrow(/hidden_size 5, the metadata says 4/);
  });

  it('a GRU with linear_before_reset = 1, which the Keras GRU cannot express', () => {
    const g = spec('gru', false, 1);
    const bytes = edited(encodeAcousticModel(randomWeights(g, 2), testMetadata(g)), (m) => {
      const node = m.graph!.node!.find((n) => n.opType === 'GRU')!;
      node.attribute!.find((a) => a.name === 'linear_before_reset')!.i = 1;
    });
    expect(() => readAcousticWeights(bytes)).toThrow(/layer 0 \(node "layer0\.gru"\): linear_before_reset must be 0/);
  });

  it('extra recurrent inputs (initial state)', () => {
    const bytes = edited(good, (m) => {
      const node = m.graph!.node!.find((n) => n.opType === 'LSTM')!;
      node.input.push('', 'h0');
    });
    expect(() => readAcousticWeights(bytes)).toThrow(/input 5 \("h0": sequence lengths, initial state or peepholes\) is not supported/);
  });
});
