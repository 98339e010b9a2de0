/**
 * Widening a trained acoustic model without changing what it computes (function-preserving growth,
 * after Chen, Goodfellow and Shlens, "Net2Net", 2016, with zero outgoing weights for the new units
 * instead of split copies): every recurrent direction gets `hidden - old` new units whose incoming
 * and recurrent weights are random, and whose outgoing weights (the next layer's input rows, the
 * old units' recurrent rows, the output projection's rows) are zero. The old units never see the
 * new ones, so the widened model's output equals the old model's; training then grows the new
 * units' outgoing weights from the gradient their (non-zero) activations receive.
 */
import type { AcousticModelWeights, DirectionWeights } from '../model/weights.ts';
import { gatesOf } from '../model/weights.ts';
import { createRng, type Rng } from './data/rng.ts';

/** Weights of the same network with `hidden` units per direction (>= the current width). */
export function widenAcousticWeights(w: AcousticModelWeights, hidden: number, seed: number): AcousticModelWeights {
  const { spec } = w;
  const H = spec.hidden;
  if (!Number.isInteger(hidden) || hidden < H) throw new Error(`cannot widen ${H} units per direction to ${hidden}: the new width must be a whole number >= ${H}`);
  if (hidden === H) return w;
  const G = gatesOf(spec.cell);
  const dirs = spec.bidirectional ? 2 : 1;
  const rng = createRng(seed);
  // Input rows of layer l in the new layout: features as they are (l = 0), else [forward units, backward units].
  const rowOf = (l: number, oldRow: number) => (l === 0 ? oldRow : Math.floor(oldRow / H) * hidden + (oldRow % H));
  const layers = w.layers.map((layer, l) => {
    const oldIn = layer.inputSize;
    const newIn = l === 0 ? oldIn : dirs * hidden;
    const widen = (d: DirectionWeights): DirectionWeights => {
      const kernel = new Float32Array(newIn * G * hidden);
      const limit = Math.sqrt(6 / (newIn + G * hidden));
      // New units' input weights: Glorot-uniform from the inputs the old layer had (rows of new
      // units below stay zero, so nothing they compute reaches an old unit).
      for (let r = 0; r < oldIn; r++) {
        const nr = rowOf(l, r);
        for (let g = 0; g < G; g++) {
          for (let j = 0; j < hidden; j++) {
            kernel[nr * G * hidden + g * hidden + j] = j < H ? d.kernel[r * G * H + g * H + j] : uniform(rng, limit);
          }
        }
      }
      const recurrent = new Float32Array(hidden * G * hidden);
      const recLimit = 1 / Math.sqrt(hidden);
      for (let i = 0; i < hidden; i++) {
        for (let g = 0; g < G; g++) {
          for (let j = 0; j < hidden; j++) {
            const v = i < H && j < H ? d.recurrent[i * G * H + g * H + j] : j >= H ? uniform(rng, recLimit) : 0;
            recurrent[i * G * hidden + g * hidden + j] = v;
          }
        }
      }
      const bias = new Float32Array(G * hidden);
      for (let g = 0; g < G; g++) {
        for (let j = 0; j < hidden; j++) bias[g * hidden + j] = j < H ? d.bias[g * H + j] : spec.cell === 'lstm' && g === 1 ? 1 : 0;
      }
      return { kernel, recurrent, bias };
    };
    return { inputSize: newIn, forward: widen(layer.forward), backward: layer.backward ? widen(layer.backward) : undefined };
  });
  const U = spec.numUnits;
  const outKernel = new Float32Array(dirs * hidden * U);
  for (let r = 0; r < dirs * H; r++) outKernel.set(w.output.kernel.subarray(r * U, (r + 1) * U), rowOf(1, r) * U);
  return { spec: { ...spec, hidden }, layers, output: { kernel: outKernel, bias: Float32Array.from(w.output.bias) } };
}

function uniform(rng: Rng, limit: number): number {
  return rng.uniform(-limit, limit);
}
