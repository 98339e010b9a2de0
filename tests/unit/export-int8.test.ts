/**
 * The int8 export (hark export --int8; model/int8-weights.ts) on tiny random-weight LSTM packages,
 * in real onnxruntime: the quantizer's error bound, both int8 graphs against their float
 * reference, the int8 streaming graph against its own whole-utterance graph, the weights read
 * back, and the loader refusing quantized graphs that do not match their card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchitectureSpec, ModelMetadata } from '../../src-shared/model/metadata.ts';
import { dequantizeColumns, quantizeColumns, QUANTIZED_LSTM_OP, QUANTIZED_MATMUL_OP } from '../../src-main/model/int8-weights.ts';
import { exportOnnxModel, restampModelMetadata } from '../../src-main/model/write-model.ts';
import { decodeModelProto, encodeModelProto, type ModelProto } from '../../src-main/model/onnx-proto.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { loadModelPackage, loadStreamingGraph, ModelMismatchError } from '../../src-main/model/model-package.ts';
import type { AcousticModelWeights } from '../../src-main/model/weights.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { OnlineAcousticSession } from '../../src-main/engine/online-acoustic-session.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';

// Tolerances for random weights in [-0.6, 0.6) and inputs in [-1.5, 1.5): int8 weights and
// activations quantized at run time move each log-probability by a few hundredths here (measured
// 0.037 to 0.043); 0.15 leaves room without letting a wrong scale or gate order through (those move
// them by whole units).
const INT8_VS_FLOAT = 0.15;
// The streaming graph quantizes each call's activations with that call's range, the whole graph
// with the utterance's, so they agree to quantization noise (measured 0.025), not to float rounding (1e-4).
const INT8_STREAM_VS_WHOLE = 0.1;
const T = 38;
const spec: ArchitectureSpec = { ...ENGINE_TEST_SPEC, cell: 'lstm', bidirectional: true, layers: 2, hidden: 8 };
const temps: string[] = [];
let weights: AcousticModelWeights;
let floatDir: string;
let int8Dir: string;
const x = randomArray(T * spec.inputDim, seededRandom(17), 1.5);

const int8Metadata = (m: ModelMetadata): ModelMetadata => ({ ...m, quantization: { weights: 'int8', floatReference: `${m.name} ${m.version}` } });
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hark-int8-'));
  temps.push(d);
  return d;
}
function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
async function wholeOf(dir: string): Promise<Float32Array> {
  const s = await OfflineAcousticSession.create(await loadModelPackage(dir), { threads: 1 });
  try { return await s.run({ data: x, frames: T, dim: spec.inputDim }); } finally { await s.release(); }
}
/** The streaming graph chunk by chunk (chunks of Nc, up to Nr frames of look-ahead), chunk rows kept. */
async function streamOf(dir: string, Nc: number, Nr: number): Promise<Float32Array> {
  const s = await OnlineAcousticSession.create(await loadModelPackage(dir), { threads: 1 });
  const D = spec.inputDim, U = spec.numUnits;
  const out = new Float32Array(T * U);
  try {
    let state = s.initialState();
    for (let t = 0; t < T; t += Nc) {
      const e = Math.min(t + Nc, T), le = Math.min(e + Nr, T);
      const r = await s.runChunk(x.subarray(t * D, e * D), x.subarray(e * D, le * D), state);
      out.set(r.logprobs.subarray(0, (e - t) * U), t * U);
      state = r.state;
    }
  } finally {
    await s.release();
  }
  return out;
}
/** A copy of the int8 package with both graphs replaced by `edit(proto)`. */
async function withEditedGraphs(edit: (m: ModelProto) => void): Promise<string> {
  const dir = await tempDir();
  await cp(int8Dir, dir, { recursive: true });
  for (const f of ['model.onnx', 'model.stream.onnx']) {
    const proto = decodeModelProto(new Uint8Array(await readFile(join(dir, f))));
    edit(proto);
    await writeFile(join(dir, f), encodeModelProto(proto));
  }
  return dir;
}
async function refusal(dir: string): Promise<Error> {
  try {
    await loadModelPackage(dir);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`package ${dir} was accepted`);
}
const initializer = (m: ModelProto, name: string) => m.graph!.initializer!.find((t) => t.name === name)!;

beforeAll(async () => {
  weights = randomWeights(spec, 5);
  floatDir = await tempDir();
  int8Dir = await tempDir();
  await exportOnnxModel(weights, engineMetadata(spec), floatDir);
  await exportOnnxModel(weights, int8Metadata(engineMetadata(spec)), int8Dir);
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

describe('quantizeColumns', () => {
  it('keeps every value within half a step of its column scale, the column maximum at +-127', () => {
    const rows = 7, cols = 5, count = 2;
    const m = randomArray(count * rows * cols, seededRandom(3), 2);
    for (let r = 0; r < rows; r++) m[(1 * rows + r) * cols + 4] = 0; // an all-zero column
    m[(0 * rows + 3) * cols + 1] = -5; // one large value sets its column's scale
    const q = quantizeColumns(m, count, rows, cols);
    expect(q.scale).toHaveLength(count * cols);
    expect(q.scale[1]).toBeCloseTo(5 / 127, 7);
    expect(q.q[(0 * rows + 3) * cols + 1]).toBe(-127);
    expect(q.scale[cols + 4]).toBe(1);
    const back = dequantizeColumns(q, count, rows, cols);
    for (let n = 0; n < count; n++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const i = (n * rows + r) * cols + c;
          expect(Math.abs(back[i] - m[i])).toBeLessThanOrEqual(q.scale[n * cols + c] / 2 + 1e-7);
        }
      }
    }
  });
});

describe('int8 package vs its float reference (onnxruntime)', () => {
  it('is written with quantized operators only, a quarter of the float size, and loads with its card', async () => {
    const pkg = await loadModelPackage(int8Dir);
    expect(pkg.metadata.quantization).toEqual({ weights: 'int8', floatReference: 'random-test 0.0.0' });
    for (const f of ['model.onnx', 'model.stream.onnx']) {
      const proto = decodeModelProto(new Uint8Array(await readFile(join(int8Dir, f))));
      const ops = proto.graph!.node!.map((n) => `${n.domain ?? ''}:${n.opType}`);
      expect(ops.filter((o) => o === `com.microsoft:${QUANTIZED_LSTM_OP}`).length).toBe(f === 'model.onnx' ? 2 : 6);
      expect(ops.filter((o) => o === `com.microsoft:${QUANTIZED_MATMUL_OP}`)).toHaveLength(1);
      expect(ops.some((o) => /:(LSTM|MatMul)$/.test(o))).toBe(false);
      expect(proto.opsetImport).toContainEqual({ domain: 'com.microsoft', version: 1 });
    }
    const floatProto = decodeModelProto(new Uint8Array(await readFile(join(floatDir, 'model.onnx'))));
    expect(floatProto.graph!.node!.every((n) => !n.domain)).toBe(true);
    expect(floatProto.opsetImport).toHaveLength(1);
  });

  it('whole-utterance graph: log-probabilities within the stated tolerance of the float graph', async () => {
    const d = maxDiff(await wholeOf(int8Dir), await wholeOf(floatDir));
    console.log(`int8 vs float, whole graph: max |d log p| = ${d.toFixed(4)}`);
    expect(d).toBeGreaterThan(0); // it is quantized
    expect(d).toBeLessThan(INT8_VS_FLOAT);
  });

  it('streaming graph: chunk by chunk within the stated tolerance of the float streaming graph', async () => {
    for (const [Nc, Nr] of [[8, 4], [5, 0], [3, 2]]) {
      const d = maxDiff(await streamOf(int8Dir, Nc, Nr), await streamOf(floatDir, Nc, Nr));
      console.log(`int8 vs float, streaming Nc=${Nc} Nr=${Nr}: max |d log p| = ${d.toFixed(4)}`);
      expect(d, `Nc=${Nc} Nr=${Nr}`).toBeLessThan(INT8_VS_FLOAT);
    }
  });

  it('streaming graph with a look-ahead reaching the end equals its own whole-utterance graph, as the float one does', async () => {
    const floatGap = maxDiff(await streamOf(floatDir, 6, T), await wholeOf(floatDir));
    const int8Gap = maxDiff(await streamOf(int8Dir, 6, T), await wholeOf(int8Dir));
    console.log(`streaming (look-ahead to the end) vs whole: float ${floatGap.toExponential(2)}, int8 ${int8Gap.toExponential(2)}`);
    expect(floatGap).toBeLessThan(1e-4);
    expect(int8Gap).toBeLessThan(INT8_STREAM_VS_WHOLE);
    // The streaming graph is the same network: far closer to its own whole graph than chunking makes it.
    const chunkedGap = maxDiff(await streamOf(int8Dir, 4, 0), await wholeOf(int8Dir));
    expect(int8Gap).toBeLessThan(chunkedGap / 3);
  });

  it('reads back only when asked to dequantize, within half a step of the float weights', async () => {
    const bytes = new Uint8Array(await readFile(join(int8Dir, 'model.onnx')));
    expect(() => readAcousticWeights(bytes)).toThrow(/int8 package \(quantized from random-test 0\.0\.0\).*float reference/);
    const back = readAcousticWeights(bytes, { dequantize: true });
    expect(back.spec).toEqual(spec);
    const close = (a: Float32Array, b: Float32Array, what: string) => {
      let worst = 0, range = 0;
      for (let i = 0; i < a.length; i++) { worst = Math.max(worst, Math.abs(a[i] - b[i])); range = Math.max(range, Math.abs(b[i])); }
      // Per-column scales are at most the whole tensor's max / 127.
      expect(worst, what).toBeLessThanOrEqual(range / 127 / 2 + 1e-6);
    };
    weights.layers.forEach((l, i) => {
      for (const d of ['forward', 'backward'] as const) {
        close(back.layers[i][d]!.kernel, l[d]!.kernel, `layer ${i} ${d} kernel`);
        close(back.layers[i][d]!.recurrent, l[d]!.recurrent, `layer ${i} ${d} recurrent`);
        expect(back.layers[i][d]!.bias).toEqual(l[d]!.bias); // biases stay float
      }
    });
    close(back.output.kernel, weights.output.kernel, 'output kernel');
    expect(back.output.bias).toEqual(weights.output.bias);
  });
});

describe('loading int8 packages: malformed quantized graphs are refused clearly', () => {
  it('a card saying int8 over float graphs', async () => {
    const dir = await tempDir();
    await cp(floatDir, dir, { recursive: true });
    await restampModelMetadata(dir, int8Metadata(engineMetadata(spec)));
    const e = await refusal(dir);
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect(e.message).toMatch(/model\.onnx: graph: .*import the "com\.microsoft" opset/);
  });

  it('int8 graphs under a card without quantization', async () => {
    const dir = await tempDir();
    await cp(int8Dir, dir, { recursive: true });
    await restampModelMetadata(dir, engineMetadata(spec));
    const e = await refusal(dir);
    expect(e).toBeInstanceOf(ModelMismatchError);
    expect(e.message).toMatch(/com\.microsoft DynamicQuantizeLSTM, but the metadata declares no quantization/);
  });

  it('a float LSTM left in an int8 graph', async () => {
    const dir = await withEditedGraphs((m) => {
      const n = m.graph!.node!.find((x) => x.opType === QUANTIZED_LSTM_OP)!;
      n.opType = 'LSTM';
      n.domain = '';
    });
    expect((await refusal(dir)).message).toMatch(/is a float LSTM: in an int8 graph every LSTM is DynamicQuantizeLSTM/);
  });

  it('a zero or negative scale, a non-zero zero point, a wrong weight shape, a missing scale input', async () => {
    const cases: [string, (m: ModelProto) => void, RegExp][] = [
      ['zero scale', (m) => { const t = initializer(m, 'layer0.W_scale') ?? initializer(m, 'layer0.fw.W_scale'); new DataView(t.rawData!.buffer, t.rawData!.byteOffset).setFloat32(0, 0, true); }, /DynamicQuantizeLSTM "layer0\.lstm" W scale 0 at index 0 is not a finite positive number/],
      ['zero point', (m) => { const t = initializer(m, 'output.kernel_zero_point'); t.rawData![3] = 5; }, /DynamicQuantizeMatMul "output\.matmul" B zero point 5 at index 3: .*symmetric/],
      ['W dims', (m) => { const t = initializer(m, 'layer1.R_int8') ?? initializer(m, 'layer1.fw.R_int8'); t.dims = [t.dims![0], t.dims![2], t.dims![1]]; }, /R: dims \[.*\], expected/],
      ['missing input', (m) => { const n = m.graph!.node!.find((x) => x.opType === QUANTIZED_LSTM_OP)!; n.input = n.input.slice(0, 10); }, /10 inputs, expected 12/],
      ['unknown contrib op', (m) => { m.graph!.node!.find((x) => x.opType === QUANTIZED_MATMUL_OP)!.opType = 'MatMulIntegerToFloat'; }, /com\.microsoft operator MatMulIntegerToFloat is not one/],
    ];
    for (const [what, edit, message] of cases) {
      const e = await refusal(await withEditedGraphs(edit));
      expect(e, what).toBeInstanceOf(ModelMismatchError);
      expect(e.message, what).toMatch(message);
    }
  });

  it('the streaming graph is checked too', async () => {
    const dir = await tempDir();
    await cp(int8Dir, dir, { recursive: true });
    const path = join(dir, 'model.stream.onnx');
    const proto = decodeModelProto(new Uint8Array(await readFile(path)));
    const t = initializer(proto, 'layer0.bw.W_scale');
    new DataView(t.rawData!.buffer, t.rawData!.byteOffset).setFloat32(4, Number.NaN, true);
    await writeFile(path, encodeModelProto(proto));
    const pkg = await loadModelPackage(dir);
    await expect(loadStreamingGraph(pkg)).rejects.toThrow(/model\.stream\.onnx: graph: DynamicQuantizeLSTM "layer0\.bw" W scale NaN at index 1 is not a finite positive number/);
  });

  it('int8 on a GRU is refused at export and in a card', async () => {
    const gru: ArchitectureSpec = { ...spec, cell: 'gru' };
    await expect(exportOnnxModel(randomWeights(gru, 2), int8Metadata(engineMetadata(gru)), await tempDir())).rejects.toThrow(/int8 export supports LSTM models only/);
    const dir = await tempDir();
    await exportOnnxModel(randomWeights(gru, 2), engineMetadata(gru), dir);
    const m = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...m, quantization: { weights: 'int8' } }));
    expect((await refusal(dir)).message).toMatch(/int8 packages are LSTM only/);
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...m, quantization: { weights: 'int4' } }));
    expect((await refusal(dir)).message).toMatch(/quantization\.weights must be "int8"/);
  });
});
