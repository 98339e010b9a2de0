import type { FeatureConfig, Normalization } from '../features/config.ts';

/** Bumped whenever the model package or graph I/O contract changes incompatibly. */
export const MODEL_FORMAT_VERSION = 1;

/** ONNX metadata_props key holding the JSON-encoded ModelMetadata. */
export const ONNX_METADATA_KEY = 'hark.metadata';

export type CellType = 'lstm' | 'gru' | 'rnn';

/** Shape of the acoustic network: stacked recurrent layers, then a linear layer and log-softmax. */
export interface ArchitectureSpec {
  cell: CellType;
  bidirectional: boolean;
  layers: number;
  /** Hidden units per direction. */
  hidden: number;
  /** Model input frame dimension (after stacking). */
  inputDim: number;
  /** Output classes, blank included (= units.length). */
  numUnits: number;
}

/** Decoding choices measured for this model (and written by the tool that measured them). */
export interface DecodingChoices {
  /**
   * Whether test-time VTLN (src-main/engine/vtln.ts) lowers this model's error rate: `hark adapt`
   * sets it from the greedy phoneme error rate on its real validation clips with and without it.
   * Absent = true, as for packages made before the choice was measured. An explicit recognizer
   * option (`vtln`, `--vtln`, `--no-vtln`) overrides it.
   */
  testTimeVtln?: boolean;
}

/**
 * Everything needed to use a model, stored in model.json and in the ONNX file's metadata.
 * Graph contract (model.onnx): input "features" float32 [batch, time, inputDim] (normalized,
 * stacked model frames); output "logprobs" float32 [batch, time, numUnits] (log-softmax over units).
 */
export interface ModelMetadata {
  formatVersion: number;
  name: string;
  version: string;
  createdAt: string;
  units: string[];
  features: FeatureConfig;
  normalization: Normalization;
  architecture: ArchitectureSpec;
  /** Streaming graph chunk size and look-ahead in model frames (LC-BLSTM Nc and Nr). */
  streaming?: { chunkFrames: number; lookaheadFrames: number };
  /** Measured decoding choices; absent fields keep the recognizers' defaults. */
  decoding?: DecodingChoices;
  /** Free-form training card: voices, hours, augmentation, epochs, time. */
  training?: Record<string, unknown>;
  /** Measured accuracy figures. */
  metrics?: Record<string, unknown>;
}
