import type { TaggerArchitecture } from '../../src-shared/model/tagger-metadata.ts';
import type { RecurrentLayerWeights } from './weights.ts';

/**
 * Trained punctuation/case tagger weights as plain arrays: the contract between the tfjs trainer
 * (src-main/train/tagger-model.ts) and the ONNX exporter (./tagger-graph.ts). Recurrent layers use
 * the acoustic model's layout (weights.ts), always bidirectional; layer 0 reads the embedding
 * followed by the TAGGER_FEATURES of each word.
 */
export interface TaggerWeights {
  arch: TaggerArchitecture;
  /** [vocabularySize, embeddingDim] row-major; row 0 is <unk>. */
  embedding: Float32Array;
  vocabularySize: number;
  /** Extra inputs per word (TAGGER_FEATURES.length). */
  featureDim: number;
  layers: RecurrentLayerWeights[];
  /** Heads on the top layer's [forward, backward] output: kernel [2 * hidden, labels], bias [labels]. */
  caseHead: { kernel: Float32Array; bias: Float32Array };
  punctHead: { kernel: Float32Array; bias: Float32Array };
}
