/**
 * Runs a package's streaming graph (model.stream.onnx, model/streaming-graph.ts) one chunk at a
 * time, carrying the forward-direction state between calls. The caller decides the chunking
 * (online-acoustic-model.ts); this class only moves tensors and checks shapes.
 */
import * as ort from 'onnxruntime-node';
import {
  OUTPUT_NAME, STREAM_CHUNK, STREAM_LOOKAHEAD, STREAM_NEXT_STATE_C, STREAM_NEXT_STATE_H, STREAM_STATE_C, STREAM_STATE_H,
} from '../model/graph-io-names.ts';
import { createOrtSession, type AcousticSessionOptions } from './offline-acoustic-session.ts';
import { loadStreamingGraph, ModelMismatchError, type ModelPackage } from '../model/model-package.ts';

/** Forward-direction state after a chunk: [layers, 1, hidden] each; `c` only for LSTM. */
export interface ChunkState {
  h: Float32Array;
  c: Float32Array | null;
}

export class OnlineAcousticSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly pkg: ModelPackage,
    readonly chunkFrames: number,
    readonly lookaheadFrames: number,
  ) {}

  /** Loads model.stream.onnx of `pkg` (ModelPackageError when absent) and checks its I/O names. */
  static async create(pkg: ModelPackage, opts: AcousticSessionOptions = {}): Promise<OnlineAcousticSession> {
    const graph = await loadStreamingGraph(pkg);
    const session = await createOrtSession(graph.onnx, graph.path, opts);
    const lstm = pkg.architecture.cell === 'lstm';
    const inputs = [STREAM_CHUNK, STREAM_LOOKAHEAD, STREAM_STATE_H, ...(lstm ? [STREAM_STATE_C] : [])];
    const outputs = [OUTPUT_NAME, STREAM_NEXT_STATE_H, ...(lstm ? [STREAM_NEXT_STATE_C] : [])];
    if (inputs.some((n) => !session.inputNames.includes(n)) || outputs.some((n) => !session.outputNames.includes(n))) {
      await session.release();
      throw new ModelMismatchError(graph.path, `graph inputs [${session.inputNames.join(', ')}] / outputs [${session.outputNames.join(', ')}], expected [${inputs.join(', ')}] / [${outputs.join(', ')}]`);
    }
    return new OnlineAcousticSession(session, pkg, graph.chunkFrames, graph.lookaheadFrames);
  }

  /** The state before a stream's first chunk (zeros). */
  initialState(): ChunkState {
    const n = this.pkg.architecture.layers * this.pkg.architecture.hidden;
    return { h: new Float32Array(n), c: this.pkg.architecture.cell === 'lstm' ? new Float32Array(n) : null };
  }

  /**
   * Runs one chunk. `chunk` holds chunkLen model frames, `lookahead` the frames after it
   * (row-major, inputDim wide). Returns log-probabilities for chunkLen + lookaheadLen rows
   * ([rows, numUnits]) and the state after the chunk's last frame.
   * onnxruntime's GRU aborts the process on a zero-length sequence, so for GRU an empty
   * look-ahead never reaches it: the chunk runs with one zero frame as look-ahead whose row is
   * dropped (exact for unidirectional GRU), and a bidirectional GRU's rows come from a second run
   * with the chunk's last frame moved into the look-ahead (exact for chunks of 2+ frames). Its
   * state then comes from the padded run: exact for one layer, while higher layers' forward
   * state has seen the zero frame through the lower backward direction. So bidirectional GRU
   * models should stream with look-ahead >= 1; an empty look-ahead is exact only at a stream's end.
   */
  async runChunk(chunk: Float32Array, lookahead: Float32Array, state: ChunkState): Promise<{ logprobs: Float32Array; state: ChunkState }> {
    const { inputDim: D, numUnits: U, layers, hidden, cell } = this.pkg.architecture;
    if (chunk.length === 0 || chunk.length % D !== 0 || lookahead.length % D !== 0) {
      throw new Error(`runChunk: chunk (${chunk.length} values) must hold at least 1 frame, and both parts whole frames of ${D}`);
    }
    const n = layers * hidden;
    if (state.h.length !== n || (cell === 'lstm') !== (state.c !== null) || (state.c && state.c.length !== n)) {
      throw new Error(`runChunk: state does not fit a ${layers}x${hidden} ${cell} model`);
    }
    const tc = chunk.length / D;
    if (cell === 'gru' && lookahead.length === 0) {
      const padded = await this.run(chunk, new Float32Array(D), state);
      const rows = padded.logprobs.subarray(0, tc * U);
      if (!this.pkg.architecture.bidirectional || tc < 2) return { logprobs: rows, state: padded.state };
      const split = await this.run(chunk.subarray(0, (tc - 1) * D), chunk.subarray((tc - 1) * D), state);
      return { logprobs: split.logprobs, state: padded.state };
    }
    return this.run(chunk, lookahead, state);
  }

  private async run(chunk: Float32Array, lookahead: Float32Array, state: ChunkState): Promise<{ logprobs: Float32Array; state: ChunkState }> {
    const { inputDim: D, numUnits: U, layers, hidden } = this.pkg.architecture;
    const tc = chunk.length / D;
    const tl = lookahead.length / D;
    const feeds: Record<string, ort.Tensor> = {
      [STREAM_CHUNK]: new ort.Tensor('float32', chunk, [1, tc, D]),
      [STREAM_LOOKAHEAD]: new ort.Tensor('float32', lookahead, [1, tl, D]),
      [STREAM_STATE_H]: new ort.Tensor('float32', state.h, [layers, 1, hidden]),
    };
    if (state.c) feeds[STREAM_STATE_C] = new ort.Tensor('float32', state.c, [layers, 1, hidden]);
    const out = await this.session.run(feeds);
    const lp = out[OUTPUT_NAME];
    if (lp.type !== 'float32' || lp.dims.length !== 3 || lp.dims[1] !== tc + tl || lp.dims[2] !== U) {
      throw new Error(`streaming output "${OUTPUT_NAME}" has shape [${lp.dims.join(', ')}], expected [1, ${tc + tl}, ${U}]`);
    }
    return {
      logprobs: lp.data as Float32Array,
      state: { h: out[STREAM_NEXT_STATE_H].data as Float32Array, c: state.c ? out[STREAM_NEXT_STATE_C].data as Float32Array : null },
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
