/**
 * The desktop integration in the IPC contract: the desktop:* channels, answered by the Electron
 * main process itself (host 'main'; in a plain browser the web bridge answers them in the page,
 * with `available: false`), and the payload of the desktop:event channel.
 *
 * Main owns the global shortcuts, the tray and typing into other applications; the window owns
 * listening (the microphone is captured in the page) and the dictation document. So main tells
 * the window what the user asked for (a shortcut, the tray menu), the window tells main whether it
 * listens (the tray shows it) and hands it each final's edit to type.
 */
import { emptyRequest, type ChannelApi, type ChannelTable } from './channel-table.ts';
import { boolean, finiteNumber, IpcPayloadError, onlyKeys, record, string } from './validate.ts';

/** How text reaches the focused application (src-main/system/text-insertion-backends.ts). */
export type InsertionBackendName = 'xdotool' | 'wtype' | 'ydotool' | 'sendinput' | 'applescript' | 'clipboard';

export type ShortcutAction = 'toggle' | 'push-to-talk';

/** One global shortcut as main registered it. */
export interface ShortcutState {
  /** The accelerator of the settings ('' = none). */
  accelerator: string;
  registered: boolean;
  /** Why it is not registered (another application holds it, the other shortcut is the same), or null. */
  problem: string | null;
}

export interface DesktopStatus {
  /** False where there is no desktop integration (the renderer in a plain browser). */
  available: boolean;
  insertion: { backend: InsertionBackendName | 'none'; detail: string };
  shortcuts: Record<ShortcutAction, ShortcutState>;
}

/** What became of a final's edit. */
export interface InsertionOutcome {
  /** 'skipped': the setting is off, or one of Hark's own windows has the focus. */
  method: 'typed' | 'clipboard' | 'skipped';
  /** A sentence for the user (why the clipboard, why skipped), or null. */
  message: string | null;
}

/** Payloads of desktop:event (main -> window). */
export type DesktopEvent =
  | { type: 'shortcut'; action: ShortcutAction }
  /** The tray menu's Start / Stop listening. */
  | { type: 'listen'; listen: boolean }
  | { type: 'status'; status: DesktopStatus };

/** Longest edit main types at once (a final is a sentence or two; "scratch that" erases one). */
export const MAX_INSERT_CHARS = 20_000;

export const DESKTOP_CHANNELS = {
  'desktop:status': { host: 'main', request: emptyRequest('desktop:status') },
  /** The window's listening state changed (the tray follows it). */
  'desktop:listening': {
    host: 'main',
    request: (value): { listening: boolean } => {
      const r = record(value, 'desktop:listening', 'request');
      onlyKeys(r, ['listening'], 'desktop:listening', 'request');
      return { listening: boolean(r.listening, 'desktop:listening', 'listening') };
    },
  },
  /** Types an edit (BackSpace `erase` times, then `text`) into the focused application. */
  'desktop:insert': {
    host: 'main',
    request: (value): { erase: number; text: string } => {
      const c = 'desktop:insert';
      const r = record(value, c, 'request');
      onlyKeys(r, ['erase', 'text'], c, 'request');
      const erase = finiteNumber(r.erase, c, 'erase', 0, MAX_INSERT_CHARS);
      if (!Number.isInteger(erase)) throw new IpcPayloadError(c, 'erase', `must be an integer, got ${erase}`);
      return { erase, text: string(r.text, c, 'text', MAX_INSERT_CHARS) };
    },
  },
} as const satisfies ChannelTable;

export type DesktopApi = ChannelApi<typeof DESKTOP_CHANNELS, {
  'desktop:status': DesktopStatus;
  'desktop:listening': Record<string, never>;
  'desktop:insert': InsertionOutcome;
}>;
