/**
 * Consistency of ModelMetadata with the weights it is exported with: the metadata is the
 * runtime's only description of the graph, so a mismatch is refused at export time.
 */
import { baseDim, modelInputDim } from '../../src-shared/features/config.ts';
import { MODEL_FORMAT_VERSION, type ModelMetadata } from '../../src-shared/model/metadata.ts';
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
  const dim = baseDim(metadata.features);
  const { mean, std } = metadata.normalization;
  if (mean.length !== dim || std.length !== dim) {
    throw new Error(`metadata.normalization: mean/std lengths ${mean.length}/${std.length}, expected ${dim}`);
  }
}
