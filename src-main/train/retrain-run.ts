/**
 * Fine-tuning an installed model package on the user's new words or phrases (the
 * evaluation before/after and the installation as a new version come in the layer above).
 *
 * package (model.onnx weights, its features and normalization, kept as they are) + texts that
 * use each item (carrier sentences, spoken by the training voices with on-the-fly augmentation) +
 * a replay sample of the original kind of training text (so nothing else is forgotten)
 * -> a few epochs of training from the package's weights, checkpointed in the job folder (a
 * second run with the same folder resumes) -> a new package in `<job>/model/`.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readAcousticWeights } from '../model/read-onnx-weights.ts';
import { exportOnnxModel } from '../model/write-model.ts';
import { loadModelPackage } from '../model/model-package.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import type { UserWord } from '../lexicon/user-vocabulary.ts';
import type { ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { SoundTokenSpec } from '../../src-shared/retrain/retrain-types.ts';
import { AcousticModel } from './acoustic-model.ts';
import { ANCHOR_IMPORTANCE_FILE, anchorVariableSizes, readAnchorImportance, type AnchorImportance } from './anchor-importance.ts';
import { weightArrays, type AcousticModelWeights } from '../model/weights.ts';
import { readManifest, synthesizeCorpus, voicePicker, type ClipRecord } from './corpus-synthesis.ts';
import { TRAIN_VOICES } from './data/synth/index.ts';
import { createRng } from './data/rng.ts';
import { EpochData } from './epoch-data.ts';
import { TRAIN_FAMILY_WEIGHTS } from './recipe.ts';
import { brownSentencePart, buildTextCorpus, type TextMix } from './data/text-corpus.ts';
import { textToUnitIds } from './text-labels.ts';
import { realReplayClips, type RealReplaySpec } from './real-replay.ts';
import { initTrainingBackend } from './tf-backend.ts';
import { abortError, train, type StepReport } from './trainer.ts';
import { expandOutputUnits, expandUnitList, fitSoundUnitColumns } from './sound-unit-training.ts';
import { readFile } from 'node:fs/promises';
import { decodeAudioBuffer } from '../audio/index.ts';
import { computeFeatures } from '../../src-shared/features/compute-features.ts';
import { isSoundUnit, soundUnit } from '../../src-shared/units/sound-units.ts';

export interface RetrainOptions {
  /** The package to start from. */
  modelDir: string;
  /** New words or phrases (lower-case words). */
  items: readonly string[];
  /** Non-speech sounds to teach as units of their own (their recordings have item `<sound:NAME>`). */
  sounds?: readonly SoundTokenSpec[];
  /** Their pronunciations (the user vocabulary); others come from CMUdict or G2P. */
  userWords?: readonly UserWord[];
  /** Job folder: data/, checkpoint/, model/. Reusing it resumes. */
  workDir: string;
  /** Synthesized utterances per item. */
  examplesPerItem: number;
  /** Utterances of the original kind of training text, mixed in. */
  replayClips: number;
  /**
   * Real utterances mixed in as well (real-replay.ts: a real set's train clips outside its validation
   * slice, speaker-balanced); absent: synthesized replay only.
   */
  realReplay?: RealReplaySpec;
  epochs: number;
  learningRate: number;
  maxBatchFrames: number;
  seed: number;
  /** L2-SP pull towards the package's weights (0: none); see TrainerConfig.anchor. */
  anchorStrength?: number;
  /** The pull on the top recurrent layer and the output layer (undefined: anchorStrength); used when anchorStrength > 0. */
  topAnchorStrength?: number;
  /**
   * Weigh the anchor weight by weight with the package's anchor-importance.bin when it has one
   * (anchor-importance.ts: how much real voices rely on each weight); default true. false: every
   * weight is pulled alike.
   */
  anchorImportance?: boolean;
  /**
   * With the weighting: each weight's pull is strength x (share + (1 - share) x importance), so
   * every weight keeps `share` of the uniform pull (importance has mean 1). 0: the importance alone.
   */
  anchorUniformShare?: number;
  /** Share of an item's examples that place it inside a training sentence (see retrainTexts). */
  contextShare?: number;
  /** Lowest recurrent layers kept as they are (0: fine-tune all); see TrainerConfig.freezeLayers. */
  freezeLayers?: number;
  /**
   * The user's recordings (16 kHz WAV files) of items: `item` is one of `items`. Each is used
   * `recordingRepeats` times per epoch, freshly augmented each time.
   */
  recordings?: readonly { item: string; file: string }[];
  recordingRepeats?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  progress?: (r: StepReport) => void;
  /** Corpus synthesis progress (utterances done of total). */
  synthProgress?: (done: number, total: number) => void;
}

/**
 * anchorStrength 10 (session 14; docs/DEVELOPERS.md, "Retraining and real voices"): retraining
 * 2026-12-07b at strength 1 taught the ten benchmark words (85.0% -> 98.8%) but cost real speech 5.4
 * points of greedy PER on the validation slice of the real set's train speakers (28.5% -> 33.9%) and
 * digit strings 4.2 WER points; at 10: 97.5%, 31.2%, 0.4 points; at 30 and 100 the words reached only
 * 92.5% and 88.8%; strength 100 with 10 on the top layer and the output, 97.5% and 31.6%. Session 15: at
 * 15, 95.0% and 30.8%; weighed by real speech's Fisher importance (anchorImportance, a package's
 * anchor-importance.bin), strength 3 gave 96.3% and 30.7%, 10 gave 91.3% and 29.7%: the same trade-off
 * as the uniform pull, so no package ships the file.
 * Before that, chosen by the trials recorded in docs/DEVELOPERS.md (bench/retrain.bench.ts --options): the L2
 * pull towards the original weights (anchorStrength 1) is what keeps digits, dictation and the
 * ordinary commands where they were; freezing the lower layers instead cost dictation 5 to 14 WER
 * points; a higher learning rate and 60 examples per item make up the new-word accuracy, and 600
 * replay clips (not 400) keep the digit strings from drifting. Those trials were on the synthesized-only
 * 2026-11-22 model. The models adapted to real voices train at learning rates of 1.5e-4 and below;
 * retraining 2026-12-06d at 5e-4 taught the ten benchmark words as well (82.5% -> 98.8%) but forgot:
 * held-out phrases 96.1% -> 93.8%, digit WER 3.4% -> 8.5%, dictation WER 61.2% -> 70.4%. At 1.5e-4,
 * its adaptation rate (one trial, 2026-12-06, on the benchmark's held-out voices): 98.8%, and 95.3%,
 * 7.2%, 63.4% (`git show 0763423:bench/results/retrain.json`; docs/DEVELOPERS.md).
 */
export const DEFAULT_RETRAIN_OPTIONS = {
  examplesPerItem: 60, replayClips: 600, epochs: 3, learningRate: 1.5e-4, maxBatchFrames: 4000, seed: 7,
  anchorStrength: 10, freezeLayers: 0, recordingRepeats: 4, contextShare: 0.4,
};

/**
 * Padded frames per batch for a network of `layers` recurrent layers `hidden` units wide, from
 * `frames`, the figure for 3 x 192 (DEFAULT_RETRAIN_OPTIONS.maxBatchFrames): a training step's
 * memory grows with the square of the width and with the depth, and tfjs WASM's heap is bounded
 * (4 GB): retraining the 3 x 256 model (2026-12-06c) on one thread with 4,000 frames aborted at its
 * third step (XNNPACK out of memory). With gradient workers (gradientWorkersForNetwork) each computes
 * half a batch of the scaled size, about what `hark adapt` trains such networks with (3 x 256: 2,400;
 * 4 x 256: 1,800).
 */
export function batchFramesForNetwork(frames: number, spec: { hidden: number; layers: number }): number {
  const scale = Math.min(1, (192 / spec.hidden) ** 2 * (3 / spec.layers));
  return Math.floor(frames * scale);
}

/**
 * Where a network computes its gradients. A tfjs WASM heap only grows, and a network larger than
 * 3 x 192 fills its 4 GB on one thread (retraining 2026-12-06c, 3 x 256, there with batches of 2,250
 * frames aborted at step 15 with XNNPACK out of memory; with 632, the heap still climbed to 4.08 GB
 * in 130 steps): then two gradient worker threads compute every shard and one that aborts is
 * replaced and its shard computed again (gradient-pool.ts), as `hark adapt --workers-only` trains
 * it; the main thread only combines the shards and steps the optimizer. Smaller networks train on
 * the main thread as before.
 */
export function gradientWorkersForNetwork(spec: { hidden: number; layers: number }): { gradientWorkers?: number; mainThreadShard?: boolean } {
  return spec.hidden > 192 || spec.layers > 3 ? { gradientWorkers: 2, mainThreadShard: false } : {};
}

/** The tunable part of RetrainOptions. */
export type RetrainTuning = typeof DEFAULT_RETRAIN_OPTIONS;

const CARRIERS = ['{}', '{} please', 'please {}', 'open {}', 'call {}', 'the {} is ready', 'send it to {}', 'where is {}', 'i like {}', '{} now'];

/**
 * Utterances that use each item, deterministically: the item alone twice, then carrier phrases and
 * (a `contextShare` of them) the item placed at a word boundary of a training sentence, so that the new words
 * are also heard inside long utterances and fine-tuning does not teach the model that every
 * utterance is short (which costs dictation accuracy).
 */
export function retrainTexts(items: readonly string[], perItem: number, seed: number, contextShare = DEFAULT_RETRAIN_OPTIONS.contextShare): string[] {
  const rng = createRng(seed);
  const sentences = brownSentencePart('train').filter((s) => s.split(' ').length <= 18);
  const out: string[] = [];
  for (const item of items) {
    const clean = item.toLowerCase().replace(/[^a-z' ]+/g, ' ').trim().replace(/\s+/g, ' ');
    if (!clean) throw new Error(`retrain: "${item}" has no words to synthesize`);
    for (let i = 0; i < perItem; i++) {
      if (i < 2) out.push(clean);
      else if (rng.next() < contextShare) {
        const words = rng.pick(sentences).split(' ');
        const at = Math.floor(rng.next() * (words.length + 1));
        out.push([...words.slice(0, at), clean, ...words.slice(at)].join(' '));
      } else out.push(rng.pick(CARRIERS).replace('{}', clean));
    }
  }
  return out;
}

/** The replay sample's text mix: more sentences than the original training mix, whose long utterances the short new-item examples would otherwise crowd out. */
export const REPLAY_TEXT_MIX: TextMix = { commands: 0.2, digits: 0.15, numbers: 0.1, sentences: 0.55 };

/** "1.0" or "1.0+r202611220715" -> "1.0+r<now as yyyymmddhhmmss>": versions of one base stay short and sort by time. */
export function retrainedVersion(base: string, now: Date): string {
  return `${base.split('+')[0]}+r${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
}

/**
 * The L2-SP anchor: the package's weights, in the (possibly expanded) model's variable order; the
 * output columns of units the package lacked are masked out (anchored to nothing).
 */
function anchorFor(model: AcousticModel, pkgWeights: AcousticModelWeights, numUnits: number, strength: number, topStrength: number, importance: AnchorImportance | null, uniformShare: number) {
  const vars = model.variables();
  const ov = weightArrays(pkgWeights);
  const oldU = pkgWeights.spec.numUnits;
  const weights: Float32Array[] = [];
  const masks: (Float32Array | null)[] = [];
  vars.forEach((v, i) => {
    const o = ov[i];
    const imp = importance?.values[i].map((x) => uniformShare + (1 - uniformShare) * x);
    if (o.length === v.size) { weights.push(o); masks.push(imp ? Float32Array.from(imp) : null); return; }
    // The output kernel [D, numUnits] or bias [numUnits]: old columns copied, new ones free.
    const rows = v.size / numUnits;
    const w = new Float32Array(v.size), m = new Float32Array(v.size);
    for (let r = 0; r < rows; r++) for (let u = 0; u < oldU; u++) { w[r * numUnits + u] = o[r * oldU + u]; m[r * numUnits + u] = imp ? imp[r * oldU + u] : 1; }
    weights.push(w);
    masks.push(m);
  });
  // model.variables() order: each recurrent layer's directions (kernel, recurrent, bias), then the
  // output kernel and bias; the top recurrent layer and the output take topStrength.
  const directions = pkgWeights.spec.bidirectional ? 2 : 1;
  const top = vars.length - 2 - 3 * directions;
  const scales = vars.map((_, i) => (i >= top ? topStrength / strength : 1));
  return { weights, strength, masks, scales };
}

export interface RetrainResult {
  outDir: string;
  metadata: ModelMetadata;
  /** The fine-tuned weights (to export again with more metadata, e.g. evaluation figures). */
  weights: AcousticModelWeights;
  steps: number;
  clips: number;
}

export async function runRetraining(o: RetrainOptions): Promise<RetrainResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  log(`tfjs backend: ${await initTrainingBackend()}`);
  const pkg = await loadModelPackage(resolve(o.modelDir));
  // An int8 package (hark export --int8) is fine-tuned from its dequantized weights (within half a
  // quantization step of its float reference) and written as int8 again (metadata.quantization kept).
  const int8 = pkg.metadata.quantization?.weights === 'int8';
  const anchorWeights = readAcousticWeights(pkg.onnx, { dequantize: int8 });
  const anchorStrength = o.anchorStrength ?? 0, topAnchorStrength = o.topAnchorStrength ?? anchorStrength;
  const uniformShare = o.anchorUniformShare ?? 0;
  if (!(uniformShare >= 0 && uniformShare <= 1)) throw new Error(`anchorUniformShare must be between 0 and 1, got ${uniformShare}`);
  // Read before anything is synthesized or trained, so that a damaged or mismatched file stops the job at once.
  const importance = anchorStrength > 0 && o.anchorImportance !== false ? await readAnchorImportance(pkg.dir, anchorVariableSizes(anchorWeights)) : null;
  if (importance) log(`anchor weighed by ${ANCHOR_IMPORTANCE_FILE} (${importance.model}, ${importance.clips} real utterances)`);
  const dataDir = join(o.workDir, 'data');
  const texts = [...retrainTexts(o.items, o.examplesPerItem, o.seed, o.contextShare), ...buildTextCorpus({ seed: o.seed, count: o.replayClips, mix: REPLAY_TEXT_MIX })];
  const have = await readManifest(dataDir);
  let recs: ClipRecord[] = have;
  if (have.length < texts.length) {
    log(`synthesizing ${texts.length} utterances (${have.length} already there)`);
    recs = await synthesizeCorpus({
      dir: dataDir, texts, pickVoice: voicePicker(TRAIN_VOICES, TRAIN_FAMILY_WEIGHTS), seed: o.seed, prefix: 'r',
      onProgress: (done, total) => {
        o.synthProgress?.(done, total);
        if (o.signal?.aborted) throw abortError();
      },
    });
  }
  if (o.signal?.aborted) throw abortError();
  recs = recs.slice(0, texts.length);
  const lexicon = new Lexicon();
  for (const w of o.userWords ?? []) lexicon.add(w.word, w.pronunciations);
  // Sounds not yet in the model become new output units (the phoneme columns are kept as they are).
  const newSounds = (o.sounds ?? []).map((x) => soundUnit(x.name)).filter((u) => !pkg.metadata.units.includes(u));
  const units = newSounds.length ? expandUnitList(pkg.metadata.units, newSounds) : [...pkg.metadata.units];
  // The same arrays as the anchor's: nothing writes into them (setWeights and expandOutputUnits copy).
  let weights0 = anchorWeights;
  let arch = pkg.architecture;
  if (newSounds.length) ({ weights: weights0, arch } = expandOutputUnits(weights0, arch, newSounds, { units: pkg.metadata.units, seed: o.seed }));
  const clips = recs.map((r) => ({ path: join(dataDir, r.file), labels: textToUnitIds(r.text, lexicon, units) }));
  const realReplay = o.realReplay?.clips ? await realReplayClips(o.realReplay, o.seed, lexicon, units) : [];
  if (realReplay.length) {
    clips.push(...realReplay);
    log(`replaying ${realReplay.length} real utterances from ${o.realReplay!.dir}`);
  }
  const known = new Set([...o.items, ...(o.sounds ?? []).map((x) => soundUnit(x.name))]);
  const repeats = o.recordingRepeats ?? DEFAULT_RETRAIN_OPTIONS.recordingRepeats;
  const perItem = new Map<string, number>();
  for (const r of o.recordings ?? []) perItem.set(r.item, (perItem.get(r.item) ?? 0) + 1);
  for (const r of o.recordings ?? []) {
    if (!known.has(r.item)) throw new Error(`retrain: a recording is of "${r.item}", which is not one of the items`);
    const labels = textToUnitIds(r.item, lexicon, units);
    // A sound has only its recordings: they are repeated (freshly augmented each time) until the
    // sound has about as many examples as a word has synthesized ones.
    const k = isSoundUnit(r.item) ? Math.max(repeats, Math.ceil(o.examplesPerItem / perItem.get(r.item)!)) : repeats;
    for (let i = 0; i < k; i++) clips.push({ path: resolve(r.file), labels });
  }
  // The package's own normalization: the fine-tuned weights must keep seeing what they were trained on.
  const batchFrames = batchFramesForNetwork(o.maxBatchFrames, arch);
  if (batchFrames !== o.maxBatchFrames) log(`batches of at most ${batchFrames} padded frames (${o.maxBatchFrames} scaled to ${arch.layers} x ${arch.hidden} units)`);
  const data = new EpochData(clips, { features: pkg.features, normalization: pkg.normalization, augment: true, specAugment: true }, arch.inputDim, batchFrames, o.seed, log);
  const init = new AcousticModel(arch, o.seed);
  init.setWeights(weights0);
  if (newSounds.length) {
    // The new units start pointed at their recordings (fitSoundUnitColumns); fine-tuning refines them.
    const examples = await Promise.all(newSounds.map(async (u) => ({
      unit: units.indexOf(u),
      inputs: await Promise.all((o.recordings ?? []).filter((r) => r.item === u).map(async (r) => {
        const pcm = (await decodeAudioBuffer(new Uint8Array(await readFile(r.file)), r.file)).samples;
        const f = computeFeatures(pcm, pkg.features, pkg.normalization);
        return { data: f.data, frames: f.frames };
      })),
    })));
    init.setWeights(fitSoundUnitColumns(init, examples));
  }
  // The anchor holds every weight the package had; the new units' columns are free.
  const anchor = anchorStrength > 0 ? anchorFor(init, anchorWeights, units.length, anchorStrength, topAnchorStrength, importance, uniformShare) : undefined;
  const workers = gradientWorkersForNetwork(arch);
  if (workers.gradientWorkers) log(`gradients on ${workers.gradientWorkers} worker threads (a ${arch.layers} x ${arch.hidden} network; gradientWorkersForNetwork)`);
  let result;
  try {
    result = await train({
      arch, epochs: o.epochs, learningRate: o.learningRate, lrDecay: 0.7, clipNorm: 5, seed: o.seed,
      checkpointDir: join(o.workDir, 'checkpoint'), checkpointEverySec: 60, signal: o.signal, anchor, freezeLayers: o.freezeLayers ?? 0,
      ...workers,
    }, data, { onStep: o.progress }, init);
  } finally {
    await data.close();
  }
  const now = new Date();
  const metadata: ModelMetadata = {
    ...pkg.metadata,
    units,
    architecture: arch,
    version: retrainedVersion(pkg.metadata.version, now),
    createdAt: now.toISOString(),
    ...(int8 ? { quantization: { weights: 'int8' as const, floatReference: `none: fine-tuned from ${pkg.metadata.name} ${pkg.metadata.version} (int8, dequantized), then quantized again` } } : {}),
    training: {
      ...pkg.metadata.training,
      retrainedFrom: `${pkg.metadata.name} ${pkg.metadata.version}`,
      retrain: {
        items: [...o.items], sounds: (o.sounds ?? []).map((x) => x.name), clips: clips.length, newWordClips: o.items.length * o.examplesPerItem, replayClips: o.replayClips,
        ...(realReplay.length ? { realReplayClips: realReplay.length } : {}),
        recordings: (o.recordings ?? []).length, epochs: result.history.length, steps: result.steps, learningRate: o.learningRate, anchorStrength, topAnchorStrength,
        ...(importance ? { anchorImportance: `${ANCHOR_IMPORTANCE_FILE} of ${importance.model} (${importance.clips} real utterances)`, anchorUniformShare: uniformShare } : {}), freezeLayers: o.freezeLayers ?? 0,
      },
    },
  };
  const outDir = join(o.workDir, 'model');
  await mkdir(outDir, { recursive: true });
  const weights = result.model.getWeights();
  await exportOnnxModel(weights, metadata, outDir);
  // The weighting goes on with the new version (its weights are close to the ones it was measured on),
  // unless new sound units changed the output layer's shape.
  if (importance && anchorVariableSizes(weights).every((n, i) => n === importance.values[i].length)) {
    await copyFile(join(pkg.dir, ANCHOR_IMPORTANCE_FILE), join(outDir, ANCHOR_IMPORTANCE_FILE));
  }
  await loadModelPackage(outDir);
  log(`fine-tuned model written to ${outDir} (${result.steps} steps)`);
  return { outDir, metadata, weights, steps: result.steps, clips: clips.length };
}
