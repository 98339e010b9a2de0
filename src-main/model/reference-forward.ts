/**
 * Plain-JS forward pass of the acoustic model, batch 1, in Float64 with naive loops: the
 * Keras cell equations written out, used to check the exported graph without tfjs or ONNX.
 *   LSTM (gates [i,f,c,o]): i=σ(z_i) f=σ(z_f) c=f*c+i*tanh(z_c) o=σ(z_o) h=o*tanh(c),
 *        z = x·K + h·U + b
 *   GRU (reset-before, [z,r,h]): z=σ(x·Kz+h·Uz+bz) r=σ(x·Kr+h·Ur+br)
 *        ĥ=tanh(x·Kh+(r*h)·Uh+bh) h=z*h+(1-z)*ĥ
 *   RNN: h=tanh(x·K+h·U+b)
 * σ is the logistic sigmoid (tfjs layers must be built with recurrentActivation 'sigmoid').
 * Bidirectional layers run the backward cell over the reversed sequence and concatenate
 * [forward, backward] at each original time step.
 */
import type { CellType } from '../../src-shared/model/metadata.ts';
import { gatesOf, type AcousticModelWeights, type DirectionWeights } from './weights.ts';
import { checkAcousticWeights } from './check-weights.ts';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** out[c] = Σ_k v[k] * m[k, c] + (bias?.[c] ?? 0); m row-major [v.length, cols]. */
function vecMat(v: Float64Array, m: Float32Array, cols: number, bias?: Float32Array): Float64Array {
  const out = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = bias ? bias[c] : 0;
    for (let k = 0; k < v.length; k++) s += v[k] * m[k * cols + c];
    out[c] = s;
  }
  return out;
}

/** Runs one direction of one layer; returns the hidden state at each input time step. */
function runDirection(cell: CellType, w: DirectionWeights, xs: Float64Array[], hidden: number, reverse: boolean): Float64Array[] {
  const H = hidden;
  const cols = gatesOf(cell) * H;
  let h = new Float64Array(H);
  const c = new Float64Array(H);
  const out: Float64Array[] = new Array(xs.length);
  for (let step = 0; step < xs.length; step++) {
    const t = reverse ? xs.length - 1 - step : step;
    const xz = vecMat(xs[t], w.kernel, cols, w.bias);
    const next = new Float64Array(H);
    if (cell === 'lstm') {
      const hz = vecMat(h, w.recurrent, cols);
      for (let j = 0; j < H; j++) {
        const i = sigmoid(xz[j] + hz[j]);
        const f = sigmoid(xz[H + j] + hz[H + j]);
        const g = Math.tanh(xz[2 * H + j] + hz[2 * H + j]);
        const o = sigmoid(xz[3 * H + j] + hz[3 * H + j]);
        c[j] = f * c[j] + i * g;
        next[j] = o * Math.tanh(c[j]);
      }
    } else if (cell === 'gru') {
      const hz = vecMat(h, w.recurrent, cols);
      const z = new Float64Array(H);
      const rh = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        z[j] = sigmoid(xz[j] + hz[j]);
        rh[j] = sigmoid(xz[H + j] + hz[H + j]) * h[j];
      }
      for (let j = 0; j < H; j++) {
        let s = xz[2 * H + j];
        for (let k = 0; k < H; k++) s += rh[k] * w.recurrent[k * cols + 2 * H + j];
        next[j] = z[j] * h[j] + (1 - z[j]) * Math.tanh(s);
      }
    } else {
      const hz = vecMat(h, w.recurrent, cols);
      for (let j = 0; j < H; j++) next[j] = Math.tanh(xz[j] + hz[j]);
    }
    h = next;
    out[t] = h;
  }
  return out;
}

/**
 * Log-probabilities [time, numUnits] (row-major) for one utterance `features` [time, inputDim].
 * Throws on weights that do not match their spec or on a features length that is not time*inputDim.
 */
export function referenceForward(weights: AcousticModelWeights, features: Float32Array, time: number): Float32Array {
  checkAcousticWeights(weights);
  const { spec } = weights;
  if (!Number.isInteger(time) || time < 0) throw new Error(`time: ${time} is not a non-negative integer`);
  if (features.length !== time * spec.inputDim) {
    throw new Error(`features: length ${features.length}, expected time*inputDim = ${time}*${spec.inputDim}`);
  }
  let xs: Float64Array[] = Array.from({ length: time }, (_, t) => Float64Array.from(features.subarray(t * spec.inputDim, (t + 1) * spec.inputDim)));
  for (const layer of weights.layers) {
    const fwd = runDirection(spec.cell, layer.forward, xs, spec.hidden, false);
    const bwd = layer.backward ? runDirection(spec.cell, layer.backward, xs, spec.hidden, true) : undefined;
    xs = fwd.map((f, t) => {
      if (!bwd) return f;
      const both = new Float64Array(2 * spec.hidden);
      both.set(f);
      both.set(bwd[t], spec.hidden);
      return both;
    });
  }
  const U = spec.numUnits;
  const out = new Float32Array(time * U);
  xs.forEach((x, t) => {
    const logits = vecMat(x, weights.output.kernel, U, weights.output.bias);
    let max = -Infinity;
    for (const v of logits) max = Math.max(max, v);
    let sum = 0;
    for (const v of logits) sum += Math.exp(v - max);
    const logZ = max + Math.log(sum);
    for (let u = 0; u < U; u++) out[t * U + u] = logits[u] - logZ;
  });
  return out;
}
