/**
 * Training side of sound commands (src-shared/units/sound-units.ts): growing a trained acoustic
 * model by output units `<sound:NAME>` before fine-tuning it on recordings of those sounds, and
 * the CTC targets of a sound clip.
 *
 * Expansion contract. The output layer is logits = h · kernel + bias with kernel [D, U] row-major
 * (D = directions * hidden) and bias [U] (weights.ts). The expanded layer has U + k columns: the
 * first U are the old columns bit for bit, so every old unit's logit is unchanged and its
 * log-posterior moves only by the softmax renormalization
 *   lp'_u = lp_u - ln(1 + sum_new exp(logit_new - logsumexp_old)),
 * identical for all old units (phoneme ranking per frame unchanged). New columns start with
 * kernel entries drawn from N(0, (NEW_KERNEL_SCALE * rms(old kernel))^2) (small, distinct per unit
 * so units trained together can separate) and a bias NEW_BIAS_MARGIN nats below the blank's bias
 * and no higher than the lowest old bias, so a new unit starts rarely chosen and the expanded
 * model decodes speech as the old one did until fine-tuning teaches it the sound.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { isSoundUnit, parseSoundPhrase, soundUnit, unitIdIn, unitListProblem } from '../../src-shared/units/sound-units.ts';
import { createRng } from './data/rng.ts';
import type { AcousticModel } from './acoustic-model.ts';
import type { AcousticModelWeights } from '../model/weights.ts';

/** New kernel columns: standard deviation as a fraction of the old kernel's root mean square. */
export const NEW_KERNEL_SCALE = 0.1;
/** New biases: this many nats below the blank's bias (exp(-6) ≈ 0.25 % of its odds at equal activations). */
export const NEW_BIAS_MARGIN = 6;

export interface ExpandedModel {
  weights: AcousticModelWeights;
  /** `arch` with numUnits grown by the new units (weights.spec equals it). */
  arch: ArchitectureSpec;
}

/**
 * The model with output units `newUnits` (sound units, distinct, in order) appended after the
 * existing `arch.numUnits`, initialised as in the header. `weights.spec` must equal `arch`. Pass
 * `opts.units` (the model's current units list) to have the new units checked against it; the
 * expanded model's units list is then expandUnitList(units, newUnits). `opts.seed` (default 1)
 * makes the new columns reproducible. The input weights are not modified.
 */
export function expandOutputUnits(
  weights: AcousticModelWeights, arch: ArchitectureSpec, newUnits: readonly string[],
  opts: { units?: readonly string[]; seed?: number } = {},
): ExpandedModel {
  for (const k of ['cell', 'bidirectional', 'layers', 'hidden', 'inputDim', 'numUnits'] as const) {
    if (weights.spec[k] !== arch[k]) throw new Error(`expandOutputUnits: weights have ${k} ${String(weights.spec[k])}, arch says ${String(arch[k])}`);
  }
  if (opts.units) expandUnitList(opts.units, newUnits);
  else checkNewUnits(newUnits);
  if (opts.units && opts.units.length !== arch.numUnits) throw new Error(`expandOutputUnits: ${opts.units.length} units listed, arch.numUnits is ${arch.numUnits}`);
  const U = arch.numUnits;
  const k = newUnits.length;
  const D = (arch.bidirectional ? 2 : 1) * arch.hidden;
  const { kernel, bias } = weights.output;
  if (kernel.length !== D * U || bias.length !== U) {
    throw new Error(`expandOutputUnits: output kernel/bias have ${kernel.length}/${bias.length} values, expected ${D * U}/${U}`);
  }
  let sq = 0;
  for (let i = 0; i < kernel.length; i++) sq += kernel[i] * kernel[i];
  const sigma = NEW_KERNEL_SCALE * Math.sqrt(sq / kernel.length);
  const rng = createRng(opts.seed ?? 1);
  const W = U + k;
  const newKernel = new Float32Array(D * W);
  for (let d = 0; d < D; d++) {
    newKernel.set(kernel.subarray(d * U, (d + 1) * U), d * W);
    for (let j = 0; j < k; j++) newKernel[d * W + U + j] = sigma * rng.gauss();
  }
  const newBias = new Float32Array(W);
  newBias.set(bias);
  let minBias = Infinity;
  for (let u = 0; u < U; u++) minBias = Math.min(minBias, bias[u]);
  newBias.fill(Math.min(bias[BLANK_ID] - NEW_BIAS_MARGIN, minBias), U);
  const copy = (a: Float32Array): Float32Array => Float32Array.from(a);
  const spec: ArchitectureSpec = { ...arch, numUnits: W };
  return {
    arch: spec,
    weights: {
      spec: { ...spec },
      layers: weights.layers.map((l) => ({
        inputSize: l.inputSize,
        forward: { kernel: copy(l.forward.kernel), recurrent: copy(l.forward.recurrent), bias: copy(l.forward.bias) },
        ...(l.backward ? { backward: { kernel: copy(l.backward.kernel), recurrent: copy(l.backward.recurrent), bias: copy(l.backward.bias) } } : {}),
      })),
      output: { kernel: newKernel, bias: newBias },
    },
  };
}

/** Throws unless `newUnits` is a non-empty list of distinct sound units. */
function checkNewUnits(newUnits: readonly string[]): void {
  if (newUnits.length === 0) throw new Error('expandOutputUnits: no new units given');
  const seen = new Set<string>();
  for (const u of newUnits) {
    if (!isSoundUnit(u)) throw new Error(`expandOutputUnits: ${JSON.stringify(u)} is not a sound unit "<sound:NAME>" (NAME: 1 to 32 lower-case letters, digits or '-')`);
    if (seen.has(u)) throw new Error(`expandOutputUnits: ${u} listed twice`);
    seen.add(u);
  }
}

/**
 * A model's units list grown by `newUnits`: [...units, ...newUnits], checked to be a valid list
 * (UNITS then distinct sound units); throws naming the problem, e.g. a sound the model already has.
 */
export function expandUnitList(units: readonly string[], newUnits: readonly string[]): string[] {
  checkNewUnits(newUnits);
  const before = unitListProblem(units);
  if (before !== null) throw new Error(`expandUnitList: ${before}`);
  const had = newUnits.find((u) => units.includes(u));
  if (had !== undefined) throw new Error(`expandUnitList: the model already has ${had}`);
  return [...units, ...newUnits];
}

/**
 * CTC target of a clip that holds one sound and nothing else: the single unit id of that sound in
 * the model's `units` (`sound` given as NAME or as `<sound:NAME>`). Throws MissingSoundUnitError
 * when the model lacks it (expand the model first).
 */
export function soundClipLabels(units: readonly string[], sound: string): number[] {
  const unit = parseSoundPhrase(sound) ?? soundUnit(sound);
  return [unitIdIn(units, unit)];
}

/** One new sound unit's examples: its id in the expanded model and its recordings' model inputs. */
export interface SoundUnitExamples {
  unit: number;
  /** Normalized model input frames of each recording ([frames, inputDim], row-major). */
  inputs: readonly { data: Float32Array; frames: number }[];
}

/** Frames at each end of a recording taken as its background (silence or room noise). */
const EDGE_FRAMES = 8;

/**
 * Points each new sound unit's output column at its recordings (a closed-form start for
 * fine-tuning, which the tiny learning rates of fine-tuning could never reach from an improbable
 * unit): per recording, the frames whose top-layer activations are farthest from the recording's
 * own edges are the sound, the edges its background; the column is the direction from the
 * background mean to the sound mean, scaled so that the two differ by `margin` nats, and the bias
 * makes the unit beat the blank by `lead` nats on the sound mean. The defaults (12, 3) recognized
 * 13 of 20 held-out sounds in bench/sound-commands.bench.ts, against 9 of 20 with (8, 1). `model` holds the expanded
 * weights (it computes the activations); returns new output weights, the other columns unchanged.
 */
export function fitSoundUnitColumns(model: AcousticModel, examples: readonly SoundUnitExamples[], opts: { margin?: number; lead?: number } = {}): AcousticModelWeights {
  const margin = opts.margin ?? 12;
  const lead = opts.lead ?? 3;
  const w = model.getWeights();
  const W = w.spec.numUnits;
  const D = (w.spec.bidirectional ? 2 : 1) * w.spec.hidden;
  const { kernel, bias } = w.output;
  for (const ex of examples) {
    if (!(ex.unit > 0 && ex.unit < W)) throw new Error(`fitSoundUnitColumns: unit ${ex.unit} is not an output of this model`);
    const sound = new Float64Array(D), background = new Float64Array(D);
    let nSound = 0, nBackground = 0;
    for (const input of ex.inputs) {
      const T = input.frames;
      if (T < 2 * EDGE_FRAMES + 2) continue;
      const h = tf.tidy(() => model.topActivations(tf.tensor3d(input.data, [T, 1, w.spec.inputDim]), [T]).dataSync() as Float32Array);
      const edge = new Float64Array(D);
      const edges = [...Array(EDGE_FRAMES).keys(), ...Array.from({ length: EDGE_FRAMES }, (_, i) => T - 1 - i)];
      for (const t of edges) for (let d = 0; d < D; d++) edge[d] += h[t * D + d] / edges.length;
      const dist = Array.from({ length: T }, (_, t) => {
        let s = 0;
        for (let d = 0; d < D; d++) s += (h[t * D + d] - edge[d]) ** 2;
        return { t, s };
      }).sort((a, b) => b.s - a.s);
      for (const { t } of dist.slice(0, Math.max(2, Math.ceil(0.15 * T)))) { for (let d = 0; d < D; d++) sound[d] += h[t * D + d]; nSound++; }
      for (const t of edges) { for (let d = 0; d < D; d++) background[d] += h[t * D + d]; nBackground++; }
    }
    if (nSound === 0) throw new Error(`fitSoundUnitColumns: the recordings of unit ${ex.unit} are all too short`);
    let norm2 = 0;
    const dir = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      sound[d] /= nSound;
      background[d] /= nBackground;
      dir[d] = sound[d] - background[d];
      norm2 += dir[d] ** 2;
    }
    if (!(norm2 > 1e-12)) throw new Error(`fitSoundUnitColumns: the recordings of unit ${ex.unit} sound like their own background`);
    let blankAtSound = bias[BLANK_ID], colAtSound = 0;
    for (let d = 0; d < D; d++) {
      const c = (margin * dir[d]) / norm2;
      kernel[d * W + ex.unit] = c;
      colAtSound += c * sound[d];
      blankAtSound += kernel[d * W + BLANK_ID] * sound[d];
    }
    bias[ex.unit] = blankAtSound + lead - colAtSound;
  }
  return w;
}
