/**
 * The Retrain screen's state, free of the DOM: the items the user wants to teach (words and
 * phrases in the spelling of normalizeRetrainItem, sounds by name), how many recordings each
 * has, whether a job can start, and the texts that describe a job (phase, ETA, figures,
 * decision). The recordings themselves live in the backend (recordings:*).
 */
import type { RecordingWire } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel, normalizeRetrainItem, soundNameOfItem } from '../../src-shared/retrain/retrain-items.ts';
import { isRunningPhase, type EvalScore, type RetrainJobStatus, type RetrainPhase, type WordErrors } from '../../src-shared/retrain/retrain-types.ts';
import { SOUND_NAME_RE } from '../../src-shared/units/sound-units.ts';
import { formatEta } from './format-time.ts';

/** Recordings the hint asks for per item. */
export const SUGGESTED_RECORDINGS = 5;
/** Longest recording the Record button takes (seconds); the store accepts up to 10. */
export const RECORD_MAX_SEC = 5;

/** Items in their one spelling: words/phrases as text, sounds as `<sound:NAME>`. */
export type RetrainPlan = readonly string[];

/** The plan with `text` (a word, a phrase, or a sound token) added, or the reason it cannot be. */
export function addPlanItem(plan: RetrainPlan, text: string): { plan: RetrainPlan } | { error: string } {
  let item: string;
  try {
    item = normalizeRetrainItem(text);
  } catch (e) {
    return { error: capitalize((e as Error).message) };
  }
  if (plan.includes(item)) return { error: `“${itemLabel(item)}” is already in the list.` };
  return { plan: [...plan, item] };
}

/** The plan with the sound `name` added ("clap", or "<sound:clap>"), or the reason it cannot be. */
export function addPlanSound(plan: RetrainPlan, name: string): { plan: RetrainPlan } | { error: string } {
  const n = name.trim().toLowerCase().replace(/^<sound:(.*)>$/, '$1');
  if (!n) return { error: 'Type a sound name first, e.g. clap.' };
  if (!SOUND_NAME_RE.test(n)) return { error: `“${name.trim()}” is not a sound name: use up to 32 lower-case letters, digits or -.` };
  return addPlanItem(plan, `<sound:${n}>`);
}

/** The plan without `item`. */
export const removePlanItem = (plan: RetrainPlan, item: string): RetrainPlan => plan.filter((i) => i !== item);

/** The plan with every item that has recordings (oldest first) added after the plan's own. */
export function withRecordedItems(plan: RetrainPlan, recordings: readonly RecordingWire[]): RetrainPlan {
  const out = [...plan];
  for (const r of recordings) if (!out.includes(r.item)) out.push(r.item);
  return out;
}

/** Recordings grouped by item, oldest first. */
export function recordingsByItem(recordings: readonly RecordingWire[]): Map<string, RecordingWire[]> {
  const map = new Map<string, RecordingWire[]>();
  for (const r of recordings) map.set(r.item, [...(map.get(r.item) ?? []), r]);
  return map;
}

/** The retrain:start request for the plan (`installAnyway`: install even if it does not measure better). */
export function startRequest(plan: RetrainPlan, installAnyway = false): { items: string[]; sounds?: string[]; installAnyway?: true } {
  const items = plan.filter((i) => soundNameOfItem(i) === null);
  const sounds = plan.map(soundNameOfItem).filter((n): n is string => n !== null);
  return { items, ...(sounds.length ? { sounds } : {}), ...(installAnyway ? { installAnyway: true as const } : {}) };
}

/** Why the plan cannot be trained now, or null when it can. */
export function startProblem(plan: RetrainPlan, recordings: ReadonlyMap<string, readonly RecordingWire[]>, running: boolean): string | null {
  if (running) return 'A retraining job is running.';
  if (plan.length === 0) return 'Add a word, phrase or sound to teach first.';
  const silent = plan.filter((i) => soundNameOfItem(i) !== null && !(recordings.get(i)?.length));
  if (silent.length) return `Record ${silent.map(itemLabel).join(', ')} first: a sound is learned from your recordings only.`;
  return null;
}

/** "3 of 5 recordings" style count for an item. */
export function recordingCountText(n: number): string {
  if (n === 0) return 'no recordings yet';
  return n >= SUGGESTED_RECORDINGS ? `${n} recordings` : `${n} of ${SUGGESTED_RECORDINGS} recordings`;
}

const PHASE_TEXT: Record<RetrainPhase, string> = {
  queued: 'Waiting to start',
  synthesizing: 'Preparing training speech',
  training: 'Training',
  exporting: 'Saving the new model',
  evaluating: 'Measuring before and after',
  installing: 'Installing the new version',
  done: 'Finished',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export const phaseLabel = (phase: RetrainPhase): string => PHASE_TEXT[phase];

/**
 * The progress line: "Training — epoch 1 of 3, step 4 of 20 · 3 min left"; a running job whose
 * time left cannot be told yet says "estimating…" instead.
 */
export function progressText(s: RetrainJobStatus): string {
  const eta = formatEta(s.etaSec) || (isRunningPhase(s.phase) ? 'estimating…' : '');
  const detail = s.message ? ` — ${s.message}` : '';
  return `${PHASE_TEXT[s.phase]}${detail}${eta ? ` · ${eta}` : ''}`;
}

/** Percent done, 0..100, whole. */
export const progressPercent = (s: RetrainJobStatus): number => Math.round(Math.max(0, Math.min(1, s.fraction)) * 100);

/** What the job teaches, as the app shows items. */
export const jobItemsText = (s: RetrainJobStatus): string => [...s.items, ...s.sounds.map((x) => `<sound:${x.name}>`)].map(itemLabel).join(', ');

const pct = (e: EvalScore) => `${(100 * e.accuracy).toFixed(1)}% (${e.correct}/${e.total})`;

/** Rows of the before/after table: new items, original commands, the user's held-out recordings, digit strings. */
export function figureRows(s: Pick<RetrainJobStatus, 'before' | 'after'>): { label: string; before: string; after: string }[] {
  const rows: { label: string; before: string; after: string }[] = [];
  const b = s.before;
  const a = s.after;
  if (!b && !a) return rows;
  const cell = (e: EvalScore | undefined) => (e ? pct(e) : '—');
  rows.push({ label: 'New items', before: cell(b?.newItems), after: cell(a?.newItems) });
  rows.push({ label: 'Original commands', before: cell(b?.original), after: cell(a?.original) });
  if (b?.recordings || a?.recordings) rows.push({ label: 'Your recordings', before: cell(b?.recordings), after: cell(a?.recordings) });
  const errors = (e: WordErrors | undefined) => (e ? `${(100 * e.wer).toFixed(1)}% word errors (${e.errors}/${e.words})` : '—');
  if (b?.digits || a?.digits) rows.push({ label: 'Digit strings', before: errors(b?.digits), after: errors(a?.digits) });
  return rows;
}

/** The decision in a sentence, or '' before there is one. */
export function decisionText(s: RetrainJobStatus): string {
  const d = s.decision;
  if (s.phase === 'failed') return `Failed: ${s.error ?? s.message}`;
  if (!d) return '';
  if (d.installed) return `Installed as version ${d.version ?? '?'} of ${d.name ?? 'the model'}: ${d.reason}.`;
  return `Not installed because ${d.reason}. The model in use is unchanged.`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.') : s;
}
