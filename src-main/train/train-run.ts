/**
 * `hark train` end to end: synthesize (or reuse) the corpora, label them through the lexicon,
 * estimate normalization statistics, train with the data worker, evaluate on held-out voices
 * each epoch, and export the model package (model.onnx + model.json) with its training card.
 */
import { join, resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { TRAINING_METADATA_FILE } from '../model/training-metadata-file.ts';
import { cpus } from 'node:os';
import { DEFAULT_FEATURE_CONFIG, computeBaseFeatures, modelFrameSec, modelInputDim, normalizationForConfig, validateFeatureConfig, withCmnWindow, type FeatureConfig, type FeatureMatrix } from '../../src-shared/features/index.ts';
import { MODEL_FORMAT_VERSION, type ArchitectureSpec, type CellType, type ModelMetadata } from '../../src-shared/model/metadata.ts';
import { UNITS } from '../../src-shared/units/phonemes.ts';
import { decodeAudioFile } from '../audio/index.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { exportOnnxModel } from '../model/write-model.ts';
import { readManifest, synthesizeCorpus, type ClipRecord } from './corpus-synthesis.ts';
import { augment } from './data/augment/augment.ts';
import { createRng } from './data/rng.ts';
import { DEFAULT_AUGMENT_OPTIONS } from './data/augment/augment.ts';
import { HELDOUT_VOICES } from './data/synth/index.ts';
import { EpochData } from './epoch-data.ts';
import { buildFeatures } from './example-builder.ts';
import { phonemeErrorRate, wordErrorRate, type LabeledFeatures } from './evaluate-model.ts';
import { loadDictation } from '../decode/dictation-lm.ts';
import { ctcPrefixBeamSearch } from '../decode/ctc-prefix-beam-search.ts';
import { createDictationDecoder } from '../decode/word-decoders.ts';
import { DEFAULT_LM_PATH } from '../model/package-paths.ts';
import { heldoutCorpusPlan, trainCorpusPlan, TRAIN_FAMILY_WEIGHTS } from './recipe.ts';
import { initTrainingBackend } from './tf-backend.ts';
import { textToUnitIds } from './text-labels.ts';
import { sittingConfig, train, type EpochReport, type StepReport } from './trainer.ts';
import type { AcousticModel } from './acoustic-model.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export interface TrainRunOptions {
  out: string;
  dataDir: string;
  clips: number;
  heldoutClips: number;
  cell: CellType;
  bidirectional: boolean;
  layers: number;
  hidden: number;
  epochs: number;
  learningRate: number;
  lrDecay: number;
  clipNorm: number;
  maxBatchFrames: number;
  seed: number;
  timeBudgetMin?: number;
  /** Stops the run after the current step, checkpointed: runTraining rejects with an AbortError (trainer.ts). */
  signal?: AbortSignal;
  /** Gradient worker threads besides the main thread (trainer.ts); 0 or absent: one thread. */
  gradientWorkers?: number;
  /** Dropout rate between the recurrent layers during training (trainer.ts; 0 or absent: none). */
  dropout?: number;
  /** Evaluate on this many held-out clips after each epoch. */
  evalClips: number;
  /** Sliding-window CMN over this many analysis frames (FeatureConfig.cmn); 0 or absent = off. */
  cmnWindow?: number;
  name: string;
  log?: (line: string) => void;
  progress?: (r: StepReport) => void;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainRunOptions, 'out'> = {
  dataDir: 'data', clips: 12000, heldoutClips: 600, cell: 'lstm', bidirectional: true, layers: 3, hidden: 192,
  epochs: 8, learningRate: 1.5e-3, lrDecay: 0.8, clipNorm: 5, maxBatchFrames: 4000, seed: 1, evalClips: 60, name: 'hark-en',
};

async function ensureCorpus(dir: string, plan: ReturnType<typeof trainCorpusPlan>, log: (s: string) => void): Promise<ClipRecord[]> {
  const have = await readManifest(dir);
  if (have.length >= plan.texts.length) return have.slice(0, plan.texts.length);
  log(`synthesizing ${plan.texts.length} utterances into ${dir} (${have.length} already there)`);
  let last = 0;
  return synthesizeCorpus({ dir, ...plan, onProgress: (d, t, s) => {
    if (performance.now() - last > 15000 || d === t) { last = performance.now(); log(`  synthesized ${d}/${t} (${(s / 3600).toFixed(2)} h)`); }
  } });
}

export async function runTraining(o: TrainRunOptions): Promise<{ model: AcousticModel; metadata: ModelMetadata; history: EpochReport[] }> {
  const t0 = performance.now();
  const baseLog = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const log = (s: string) => baseLog(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${s}`);
  const backend = await initTrainingBackend();
  log(`tfjs backend: ${backend}`);
  const trainDir = resolve(o.dataDir, 'train'), heldDir = resolve(o.dataDir, 'heldout');
  const trainRecs = await ensureCorpus(trainDir, trainCorpusPlan(o.clips, o.seed), log);
  const heldRecs = await ensureCorpus(heldDir, heldoutCorpusPlan(o.heldoutClips), log);
  const lexicon = new Lexicon();
  const features: FeatureConfig = withCmnWindow(DEFAULT_FEATURE_CONFIG, o.cmnWindow ?? 0);
  validateFeatureConfig(features);

  // Normalization statistics over augmented training audio (what the model will see; CMN'd when features.cmn).
  const statBases: FeatureMatrix[] = [];
  const statRng = createRng(o.seed + 17);
  for (const r of trainRecs.slice(0, 400)) {
    const pcm = (await decodeAudioFile(join(trainDir, r.file))).samples;
    statBases.push(computeBaseFeatures(augment(pcm, statRng), features));
  }
  const normalization = normalizationForConfig(statBases, features);
  log(`normalization statistics from ${statBases.reduce((s, b) => s + b.frames, 0)} frames${features.cmn ? ` (CMN window ${features.cmn.windowFrames} frames)` : ''}`);
  statBases.length = 0;

  const arch: ArchitectureSpec = { cell: o.cell, bidirectional: o.bidirectional, layers: o.layers, hidden: o.hidden, inputDim: modelInputDim(features), numUnits: UNITS.length };
  const clips = trainRecs.map((r) => ({ path: join(trainDir, r.file), labels: textToUnitIds(r.text, lexicon) }));
  const data = new EpochData(clips, { features, normalization, augment: true, specAugment: true }, arch.inputDim, o.maxBatchFrames, o.seed, log);

  // Held-out evaluation set: clean and augmented copies of held-out voices' clips.
  const evalSet: LabeledFeatures[] = [];
  const evalRng = createRng(o.seed + 99);
  for (const r of heldRecs.slice(0, o.evalClips)) {
    const pcm = (await decodeAudioFile(join(heldDir, r.file))).samples;
    const labels = textToUnitIds(r.text, lexicon);
    const fam = r.voice.split(':')[0];
    evalSet.push({ features: buildFeatures(pcm, { features, normalization, augment: false, specAugment: false }, evalRng), labels, group: `clean/${fam}`, text: r.text });
    evalSet.push({ features: buildFeatures(pcm, { features, normalization, augment: true, specAugment: false }, evalRng), labels, group: `augmented/${fam}` });
  }

  const cleanClips = evalSet.filter((c) => c.group.startsWith('clean'));
  const augmentedClips = evalSet.filter((c) => c.group.startsWith('augmented'));
  const evaluate = (model: AcousticModel) => ({
    heldoutPerClean: phonemeErrorRate(model, cleanClips).per,
    heldoutPerAugmented: phonemeErrorRate(model, augmentedClips).per,
  });
  const audioHours = trainRecs.reduce((s, r) => s + r.samples, 0) / SAMPLE_RATE / 3600;
  const recipe = `hark train --out ${o.out} --clips ${o.clips} --cell ${o.cell} --layers ${o.layers} --hidden ${o.hidden} --epochs ${o.epochs}${o.bidirectional ? '' : ' --unidirectional'}${features.cmn ? ` --cmn-window ${features.cmn.windowFrames}` : ''} --seed ${o.seed}${o.timeBudgetMin !== undefined ? ` --time-budget ${o.timeBudgetMin}` : ''}`;
  const baseMetadata: ModelMetadata = {
    formatVersion: MODEL_FORMAT_VERSION, name: o.name, version: new Date().toISOString().slice(0, 10), createdAt: new Date().toISOString(),
    units: [...UNITS], features, normalization, architecture: arch, streaming: { chunkFrames: 16, lookaheadFrames: 8 },
    training: { recipe, backend, clips: trainRecs.length, audioHours: Number(audioHours.toFixed(3)), familyWeights: TRAIN_FAMILY_WEIGHTS, heldoutVoices: HELDOUT_VOICES, augmentation: DEFAULT_AUGMENT_OPTIONS.prob, ...(o.dropout ? { dropout: o.dropout } : {}) },
  };
  await mkdir(o.out, { recursive: true });
  await writeFile(join(o.out, TRAINING_METADATA_FILE), JSON.stringify(baseMetadata, null, 2) + '\n');
  log(`training ${arch.cell} ${arch.bidirectional ? 'bi' : 'uni'} ${arch.layers}x${arch.hidden} on ${trainRecs.length} clips (${audioHours.toFixed(2)} h), ${cpus().length} cores, ${1 + (o.gradientWorkers ?? 0)} gradient thread(s)`);
  const start = Date.now();
  let result;
  try {
    result = await train({
      arch, epochs: o.epochs, learningRate: o.learningRate, lrDecay: o.lrDecay, clipNorm: o.clipNorm, seed: o.seed, gradientWorkers: o.gradientWorkers, dropout: o.dropout,
      ...sittingConfig(o.out, o.timeBudgetMin, o.signal),
    }, data, {
      onStep: o.progress,
      onEpoch: async (r, model) => {
        const clean = phonemeErrorRate(model, cleanClips);
        const aug = phonemeErrorRate(model, augmentedClips);
        log(`epoch ${r.epoch + 1}: loss ${r.meanLoss.toFixed(3)}, ${r.framesPerSec.toFixed(0)} frames/s, held-out PER clean ${(100 * clean.per).toFixed(1)}% augmented ${(100 * aug.per).toFixed(1)}% ${JSON.stringify(clean.byGroup)}`);
        return { heldoutPerClean: clean.per, heldoutPerAugmented: aug.per };
      },
    });
  } finally {
    // Also when cancelled or failed: the data worker would keep the process alive.
    await data.close();
  }
  // A run stopped by its time budget ends inside an epoch: evaluate the weights it ends with.
  const final = result.stoppedEarly || result.history.length === 0 ? evaluate(result.model) : result.history[result.history.length - 1];
  // Word error rate through the dictation decoder (shipped LM and its vocabulary lexicon).
  const shipped = loadDictation(DEFAULT_LM_PATH, () => lexicon);
  const dictation = createDictationDecoder(shipped.lm, shipped.lexicon);
  const frameSec = modelFrameSec(features);
  const heldoutWerDictation = wordErrorRate(result.model, cleanClips, (lp, T, U) => ctcPrefixBeamSearch(lp, T, U, frameSec, dictation).text);
  log(`final held-out PER clean ${(100 * final.heldoutPerClean).toFixed(1)}%, augmented ${(100 * final.heldoutPerAugmented).toFixed(1)}%; dictation WER ${(100 * heldoutWerDictation).toFixed(1)}%`);
  const metadata: ModelMetadata = {
    ...baseMetadata,
    createdAt: new Date().toISOString(),
    training: {
      ...baseMetadata.training,
      epochsCompleted: result.history.length, steps: result.steps,
      trainingMinutes: Number(((Date.now() - start) / 60000).toFixed(1)), parameters: result.model.parameterCount(),
      history: result.history,
    },
    metrics: { heldoutPerClean: final.heldoutPerClean, heldoutPerAugmented: final.heldoutPerAugmented, heldoutWerDictation, evalClips: evalSet.length / 2 },
  };
  await exportOnnxModel(result.model.getWeights(), metadata, o.out);
  log(`model written to ${o.out}`);
  return { model: result.model, metadata, history: result.history };
}
