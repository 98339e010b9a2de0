/**
 * Consistency of ModelMetadata with the weights it is exported with: the metadata is the
 * runtime's only description of the graph, so a mismatch is refused at export time.
 */
import { baseDim, modelInputDim } from '../../src-shared/features/config.ts';
import { isInt8Model, MODEL_FORMAT_VERSION, quantizationProblem, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { AcousticModelWeights } from './weights.ts';

/** Throws an Error naming the metadata field that disagrees with `weights` or with itself. */
export function checkMetadataMatchesWeights(metadata: ModelMetadata, weights: AcousticModelWeights): void {
  if (metadata.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new Error(`metadata.formatVersion: ${metadata.formatVersion}, this exporter writes ${MODEL_FORMAT_VERSION}`);
  }
  const arch = metadata.architecture;
  for (const key of ['cell', 'bidirectional', 'layers', 'hidden', 'inputDim', 'numUnits'] as const) {
    if (arch[key] !== weights.spec[key]) {
      throw new Error(`metadata.architecture.${key}: ${String(arch[key])}, but the weights have ${String(weights.spec[key])}`);
    }
  }
  if (metadata.units.length !== arch.numUnits) {
    throw new Error(`metadata.units: ${metadata.units.length} units, architecture.numUnits is ${arch.numUnits}`);
  }
  const inputDim = modelInputDim(metadata.features);
  if (inputDim !== arch.inputDim) {
    throw new Error(`metadata.features: front-end produces ${inputDim}-dim frames, architecture.inputDim is ${arch.inputDim}`);
  }
  if (metadata.quantization !== undefined) {
    const problem = quantizationProblem(metadata.quantization);
    if (problem !== null) throw new Error(`metadata.${problem.replace(/^"quantization"/, 'quantization')}`);
    if (isInt8Model(metadata) && arch.cell !== 'lstm') {
      throw new Error(`metadata.quantization: int8 export supports LSTM models only (onnxruntime has no dynamically quantized ${arch.cell.toUpperCase()}), this one is ${arch.cell}`);
    }
  }
  const dim = baseDim(metadata.features);
  const { mean, std } = metadata.normalization;
  if (mean.length !== dim || std.length !== dim) {
    throw new Error(`metadata.normalization: mean/std lengths ${mean.length}/${std.length}, expected ${dim}`);
  }
}
