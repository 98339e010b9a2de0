/**
 * The streaming graph (model.stream.onnx, LC-BLSTM) run chunk by chunk in onnxruntime against
 * the same chunked scheme computed in tfjs (AcousticModel.chunkedLogProbs), for every cell type
 * and direction; and its limits: with a look-ahead covering the rest of the utterance it equals
 * the whole-utterance graph, and the gap to it shrinks as the look-ahead grows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchitectureSpec, CellType } from '../../src-shared/model/metadata.ts';
import { AcousticModel } from '../../src-main/train/acoustic-model.ts';
import { initTrainingBackend } from '../../src-main/train/tf-backend.ts';
import { exportOnnxModel } from '../../src-main/model/write-model.ts';
import { loadModelPackage, loadStreamingGraph } from '../../src-main/model/model-package.ts';
import { OfflineAcousticSession } from '../../src-main/engine/offline-acoustic-session.ts';
import { OnlineAcousticSession } from '../../src-main/engine/online-acoustic-session.ts';
import { ENGINE_TEST_SPEC, engineMetadata } from '../helpers/random-model-package.ts';
import { randomArray, randomWeights, seededRandom } from '../helpers/random-weights.ts';

const TOLERANCE = 1e-4;
// No chunking below leaves a one-frame last chunk: a bidirectional GRU's one-frame chunk without
// look-ahead is padded and approximate (OnlineAcousticSession.runChunk).
const T = 38;

function diffs(a: Float32Array, b: Float32Array): { max: number; mean: number } {
  expect(a.length).toBe(b.length);
  let max = 0, sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / a.length };
}

/** The runtime's chunk loop: chunks of Nc with up to Nr following frames, chunk rows kept. */
async function ortChunked(s: OnlineAcousticSession, x: Float32Array, frames: number, D: number, U: number, Nc: number, Nr: number): Promise<Float32Array> {
  const out = new Float32Array(frames * U);
  let state = s.initialState();
  for (let t = 0; t < frames; t += Nc) {
    const e = Math.min(t + Nc, frames);
    const le = Math.min(e + Nr, frames);
    const r = await s.runChunk(x.subarray(t * D, e * D), x.subarray(e * D, le * D), state);
    expect(r.logprobs.length).toBe((le - t) * U);
    out.set(r.logprobs.subarray(0, (e - t) * U), t * U);
    state = r.state;
  }
  return out;
}

async function setup(cell: CellType, bidirectional: boolean) {
  const spec: ArchitectureSpec = { ...ENGINE_TEST_SPEC, cell, bidirectional, layers: 2, hidden: 6 };
  const weights = randomWeights(spec, 5);
  const dir = await mkdtemp(join(tmpdir(), 'hark-stream-'));
  await exportOnnxModel(weights, engineMetadata(spec), dir);
  const pkg = await loadModelPackage(dir);
  const stream = await OnlineAcousticSession.create(pkg, { threads: 1 });
  const full = await OfflineAcousticSession.create(pkg, { threads: 1 });
  const model = new AcousticModel(spec, 3);
  model.setWeights(weights);
  const x = randomArray(T * spec.inputDim, seededRandom(17), 1.5);
  const cleanup = async () => { model.dispose(); await stream.release(); await full.release(); await rm(dir, { recursive: true, force: true }); };
  return { spec, pkg, stream, full, model, x, cleanup };
}

const cases: [CellType, boolean][] = [];
for (const cell of ['lstm', 'gru', 'rnn'] as const) for (const bi of [true, false]) cases.push([cell, bi]);

describe('streaming graph (LC-BLSTM) vs tfjs chunked reference', () => {
  beforeAll(async () => { await initTrainingBackend(); });

  it.each(cases)('%s bidirectional=%s: chunk by chunk, several chunkings', async (cell, bi) => {
    const { spec, stream, full, model, x, cleanup } = await setup(cell, bi);
    try {
      const D = spec.inputDim, U = spec.numUnits;
      const whole = await full.run({ data: x, frames: T, dim: D });
      // A bidirectional GRU streams exactly only with look-ahead >= 1 (see runChunk).
      for (const [Nc, Nr] of [[5, 3], [8, 4], [2, 1], [16, cell === 'gru' && bi ? 1 : 0]]) {
        const ref = model.chunkedLogProbs(x, T, Nc, Nr);
        const got = await ortChunked(stream, x, T, D, U, Nc, Nr);
        expect(diffs(got, ref).max, `Nc=${Nc} Nr=${Nr}`).toBeLessThan(TOLERANCE);
        const gap = diffs(got, whole);
        // Unidirectional: chunking changes nothing. Bidirectional: it must change something.
        if (bi) expect(gap.max, `Nc=${Nc} Nr=${Nr}`).toBeGreaterThan(1e-3);
        else expect(gap.max).toBeLessThan(TOLERANCE);
      }
    } finally {
      await cleanup();
    }
  });

  it.each(cases)('%s bidirectional=%s: a look-ahead reaching the end equals the whole-utterance graph', async (cell, bi) => {
    const { spec, stream, full, x, cleanup } = await setup(cell, bi);
    try {
      const whole = await full.run({ data: x, frames: T, dim: spec.inputDim });
      const got = await ortChunked(stream, x, T, spec.inputDim, spec.numUnits, 6, T);
      expect(diffs(got, whole).max).toBeLessThan(TOLERANCE);
    } finally {
      await cleanup();
    }
  });

  it('the gap to the whole-utterance posteriors shrinks as the look-ahead grows (bidirectional LSTM)', async () => {
    const { spec, stream, full, x, cleanup } = await setup('lstm', true);
    try {
      const whole = await full.run({ data: x, frames: T, dim: spec.inputDim });
      const gaps: number[] = [];
      for (const Nr of [0, 2, 6, 12, T]) gaps.push(diffs(await ortChunked(stream, x, T, spec.inputDim, spec.numUnits, 4, Nr), whole).mean);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i], `gaps ${gaps.join(', ')}`).toBeLessThan(gaps[i - 1]);
      expect(gaps[gaps.length - 1]).toBeLessThan(1e-6);
    } finally {
      await cleanup();
    }
  });

  it('the state carried between chunks matters: a fresh state per chunk gives other posteriors', async () => {
    const { spec, stream, x, cleanup } = await setup('lstm', false);
    try {
      const D = spec.inputDim;
      const carried = await ortChunked(stream, x, T, D, spec.numUnits, 5, 0);
      const second = await stream.runChunk(x.subarray(5 * D, 10 * D), new Float32Array(0), stream.initialState());
      expect(diffs(second.logprobs, carried.subarray(5 * spec.numUnits, 10 * spec.numUnits)).max).toBeGreaterThan(1e-3);
    } finally {
      await cleanup();
    }
  });

  it('refuses bad chunks and states, and a model without streaming metadata', async () => {
    const { spec, pkg, stream, cleanup } = await setup('gru', true);
    try {
      const D = spec.inputDim;
      await expect(stream.runChunk(new Float32Array(0), new Float32Array(D), stream.initialState())).rejects.toThrow(/at least|>= 1 frame/);
      await expect(stream.runChunk(new Float32Array(D + 1), new Float32Array(0), stream.initialState())).rejects.toThrow(/whole frames/);
      await expect(stream.runChunk(new Float32Array(D), new Float32Array(0), { h: new Float32Array(3), c: null })).rejects.toThrow(/state/);
      // GRU with an empty look-ahead is padded internally (onnxruntime aborts on empty GRU input).
      const r = await stream.runChunk(new Float32Array(2 * D), new Float32Array(0), stream.initialState());
      expect(r.logprobs.length).toBe(2 * spec.numUnits);
      await expect(loadStreamingGraph({ ...pkg, metadata: { ...pkg.metadata, streaming: undefined } })).rejects.toThrow(/streaming/);
      await expect(loadStreamingGraph({ ...pkg, dir: join(pkg.dir, 'nowhere') })).rejects.toThrow(/model.stream.onnx not found/);
    } finally {
      await cleanup();
    }
  });
});
