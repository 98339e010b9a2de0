/**
 * The ONNX recurrent operator of each cell type and its activations, shared by the graph writers
 * and the package checks (which must not load protobufjs: this module imports nothing that does).
 */
import type { CellType } from '../../src-shared/model/metadata.ts';

/** ONNX operator written for each cell type. */
export const OP_TYPE: Record<CellType, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };
/** Activations per direction, spelled out so the graph does not depend on operator defaults. */
export const ACTIVATIONS: Record<CellType, string[]> = {
  lstm: ['Sigmoid', 'Tanh', 'Tanh'],
  gru: ['Sigmoid', 'Tanh'],
  rnn: ['Tanh'],
};
