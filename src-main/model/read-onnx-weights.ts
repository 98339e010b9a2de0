/**
 * Reads AcousticModelWeights back from an acoustic model.onnx (the inverse of
 * encodeAcousticModel), for fine-tuning a shipped model. The architecture comes from the embedded
 * Hark metadata; weights are found by following the graph's nodes to their initializers:
 *   the recurrent nodes in graph (topological) order are layers 0..L-1, inputs W, R, B;
 *   the single MatMul's weight input is the output kernel, and the Add consuming its result
 *   holds the output bias.
 * Anything that the weights cannot represent is refused with an Error naming the tensor or node.
 * An int8 package (metadata.quantization) is refused unless `dequantize` is asked for: its weights
 * are then q * scale (check-graph-precision.ts), within half a quantization step of its float
 * reference, which is what fine-tuning or re-exporting should start from instead.
 */
import { CELL_TYPES, isInt8Model, ONNX_METADATA_KEY, type ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { gatesOf, layerInputSize, type AcousticModelWeights } from './weights.ts';
import { checkAcousticWeights } from './check-weights.ts';
import { checkRecurrentNode } from './check-recurrent-node.ts';
import { decodeModelProto, type GraphProto, type ModelProto, type TensorProto } from './onnx-proto.ts';
import { fromOnnxRecurrentWeights } from './onnx-recurrent-to-keras.ts';
import { floatTensorData } from './onnx-tensor-data.ts';
import { metadataOfModelProto } from './package-files.ts';
import { int8GraphWeights } from './check-graph-precision.ts';

const RECURRENT_OPS = new Set(['LSTM', 'GRU', 'RNN']);

function fail(msg: string): never {
  throw new Error(`readAcousticWeights: ${msg}`);
}

function checkSpec(spec: ArchitectureSpec | undefined): ArchitectureSpec {
  if (typeof spec !== 'object' || spec === null) fail(`metadata "${ONNX_METADATA_KEY}" has no architecture`);
  if (!(CELL_TYPES as readonly string[]).includes(spec.cell)) fail(`metadata architecture.cell "${String(spec.cell)}" is not lstm, gru or rnn`);
  if (typeof spec.bidirectional !== 'boolean') fail(`metadata architecture.bidirectional ${String(spec.bidirectional)} is not a boolean`);
  for (const key of ['layers', 'hidden', 'inputDim', 'numUnits'] as const) {
    if (!Number.isInteger(spec[key]) || spec[key] < 1) fail(`metadata architecture.${key} ${String(spec[key])} is not a positive integer`);
  }
  return { cell: spec.cell, bidirectional: spec.bidirectional, layers: spec.layers, hidden: spec.hidden, inputDim: spec.inputDim, numUnits: spec.numUnits };
}

/** Name -> initializer; duplicate names are refused (the graph would be ambiguous). */
function initializerMap(graph: GraphProto): Map<string, TensorProto> {
  const map = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) {
    if (!t.name) fail('an initializer has no name');
    if (map.has(t.name)) fail(`initializer "${t.name}" appears twice`);
    map.set(t.name, t);
  }
  return map;
}

/**
 * The weights stored in ONNX file `bytes` written by Hark's exporter. Throws when the bytes are
 * not ONNX, carry no Hark metadata, or the graph disagrees with the metadata's architecture
 * (operator, attributes, a missing initializer, a shape), or a value is not finite.
 */
export function readAcousticWeights(bytes: Uint8Array, opts: { dequantize?: boolean } = {}): AcousticModelWeights {
  const model = decodeModelProto(bytes);
  const metadata = metadataOfModelProto(model);
  if (!metadata) fail(`no "${ONNX_METADATA_KEY}" metadata: this ONNX file was not written by Hark`);
  const spec = checkSpec(metadata.architecture);
  if (isInt8Model(metadata)) {
    if (!opts.dequantize) {
      fail(`this is an int8 package (quantized from ${metadata.quantization?.floatReference ?? 'a float package'}): fine-tune or re-export its float reference instead`);
    }
    return int8Weights(model, spec);
  }
  const graph = model.graph ?? fail('the model has no graph');
  const initializers = initializerMap(graph);
  const nodes = graph.node ?? [];
  const tensor = (name: string, dims: number[], what: string): Float32Array => {
    const t = initializers.get(name) ?? fail(`${what}: initializer "${name}" is missing`);
    return floatTensorData(t, dims, `readAcousticWeights: ${what} "${name}"`);
  };

  const dirs = spec.bidirectional ? 2 : 1;
  const gh = gatesOf(spec.cell) * spec.hidden;
  const recurrent = nodes.filter((n) => RECURRENT_OPS.has(n.opType));
  if (recurrent.length !== spec.layers) fail(`${recurrent.length} recurrent nodes, the metadata says ${spec.layers} layers`);
  const layers = recurrent.map((node, l) => {
    const what = `layer ${l}`;
    const names = checkRecurrentNode(node, spec, `readAcousticWeights: ${what}`);
    const inputSize = layerInputSize(spec, l);
    const W = tensor(names.W, [dirs, gh, inputSize], `${what} W`);
    const R = tensor(names.R, [dirs, gh, spec.hidden], `${what} R`);
    const B = names.B === undefined ? new Float32Array(dirs * 2 * gh) : tensor(names.B, [dirs, 2 * gh], `${what} B`);
    return fromOnnxRecurrentWeights(spec.cell, { numDirections: dirs, W, R, B }, inputSize, spec.hidden);
  });

  const matmuls = nodes.filter((n) => n.opType === 'MatMul');
  if (matmuls.length !== 1) fail(`${matmuls.length} MatMul nodes, expected exactly one (the output projection)`);
  const [matmul] = matmuls;
  if (matmul.input.length !== 2 || matmul.output.length !== 1) fail('the output MatMul must have two inputs and one output');
  const kernel = tensor(matmul.input[1], [dirs * spec.hidden, spec.numUnits], 'output kernel');
  const adds = nodes.filter((n) => n.opType === 'Add' && n.input.includes(matmul.output[0]));
  if (adds.length !== 1 || adds[0].input.length !== 2) fail(`the output MatMul's result "${matmul.output[0]}" must feed exactly one two-input Add (the output bias)`);
  const biasName = adds[0].input.find((name) => name !== matmul.output[0]) ?? fail('the output Add adds the MatMul result to itself');
  const bias = tensor(biasName, [spec.numUnits], 'output bias');

  return checked({ spec, layers, output: { kernel, bias } });
}

/** The dequantized weights of an int8 whole-utterance graph (its DynamicQuantizeLSTM nodes in order). */
function int8Weights(model: ModelProto, spec: ArchitectureSpec): AcousticModelWeights {
  let read;
  try {
    read = int8GraphWeights(model, spec, 'int8 graph');
  } catch (e) {
    fail((e as Error).message);
  }
  const dirs = spec.bidirectional ? 2 : 1;
  if (read.lstm.length !== spec.layers) fail(`${read.lstm.length} quantized LSTM nodes, the metadata says ${spec.layers} layers`);
  const layers = read.lstm.map((l, i) => {
    if (l.dirs !== dirs) fail(`layer ${i}: ${l.dirs} directions, the metadata says ${dirs}`);
    const inputSize = layerInputSize(spec, i);
    if (l.inputSize !== inputSize) fail(`layer ${i}: input size ${l.inputSize}, expected ${inputSize}`);
    return fromOnnxRecurrentWeights(spec.cell, { numDirections: dirs, W: l.W, R: l.R, B: l.B }, inputSize, spec.hidden);
  });
  return checked({ spec, layers, output: read.output });
}

function checked(weights: AcousticModelWeights): AcousticModelWeights {
  try {
    checkAcousticWeights(weights);
  } catch (e) {
    fail((e as Error).message);
  }
  return weights;
}
