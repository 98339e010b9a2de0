import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';

/**
 * Trained weights as plain arrays: the contract between the tfjs trainer and the ONNX exporter.
 * Layouts follow tfjs/Keras: row-major [rows, cols], gates concatenated along the columns in
 * Keras order: LSTM [i, f, c, o], GRU [z, r, h] (reset applied before the recurrent matmul,
 * i.e. ONNX linear_before_reset = 0), simple RNN one gate (tanh).
 */
export interface DirectionWeights {
  /** [inputSize, gates * hidden] */
  kernel: Float32Array;
  /** [hidden, gates * hidden] */
  recurrent: Float32Array;
  /** [gates * hidden] */
  bias: Float32Array;
}

export interface RecurrentLayerWeights {
  inputSize: number;
  forward: DirectionWeights;
  /** Present when the layer is bidirectional; it reads the sequence reversed. Outputs are concatenated [forward, backward]. */
  backward?: DirectionWeights;
}

export interface AcousticModelWeights {
  spec: ArchitectureSpec;
  layers: RecurrentLayerWeights[];
  /** Final projection: kernel [directions * hidden, numUnits], bias [numUnits]; log-softmax follows. */
  output: { kernel: Float32Array; bias: Float32Array };
}

/**
 * The weight arrays in the order of the trainer's variables (AcousticModel.variables()): each
 * recurrent layer's directions as kernel, recurrent, bias, then the output kernel and bias. The
 * arrays themselves, not copies.
 */
export function weightArrays(w: AcousticModelWeights): Float32Array[] {
  const out: Float32Array[] = [];
  for (const l of w.layers) for (const d of [l.forward, l.backward]) if (d) out.push(d.kernel, d.recurrent, d.bias);
  return [...out, w.output.kernel, w.output.bias];
}

export function gatesOf(cell: ArchitectureSpec['cell']): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Input width of recurrent layer `l`: the features for the first, the previous layer's outputs (all directions) after. */
export function layerInputSize(spec: ArchitectureSpec, l: number): number {
  return l === 0 ? spec.inputDim : (spec.bidirectional ? 2 : 1) * spec.hidden;
}

/**
 * Trainable weights of a network of this architecture, as AcousticModel.parameterCount counts them:
 * per recurrent direction gates x hidden x (input + hidden + 1), then the output layer. (A card's
 * training.parameters is the count of the run that first trained the package's line, which a later
 * widening does not change.)
 */
export function architectureParameters(spec: ArchitectureSpec): number {
  const dirs = spec.bidirectional ? 2 : 1;
  let n = 0;
  for (let l = 0; l < spec.layers; l++) n += dirs * gatesOf(spec.cell) * spec.hidden * (layerInputSize(spec, l) + spec.hidden + 1);
  return n + (dirs * spec.hidden + 1) * spec.numUnits;
}
