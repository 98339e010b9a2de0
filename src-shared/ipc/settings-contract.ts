/**
 * The app's settings: their shape and defaults, the validator of a settings patch, the settings:*
 * channels, and recovery of a damaged settings.json (every valid field kept, each invalid or
 * missing one back to its default and named). Part of the IPC contract (app-contract.ts joins the
 * channels into HARK_CHANNELS and re-exports the rest).
 */
import { emptyRequest, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { parseAccelerator } from './accelerator.ts';
import { checkKeyword } from './recognition-contract.ts';
import { arrayOf, boolean, finiteNumber, IpcPayloadError, isRecord, oneOf, onlyKeys, record, string, type Check } from './validate.ts';

export const LISTEN_MODES = ['dictation', 'commands'] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];

/**
 * The dictation language models the app offers: the shipped Brown-corpus trigram (the default) and
 * general English trigram (2026-12-07: three times the words), and PocketSphinx's general US English
 * trigram where the pocketsphinx-en-us package is installed (it is not shipped; app:info says
 * whether it is there). The CLI's --lm takes any ARPA, .hlm or .lm.bin file.
 */
export const DICTATION_LMS = ['brown', 'general', 'pocketsphinx-en-us'] as const;
export type DictationLmName = (typeof DICTATION_LMS)[number];

export interface KeywordSetting {
  text: string;
  /** (0, 1]: 0.5 is the calibrated default, higher fires more easily. */
  sensitivity: number;
}

export interface Settings {
  /** MediaDeviceInfo.deviceId of the chosen microphone; '' = the system default. */
  microphoneId: string;
  /** What live listening decodes: open dictation, or the command list (phrase mode). */
  mode: ListenMode;
  /** The command phrases (phrase mode). */
  commands: string[];
  /** Keywords spotted whenever the app listens. */
  keywords: KeywordSetting[];
  /** Model folder; '' = the shipped model. */
  modelDir: string;
  /**
   * Dictation's language model (live dictation and the Files queue). Settings files from before it
   * load with 'brown'. A saved 'pocketsphinx-en-us' whose package has since been removed: dictation
   * uses 'brown' and app:info's notices say why.
   */
  dictationLm: DictationLmName;
  /** Seconds of silence after speech that end an utterance (endpoint rule2). */
  endpointSilenceSec: number;
  /** Milliseconds of audio per push from the renderer to the recognizer. */
  pushMs: number;
  /** LC-BLSTM chunk / look-ahead in model frames; 0 = the model's own. */
  chunkFrames: number;
  lookaheadFrames: number;
  /**
   * Dictation written as text (docs/DICTATION-FORMATTING.md): numbers as people write them and
   * spoken editing ("new line", "period", "scratch that"), in the transcript, Copy/Save and the Files
   * exports; false shows the words as recognized. Settings files from before it load with true.
   */
  formatDictation: boolean;
  /**
   * With formatDictation on: capitals and punctuation (. , ? !) from the punctuation/case tagger
   * (models/tagger-en) in the Files results and exports and as live dictation finals' `marks`;
   * false leaves the written words in lower case
   * without predicted punctuation (spoken "period", "comma" still apply). Settings files from before
   * it load with true.
   */
  punctuate: boolean;
  /**
   * Global shortcuts (accelerator.ts, canonical spelling; '' = none) of the desktop app: toggle
   * starts and stops listening; push-to-talk starts listening for one utterance (it stops at that
   * utterance's final, or at the next press: Electron reports no key release). None by default: a
   * global shortcut takes its keys from every application, and every combination is some
   * application's or desktop's somewhere (Cmd+Option+H hides other apps on macOS, Ctrl+Option+…
   * is VoiceOver's), so the user chooses. Settings files from before them load with the defaults.
   */
  toggleShortcut: string;
  pushToTalkShortcut: string;
  /** Dictation finals are typed into the focused application of another program (docs/USER-GUIDE.md). */
  typeIntoFocusedApp: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  microphoneId: '',
  mode: 'dictation',
  commands: ['next slide', 'previous slide', 'mute the microphone', 'unmute the microphone', 'open the browser', 'stop listening'],
  keywords: [{ text: 'hey computer', sensitivity: 0.5 }, { text: 'emergency', sensitivity: 0.5 }],
  modelDir: '',
  dictationLm: 'brown',
  endpointSilenceSec: 0.6,
  pushMs: 50,
  chunkFrames: 0,
  lookaheadFrames: 0,
  formatDictation: true,
  punctuate: true,
  toggleShortcut: '',
  pushToTalkShortcut: '',
  typeIntoFocusedApp: false,
});

const SETTINGS_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
/** Most entries of a list setting (and of a list in a request). */
export const MAX_LIST = 1000;

/** One phrase of a list: trimmed, inner whitespace collapsed, not empty, at most 200 characters. */
export const listItem: Check<string> = (v, c, f) => {
  const s = string(v, c, f, 200).trim().replace(/\s+/g, ' ');
  if (!s) throw new IpcPayloadError(c, f, 'must not be empty');
  return s;
};

const integer = (min: number, max: number): Check<number> => (v, c, f) => {
  const n = finiteNumber(v, c, f, min, max);
  if (!Number.isInteger(n)) throw new IpcPayloadError(c, f, `must be an integer, got ${n}`);
  return n;
};

/** A global shortcut: '' or an accelerator, returned in its canonical spelling. */
const accelerator: Check<string> = (v, c, f) => {
  const parsed = parseAccelerator(string(v, c, f, 200));
  if ('problem' in parsed) throw new IpcPayloadError(c, f, parsed.problem);
  return parsed.accelerator;
};

/** Validators of each setting (a patch may hold any subset). */
const SETTING_CHECKS: { [K in keyof Settings]: Check<Settings[K]> } = {
  microphoneId: (v, c, f) => string(v, c, f, 500),
  mode: oneOf(LISTEN_MODES),
  commands: arrayOf(listItem, MAX_LIST),
  keywords: arrayOf((v, c, f) => {
    const k = checkKeyword(v, c, f);
    return { text: listItem(k.text, c, `${f}.text`), sensitivity: k.sensitivity ?? 0.5 };
  }, MAX_LIST),
  modelDir: (v, c, f) => string(v, c, f, 4096),
  dictationLm: oneOf(DICTATION_LMS),
  endpointSilenceSec: (v, c, f) => finiteNumber(v, c, f, 0.2, 5),
  pushMs: integer(20, 200),
  chunkFrames: integer(0, 64),
  lookaheadFrames: integer(0, 32),
  formatDictation: boolean,
  punctuate: boolean,
  toggleShortcut: accelerator,
  pushToTalkShortcut: accelerator,
  typeIntoFocusedApp: boolean,
};

/** Checks a partial settings object (unknown keys and bad values are errors). */
export function checkSettingsPatch(value: unknown, channel: string, field: string): Partial<Settings> {
  const r = record(value, channel, field);
  onlyKeys(r, SETTINGS_KEYS, channel, field);
  const out: Partial<Settings> = {};
  for (const key of SETTINGS_KEYS) {
    if (r[key] === undefined) continue;
    (out as Record<string, unknown>)[key] = SETTING_CHECKS[key](r[key], channel, `${field}.${key}`);
  }
  return out;
}

/**
 * Settings read back from disk: every valid field is kept, an invalid or missing one falls back to
 * its default (and is named in `problems`), so a damaged file never locks the user out.
 */
export function settingsFromStored(value: unknown): { settings: Settings; problems: string[] } {
  const settings: Settings = structuredClone({ ...DEFAULT_SETTINGS }) as Settings;
  const problems: string[] = [];
  if (!isRecord(value)) return { settings, problems: ['settings file does not hold an object'] };
  for (const key of SETTINGS_KEYS) {
    if (value[key] === undefined) continue;
    try {
      (settings as unknown as Record<string, unknown>)[key] = SETTING_CHECKS[key](value[key], 'settings', key);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { settings, problems };
}

export const SETTINGS_CHANNELS = {
  'settings:get': { host: 'backend', request: emptyRequest('settings:get') },
  'settings:set': {
    host: 'backend',
    request: (value): { patch: Partial<Settings> } => {
      const r = record(value, 'settings:set', 'request');
      onlyKeys(r, ['patch'], 'settings:set', 'request');
      return { patch: checkSettingsPatch(r.patch, 'settings:set', 'patch') };
    },
  },
} as const satisfies ChannelTable;

export type SettingsApi = ChannelApi<typeof SETTINGS_CHANNELS, {
  'settings:get': Settings;
  'settings:set': Settings;
}>;
