/**
 * Adaptation to real voices: continue training an installed model package (its weights, front end
 * and normalization kept; `cmnWindow` can add or remove sliding-window CMN) on a synthesized corpus
 * mixed with the train part of the real-speech set (hark real-set), each real clip repeated
 * `realRepeat` times per epoch with fresh augmentation (rooms, noise, band, codecs, speed, warp).
 * Checkpointed in `<out>/checkpoint/`: the same command resumes where it stopped (time budget,
 * Ctrl-C, crash), with the same data (and the same --cmn-window).
 * Dev speakers of the real set are never read here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { encodeWav } from '../audio/wav-writer.ts';
import { makeMusic } from './data/augment/music.ts';
import { babbleNoise, power } from './data/augment/noise.ts';
import { DEFAULT_AUGMENT_OPTIONS } from './data/augment/augment.ts';
import { join, resolve } from 'node:path';
import { decodeAudioFile } from '../audio/index.ts';
import { loadModelPackage } from '../model/model-package.ts';
import { exportOnnxModel } from '../model/write-model.ts';
import { readAcousticWeights } from '../model/read-onnx-weights.ts';
import { Lexicon } from '../lexicon/lexicon.ts';
import { validateFeatureConfig, withCmnWindow, type FeatureConfig } from '../../src-shared/features/index.ts';
import type { ArchitectureSpec, ModelMetadata } from '../../src-shared/model/metadata.ts';
import type { AcousticModelWeights } from '../model/weights.ts';
import { AcousticModel } from './acoustic-model.ts';
import { readManifest, synthesizeCorpus, voicePicker, type ClipRecord } from './corpus-synthesis.ts';
import { createRng, type Rng } from './data/rng.ts';
import { readRealManifest, type RealClipRecord } from './data/real/build-real-set.ts';
import { HELDOUT_VOICES, TRAIN_VOICES } from './data/synth/index.ts';
import { buildTextCorpus } from './data/text-corpus.ts';
import { EpochData } from './epoch-data.ts';
import { phonemeErrorRate, type LabeledFeatures } from './evaluate-model.ts';
import { buildFeatures } from './example-builder.ts';
import { measureTestTimeVtln, type PcmEvalClip } from './package-phoneme-error.ts';
import { heldoutCorpusPlan, TRAIN_FAMILY_WEIGHTS, TRAIN_FAMILY_WEIGHTS_V2 } from './recipe.ts';
import { isValidationClip, LESS_HEARD_MINUTES, speakerMinutes } from './data/real/real-split.ts';
import { longClipPieces, type LongClipPiece, type LongClipPiecesReport } from './data/real/long-clip-pieces.ts';
import { initTrainingBackend } from './tf-backend.ts';
import { textToUnitIds } from './text-labels.ts';
import { sittingConfig, train, type StepReport } from './trainer.ts';
import { loadCheckpoint, saveCheckpoint, type NamedArray } from './checkpoint.ts';
import { widenAcousticWeights } from './widen-weights.ts';
import { deepenAcousticWeights } from './deepen-weights.ts';
import { EPOCHS_DIR, epochsToAverage, loadAveragedEpochs, saveEpochSnapshot, snapshotEpochs } from './epoch-average.ts';
import * as tf from '@tensorflow/tfjs';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';

export interface AdaptOptions {
  /** The package to start from. */
  modelDir: string;
  out: string;
  /** Folder of the synthesized corpora (`adapt-<seed>/`, `heldout/`). */
  dataDir: string;
  synthClips: number;
  /** Share of synthesized utterances per synthesizer family. */
  familyWeights: Record<string, number>;
  /**
   * More synthesized utterances, by every family (TRAIN_FAMILY_WEIGHTS_V2: SVOX Pico and GnuSpeech
   * too) with per-utterance voice variation ('wide': each utterance a different talker).
   */
  wideSynthClips: number;
  /**
   * More synthesized utterances by the MBROLA voices (diphones of real speakers, espeak-ng's prosody,
   * each utterance its own rate and pitch), in their own corpus (`adapt-mbrola-<seed>/`); 0: none.
   */
  mbrolaClips: number;
  /** Real-speech set folder (its manifest's `train` clips are used); none: synthesized only. */
  realSet?: string;
  realRepeat: number;
  /**
   * The clips of less-heard train speakers (under LESS_HEARD_MINUTES of audio in the train split) are
   * used this many times more (realRepeat x lessHeardRepeat per epoch), so that two speakers with
   * 206 of the split's 338 minutes weigh less against the 36 with under 10; 1 or absent: no change.
   */
  lessHeardRepeat?: number;
  /** Real clips whose source is listed here are left out (e.g. to measure one source's effect). */
  realExclude?: readonly string[];
  /**
   * The spectral warp of the waveform augmentation (pitch and formants together at constant
   * duration: a longer or shorter vocal tract), for every training clip: its probability and range
   * (DEFAULT_AUGMENT_OPTIONS: 0.4 of the clips, 0.86-1.16); absent: the defaults.
   */
  warpProb?: number;
  warpRange?: readonly [number, number];
  epochs: number;
  learningRate: number;
  lrDecay: number;
  maxBatchFrames: number;
  seed: number;
  timeBudgetMin?: number;
  /** Stops the run after the current step, checkpointed: runAdaptation rejects with an AbortError (trainer.ts). */
  signal?: AbortSignal;
  /** Gradient worker threads besides the main thread (trainer.ts); 0 or absent: one thread. */
  gradientWorkers?: number;
  /** false: the main thread computes no shard (TrainerConfig.mainThreadShard). */
  mainThreadShard?: boolean;
  evalClips: number;
  /**
   * Sliding-window CMN over this many analysis frames in the adapted model (FeatureConfig.cmn):
   * 0 = none, absent = the starting package's setting. The normalization is kept either way: its
   * mean is the CMN prior and add-back, and its std keeps the within-utterance scale the weights know.
   */
  cmnWindow?: number;
  /**
   * Synthesized music clips (2-8 s, src-main/train/data/augment/music.ts) trained with an empty
   * transcript, so the model learns to hear nothing in music (negative examples); 0 or absent: none.
   */
  musicNegatives?: number;
  /**
   * Babble clips (2-8 s of 4-8 synthesized talkers at once, ensureBabbleNegatives) trained with an
   * empty transcript, so that a crowd is heard as nothing; 0 or absent: none.
   */
  babbleNegatives?: number;
  /**
   * Units per direction of the adapted model, when wider than the starting package's: the package's
   * network is widened without changing its output (widen-weights.ts) and trained on from there.
   */
  widenHidden?: number;
  /**
   * Recurrent layers of the adapted model, when more than the starting package's: new layers go on top
   * and start as near copies of their input (deepen-weights.ts), after any widening.
   */
  deepenLayers?: number;
  /**
   * Clips longer than this many seconds are left out of training (absent: none). The memory of a
   * training step grows with the longest sequence times the square of the width, and tfjs WASM's
   * heap is bounded: a 3 x 256 network aborts on the longest (about 9 s) clips.
   */
  maxClipSec?: number;
  /**
   * Real train clips longer than `maxClipSec` are cut at pauses between words, by the starting
   * model's alignment, and trained as pieces instead of being left out (long-clip-pieces.ts; the
   * pieces are kept in `<dataDir>/real-pieces-<version>-<sec>s/`, so a resumed run reads the same).
   */
  splitLong?: boolean;
  /** Dropout rate between the recurrent layers during training (trainer.ts; 0 or absent: none). */
  dropout?: number;
  /**
   * Keep the weights of the last N measured epochs (`<out>/epochs/`) and export their mean when it
   * validates better than every single epoch (epoch-average.ts); 1 or absent: no averaging.
   */
  averageEpochs?: number;
  log?: (line: string) => void;
  progress?: (r: StepReport) => void;
}

export const DEFAULT_ADAPT_OPTIONS: Omit<AdaptOptions, 'modelDir' | 'out'> = {
  dataDir: 'data', synthClips: 1500, familyWeights: { ...TRAIN_FAMILY_WEIGHTS }, wideSynthClips: 1500, mbrolaClips: 0, realRepeat: 1,
  epochs: 6, learningRate: 5e-4, lrDecay: 0.85, maxBatchFrames: 4000, seed: 11, evalClips: 40,
};

/**
 * The real set's train split, less the validation slice: one clip in 20 of the train speakers (by
 * a hash of its id), never trained on, measured after each epoch. It decides whether an adapted
 * model ships; the dev speakers are only reported.
 */
export async function readRealTrainClips(setDir: string, exclude: readonly string[] = []): Promise<{ train: RealClipRecord[]; val: RealClipRecord[] }> {
  const all = (await readRealManifest(setDir)).filter((r) => r.split === 'train' && !exclude.includes(r.source));
  return { train: all.filter((r) => !isValidationClip(r.id)), val: all.filter((r) => isValidationClip(r.id)) };
}

/** A clip of the training list: its audio, its unit labels, its length in samples. */
export interface TrainingClip { path: string; labels: number[]; samples: number }

/**
 * The clips that training reads: those of at most `maxClipSec` seconds (--max-clip-sec; undefined:
 * all), in their order, as { path, labels }, and how many were longer. The card's figures still
 * count the long ones (they are left out of training only).
 */
export function clipsWithin(candidates: readonly TrainingClip[], maxClipSec: number | undefined): { clips: { path: string; labels: number[] }[]; tooLong: number } {
  if (maxClipSec !== undefined && !(maxClipSec > 0)) throw new Error(`clipsWithin: maxClipSec must be a positive number of seconds, got ${maxClipSec}`);
  const clips: { path: string; labels: number[] }[] = [];
  let tooLong = 0;
  for (const c of candidates) {
    if (maxClipSec === undefined || c.samples <= maxClipSec * SAMPLE_RATE) clips.push({ path: c.path, labels: c.labels });
    else tooLong++;
  }
  return { clips, tooLong };
}

/** A clip trained with no words: its audio, no labels, its length in samples. */
type NegativeClip = { path: string; labels: number[]; samples: number };

/**
 * `count` clips of 2-8 s named `<name>-NNNNN.wav` in `dir`, each drawn by `render` from its own
 * generator `rngFor(i)` (its length first, then whatever `render` draws), written only when missing,
 * so the same seed gives the same files and a rerun keeps those already there.
 */
async function ensureNegativeClips(
  dir: string, name: string, count: number, rngFor: (i: number) => Rng, render: (samples: number, rng: Rng) => Promise<Float32Array> | Float32Array,
): Promise<NegativeClip[]> {
  await mkdir(dir, { recursive: true });
  const out: NegativeClip[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${name}-${String(i).padStart(5, '0')}.wav`);
    const rng = rngFor(i);
    const samples = Math.round(rng.uniform(2, 8) * SAMPLE_RATE);
    if (!existsSync(path)) await writeFile(path, encodeWav((await render(samples, rng)).map((v) => Math.max(-1, Math.min(1, v))), SAMPLE_RATE));
    out.push({ path, labels: [], samples });
  }
  return out;
}

/** `count` music clips in `dir` (written once, the same for the same seed), as training clips with no labels. */
export async function ensureMusicNegatives(dir: string, count: number, seed: number): Promise<NegativeClip[]> {
  return ensureNegativeClips(dir, 'music', count, (i) => createRng(seed * 100_003 + i), (samples, rng) => {
    const gain = rng.uniform(0.05, 1.6);
    return makeMusic(samples, rng).map((v) => v * gain);
  });
}

/** Talkers in one babble negative: enough voices at once that no one of them can be followed. */
export const BABBLE_TALKERS: readonly [number, number] = [4, 8];

/**
 * `count` clips of babble (2-8 s; 4-8 synthesized utterances from `poolPaths` summed at random
 * offsets, noise.ts babbleNoise, at a random level from -40 to -16 dBFS), written once into `dir`
 * and the same for the same seed and pool, as training clips with no labels: a crowd heard as
 * nothing, so that a room full of talk fires no command. The pool is the run's own synthesized
 * clips (a random 240 of them); the noise bench's babble is another generator (modulated pink
 * noise), so the negatives are not the bench's clips.
 */
export async function ensureBabbleNegatives(dir: string, count: number, seed: number, poolPaths: readonly string[]): Promise<NegativeClip[]> {
  if (count > 0 && poolPaths.length === 0) throw new Error('babble negatives: no synthesized clips to make the babble of');
  const pickRng = createRng(seed * 100_019 + 7);
  let pool: Float32Array[] | null = null;
  return ensureNegativeClips(dir, 'babble', count, (i) => createRng(seed * 100_019 + 1000 + i), async (samples, rng) => {
    pool ??= await Promise.all(Array.from({ length: Math.min(240, poolPaths.length) }, () => pickRng.pick(poolPaths)).map(async (p) => (await decodeAudioFile(p)).samples));
    const mix = babbleNoise(samples, rng, pool, SAMPLE_RATE, BABBLE_TALKERS);
    const rms = Math.sqrt(power(mix));
    const gain = rms > 0 ? Math.pow(10, rng.uniform(-40, -16) / 20) / rms : 0;
    return mix.map((v) => v * gain);
  });
}

/**
 * The real train clips as training reads them, in manifest order: each clip `realRepeat` times
 * (`realRepeat * lessHeardRepeat` for a speaker with under LESS_HEARD_MINUTES in `real`), a long clip
 * that was cut (long-clip-pieces.ts) as its pieces in its place.
 */
export function realTrainingClips(
  real: readonly RealClipRecord[], setDir: string, lexicon: Lexicon,
  o: { realRepeat: number; lessHeardRepeat?: number; pieces?: { dir: string; list: readonly LongClipPiece[] } },
): TrainingClip[] {
  const minutesOf = speakerMinutes(real);
  const piecesOf = new Map<string, LongClipPiece[]>();
  for (const p of o.pieces?.list ?? []) piecesOf.set(p.parent, [...(piecesOf.get(p.parent) ?? []), p]);
  return real.flatMap((r) => {
    const pieces = piecesOf.get(r.id);
    const own = pieces
      ? pieces.map((p) => ({ path: join(o.pieces!.dir, p.file), labels: textToUnitIds(p.text, lexicon), samples: p.samples }))
      : [{ path: join(setDir, r.file), labels: textToUnitIds(r.text, lexicon), samples: r.samples }];
    const times = o.realRepeat * ((minutesOf.get(r.speaker) ?? 0) < LESS_HEARD_MINUTES ? (o.lessHeardRepeat ?? 1) : 1);
    return Array.from({ length: times }, () => own).flat();
  });
}

/** The card's account of the cut long clips. */
function longClipPiecesCard(r: LongClipPiecesReport): Record<string, number> {
  return { clips: r.clips, split: r.split, pieces: r.pieces, minutes: Number((r.pieceSeconds / 60).toFixed(1)), misheard: r.misheard, unaligned: r.unaligned, wordsDropped: r.wordsDropped };
}

async function ensureSynth(dir: string, texts: string[], weights: Record<string, number>, seed: number, prefix: string, variation: 'classic' | 'wide', log: (s: string) => void): Promise<ClipRecord[]> {
  let recs: ClipRecord[] = await readManifest(dir);
  if (recs.length < texts.length) {
    log(`synthesizing ${texts.length} utterances (${variation} voices) into ${dir} (${recs.length} already there)`);
    let last = 0;
    recs = await synthesizeCorpus({ dir, texts, pickVoice: voicePicker(TRAIN_VOICES, weights), seed, prefix, variation, onProgress: (d, t) => {
      if (performance.now() - last > 30000 || d === t) { last = performance.now(); log(`  synthesized ${d}/${t}`); }
    } });
  }
  return recs.slice(0, texts.length);
}

export async function runAdaptation(o: AdaptOptions): Promise<{ outDir: string; metadata: ModelMetadata }> {
  const t0 = performance.now();
  const baseLog = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const log = (s: string) => baseLog(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${s}`);
  log(`tfjs backend: ${await initTrainingBackend()}`);
  const pkg = await loadModelPackage(resolve(o.modelDir));
  // A run of hours fine-tunes float weights: an int8 package's are a rounded copy of its float reference's.
  if (pkg.metadata.quantization) {
    throw new Error(`${pkg.dir} holds int8 weights (${pkg.metadata.quantization.floatReference}): adapt its float reference instead (the shipped model's is models-float/hark-en)`);
  }
  const features: FeatureConfig = o.cmnWindow === undefined ? pkg.features : withCmnWindow(pkg.features, o.cmnWindow);
  validateFeatureConfig(features);
  if (JSON.stringify(features.cmn) !== JSON.stringify(pkg.features.cmn)) {
    log(`front end: CMN ${features.cmn ? `over ${features.cmn.windowFrames} frames (prior ${features.cmn.priorFrames ?? 'default'} frames)` : 'off'}, the starting package's ${pkg.features.cmn ? `over ${pkg.features.cmn.windowFrames} frames` : 'off'}`);
  }
  const lexicon = new Lexicon();

  const synthDir = resolve(o.dataDir, `adapt-${o.seed}`), wideDir = resolve(o.dataDir, `adapt-wide-${o.seed}`);
  const classic = await ensureSynth(synthDir, buildTextCorpus({ seed: o.seed, count: o.synthClips }), o.familyWeights, o.seed, 'a', 'classic', log);
  const wide = o.wideSynthClips > 0 ? await ensureSynth(wideDir, buildTextCorpus({ seed: o.seed + 1000, count: o.wideSynthClips }), TRAIN_FAMILY_WEIGHTS_V2, o.seed + 1000, 'w', 'wide', log) : [];
  const mbrolaDir = resolve(o.dataDir, `adapt-mbrola-${o.seed}`);
  const mbrola = o.mbrolaClips > 0 ? await ensureSynth(mbrolaDir, buildTextCorpus({ seed: o.seed + 2000, count: o.mbrolaClips }), { mbrola: 1 }, o.seed + 2000, 'm', 'wide', log) : [];
  const synth = [...classic, ...wide, ...mbrola];
  const { train: real, val: realVal } = o.realSet ? await readRealTrainClips(resolve(o.realSet), o.realExclude) : { train: [], val: [] };
  const music = o.musicNegatives ? await ensureMusicNegatives(resolve(o.dataDir, `music-negatives-${o.seed}`), o.musicNegatives, o.seed) : [];
  const babble = o.babbleNegatives
    ? await ensureBabbleNegatives(resolve(o.dataDir, `babble-negatives-${o.seed}`), o.babbleNegatives, o.seed, [...classic.map((r) => join(synthDir, r.file)), ...wide.map((r) => join(wideDir, r.file))])
    : [];
  if (o.splitLong && (o.maxClipSec === undefined || !o.realSet)) throw new Error('adapt: splitting long clips (--split-long) needs --max-clip-sec and --real');
  const piecesDir = resolve(o.dataDir, `real-pieces-${pkg.metadata.version}-${o.maxClipSec}s`);
  const cut = o.splitLong
    ? await longClipPieces(real.filter((r) => r.samples > o.maxClipSec! * SAMPLE_RATE), pkg, lexicon, { setDir: resolve(o.realSet!), outDir: piecesDir, maxClipSec: o.maxClipSec!, log })
    : null;
  const minutesOf = speakerMinutes(real);
  const candidates: TrainingClip[] = [
    ...classic.map((r) => ({ path: join(synthDir, r.file), labels: textToUnitIds(r.text, lexicon), samples: r.samples })),
    ...wide.map((r) => ({ path: join(wideDir, r.file), labels: textToUnitIds(r.text, lexicon), samples: r.samples })),
    ...mbrola.map((r) => ({ path: join(mbrolaDir, r.file), labels: textToUnitIds(r.text, lexicon), samples: r.samples })),
    ...(o.realSet ? realTrainingClips(real, resolve(o.realSet), lexicon, { realRepeat: o.realRepeat, lessHeardRepeat: o.lessHeardRepeat, pieces: cut ? { dir: piecesDir, list: cut.pieces } : undefined }) : []),
    ...music,
    ...babble,
  ];
  const { clips, tooLong } = clipsWithin(candidates, o.maxClipSec);
  if (o.maxClipSec !== undefined) log(`${tooLong} clips longer than ${o.maxClipSec} s left out`);
  const musicMin = music.reduce((s, m) => s + m.samples, 0) / SAMPLE_RATE / 60;
  const synthHours = synth.reduce((s, r) => s + r.samples, 0) / SAMPLE_RATE / 3600;
  const realHours = real.reduce((s, r) => s + r.samples, 0) / SAMPLE_RATE / 3600;
  const realSpeakers = new Set(real.map((r) => r.speaker)).size;
  log(`data: ${classic.length} + ${wide.length} (wide voices)${mbrola.length ? ` + ${mbrola.length} (MBROLA voices)` : ''} synthesized (${synthHours.toFixed(2)} h) + ${real.length} real train clips (${(realHours * 60).toFixed(1)} min, ${realSpeakers} speakers) x ${o.realRepeat}${(o.lessHeardRepeat ?? 1) > 1 ? ` (x ${o.realRepeat * o.lessHeardRepeat!} for the ${[...minutesOf.values()].filter((m) => m < LESS_HEARD_MINUTES).length} speakers with under ${LESS_HEARD_MINUTES} min)` : ''}${music.length ? ` + ${music.length} music clips with no words (${musicMin.toFixed(1)} min)` : ''}${babble.length ? ` + ${babble.length} babble clips with no words` : ''}; ${realVal.length} real validation clips`);

  // Held-out synthesized voices, for the log of each epoch (the real dev set is measured by bench/real-speech.bench.ts).
  const heldDir = resolve(o.dataDir, 'heldout');
  const heldPlan = heldoutCorpusPlan(o.evalClips);
  let held = await readManifest(heldDir);
  if (held.length < heldPlan.texts.length) held = await synthesizeCorpus({ dir: heldDir, ...heldPlan });
  const evalRng = createRng(o.seed + 99);
  const evalSet: LabeledFeatures[] = [];
  for (const r of held.slice(0, o.evalClips)) {
    const pcm = (await decodeAudioFile(join(heldDir, r.file))).samples;
    evalSet.push({ features: buildFeatures(pcm, { features, normalization: pkg.normalization, augment: false, specAugment: false }, evalRng), labels: textToUnitIds(r.text, lexicon), group: `clean/${r.voice.split(':')[0]}` });
  }

  const valSet: LabeledFeatures[] = [];
  // The same clips as PCM, to measure the exported package with and without test-time VTLN.
  const valPcm: PcmEvalClip[] = [];
  for (const r of realVal.slice(0, 300)) {
    const pcm = (await decodeAudioFile(join(resolve(o.realSet!), r.file))).samples;
    const labels = textToUnitIds(r.text, lexicon);
    valSet.push({ features: buildFeatures(pcm, { features, normalization: pkg.normalization, augment: false, specAugment: false }, evalRng), labels, group: r.source });
    valPcm.push({ pcm, labels, group: r.source });
  }
  const startWeights = readAcousticWeights(pkg.onnx);
  const widened = o.widenHidden !== undefined && o.widenHidden !== pkg.architecture.hidden ? widenAcousticWeights(startWeights, o.widenHidden, o.seed + 7) : startWeights;
  if (widened !== startWeights) log(`network widened from ${pkg.architecture.hidden} to ${widened.spec.hidden} units per direction (same output; the new units start with zero outgoing weights)`);
  const grown = o.deepenLayers !== undefined && o.deepenLayers !== pkg.architecture.layers ? deepenAcousticWeights(widened, o.deepenLayers, o.seed + 8) : widened;
  if (grown !== widened) log(`network deepened from ${pkg.architecture.layers} to ${grown.spec.layers} recurrent layers (the new top layers start as near copies of their input)`);
  const arch = grown.spec;
  const init = new AcousticModel(arch, o.seed);
  init.setWeights(grown);
  const startVal = valSet.length ? phonemeErrorRate(init, valSet).per : NaN;
  log(`start: held-out synthesized PER ${(100 * phonemeErrorRate(init, evalSet).per).toFixed(1)}%, real validation PER ${(100 * startVal).toFixed(1)}% (${valSet.length} clips)`);
  const augmentOptions = {
    ...(o.warpProb !== undefined ? { prob: { ...DEFAULT_AUGMENT_OPTIONS.prob, warp: o.warpProb } } : {}),
    ...(o.warpRange ? { warp: o.warpRange } : {}),
  };
  const data = new EpochData(clips, { features, normalization: pkg.normalization, augment: true, augmentOptions, specAugment: true }, arch.inputDim, o.maxBatchFrames, o.seed, log);
  await mkdir(o.out, { recursive: true });
  // The weights of the epoch that measured best on the validation slice, kept beside the checkpoint
  // (which moves on every five minutes): exported at the end when the last epoch is worse.
  const bestDir = join(o.out, 'best-epoch');
  const bestSaved = await loadCheckpoint(bestDir);
  let best = bestSaved ? (bestSaved.config as { realValidationPer: number; epoch: number }) : { realValidationPer: Infinity, epoch: -1 };
  const averageCount = o.averageEpochs ?? 1;
  let result;
  try {
    result = await train({
      arch, epochs: o.epochs, learningRate: o.learningRate, lrDecay: o.lrDecay, clipNorm: 5, seed: o.seed, gradientWorkers: o.gradientWorkers, mainThreadShard: o.mainThreadShard, dropout: o.dropout,
      ...sittingConfig(o.out, o.timeBudgetMin, o.signal),
    }, data, {
      onStep: o.progress,
      onEpoch: async (r, model) => {
        const per = phonemeErrorRate(model, evalSet);
        const val = valSet.length ? phonemeErrorRate(model, valSet).per : NaN;
        log(`epoch ${r.epoch + 1}: loss ${r.meanLoss.toFixed(3)}, ${r.framesPerSec.toFixed(0)} frames/s, held-out synthesized PER ${(100 * per.per).toFixed(1)}% ${JSON.stringify(per.byGroup)}, real validation PER ${(100 * val).toFixed(1)}%`);
        if (val < best.realValidationPer) {
          best = { realValidationPer: val, epoch: r.epoch };
          await saveCheckpoint(bestDir, { step: 0, epoch: r.epoch + 1, batchInEpoch: 0, config: best, history: [], weights: namedWeights(model), optimizer: [] });
        }
        if (averageCount > 1) await saveEpochSnapshot(o.out, r.epoch + 1, namedWeights(model), val, averageCount);
        return { heldoutPerClean: per.per, realValidationPer: val };
      },
    }, init);
  } finally {
    await data.close();
  }
  let weights = result.model.getWeights();
  let exportedEpoch = result.history.length;
  const pick = bestEpochToExport(best, result.history as { realValidationPer?: number }[], result.stoppedEarly);
  if (pick !== undefined) {
    const saved = (await loadCheckpoint(bestDir))!;
    const model = new AcousticModel(arch, o.seed);
    model.variables().forEach((v, i) => v.assign(tf.tensor(saved.weights[i].data, v.shape)));
    weights = model.getWeights();
    model.dispose();
    exportedEpoch = pick + 1;
    log(`exporting epoch ${exportedEpoch} (validation PER ${(100 * best.realValidationPer).toFixed(1)}%), ${result.stoppedEarly ? 'not the unmeasured state where the time budget stopped' : 'not the last, which measured worse'}`);
  }
  const averaged = averageCount > 1 && valSet.length ? await measureEpochAverage(o.out, result.history.length, averageCount, arch, o.seed, valSet, log) : undefined;
  const exportedAverage = averaged && averaged.realValidationPer < best.realValidationPer ? averaged : undefined;
  if (exportedAverage) {
    weights = exportedAverage.weights;
    exportedEpoch = result.history.length;
    log(`exporting the mean of epochs ${exportedAverage.epochs[0]}-${exportedEpoch}: ${Number.isFinite(best.realValidationPer) ? `it validates better than the best single epoch (${(100 * best.realValidationPer).toFixed(2)}%)` : `no single epoch's measure is kept in ${bestDir}`}`);
  }
  const now = new Date();
  const trained: ModelMetadata = {
    ...pkg.metadata,
    architecture: arch,
    features,
    version: `${pkg.metadata.version.split('+')[0]}+real${now.toISOString().slice(0, 10).replace(/-/g, '')}`,
    createdAt: now.toISOString(),
    training: {
      ...pkg.metadata.training,
      adaptedFrom: `${pkg.metadata.name} ${pkg.metadata.version}`,
      adaptation: {
        synthesizedClips: classic.length, wideVoiceClips: wide.length, ...(mbrola.length ? { mbrolaClips: mbrola.length } : {}), wideFamilyWeights: TRAIN_FAMILY_WEIGHTS_V2, synthesizedHours: Number(synthHours.toFixed(3)), familyWeights: o.familyWeights,
        realClips: real.length, realValidationClips: valSet.length, realValidationPerStart: startVal, realMinutes: Number((realHours * 60).toFixed(1)), realSpeakers, realRepeat: o.realRepeat, ...((o.lessHeardRepeat ?? 1) > 1 ? { lessHeardRepeat: o.lessHeardRepeat, lessHeardMinutes: LESS_HEARD_MINUTES } : {}),
        realSources: [...new Set(real.map((r) => r.source))], epochs: result.history.length, steps: result.steps, stoppedEarly: result.stoppedEarly,
        musicNegatives: music.length, ...(babble.length ? { babbleNegatives: babble.length } : {}), widenedFrom: arch.hidden !== pkg.architecture.hidden ? pkg.architecture.hidden : undefined, deepenedFrom: arch.layers !== pkg.architecture.layers ? pkg.architecture.layers : undefined, exportedEpoch, ...(cut ? { longClipPieces: longClipPiecesCard(cut.report) } : {}), ...(exportedAverage ? { averagedEpochs: exportedAverage.epochs, averagedValidationPer: exportedAverage.realValidationPer } : {}), learningRate: o.learningRate, lrDecay: o.lrDecay, ...(o.dropout ? { dropout: o.dropout } : {}), cmnWindow: features.cmn?.windowFrames ?? 0, minutes: Number((result.history.reduce((m, h) => m + h.seconds, 0) / 60).toFixed(1)), history: result.history,
        heldoutVoices: HELDOUT_VOICES,
      },
    },
  };
  const outDir = resolve(o.out);
  await exportOnnxModel(weights, trained, outDir);
  // Then the measured VTLN choice, written with the figures it rests on (the graphs are unchanged).
  const vtln = await measureTestTimeVtln(outDir, valPcm, log);
  const metadata: ModelMetadata = !vtln ? trained : {
    ...trained,
    decoding: { ...trained.decoding, testTimeVtln: vtln.perVtln < vtln.perNoVtln },
    training: { ...trained.training, adaptation: { ...trained.training!.adaptation as Record<string, unknown>, validationPerNoVtln: vtln.perNoVtln, validationPerVtln: vtln.perVtln } },
  };
  if (vtln) await exportOnnxModel(weights, metadata, outDir);
  await writeFile(join(outDir, 'adapt-log.json'), JSON.stringify({ options: { ...o, log: undefined, progress: undefined }, history: result.history }, null, 2) + '\n');
  log(`adapted model written to ${outDir}${result.stoppedEarly ? ' (stopped by the time budget: run the same command again to continue)' : ''}`);
  return { outDir, metadata };
}

/**
 * Which epoch's weights a run exports (0-based), when not its final state: the best-validating
 * epoch if the last finished epoch measured worse, or if the time budget stopped the run mid-epoch
 * (weights nobody measured). undefined: the final weights.
 */
export function bestEpochToExport(best: { realValidationPer: number; epoch: number }, history: readonly { realValidationPer?: number }[], stoppedEarly: boolean): number | undefined {
  if (best.epoch < 0 || !Number.isFinite(best.realValidationPer)) return undefined;
  if (stoppedEarly) return best.epoch;
  const last = history.at(-1)?.realValidationPer;
  return best.epoch + 1 < history.length && last !== undefined && best.realValidationPer < last ? best.epoch : undefined;
}

/**
 * The validation PER of the mean of the last `count` epochs' snapshots (epoch-average.ts), with its
 * weights; undefined when fewer than two consecutive snapshots end at `lastEpoch`.
 */
async function measureEpochAverage(
  outDir: string, lastEpoch: number, count: number, arch: ArchitectureSpec, seed: number, valSet: readonly LabeledFeatures[], log: (s: string) => void,
): Promise<{ epochs: number[]; realValidationPer: number; weights: AcousticModelWeights } | undefined> {
  const epochs = epochsToAverage(await snapshotEpochs(outDir), lastEpoch, count);
  if (epochs.length === 0) {
    log(`no mean of the last ${count} epochs: their snapshots are not all in ${join(outDir, EPOCHS_DIR)}`);
    return undefined;
  }
  const mean = await loadAveragedEpochs(outDir, epochs);
  const model = new AcousticModel(arch, seed);
  try {
    model.variables().forEach((v, i) => v.assign(tf.tensor(mean[i].data, v.shape)));
    const realValidationPer = phonemeErrorRate(model, valSet).per;
    log(`mean of epochs ${epochs[0]}-${lastEpoch}: real validation PER ${(100 * realValidationPer).toFixed(2)}%`);
    return { epochs, realValidationPer, weights: model.getWeights() };
  } finally {
    model.dispose();
  }
}

function namedWeights(model: AcousticModel): NamedArray[] {
  return model.variables().map((v) => ({ name: v.name, shape: v.shape, data: v.dataSync() as Float32Array }));
}
