/**
 * The Models screen's texts, free of the DOM: what a version's card says (what was taught, when,
 * how it measured), and whether choosing it is a switch or a roll back.
 */
import { folderName, type ModelCard, type ModelList, type ModelSummary } from '../../src-shared/ipc/app-contract.ts';
import { itemLabel } from '../../src-shared/retrain/retrain-items.ts';
import { counted } from './counted.ts';
import { figureRows } from './retrain-plan.ts';

/** 'in use', 'roll back' (a version older than the one in use of the same model), or 'use'. */
export function useActionOf(card: ModelCard, list: ModelList): 'in use' | 'roll back' | 'use' {
  if (card.inUse) return 'in use';
  const current = list.models.find((m) => m.inUse);
  if (current && current.name === card.name && card.createdAt && current.createdAt && card.createdAt < current.createdAt) return 'roll back';
  return 'use';
}

/** Whether an installed version's card is the model a model state names (folder name, name and version). */
export function sameModel(card: ModelCard, model: ModelSummary): boolean {
  return folderName(card.dir) === model.folder && card.name === model.name && card.version === model.version;
}

/** Lines describing a version: what retraining added and how it measured. */
export function cardLines(card: ModelCard): string[] {
  const lines: string[] = [];
  const r = card.retrain;
  if (r) {
    lines.push(`Retrained from ${r.from}${r.items.length ? `; taught ${r.items.map(itemLabel).join(', ')}` : ''}.`);
    const data = [r.clips !== undefined ? counted(r.clips, 'clip') : '', r.recordings !== undefined ? `${r.recordings} of your recordings` : '', r.epochs !== undefined ? counted(r.epochs, 'epoch') : ''].filter(Boolean);
    if (data.length) lines.push(`Data: ${data.join(', ')}.`);
    for (const row of figureRows({ before: r.before, after: r.after })) lines.push(`${row.label}: ${row.before} → ${row.after}`);
    if (r.decision) lines.push(`Decision: ${r.decision}.`);
  } else if (card.trainingSummary) {
    lines.push(`Trained on ${card.trainingSummary}.`);
  }
  if (card.sounds.length) lines.push(`Sounds: ${card.sounds.join(', ')}.`);
  return lines;
}

/** "2026-11-22 07:30" from an ISO time (local), or the text as it is when it is not one. */
export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso || '—';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
