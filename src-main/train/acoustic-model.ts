/**
 * The acoustic model in tfjs: stacked recurrent layers (uni- or bidirectional), then a linear
 * layer to unit scores. The log-softmax is part of the CTC loss here and of the exported graph.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { createDirection, projectInput, reverseWithinLengths, runDirection, runDirectionFrom, type DirectionVariables, type RecurrentState } from './recurrent-layer.ts';
import { type AcousticModelWeights, type DirectionWeights } from '../model/weights.ts';
import { dropoutMask, type DropoutSpec } from './dropout.ts';

interface LayerVariables {
  inputSize: number;
  forward: DirectionVariables;
  backward?: DirectionVariables;
}

export function validateArchitecture(spec: ArchitectureSpec): void {
  const ok = ['lstm', 'gru', 'rnn'].includes(spec.cell) && spec.layers >= 1 && spec.hidden >= 1 && spec.inputDim >= 1 && spec.numUnits >= 2;
  if (!ok) throw new Error(`invalid architecture: ${JSON.stringify(spec)}`);
}

let instances = 0;

export class AcousticModel {
  readonly spec: ArchitectureSpec;
  /** tfjs variable names are global: each instance gets its own prefix. */
  private readonly prefix = `am${instances++}`;
  private readonly layers: LayerVariables[] = [];
  private readonly outKernel: tf.Variable;
  private readonly outBias: tf.Variable;

  constructor(spec: ArchitectureSpec, seed = 1) {
    validateArchitecture(spec);
    this.spec = { ...spec };
    const dirs = spec.bidirectional ? 2 : 1;
    let inputSize = spec.inputDim;
    for (let l = 0; l < spec.layers; l++) {
      const forward = createDirection(spec.cell, inputSize, spec.hidden, seed + 100 * l, `${this.prefix}/l${l}/fw`);
      const backward = spec.bidirectional ? createDirection(spec.cell, inputSize, spec.hidden, seed + 100 * l + 50, `${this.prefix}/l${l}/bw`) : undefined;
      this.layers.push({ inputSize, forward, backward });
      inputSize = dirs * spec.hidden;
    }
    const limit = Math.sqrt(6 / (inputSize + spec.numUnits));
    this.outKernel = tf.variable(tf.randomUniform([inputSize, spec.numUnits], -limit, limit, 'float32', seed + 7), true, `${this.prefix}/out/kernel`);
    this.outBias = tf.variable(tf.zeros([spec.numUnits]), true, `${this.prefix}/out/bias`);
  }

  /**
   * @param x time-major features [T, B, inputDim]
   * @param lengths valid frames per sequence (the backward direction starts at each sequence's end)
   * @param dropout training only: dropout between the layers and before the output layer (dropout.ts)
   * @returns unit scores (logits) [T, B, numUnits]
   */
  forward(x: tf.Tensor3D, lengths: readonly number[], dropout?: DropoutSpec): tf.Tensor3D {
    const [T, B] = x.shape;
    const h = this.topActivations(x, lengths, dropout);
    const D = h.shape[2];
    const logits = tf.add(tf.matMul(tf.reshape(h, [T * B, D]), this.outKernel), this.outBias);
    return tf.reshape(logits, [T, B, this.spec.numUnits]);
  }

  /** The last recurrent layer's output [T, B, directions * hidden]: what the output layer sees (after dropout, when given). */
  topActivations(x: tf.Tensor3D, lengths: readonly number[], dropout?: DropoutSpec): tf.Tensor3D {
    if (dropout && dropout.seeds.length !== x.shape[1]) throw new Error(`dropout: ${dropout.seeds.length} sequence seeds for a batch of ${x.shape[1]}`);
    const drop = (h: tf.Tensor3D, site: number): tf.Tensor3D => {
      if (!dropout || dropout.rate === 0) return h;
      const [T, B, D] = h.shape;
      return tf.mul(h, tf.tensor3d(dropoutMask(dropout, site, T, D), [T, B, D]));
    };
    let h = x;
    for (const [l, layer] of this.layers.entries()) {
      if (l > 0) h = drop(h, l);
      const fw = runDirection(this.spec.cell, layer.forward, projectInput(h, layer.forward), this.spec.hidden);
      if (layer.backward) {
        const rev = reverseWithinLengths(h, lengths);
        const bwRev = runDirection(this.spec.cell, layer.backward, projectInput(rev, layer.backward), this.spec.hidden);
        h = tf.concat([fw, reverseWithinLengths(bwRev, lengths)], 2);
      } else {
        h = fw;
      }
    }
    return drop(h, this.layers.length);
  }

  /**
   * One chunk of the latency-controlled scheme (the streaming graph, model/streaming-graph.ts),
   * time-major: chunk [Nc, B, inputDim] and look-ahead [Nr, B, inputDim] (Nr may be 0). Per layer
   * the forward direction runs over the chunk from `states[l]` (zeros when omitted) and on over
   * the look-ahead; the backward direction runs over chunk + look-ahead from zeros.
   * @returns logits [Nc + Nr, B, numUnits] and the forward states after the chunk's last frame
   */
  forwardChunk(chunk: tf.Tensor3D, lookahead: tf.Tensor3D, states?: readonly RecurrentState[]): { logits: tf.Tensor3D; states: RecurrentState[] } {
    const Nc = chunk.shape[0];
    const B = chunk.shape[1];
    let xc = chunk;
    let xl = lookahead;
    const next: RecurrentState[] = [];
    this.layers.forEach((layer, l) => {
      const fc = runDirectionFrom(this.spec.cell, layer.forward, projectInput(xc, layer.forward), this.spec.hidden, states?.[l]);
      next.push(fc.final);
      const fl = runDirectionFrom(this.spec.cell, layer.forward, projectInput(xl, layer.forward), this.spec.hidden, fc.final).ys;
      if (!layer.backward) {
        xc = fc.ys;
        xl = fl;
        return;
      }
      const rev = tf.reverse(tf.concat([xc, xl], 0), 0) as tf.Tensor3D;
      const bw = tf.reverse(runDirection(this.spec.cell, layer.backward, projectInput(rev, layer.backward), this.spec.hidden), 0) as tf.Tensor3D;
      const [bc, bl] = tf.split(bw, [Nc, bw.shape[0] - Nc], 0) as tf.Tensor3D[];
      xc = tf.concat([fc.ys, bc], 2);
      xl = tf.concat([fl, bl], 2);
    });
    const h = tf.concat([xc, xl], 0);
    const [T, , D] = h.shape;
    const logits = tf.add(tf.matMul(tf.reshape(h, [T * B, D]), this.outKernel), this.outBias);
    return { logits: tf.reshape(logits, [T, B, this.spec.numUnits]), states: next };
  }

  /**
   * Log-probabilities of one utterance [T, inputDim] computed chunk by chunk as a stream would:
   * chunks of `chunkFrames`, each with up to `lookaheadFrames` following frames, forward state
   * carried; rows of each chunk kept. The reference for the streaming graph.
   */
  chunkedLogProbs(features: Float32Array, frames: number, chunkFrames: number, lookaheadFrames: number): Float32Array {
    if (!(Number.isInteger(chunkFrames) && chunkFrames >= 1 && Number.isInteger(lookaheadFrames) && lookaheadFrames >= 0)) {
      throw new Error(`chunkFrames must be >= 1 and lookaheadFrames >= 0, got ${chunkFrames} / ${lookaheadFrames}`);
    }
    const D = this.spec.inputDim;
    const U = this.spec.numUnits;
    const out = new Float32Array(frames * U);
    let states: RecurrentState[] | undefined;
    for (let s = 0; s < frames; s += chunkFrames) {
      const e = Math.min(s + chunkFrames, frames);
      const le = Math.min(e + lookaheadFrames, frames);
      const next = tf.tidy(() => {
        const chunk = tf.tensor3d(features.subarray(s * D, e * D), [e - s, 1, D]);
        const look = tf.tensor3d(features.subarray(e * D, le * D), [le - e, 1, D]);
        const r = this.forwardChunk(chunk, look, states);
        const lp = tf.logSoftmax(tf.reshape(r.logits, [le - s, U]));
        out.set((lp.dataSync() as Float32Array).subarray(0, (e - s) * U), s * U);
        return r.states.flatMap((st) => [st.h, st.c]);
      });
      // GRU and RNN pass c through unchanged: free only what the new states do not hold.
      if (states) tf.dispose(states.flatMap((st) => [st.h, st.c]).filter((t) => !next.includes(t)));
      states = Array.from({ length: next.length / 2 }, (_, l) => ({ h: next[2 * l] as tf.Tensor2D, c: next[2 * l + 1] as tf.Tensor2D }));
    }
    if (states) for (const st of states) tf.dispose([st.h, st.c]);
    return out;
  }

  /** Log-probabilities for one utterance [T, inputDim] -> [T, numUnits] (for evaluation and parity tests). */
  logProbs(features: Float32Array, frames: number): Float32Array {
    return tf.tidy(() => {
      const x = tf.tensor3d(features, [frames, 1, this.spec.inputDim]);
      return tf.logSoftmax(tf.reshape(this.forward(x, [frames]), [frames, this.spec.numUnits])).dataSync() as Float32Array;
    });
  }

  variables(): tf.Variable[] {
    const vs: tf.Variable[] = [];
    for (const l of this.layers) for (const d of [l.forward, l.backward]) if (d) vs.push(d.kernel, d.recurrent, d.bias);
    vs.push(this.outKernel, this.outBias);
    return vs;
  }

  parameterCount(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  /** Copies the weights out as plain arrays (the exporter's input). */
  getWeights(): AcousticModelWeights {
    const read = (d: DirectionVariables): DirectionWeights => ({
      kernel: d.kernel.dataSync() as Float32Array,
      recurrent: d.recurrent.dataSync() as Float32Array,
      bias: d.bias.dataSync() as Float32Array,
    });
    return {
      spec: { ...this.spec },
      layers: this.layers.map((l) => ({ inputSize: l.inputSize, forward: read(l.forward), backward: l.backward ? read(l.backward) : undefined })),
      output: { kernel: this.outKernel.dataSync() as Float32Array, bias: this.outBias.dataSync() as Float32Array },
    };
  }

  /** Loads weights of the same architecture (checkpoint resume, fine-tuning). */
  setWeights(w: AcousticModelWeights): void {
    const s = w.spec, m = this.spec;
    if (s.cell !== m.cell || s.bidirectional !== m.bidirectional || s.layers !== m.layers || s.hidden !== m.hidden || s.inputDim !== m.inputDim || s.numUnits !== m.numUnits) {
      throw new Error(`weights of ${JSON.stringify(s)} do not fit a model of ${JSON.stringify(m)}`);
    }
    const assign = (v: tf.Variable, data: Float32Array) => {
      if (data.length !== v.size) throw new Error(`weight ${v.name}: ${data.length} values, expected ${v.size}`);
      v.assign(tf.tensor(data, v.shape));
    };
    this.layers.forEach((l, i) => {
      const src = w.layers[i];
      for (const [dv, dw] of [[l.forward, src.forward], [l.backward, src.backward]] as const) {
        if (!dv || !dw) continue;
        assign(dv.kernel, dw.kernel);
        assign(dv.recurrent, dw.recurrent);
        assign(dv.bias, dw.bias);
      }
    });
    assign(this.outKernel, w.output.kernel);
    assign(this.outBias, w.output.bias);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
