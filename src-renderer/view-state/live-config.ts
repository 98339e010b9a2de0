import type { KeywordSpecWire, ModeSpec, RequestOf, Settings } from '../../src-shared/ipc/app-contract.ts';

/** What live listening decodes under `settings`. Commands mode with no commands has no mode (null). */
export function modeSpecFor(settings: Settings): ModeSpec | null {
  if (settings.mode === 'dictation') return { kind: 'dictation' };
  return settings.commands.length > 0 ? { kind: 'phrases', items: [...settings.commands] } : null;
}

/** The keyword list as the recognizer takes it. */
export function keywordSpecsFor(settings: Settings): KeywordSpecWire[] {
  return settings.keywords.map((k) => ({ text: k.text, sensitivity: k.sensitivity }));
}

/** The recognition:start request for `settings` (null when commands mode has no commands). */
export function startRequestFor(settings: Settings): RequestOf<'recognition:start'> | null {
  const mode = modeSpecFor(settings);
  if (!mode) return null;
  const keywords = keywordSpecsFor(settings);
  return {
    input: 'mfcc',
    mode,
    ...(keywords.length > 0 ? { keywords } : {}),
    endpointSilenceSec: settings.endpointSilenceSec,
    ...(settings.chunkFrames > 0 ? { chunkFrames: settings.chunkFrames } : {}),
    ...(settings.lookaheadFrames > 0 ? { lookaheadFrames: settings.lookaheadFrames } : {}),
  };
}

/** How a running stream must follow a settings change. */
export interface LiveChange {
  /** Capture or stream parameters changed: stop and start again. */
  restart: boolean;
  /** Mode / keyword changes that recognition:configure applies in place (empty = none). */
  configure: { mode?: ModeSpec; keywords?: KeywordSpecWire[] };
  /** Commands mode was chosen (or kept) with an empty command list: the mode cannot be applied. */
  emptyCommands: boolean;
}

// A model change is not here: the model state events decide (model-change.ts): a hot-swapped model keeps listening, another restarts the stream.
const RESTART_KEYS = ['microphoneId', 'pushMs', 'chunkFrames', 'lookaheadFrames', 'endpointSilenceSec'] as const;

/** Compares two settings as seen by a running stream. */
export function liveChangeBetween(prev: Settings, next: Settings): LiveChange {
  // A stream's dictation decoders are made when it starts: another LM needs a new stream while dictating.
  const restart = RESTART_KEYS.some((k) => prev[k] !== next[k]) || (next.mode === 'dictation' && prev.dictationLm !== next.dictationLm);
  const configure: LiveChange['configure'] = {};
  const modeChanged = prev.mode !== next.mode || (next.mode === 'commands' && !sameList(prev.commands, next.commands));
  const nextMode = modeSpecFor(next);
  if (modeChanged && nextMode) configure.mode = nextMode;
  const kw = (s: Settings) => s.keywords.map((k) => `${k.text}\u0000${k.sensitivity}`);
  if (!sameList(kw(prev), kw(next))) configure.keywords = keywordSpecsFor(next);
  return { restart, configure, emptyCommands: modeChanged && !nextMode };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
