/**
 * The streaming acoustic graph (model.stream.onnx), opset 17: a latency-controlled BLSTM
 * (LC-BLSTM; Zhang et al. 2016, "Highway long short-term memory RNNs for distant speech
 * recognition"; Xue et al., ICASSP 2017) built from the same weights as model.onnx.
 *
 *   chunk     float32 [batch, chunkTime, inputDim]      the Nc frames to emit
 *   lookahead float32 [batch, lookaheadTime, inputDim]  the Nr frames that follow (may be 0 frames)
 *   state_h   float32 [layers, batch, hidden]           forward-direction state after the previous chunk
 *   state_c   float32 [layers, batch, hidden]           (LSTM only) cell state, likewise
 * ->
 *   logprobs     float32 [batch, chunkTime + lookaheadTime, numUnits]  rows of the chunk, then of the look-ahead
 *   next_state_h float32 [layers, batch, hidden]   forward state after the chunk's last frame (not the look-ahead's)
 *   next_state_c float32 [layers, batch, hidden]   (LSTM only)
 *
 * Per layer the forward direction runs over the chunk from state_h/state_c, its state at the
 * chunk's end becomes next_state, and it continues over the look-ahead frames from there (their
 * outputs feed the next layer's backward pass). The backward direction runs over chunk +
 * look-ahead from a zero state. Rows of the chunk are the streaming posteriors; the look-ahead
 * rows are only approximations (their backward context is cut short) except at the end of a
 * stream, where the caller may pass the last frames as look-ahead and keep every row.
 * Unidirectional models have no backward direction, so their chunk rows equal model.onnx's.
 * The int8 variant replaces each LSTM with DynamicQuantizeLSTM and the output MatMul + Add with
 * DynamicQuantizeMatMul, as in model.onnx (int8-weights.ts); the chunk and look-ahead nodes of a
 * direction share one set of int8 initializers.
 */
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import { gatesOf, type AcousticModelWeights } from './weights.ts';
import { harkModelProto, outputProjection, type GraphOptions } from './acoustic-graph.ts';
import { ACTIVATIONS, OP_TYPE } from './recurrent-ops.ts';
import { OUTPUT_NAME, STREAM_CHUNK, STREAM_LOOKAHEAD, STREAM_NEXT_STATE_C, STREAM_NEXT_STATE_H, STREAM_STATE_C, STREAM_STATE_H } from './graph-io-names.ts';
import { floatTensor, int64Tensor, node, tensorValueInfo } from './onnx-builders.ts';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto.ts';
import { toOnnxRecurrentWeights } from './onnx-recurrent-weights.ts';
import { int8LstmInitializers, int8LstmNode } from './int8-weights.ts';

const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** Builds the GraphProto; `weights` must have passed checkAcousticWeights. */
export function buildStreamingGraph(weights: AcousticModelWeights, opts: GraphOptions = {}): GraphProto {
  const { spec } = weights;
  const int8 = opts.int8 === true;
  const H = spec.hidden;
  const hasCell = spec.cell === 'lstm';
  const nodes: NodeProto[] = [];
  const init: TensorProto[] = [
    int64Tensor('axis0', [1], [0]),
    int64Tensor('squeeze_dir', [1], [1]),
    ...(spec.bidirectional ? [int64Tensor('zero', [1], [0]), int64Tensor('int64_max', [1], [INT64_MAX])] : []),
  ];
  nodes.push(
    node('Transpose', 'chunk_time_major', [STREAM_CHUNK], ['xc'], { perm: [1, 0, 2] }),
    node('Transpose', 'lookahead_time_major', [STREAM_LOOKAHEAD], ['xl'], { perm: [1, 0, 2] }),
  );
  // Number of chunk frames, to split the backward output at.
  if (spec.bidirectional) nodes.push(node('Shape', 'chunk_frames', ['xc'], ['tc'], { start: 0, end: 1 }));
  let xc = 'xc';
  let xl = 'xl';
  const nextH: string[] = [];
  const nextC: string[] = [];
  weights.layers.forEach((layer, l) => {
    const { W, R, B } = toOnnxRecurrentWeights(spec.cell, layer, H);
    const gh = gatesOf(spec.cell) * H;
    const dirs = spec.bidirectional ? 2 : 1;
    const p = `layer${l}`;
    const op = OP_TYPE[spec.cell];
    const dirAttrs = (direction: 'forward' | 'reverse'): Record<string, number | string | string[]> => ({
      hidden_size: H, direction, activations: ACTIVATIONS[spec.cell], ...(spec.cell === 'gru' ? { linear_before_reset: 0 } : {}),
    });
    // Split the exported [dirs, ...] weights into one tensor per direction.
    const perDir = (data: Float32Array, d: number): Float32Array => data.subarray((data.length / dirs) * d, (data.length / dirs) * (d + 1));
    // One direction's recurrent node: float LSTM/GRU/RNN, or DynamicQuantizeLSTM for int8.
    const recurrent = (name: string, d: 'fw' | 'bw', x: string, h0: string, c0: string, outputs: string[], attrs: Record<string, number | string | string[]>) => (int8
      ? int8LstmNode(name, `${p}.${d}`, x, `${p}.${d}.B`, h0, c0, outputs, attrs)
      : node(op, name, [x, `${p}.${d}.W`, `${p}.${d}.R`, `${p}.${d}.B`, ...(h0 ? ['', h0, ...(c0 ? [c0] : [])] : [])], outputs, attrs));
    const dirWeights = (d: 'fw' | 'bw', n: number) => [
      ...(int8
        ? int8LstmInitializers(`${p}.${d}`, perDir(W, n), perDir(R, n), 1, layer.inputSize, H)
        : [floatTensor(`${p}.${d}.W`, [1, gh, layer.inputSize], perDir(W, n)), floatTensor(`${p}.${d}.R`, [1, gh, H], perDir(R, n))]),
      floatTensor(`${p}.${d}.B`, [1, 2 * gh], perDir(B, n)),
    ];
    init.push(
      ...dirWeights('fw', 0),
      int64Tensor(`${p}.index`, [1], [l]),
      int64Tensor(`${p}.index_end`, [1], [l + 1]),
    );
    nodes.push(node('Slice', `${p}.state_h_in`, [STREAM_STATE_H, `${p}.index`, `${p}.index_end`, 'axis0'], [`${p}.h0`]));
    const stateIn = [`${p}.h0`];
    if (hasCell) {
      nodes.push(node('Slice', `${p}.state_c_in`, [STREAM_STATE_C, `${p}.index`, `${p}.index_end`, 'axis0'], [`${p}.c0`]));
      stateIn.push(`${p}.c0`);
    }
    // Forward over the chunk from the carried state; its final state is the next chunk's start.
    nodes.push(recurrent(`${p}.fw_chunk`, 'fw', xc, stateIn[0], stateIn[1] ?? '', [`${p}.fc.Y`, `${p}.fc.Yh`, ...(hasCell ? [`${p}.fc.Yc`] : [])], dirAttrs('forward')));
    nextH.push(`${p}.fc.Yh`);
    if (hasCell) nextC.push(`${p}.fc.Yc`);
    // ... and on over the look-ahead, from the chunk's final state.
    nodes.push(recurrent(`${p}.fw_lookahead`, 'fw', xl, `${p}.fc.Yh`, hasCell ? `${p}.fc.Yc` : '', [`${p}.fl.Y`], dirAttrs('forward')));
    nodes.push(
      node('Squeeze', `${p}.fc.squeeze`, [`${p}.fc.Y`, 'squeeze_dir'], [`${p}.fc.y`]),
      node('Squeeze', `${p}.fl.squeeze`, [`${p}.fl.Y`, 'squeeze_dir'], [`${p}.fl.y`]),
    );
    if (!spec.bidirectional) {
      xc = `${p}.fc.y`;
      xl = `${p}.fl.y`;
      return;
    }
    init.push(...dirWeights('bw', 1));
    // Backward over chunk + look-ahead from a zero state, split back at the chunk's end.
    nodes.push(
      node('Concat', `${p}.bw_input`, [xc, xl], [`${p}.xcl`], { axis: 0 }),
      recurrent(`${p}.bw`, 'bw', `${p}.xcl`, '', '', [`${p}.bw.Y`], dirAttrs('reverse')),
      node('Squeeze', `${p}.bw.squeeze`, [`${p}.bw.Y`, 'squeeze_dir'], [`${p}.bw.y`]),
      node('Slice', `${p}.bw_chunk`, [`${p}.bw.y`, 'zero', 'tc', 'axis0'], [`${p}.bc.y`]),
      node('Slice', `${p}.bw_lookahead`, [`${p}.bw.y`, 'tc', 'int64_max', 'axis0'], [`${p}.bl.y`]),
      node('Concat', `${p}.chunk_out`, [`${p}.fc.y`, `${p}.bc.y`], [`${p}.outc`], { axis: 2 }),
      node('Concat', `${p}.lookahead_out`, [`${p}.fl.y`, `${p}.bl.y`], [`${p}.outl`], { axis: 2 }),
    );
    xc = `${p}.outc`;
    xl = `${p}.outl`;
  });

  nodes.push(node('Concat', 'all_frames', [xc, xl], ['top'], { axis: 0 }));
  nodes.push(...outputProjection(weights, 'top', init, int8));
  nodes.push(
    node('LogSoftmax', 'log_softmax', ['logits'], ['logprobs_time_major'], { axis: -1 }),
    node('Transpose', 'to_batch_major', ['logprobs_time_major'], [OUTPUT_NAME], { perm: [1, 0, 2] }),
    node('Concat', 'next_state_h', nextH, [STREAM_NEXT_STATE_H], { axis: 0 }),
  );
  if (hasCell) nodes.push(node('Concat', 'next_state_c', nextC, [STREAM_NEXT_STATE_C], { axis: 0 }));

  const stateDims = [spec.layers, 'batch', H];
  return {
    name: 'hark_acoustic_stream',
    node: nodes,
    initializer: init,
    input: [
      tensorValueInfo(STREAM_CHUNK, DataType.FLOAT, ['batch', 'chunk_time', spec.inputDim]),
      tensorValueInfo(STREAM_LOOKAHEAD, DataType.FLOAT, ['batch', 'lookahead_time', spec.inputDim]),
      tensorValueInfo(STREAM_STATE_H, DataType.FLOAT, stateDims),
      ...(hasCell ? [tensorValueInfo(STREAM_STATE_C, DataType.FLOAT, stateDims)] : []),
    ],
    output: [
      tensorValueInfo(OUTPUT_NAME, DataType.FLOAT, ['batch', 'frames', spec.numUnits]),
      tensorValueInfo(STREAM_NEXT_STATE_H, DataType.FLOAT, stateDims),
      ...(hasCell ? [tensorValueInfo(STREAM_NEXT_STATE_C, DataType.FLOAT, stateDims)] : []),
    ],
  };
}

/** The complete streaming ModelProto, with the same metadata_props as model.onnx. */
export function buildStreamingModel(weights: AcousticModelWeights, metadata: ModelMetadata): ModelProto {
  return harkModelProto(weights, metadata, buildStreamingGraph, 'streaming (LC-BLSTM) CTC acoustic model');
}
