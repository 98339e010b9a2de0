import type { Settings } from '../../src-shared/ipc/app-contract.ts';

/** Numeric settings edited through form inputs, with the ranges the backend validator accepts. */
export const NUMERIC_FIELDS = {
  endpointSilenceSec: { min: 0.2, max: 2, step: 0.05, integer: false, label: 'Endpoint silence' },
  pushMs: { min: 20, max: 200, step: 10, integer: true, label: 'Push interval' },
  chunkFrames: { min: 0, max: 64, step: 1, integer: true, label: 'Chunk frames' },
  lookaheadFrames: { min: 0, max: 32, step: 1, integer: true, label: 'Look-ahead frames' },
} as const;

export type NumericField = keyof typeof NUMERIC_FIELDS;

/**
 * Parses the text of a numeric settings input into a patch, or an error message to show next to
 * the input. Sliders may produce float noise ("0.6000000001"): non-integer fields are rounded to
 * their step.
 */
export function parseNumericSetting(field: NumericField, raw: string): { patch: Partial<Settings> } | { error: string } {
  const spec = NUMERIC_FIELDS[field];
  const text = raw.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return { error: `${spec.label}: enter a number.` };
  if (spec.integer && !Number.isInteger(value)) return { error: `${spec.label}: enter a whole number.` };
  if (value < spec.min || value > spec.max) return { error: `${spec.label}: must be between ${spec.min} and ${spec.max}.` };
  const rounded = spec.integer ? value : Math.round(value / spec.step) * spec.step;
  return { patch: { [field]: Number(rounded.toFixed(4)) } };
}
