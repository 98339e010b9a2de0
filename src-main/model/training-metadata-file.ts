/**
 * `hark train` writes the model's metadata (features, normalization, architecture, training card)
 * under this name in its output folder before the first step, so that `hark export` can build a
 * model package from any checkpoint of a run that has not finished.
 */
export const TRAINING_METADATA_FILE = 'training-metadata.json';
