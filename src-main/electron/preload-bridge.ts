/**
 * The renderer's `window.hark` in Electron (HarkBridge), built from the IPC contract: only
 * channels of HARK_CHANNELS may be invoked and only EVENT_CHANNELS listened to, and a listener
 * gets the payload alone, never the IpcRendererEvent (which would hand the page `sender`).
 * Pure: preload.ts passes Electron's ipcRenderer and webUtils; tests pass their own.
 */
import {
  isEventChannel, isInvokeChannel, type EventChannel, type HarkBridge, type HarkEventApi, type InvokeChannel,
  type RequestOf, type ResponseOf,
} from '../../src-shared/ipc/app-contract.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/**
 * Electron wraps a handler's rejection as "Error invoking remote method 'ch': Error: reason";
 * the page gets the reason alone.
 */
export function remoteErrorMessage(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
}

export function createPreloadBridge(ipc: IpcRendererLike, webUtils: WebUtilsLike): HarkBridge {
  return Object.freeze({
    kind: 'electron' as const,
    async invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      if (!isInvokeChannel(channel)) throw new Error(`"${String(channel)}" is not a Hark channel`);
      try {
        return (await ipc.invoke(channel, request)) as ResponseOf<C>;
      } catch (e) {
        throw new Error(remoteErrorMessage(e instanceof Error ? e.message : String(e)));
      }
    },
    on<E extends EventChannel>(channel: E, listener: (payload: HarkEventApi[E]) => void): () => void {
      if (!isEventChannel(channel)) throw new Error(`"${String(channel)}" is not a Hark event channel`);
      if (typeof listener !== 'function') throw new Error('the listener must be a function');
      const forward = (_event: unknown, payload: unknown) => listener(payload as HarkEventApi[E]);
      ipc.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, forward);
      };
    },
    pathForFile(file: File): string | null {
      try {
        return webUtils.getPathForFile(file) || null;
      } catch {
        return null;
      }
    },
  });
}
