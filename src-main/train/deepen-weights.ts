/**
 * Deepening a trained acoustic model with nearly no change to what it computes (Net2DeeperNet, after
 * Chen, Goodfellow and Shlens, "Net2Net", 2016, for recurrent cells): each new recurrent layer goes on
 * top of the old ones, before the output projection, and starts as an almost exact copy of its input.
 * A recurrent cell cannot be the identity, but in its linear range it is a scaled one: each new unit
 * reads its own input unit through the candidate gate with a small weight `gain` (g), the other gates
 * saturate open (input, output; GRU: take the candidate) or shut (forget; GRU: keep the past) through
 * biases of +-OPEN_BIAS, so that unit j outputs about s * x_j with
 *   LSTM: s = sigmoid(b)^2 g   (h = o tanh(c), c = i tanh(g x) + f c_prev, tanh(tanh(y)) ~ y)
 *   GRU:  s = sigmoid(b) g     (h = (1 - z) tanh(g x) + z h_prev)
 *   RNN:  s = g                (h = tanh(g x))
 * and the output projection, divided by s, reads it as before. What is left over is the cubic term
 * of the tanh (relative error about (g x)^2: under 1% for g = 0.1 and |x| <= 1, which the previous
 * layer's outputs are), and the leak of the nearly shut gate (sigmoid(-b) of the last frame's state).
 * Training then finds what else the layer can do: its other weights start at zero (the candidate's
 * other inputs and every recurrent weight) or small (the saturated gates' inputs), and get gradients.
 */
import type { AcousticModelWeights, DirectionWeights, RecurrentLayerWeights } from '../model/weights.ts';
import { gatesOf } from '../model/weights.ts';
import { createRng, type Rng } from './data/rng.ts';

/** The candidate gate's weight on each new unit's own input. */
export const DEEPEN_GAIN = 0.1;
/** The bias that holds a gate open (+) or shut (-): sigmoid(5) = 0.9933. */
export const OPEN_BIAS = 5;
/** Half-range of the uniform weights into the saturated gates (small beside OPEN_BIAS). */
const GATE_NOISE = 0.01;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** How much a new layer scales what passes through it (see the header), per cell type. */
export function passThroughScale(cell: AcousticModelWeights['spec']['cell'], gain = DEEPEN_GAIN): number {
  const s = sigmoid(OPEN_BIAS);
  return cell === 'lstm' ? s * s * gain : cell === 'gru' ? s * gain : gain;
}

/** Weights of the same network with `layers` recurrent layers (>= the current count): new ones on top. */
export function deepenAcousticWeights(w: AcousticModelWeights, layers: number, seed: number, gain = DEEPEN_GAIN): AcousticModelWeights {
  const { spec } = w;
  if (!Number.isInteger(layers) || layers < spec.layers) throw new Error(`cannot deepen ${spec.layers} recurrent layers to ${layers}: the new count must be a whole number >= ${spec.layers}`);
  if (!(gain > 0 && gain <= 1)) throw new Error(`deepenAcousticWeights: gain must be in (0, 1], got ${gain}`);
  if (layers === spec.layers) return w;
  const H = spec.hidden;
  const G = gatesOf(spec.cell);
  const dirs = spec.bidirectional ? 2 : 1;
  const width = dirs * H;
  const rng = createRng(seed);
  const added: RecurrentLayerWeights[] = [];
  for (let l = spec.layers; l < layers; l++) {
    const direction = (d: number): DirectionWeights => passThroughDirection(spec.cell, width, H, G, d * H, gain, rng);
    added.push({ inputSize: width, forward: direction(0), backward: spec.bidirectional ? direction(1) : undefined });
  }
  // The projection reads the top layer's outputs, each s times its input from the layer below after
  // every new layer.
  const scale = Math.pow(passThroughScale(spec.cell, gain), layers - spec.layers);
  const kernel = Float32Array.from(w.output.kernel, (v) => v / scale);
  return { spec: { ...spec, layers }, layers: [...w.layers, ...added], output: { kernel, bias: Float32Array.from(w.output.bias) } };
}

/**
 * One direction of a pass-through layer: unit j reads input row `offset + j` through the candidate
 * gate with weight `gain`; gates are saturated by their biases.
 */
function passThroughDirection(cell: AcousticModelWeights['spec']['cell'], inputSize: number, H: number, G: number, offset: number, gain: number, rng: Rng): DirectionWeights {
  const cols = G * H;
  // Gate order (weights.ts): LSTM [i, f, c, o], GRU [z, r, h], RNN [h].
  const candidate = cell === 'lstm' ? 2 : cell === 'gru' ? 2 : 0;
  const gateBias = (g: number): number => {
    if (cell === 'lstm') return g === 0 || g === 3 ? OPEN_BIAS : g === 1 ? -OPEN_BIAS : 0;
    if (cell === 'gru') return g === 0 ? -OPEN_BIAS : 0; // z shut: take the candidate; r does not matter (its recurrent weights are 0)
    return 0;
  };
  const kernel = new Float32Array(inputSize * cols);
  for (let r = 0; r < inputSize; r++) {
    for (let g = 0; g < G; g++) {
      if (g === candidate) continue;
      for (let j = 0; j < H; j++) kernel[r * cols + g * H + j] = rng.uniform(-GATE_NOISE, GATE_NOISE);
    }
  }
  for (let j = 0; j < H; j++) kernel[(offset + j) * cols + candidate * H + j] = gain;
  const recurrent = new Float32Array(H * cols);
  const bias = new Float32Array(cols);
  for (let g = 0; g < G; g++) bias.fill(gateBias(g), g * H, (g + 1) * H);
  return { kernel, recurrent, bias };
}
