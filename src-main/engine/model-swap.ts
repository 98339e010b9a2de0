/**
 * Whether a running stream can move to another model package without restarting (a hot swap).
 *
 * A live stream's front-end is fixed when it starts: the renderer computes MFCC with the feature
 * configuration it got from recognition:start, and the main process keeps delta, stacking and
 * normalization (and CMN window) state across pushes. So the new package must have exactly the same `features`
 * (every field, `cmn` compared by value) and `normalization` (every value) as the one the stream runs on, and the same
 * output units (the same count, and the same sound units in the same order: the stream's keyword
 * spotter and phrase lists resolved them to unit ids); layers, hidden size, weights, name and
 * version may differ (a retrained model keeps its base's features and normalization). Anything else is refused with
 * ModelSwapError, and the caller restarts the stream on the new model instead.
 */
import { sameJson, type ModelPackage } from '../model/model-package.ts';

/** A hot swap that cannot happen: the running front-end does not fit the new model. */
export class ModelSwapError extends Error {
  constructor(readonly from: string, readonly to: string, readonly reasons: readonly string[]) {
    super(`cannot switch the running stream from model ${from} to ${to}: ${reasons.join('; ')} (restart the stream to use it)`);
    this.name = 'ModelSwapError';
  }
}

/** "name version" of a package, as finals report it. */
export function modelLabel(model: ModelPackage): string {
  return `${model.metadata.name} ${model.metadata.version}`;
}

/** Why a stream on `from` cannot continue on `to` (empty when it can). */
export function swapIncompatibilities(from: ModelPackage, to: ModelPackage): string[] {
  const reasons: string[] = [];
  const keys = [...new Set([...Object.keys(from.features), ...Object.keys(to.features)])] as (keyof ModelPackage['features'])[];
  for (const k of keys) {
    if (!sameJson(from.features[k], to.features[k])) reasons.push(`features.${k} is ${JSON.stringify(to.features[k] ?? null)} where the stream's is ${JSON.stringify(from.features[k] ?? null)}`);
  }
  for (const k of ['mean', 'std'] as const) {
    const a = from.normalization[k];
    const b = to.normalization[k];
    const i = Array.from({ length: Math.max(a.length, b.length) }, (_, j) => j).find((j) => a[j] !== b[j]);
    if (i !== undefined) reasons.push(`normalization.${k}[${i}] is ${b[i] ?? 'missing'} where the stream's is ${a[i] ?? 'missing'}`);
  }
  if (from.architecture.numUnits !== to.architecture.numUnits) {
    reasons.push(`architecture.numUnits is ${to.architecture.numUnits} where the stream's is ${from.architecture.numUnits}`);
  } else {
    const i = from.metadata.units.findIndex((u, j) => to.metadata.units[j] !== u);
    if (i >= 0) reasons.push(`units[${i}] is ${JSON.stringify(to.metadata.units[i] ?? null)} where the stream's is ${JSON.stringify(from.metadata.units[i])}`);
  }
  return reasons;
}

/** Throws ModelSwapError unless a stream running on `from` can continue on `to`. */
export function checkSwappable(from: ModelPackage, to: ModelPackage): void {
  const reasons = swapIncompatibilities(from, to);
  if (reasons.length > 0) throw new ModelSwapError(modelLabel(from), modelLabel(to), reasons);
}
