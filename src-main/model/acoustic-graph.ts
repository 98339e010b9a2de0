/**
 * The whole-utterance acoustic graph (model.onnx), opset 17:
 *   features [batch, time, inputDim]
 *   -> Transpose to [time, batch, dim]
 *   -> per layer: LSTM | GRU | RNN, Y [time, dirs, batch, H] -> Transpose [time, batch, dirs, H]
 *      -> Reshape [time, batch, dirs*H] (forward then backward, as in the Keras concat)
 *   -> MatMul + Add (output projection) -> LogSoftmax(axis -1) -> Transpose
 *   -> logprobs [batch, time, numUnits]
 * "batch" and "time" are symbolic dims; the Reshape uses 0 (copy) and -1 (infer) to keep them so.
 */
import { ONNX_METADATA_KEY, type CellType, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { gatesOf, type AcousticModelWeights } from './weights.ts';
import { checkAcousticWeights } from './check-weights.ts';
import { checkMetadataMatchesWeights } from './check-metadata.ts';
import { floatTensor, int64Tensor, node, tensorValueInfo } from './onnx-builders.ts';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto.ts';
import { toOnnxRecurrentWeights } from './onnx-recurrent-weights.ts';

/** Graph I/O names (the contract in ModelMetadata's documentation). */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'logprobs';
/** ai.onnx opset and the IR version that goes with it (IR 8 introduced with opset 17). */
export const OPSET_VERSION = 17;
export const IR_VERSION = 8;

/** ONNX operator written for each cell type. */
export const OP_TYPE: Record<CellType, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };
/** Activations per direction, spelled out so the graph does not depend on operator defaults. */
export const ACTIVATIONS: Record<CellType, string[]> = {
  lstm: ['Sigmoid', 'Tanh', 'Tanh'],
  gru: ['Sigmoid', 'Tanh'],
  rnn: ['Tanh'],
};

/** Builds the GraphProto; `weights` must have passed checkAcousticWeights. */
export function buildAcousticGraph(weights: AcousticModelWeights): GraphProto {
  const { spec } = weights;
  const dirs = spec.bidirectional ? 2 : 1;
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [int64Tensor('merge_directions_shape', [3], [0, 0, -1])];

  nodes.push(node('Transpose', 'to_time_major', [INPUT_NAME], ['x_time_major'], { perm: [1, 0, 2] }));
  let x = 'x_time_major';
  weights.layers.forEach((layer, l) => {
    const { W, R, B } = toOnnxRecurrentWeights(spec.cell, layer, spec.hidden);
    const gh = gatesOf(spec.cell) * spec.hidden;
    const p = `layer${l}`;
    initializers.push(
      floatTensor(`${p}.W`, [dirs, gh, layer.inputSize], W),
      floatTensor(`${p}.R`, [dirs, gh, spec.hidden], R),
      floatTensor(`${p}.B`, [dirs, 2 * gh], B),
    );
    const attrs: Record<string, number | string | string[]> = {
      hidden_size: spec.hidden,
      direction: spec.bidirectional ? 'bidirectional' : 'forward',
      activations: Array.from({ length: dirs }, () => ACTIVATIONS[spec.cell]).flat(),
    };
    if (spec.cell === 'gru') attrs.linear_before_reset = 0;
    nodes.push(
      node(OP_TYPE[spec.cell], `${p}.${spec.cell}`, [x, `${p}.W`, `${p}.R`, `${p}.B`], [`${p}.Y`], attrs),
      node('Transpose', `${p}.directions_last`, [`${p}.Y`], [`${p}.Y_tbdh`], { perm: [0, 2, 1, 3] }),
      node('Reshape', `${p}.merge_directions`, [`${p}.Y_tbdh`, 'merge_directions_shape'], [`${p}.out`]),
    );
    x = `${p}.out`;
  });

  initializers.push(
    floatTensor('output.kernel', [dirs * spec.hidden, spec.numUnits], weights.output.kernel),
    floatTensor('output.bias', [spec.numUnits], weights.output.bias),
  );
  nodes.push(
    node('MatMul', 'output.matmul', [x, 'output.kernel'], ['logits_nobias']),
    node('Add', 'output.add', ['logits_nobias', 'output.bias'], ['logits']),
    node('LogSoftmax', 'log_softmax', ['logits'], ['logprobs_time_major'], { axis: -1 }),
    node('Transpose', 'to_batch_major', ['logprobs_time_major'], [OUTPUT_NAME], { perm: [1, 0, 2] }),
  );

  return {
    name: 'hark_acoustic',
    node: nodes,
    initializer: initializers,
    input: [tensorValueInfo(INPUT_NAME, DataType.FLOAT, ['batch', 'time', spec.inputDim])],
    output: [tensorValueInfo(OUTPUT_NAME, DataType.FLOAT, ['batch', 'time', spec.numUnits])],
  };
}

/**
 * A Hark ModelProto around the graph `build(weights)`: opset import, producer "hark", and
 * metadata_props holding JSON.stringify(metadata) under ONNX_METADATA_KEY. Throws on
 * inconsistent weights or metadata. `kind` names the graph in the doc string.
 */
export function harkModelProto(
  weights: AcousticModelWeights, metadata: ModelMetadata, build: (w: AcousticModelWeights) => GraphProto, kind: string,
): ModelProto {
  checkAcousticWeights(weights);
  checkMetadataMatchesWeights(metadata, weights);
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'hark',
    docString: `${metadata.name} ${metadata.version}: ${kind} (${metadata.architecture.cell})`,
    graph: build(weights),
    metadataProps: [{ key: ONNX_METADATA_KEY, value: JSON.stringify(metadata) }],
  };
}

/** The whole-utterance model (model.onnx). */
export function buildAcousticModel(weights: AcousticModelWeights, metadata: ModelMetadata): ModelProto {
  return harkModelProto(weights, metadata, buildAcousticGraph, 'CTC acoustic model');
}
