/**
 * A tiny training set for trainer tests: each text said by each voice (real synthesizers), its
 * features through the real front end with a normalization fitted on these clips, and a batch
 * source over fixed batches.
 */
import { DEFAULT_FEATURE_CONFIG, NormalizationAccumulator, baseDim, computeBaseFeatures, modelInputDim, type FeatureConfig, type Normalization } from '../../src-shared/features/index.ts';
import { Lexicon } from '../../src-main/lexicon/lexicon.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import type { Rng } from '../../src-main/train/data/rng.ts';
import { buildFeatures } from '../../src-main/train/example-builder.ts';
import { packBatch, type Example } from '../../src-main/train/batch.ts';
import { textToUnitIds } from '../../src-main/train/text-labels.ts';
import type { BatchSource } from '../../src-main/train/trainer.ts';

export interface SynthExamples {
  features: FeatureConfig;
  normalization: Normalization;
  inputDim: number;
  examples: Example[];
}

/** `texts` x `voices` (text-major), unaugmented, drawing the synthesizers' randomness from `rng`. */
export async function synthExamples(texts: readonly string[], voices: readonly string[], rng: Rng): Promise<SynthExamples> {
  const lexicon = new Lexicon();
  const features = { ...DEFAULT_FEATURE_CONFIG };
  const clips: { pcm: Float32Array; labels: number[] }[] = [];
  for (const t of texts) for (const v of voices) clips.push({ pcm: await synthesize(t, v, rng.fork()), labels: textToUnitIds(t, lexicon) });
  const acc = new NormalizationAccumulator(baseDim(features));
  for (const c of clips) acc.add(computeBaseFeatures(c.pcm, features));
  const normalization = acc.result();
  const examples = clips.map((c) => {
    const m = buildFeatures(c.pcm, { features, normalization, augment: false, specAugment: false }, rng);
    return { features: m.data, frames: m.frames, labels: c.labels };
  });
  return { features, normalization, inputDim: modelInputDim(features), examples };
}

/** A source that yields `groups` packed as batches, the same every epoch (resuming skips the first ones). */
export function fixedBatches(groups: readonly Example[][], inputDim: number): BatchSource {
  const batches = groups.map((b) => packBatch(b, inputDim));
  return {
    batchesPerEpoch: () => batches.length,
    async *batches(_epoch, skip) { for (let i = skip; i < batches.length; i++) yield batches[i]; },
  };
}
