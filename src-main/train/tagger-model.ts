/**
 * The punctuation/case tagger in tfjs: word embedding (+ TAGGER_FEATURES) -> bidirectional
 * recurrent layers (./recurrent-layer.ts, the acoustic model's cells) -> two linear heads, case
 * (CASE_LABELS) and punctuation after the word (PUNCT_LABELS). Exported to ONNX by
 * src-main/model/tagger-graph.ts; the weights' layout is src-main/model/tagger-weights.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { TaggerArchitecture } from '../../src-shared/model/tagger-metadata.ts';
import { CASE_LABELS, PUNCT_LABELS } from '../../src-shared/text/word-marks.ts';
import type { DirectionWeights } from '../model/weights.ts';
import type { TaggerWeights } from '../model/tagger-weights.ts';
import { createDirection, projectInput, reverseWithinLengths, runDirection, type DirectionVariables } from './recurrent-layer.ts';

interface Layer {
  inputSize: number;
  forward: DirectionVariables;
  backward: DirectionVariables;
}

/** Embedding rows for ids [N]: a gather whose gradient is a scatter-add done in JavaScript (tfjs wasm has no gather gradient). */
function embed(table: tf.Variable, ids: Int32Array): tf.Tensor2D {
  const [V, D] = table.shape as [number, number];
  const op = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.gather(t, tf.tensor1d(ids, 'int32')),
    gradFunc: (dy: tf.Tensor) => {
      const g = new Float32Array(V * D);
      const d = dy.dataSync() as Float32Array;
      ids.forEach((id, n) => { for (let k = 0; k < D; k++) g[id * D + k] += d[n * D + k]; });
      return [tf.tensor2d(g, [V, D])];
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(table) as tf.Tensor2D;
}

export class TaggerModel {
  readonly embedding: tf.Variable;
  readonly layers: Layer[] = [];
  readonly heads: { case: { kernel: tf.Variable; bias: tf.Variable }; punct: { kernel: tf.Variable; bias: tf.Variable } };

  constructor(readonly arch: TaggerArchitecture, readonly vocabularySize: number, readonly featureDim: number, seed: number) {
    this.embedding = tf.variable(tf.randomNormal([vocabularySize, arch.embeddingDim], 0, 0.1, 'float32', seed), true, 'tagger/embedding');
    let inputSize = arch.embeddingDim + featureDim;
    for (let l = 0; l < arch.layers; l++) {
      this.layers.push({
        inputSize,
        forward: createDirection(arch.cell, inputSize, arch.hidden, seed + 100 * (l + 1), `tagger/l${l}/fw`),
        backward: createDirection(arch.cell, inputSize, arch.hidden, seed + 100 * (l + 1) + 50, `tagger/l${l}/bw`),
      });
      inputSize = 2 * arch.hidden;
    }
    const head = (n: number, s: number, name: string) => {
      const limit = Math.sqrt(6 / (inputSize + n));
      return {
        kernel: tf.variable(tf.randomUniform([inputSize, n], -limit, limit, 'float32', s), true, `tagger/${name}/kernel`),
        bias: tf.variable(tf.zeros([n]), true, `tagger/${name}/bias`),
      };
    };
    this.heads = { case: head(CASE_LABELS.length, seed + 7, 'case'), punct: head(PUNCT_LABELS.length, seed + 8, 'punct') };
  }

  /**
   * @param ids time-major word ids [T * B] (row t*B + b), padding anywhere past each length
   * @param features time-major [T * B * featureDim]
   * @returns logits, time-major: case [T, B, 3] and punct [T, B, 5]
   */
  forward(ids: Int32Array, features: Float32Array, T: number, B: number, lengths: readonly number[]): { case: tf.Tensor3D; punct: tf.Tensor3D } {
    const e = embed(this.embedding, ids);
    let h = tf.reshape(tf.concat([e, tf.tensor2d(features, [T * B, this.featureDim])], 1), [T, B, this.arch.embeddingDim + this.featureDim]) as tf.Tensor3D;
    for (const layer of this.layers) {
      const fw = runDirection(this.arch.cell, layer.forward, projectInput(h, layer.forward), this.arch.hidden);
      const rev = reverseWithinLengths(h, lengths);
      const bwRev = runDirection(this.arch.cell, layer.backward, projectInput(rev, layer.backward), this.arch.hidden);
      h = tf.concat([fw, reverseWithinLengths(bwRev, lengths)], 2);
    }
    const flat = tf.reshape(h, [T * B, 2 * this.arch.hidden]);
    const project = (p: { kernel: tf.Variable; bias: tf.Variable }) =>
      tf.reshape(tf.add(tf.matMul(flat, p.kernel), p.bias), [T, B, p.bias.shape[0] as number]) as tf.Tensor3D;
    return { case: project(this.heads.case), punct: project(this.heads.punct) };
  }

  variables(): tf.Variable[] {
    const vs: tf.Variable[] = [this.embedding];
    for (const l of this.layers) for (const d of [l.forward, l.backward]) vs.push(d.kernel, d.recurrent, d.bias);
    vs.push(this.heads.case.kernel, this.heads.case.bias, this.heads.punct.kernel, this.heads.punct.bias);
    return vs;
  }

  parameterCount(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  /** The weights as plain arrays (the exporter's input). */
  getWeights(): TaggerWeights {
    const read = (d: DirectionVariables): DirectionWeights => ({
      kernel: d.kernel.dataSync() as Float32Array, recurrent: d.recurrent.dataSync() as Float32Array, bias: d.bias.dataSync() as Float32Array,
    });
    const head = (p: { kernel: tf.Variable; bias: tf.Variable }) => ({ kernel: p.kernel.dataSync() as Float32Array, bias: p.bias.dataSync() as Float32Array });
    return {
      arch: { ...this.arch },
      embedding: this.embedding.dataSync() as Float32Array,
      vocabularySize: this.vocabularySize,
      featureDim: this.featureDim,
      layers: this.layers.map((l) => ({ inputSize: l.inputSize, forward: read(l.forward), backward: read(l.backward) })),
      caseHead: head(this.heads.case),
      punctHead: head(this.heads.punct),
    };
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
