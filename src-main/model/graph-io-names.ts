/**
 * Input and output names of a package's two graphs: the contract between the exporter
 * (acoustic-graph.ts, streaming-graph.ts) and the sessions that feed them (src-main/engine), kept
 * apart from the graph builders so that recognition never loads protobufjs.
 */

/** The whole-utterance graph (model.onnx): features [batch, time, inputDim] -> logprobs [batch, time, units]. */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'logprobs';

/** The streaming graph (model.stream.onnx); its output is OUTPUT_NAME too. */
export const STREAM_CHUNK = 'chunk';
export const STREAM_LOOKAHEAD = 'lookahead';
export const STREAM_STATE_H = 'state_h';
export const STREAM_STATE_C = 'state_c';
export const STREAM_NEXT_STATE_H = 'next_state_h';
export const STREAM_NEXT_STATE_C = 'next_state_c';
