/**
 * The Models screen's view of the installed versions (ModelCard): the registry's summary
 * (model-registry.ts) plus what the package's model.json says about its sound units and, for a
 * retrained package, its retraining card (metadata.training.retrainedFrom / training.retrain,
 * written by src-main/train/retrain-run.ts) and its evaluation (metadata.metrics.retrain, written
 * by retrain-job.ts). Card fields are free-form JSON: a field of the wrong type is left out,
 * never trusted.
 */
import { readTextCapped } from '../system/read-capped.ts';
import { join, resolve } from 'node:path';
import type { ModelCard, ModelInfo, ModelList, ModelRetrainCard } from '../../src-shared/ipc/app-contract.ts';
import type { EvalScore, RetrainFigures, WordErrors } from '../../src-shared/retrain/retrain-types.ts';
import { soundNameOf, soundUnitsOf } from '../../src-shared/units/sound-units.ts';
import { JSON_FILE, MAX_JSON_BYTES } from '../model/package-files.ts';
import { listModels } from '../model/model-registry.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The object's `keys`, each a finite number, or undefined when one is missing or of another type. */
function numbers<K extends string>(v: unknown, keys: readonly K[]): Record<K, number> | undefined {
  const o = obj(v);
  const out = {} as Record<K, number>;
  for (const k of keys) {
    const n = num(o?.[k]);
    if (n === undefined) return undefined;
    out[k] = n;
  }
  return out;
}

const score = (v: unknown): EvalScore | undefined => numbers(v, ['accuracy', 'correct', 'total']);
const wordErrors = (v: unknown): WordErrors | undefined => numbers(v, ['wer', 'errors', 'words']);

function figures(v: unknown): RetrainFigures | undefined {
  const o = obj(v);
  const newItems = score(o?.newItems);
  const original = score(o?.original);
  if (!newItems || !original) return undefined;
  const recordings = score(o?.recordings);
  const digits = wordErrors(o?.digits);
  return { newItems, original, ...(recordings ? { recordings } : {}), ...(digits ? { digits } : {}) };
}

/** The retraining card of a package's metadata, or undefined for a package not made by retraining. */
export function retrainCardOf(metadata: Json): ModelRetrainCard | undefined {
  const training = obj(metadata.training);
  const r = obj(training?.retrain);
  const from = str(training?.retrainedFrom);
  if (!r || from === undefined) return undefined;
  const items = Array.isArray(r.items) ? r.items.filter((x): x is string => typeof x === 'string') : [];
  const evalCard = obj(obj(metadata.metrics)?.retrain);
  const card: ModelRetrainCard = { from, items };
  const sounds = Array.isArray(r.sounds) ? r.sounds.map((s) => str(obj(s)?.name) ?? str(s)).filter((x): x is string => !!x) : [];
  for (const s of sounds) if (!card.items.includes(`<sound:${s}>`)) card.items.push(`<sound:${s}>`);
  for (const k of ['clips', 'recordings', 'epochs', 'steps'] as const) {
    const n = num(r[k]);
    if (n !== undefined) card[k] = n;
  }
  const before = figures(evalCard?.before);
  const after = figures(evalCard?.after);
  if (before) card.before = before;
  if (after) card.after = after;
  const decision = str(evalCard?.decision);
  if (decision !== undefined) card.decision = decision;
  const evaluatedAt = str(evalCard?.evaluatedAt);
  if (evaluatedAt !== undefined) card.evaluatedAt = evaluatedAt;
  return card;
}

/** A card for one listed model (its model.json is read again for the card fields). */
export async function modelCardOf(info: ModelInfo, inUseDir: string): Promise<ModelCard> {
  let metadata: Json = {};
  try {
    metadata = obj(JSON.parse(await readTextCapped(join(info.dir, JSON_FILE), MAX_JSON_BYTES, 'a model card (model.json)'))) ?? {};
  } catch {
    // Listed a moment ago: a package removed since shows its summary only.
  }
  const units = Array.isArray(metadata.units) ? metadata.units.filter((u): u is string => typeof u === 'string') : [];
  const sounds = soundUnitsOf(units).map((u) => soundNameOf(u)!).filter(Boolean);
  const retrain = retrainCardOf(metadata);
  return { ...info, inUse: resolve(info.dir) === resolve(inUseDir), sounds, ...(retrain ? { retrain } : {}) };
}

/**
 * Every installed version under `roots` as cards: shipped ones first, then the user's oldest
 * first; folders whose card cannot be used are in `broken`, with the reason.
 */
export async function listModelCards(roots: readonly { dir: string; shipped: boolean }[], inUseDir: string): Promise<ModelList> {
  const { models, broken } = await listModels(roots);
  const cards = await Promise.all(models.map((m) => modelCardOf(m, inUseDir)));
  // createdAt is checked to be a date string (checkModelMetadata); String() keeps a sort that never throws.
  cards.sort((a, b) => Number(b.shipped) - Number(a.shipped) || (a.shipped ? 0 : String(a.createdAt).localeCompare(String(b.createdAt))));
  return { models: cards, inUse: resolve(inUseDir), broken };
}
