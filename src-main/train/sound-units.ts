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
import type { ArchitectureSpec } from '../../src-shared/model/metadata.ts';
import { BLANK_ID } from '../../src-shared/units/phonemes.ts';
import { isSoundUnit, parseSoundPhrase, soundUnit, unitIdIn, unitListProblem } from '../../src-shared/units/sound-units.ts';
import { createRng } from './data/rng.ts';
import type { AcousticModelWeights } from './weights.ts';

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
