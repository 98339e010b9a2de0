/**
 * Main's side of the IPC contract: one ipcMain handler per channel of HARK_CHANNELS, and the
 * delivery of backend events to the window they belong to.
 *
 * Every message is checked before anything else happens: it must come from the main frame of one
 * of Hark's own windows, on the app origin, or it is refused with IGNORED_SENDER_MESSAGE and
 * nothing else runs. Then the channel's validator checks the payload (its IpcPayloadError message
 * becomes the rejection), and the channel's host answers: the backend, keyed by the sender's
 * webContents id, or a main-process handler (native dialogs).
 */
import {
  HARK_CHANNELS, INVOKE_CHANNELS, isEventChannel, type EventChannel, type HarkEventApi, type InvokeChannel,
} from '../../src-shared/ipc/app-contract.ts';
import type { BrowserWindowLike, IpcMainLike } from './electron-like.ts';
import type { HarkWindows } from './hark-windows.ts';
import { MAIN_CHANNELS, type MainChannel, type MainChannelHandler, type MainChannelHandlers } from './main-channel-handlers.ts';

/** The recognition backend as main sees it (BackendHost in the app). */
export interface Backend {
  /** Answers one request of window `senderId`; rejects with a user-readable Error. */
  handle(senderId: number, channel: InvokeChannel, payload: unknown): Promise<unknown>;
  /** Releases what window `senderId` held (live streams, file jobs). */
  closeSender(senderId: number): Promise<void>;
  dispose(): Promise<void>;
}

export const IGNORED_SENDER_MESSAGE = 'ignored: message from a sender that is not a Hark window';

export interface IpcWiringDeps<W extends BrowserWindowLike> {
  ipcMain: IpcMainLike;
  windows: HarkWindows<W>;
  backend: Backend;
  mainHandlers: MainChannelHandlers<W>;
}

/** Registers a handler for every invoke channel; returns the function that removes them. */
export function wireIpc<W extends BrowserWindowLike>({ ipcMain, windows, backend, mainHandlers }: IpcWiringDeps<W>): () => void {
  const missing = MAIN_CHANNELS.filter((c) => typeof (mainHandlers as Partial<Record<InvokeChannel, unknown>>)[c] !== 'function');
  if (missing.length) throw new Error(`no main-process handler for ${missing.join(', ')}`);
  for (const channel of INVOKE_CHANNELS) {
    const spec = HARK_CHANNELS[channel];
    ipcMain.handle(channel, async (event, payload) => {
      const win = windows.senderWindow(event);
      if (!win) throw new Error(IGNORED_SENDER_MESSAGE);
      const request = spec.request(payload);
      if (spec.host === 'backend') return backend.handle(event.sender.id, channel, payload);
      const handler = mainHandlers[channel as MainChannel] as MainChannelHandler<InvokeChannel, W>;
      return handler(request as never, win);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * The backend's `emit`: sends an event to window `senderId` if it is one of Hark's and still
 * alive; otherwise the event is dropped (its window closed while work was in flight). Returns
 * whether it was sent.
 */
export function eventSender<W extends BrowserWindowLike>(windows: HarkWindows<W>) {
  return <E extends EventChannel>(senderId: number, channel: E, payload: HarkEventApi[E]): boolean => {
    if (!isEventChannel(channel)) return false;
    const receiver = windows.receiver(senderId);
    if (!receiver) return false;
    receiver.send(channel, payload);
    return true;
  };
}
