/**
 * The whole-utterance acoustic graph (model.onnx), opset 17:
 *   features [batch, time, inputDim]
 *   -> Transpose to [time, batch, dim]
 *   -> per layer: LSTM | GRU | RNN, Y [time, dirs, batch, H] -> Transpose [time, batch, dirs, H]
 *      -> Reshape [time, batch, dirs*H] (forward then backward, as in the Keras concat)
 *   -> MatMul + Add (output projection) -> LogSoftmax(axis -1) -> Transpose
 *   -> logprobs [batch, time, numUnits]
 * "batch" and "time" are symbolic dims; the Reshape uses 0 (copy) and -1 (infer) to keep them so.
 * The int8 variant (metadata.quantization, LSTM only) writes com.microsoft DynamicQuantizeLSTM
 * for each LSTM and one DynamicQuantizeMatMul (bias included) for MatMul + Add (int8-weights.ts).
 */
import { isInt8Model, ONNX_METADATA_KEY, type CellType, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { gatesOf, type AcousticModelWeights, type RecurrentLayerWeights } from './weights.ts';
import { checkAcousticWeights } from './check-weights.ts';
import { checkMetadataMatchesWeights } from './check-metadata.ts';
import { floatTensor, int64Tensor, node, tensorValueInfo } from './onnx-builders.ts';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto.ts';
import { toOnnxRecurrentWeights } from './onnx-recurrent-weights.ts';
import { INPUT_NAME, OUTPUT_NAME } from './graph-io-names.ts';
import { ACTIVATIONS, OP_TYPE } from './recurrent-ops.ts';
import {
  CONTRIB_DOMAIN, CONTRIB_OPSET_VERSION, int8LstmInitializers, int8LstmNode, int8OutputInitializers, int8OutputNode,
} from './int8-weights.ts';

/** Options of the graph builders. */
export interface GraphOptions {
  /** Write int8 weights (LSTM only); harkModelProto sets it from metadata.quantization. */
  int8?: boolean;
}

/** ai.onnx opset and the IR version that goes with it (IR 8 introduced with opset 17). */
export const OPSET_VERSION = 17;
export const IR_VERSION = 8;


/** Builds the GraphProto; `weights` must have passed checkAcousticWeights. */
export function buildAcousticGraph(weights: AcousticModelWeights, opts: GraphOptions = {}): GraphProto {
  const { spec } = weights;
  const int8 = opts.int8 === true;
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [int64Tensor('merge_directions_shape', [3], [0, 0, -1])];

  nodes.push(node('Transpose', 'to_time_major', [INPUT_NAME], ['x_time_major'], { perm: [1, 0, 2] }));
  const x = recurrentLayerNodes(spec.cell, spec.bidirectional, spec.hidden, weights.layers, 'x_time_major', nodes, initializers, int8);
  nodes.push(...outputProjection(weights, x, initializers, int8));
  nodes.push(
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
 * Stacked recurrent layers on time-major input `x` [time, batch, dim]: per layer l an LSTM | GRU |
 * RNN node "layer{l}.{cell}" (W, R, B initializers "layer{l}.W" ...), Y [time, dirs, batch, H] ->
 * Transpose [time, batch, dirs, H] -> Reshape [time, batch, dirs*H] (forward then backward, as in
 * the Keras concat). Pushes nodes and initializers (the Reshape needs "merge_directions_shape", an
 * int64 [0, 0, -1] initializer the caller provides) and returns the top layer's output name.
 * Shared by the acoustic graph and the punctuation tagger (tagger-graph.ts).
 */
export function recurrentLayerNodes(
  cell: CellType, bidirectional: boolean, hidden: number, layers: readonly RecurrentLayerWeights[], input: string,
  nodes: NodeProto[], initializers: TensorProto[], int8 = false,
): string {
  const dirs = bidirectional ? 2 : 1;
  let x = input;
  layers.forEach((layer, l) => {
    const { W, R, B } = toOnnxRecurrentWeights(cell, layer, hidden);
    const gh = gatesOf(cell) * hidden;
    const p = `layer${l}`;
    initializers.push(
      ...(int8
        ? int8LstmInitializers(p, W, R, dirs, layer.inputSize, hidden)
        : [floatTensor(`${p}.W`, [dirs, gh, layer.inputSize], W), floatTensor(`${p}.R`, [dirs, gh, hidden], R)]),
      floatTensor(`${p}.B`, [dirs, 2 * gh], B),
    );
    const attrs: Record<string, number | string | string[]> = {
      hidden_size: hidden,
      direction: bidirectional ? 'bidirectional' : 'forward',
      activations: Array.from({ length: dirs }, () => ACTIVATIONS[cell]).flat(),
    };
    if (cell === 'gru') attrs.linear_before_reset = 0;
    nodes.push(
      int8
        ? int8LstmNode(`${p}.${cell}`, p, x, `${p}.B`, '', '', [`${p}.Y`], attrs)
        : node(OP_TYPE[cell], `${p}.${cell}`, [x, `${p}.W`, `${p}.R`, `${p}.B`], [`${p}.Y`], attrs),
      node('Transpose', `${p}.directions_last`, [`${p}.Y`], [`${p}.Y_tbdh`], { perm: [0, 2, 1, 3] }),
      node('Reshape', `${p}.merge_directions`, [`${p}.Y_tbdh`, 'merge_directions_shape'], [`${p}.out`]),
    );
    x = `${p}.out`;
  });
  return x;
}

/**
 * The output projection `x` -> "logits": MatMul + Add, or one DynamicQuantizeMatMul for int8;
 * pushes its initializers onto `initializers` and returns its nodes.
 */
export function outputProjection(weights: AcousticModelWeights, x: string, initializers: TensorProto[], int8: boolean): NodeProto[] {
  const k = (weights.spec.bidirectional ? 2 : 1) * weights.spec.hidden;
  const n = weights.spec.numUnits;
  if (int8) {
    initializers.push(...int8OutputInitializers(weights.output.kernel, weights.output.bias, k, n));
    return [int8OutputNode(x, 'logits')];
  }
  initializers.push(floatTensor('output.kernel', [k, n], weights.output.kernel), floatTensor('output.bias', [n], weights.output.bias));
  return [
    node('MatMul', 'output.matmul', [x, 'output.kernel'], ['logits_nobias']),
    node('Add', 'output.add', ['logits_nobias', 'output.bias'], ['logits']),
  ];
}

/**
 * A Hark ModelProto around the graph `build(weights)`: opset import, producer "hark", and
 * metadata_props holding JSON.stringify(metadata) under ONNX_METADATA_KEY. Throws on
 * inconsistent weights or metadata. `kind` names the graph in the doc string.
 */
export function harkModelProto(
  weights: AcousticModelWeights, metadata: ModelMetadata, build: (w: AcousticModelWeights, opts: GraphOptions) => GraphProto, kind: string,
): ModelProto {
  checkAcousticWeights(weights);
  checkMetadataMatchesWeights(metadata, weights);
  const int8 = isInt8Model(metadata);
  return {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }, ...(int8 ? [{ domain: CONTRIB_DOMAIN, version: CONTRIB_OPSET_VERSION }] : [])],
    producerName: 'hark',
    docString: `${metadata.name} ${metadata.version}: ${kind} (${metadata.architecture.cell}${int8 ? ', int8 weights' : ''})`,
    graph: build(weights, { int8 }),
    metadataProps: [{ key: ONNX_METADATA_KEY, value: JSON.stringify(metadata) }],
  };
}

/** The whole-utterance model (model.onnx). */
export function buildAcousticModel(weights: AcousticModelWeights, metadata: ModelMetadata): ModelProto {
  return harkModelProto(weights, metadata, buildAcousticGraph, 'CTC acoustic model');
}
