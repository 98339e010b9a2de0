// The model package on disk: model.onnx + model.json written atomically, metadata round-trips
// through the file, ORT loads the file with dynamic batch/time, and bad input is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ONNX_METADATA_KEY, type ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { encodeAcousticModel, exportOnnxModel, readOnnxMetadata } from '../../src-main/model/write-model.ts';
import { encodeModelProto } from '../../src-main/model/onnx-proto.ts';
import { referenceForward } from '../../src-main/model/reference-forward.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';
import { testMetadata } from '../helpers/test-metadata.ts';

const spec: ArchitectureSpec = { cell: 'lstm', bidirectional: true, layers: 2, hidden: 5, inputDim: 7, numUnits: 6 };
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hark-export-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('exportOnnxModel', () => {
  it('writes model.onnx, model.stream.onnx and model.json that carry the same metadata, and nothing else', async () => {
    const dir = join(await tempDir(), 'nested', 'pkg');
    const weights = randomWeights(spec, 3);
    const metadata = testMetadata(spec);
    const { onnxPath, jsonPath, bytes } = await exportOnnxModel(weights, metadata, dir);
    expect(onnxPath).toBe(join(dir, 'model.onnx'));
    expect(jsonPath).toBe(join(dir, 'model.json'));
    expect((await stat(onnxPath)).size).toBe(bytes);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'model.onnx', 'model.stream.onnx']);

    const fileBytes = new Uint8Array(await readFile(onnxPath));
    expect(readOnnxMetadata(fileBytes)).toEqual(metadata);
    expect(JSON.parse(await readFile(jsonPath, 'utf8'))).toEqual(metadata);
    expect(fileBytes).toEqual(encodeAcousticModel(weights, metadata));

    // exporting again over an existing package replaces it
    const other = randomWeights(spec, 4);
    await exportOnnxModel(other, metadata, dir);
    expect(new Uint8Array(await readFile(onnxPath))).toEqual(encodeAcousticModel(other, metadata));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'model.onnx', 'model.stream.onnx']);
  });

  it('the file loads in onnxruntime with symbolic batch and time dims', async () => {
    const dir = await tempDir();
    const weights = randomWeights({ ...spec, cell: 'gru' }, 8);
    const { onnxPath } = await exportOnnxModel(weights, testMetadata(weights.spec), dir);
    const session = await ort.InferenceSession.create(onnxPath);
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['logprobs']);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    expect(input.isTensor && input.shape).toEqual(['batch', 'time', 7]);
    expect(output.isTensor && output.shape).toEqual(['batch', 'time', 6]);

    const x = randomArray(3 * 2 * 7, seededRandom(1), 2);
    const out = (await session.run({ features: new ort.Tensor('float32', x, [3, 2, 7]) })).logprobs as ort.Tensor;
    expect(out.dims).toEqual([3, 2, 6]);
    const data = out.data as Float32Array;
    let worst = 0;
    for (let b = 0; b < 3; b++) {
      const ref = referenceForward(weights, x.subarray(b * 14, (b + 1) * 14), 2);
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(data[b * 12 + i] - ref[i]));
    }
    expect(worst).toBeLessThan(1e-4);
    // each row is a log-distribution
    for (let r = 0; r < 6; r++) {
      const sum = Array.from(data.subarray(r * 6, r * 6 + 6)).reduce((s, v) => s + Math.exp(v), 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
    await session.release();
  });

  it('refuses inconsistent weights or metadata and writes nothing', async () => {
    const dir = await tempDir();
    const weights = randomWeights(spec, 3);
    const metadata = testMetadata(spec);
    const bad = (mutate: (w: typeof weights, m: typeof metadata) => void) => {
      const w = structuredClone(weights);
      const m = structuredClone(metadata);
      mutate(w, m);
      return exportOnnxModel(w, m, dir);
    };
    await expect(bad((_w, m) => { m.architecture.hidden = 4; })).rejects.toThrow(/metadata\.architecture\.hidden/);
    await expect(bad((_w, m) => { m.units.pop(); })).rejects.toThrow(/metadata\.units/);
    await expect(bad((_w, m) => { m.features.numMfcc = 8; })).rejects.toThrow(/metadata\.features/);
    await expect(bad((_w, m) => { m.normalization.std.pop(); })).rejects.toThrow(/metadata\.normalization/);
    await expect(bad((_w, m) => { m.formatVersion = 99; })).rejects.toThrow(/metadata\.formatVersion/);
    await expect(bad((w) => { w.layers[1].forward.kernel = w.layers[1].forward.kernel.subarray(1); }))
      .rejects.toThrow(/weights\.layers\[1\]\.forward\.kernel: length/);
    await expect(bad((w) => { w.layers[0].backward!.bias[2] = NaN; })).rejects.toThrow(/weights\.layers\[0\]\.backward\.bias: non-finite/);
    await expect(bad((w) => { delete w.layers[0].backward; })).rejects.toThrow(/weights\.layers\[0\]\.backward: missing/);
    await expect(bad((w) => { w.layers.pop(); })).rejects.toThrow(/weights\.layers: 1 layers/);
    await expect(bad((w) => { w.output.bias = new Float32Array(5); })).rejects.toThrow(/weights\.output\.bias/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readOnnxMetadata', () => {
  const minimal = (props?: { key: string; value: string }[]) =>
    encodeModelProto({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], metadataProps: props });

  it('is undefined for a model without Hark metadata', () => {
    expect(readOnnxMetadata(minimal())).toBeUndefined();
    expect(readOnnxMetadata(minimal([{ key: 'other', value: '{}' }]))).toBeUndefined();
  });

  it('throws on metadata that is not a JSON object, and on bytes that are not ONNX', () => {
    expect(() => readOnnxMetadata(minimal([{ key: ONNX_METADATA_KEY, value: '{oops' }]))).toThrow(/not valid JSON/);
    expect(() => readOnnxMetadata(minimal([{ key: ONNX_METADATA_KEY, value: '[1]' }]))).toThrow(/not a JSON object/);
    expect(() => readOnnxMetadata(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/not an ONNX model/);
  });
});

describe('referenceForward input checks', () => {
  it('names the bad argument', () => {
    const weights = randomWeights(spec, 1);
    expect(() => referenceForward(weights, new Float32Array(20), 3)).toThrow(/features: length 20, expected/);
    expect(() => referenceForward(weights, new Float32Array(0), -1)).toThrow(/time: -1/);
  });
});
