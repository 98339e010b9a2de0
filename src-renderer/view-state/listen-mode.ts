import type { Settings } from '../../src-shared/ipc/app-contract.ts';

/** What live listening decodes (settings.mode). It changes only when the user chooses another one. */
export type ListenMode = Settings['mode'];

export const LISTEN_MODES: readonly ListenMode[] = ['dictation', 'commands'];

export const MODE_LABELS: Readonly<Record<ListenMode, string>> = { dictation: 'Dictation', commands: 'Commands' };

/** The header's microphone label: "Listening — Commands" while listening, else the state's own label. */
export function micLabel(stateLabel: string, listening: boolean, mode: ListenMode): string {
  return listening ? `${stateLabel} — ${MODE_LABELS[mode]}` : stateLabel;
}

/**
 * The notice on a screen that shows the results of `screen` mode when Hark listens (or will
 * listen, on Start) in `active` mode; null when the two agree.
 */
export function modeNoticeText(screen: ListenMode, active: ListenMode, listening: boolean): string | null {
  if (screen === active) return null;
  const what = screen === 'dictation' ? 'to see text here' : 'to match these phrases';
  const target = MODE_LABELS[screen].toLowerCase();
  return listening
    ? `Hark is listening for ${MODE_LABELS[active].toLowerCase()}; switch to ${target} ${what}.`
    : `The listening mode is ${MODE_LABELS[active]}; switch to ${target} ${what} when you start.`;
}
