/**
 * The preload bridge (window.hark in Electron): only contract channels pass, listeners get the
 * payload and never the IPC event. (The bundle's imports: electron-packaging.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNELS } from '../../src-shared/ipc/app-contract.ts';
import { createPreloadBridge, remoteErrorMessage, type IpcRendererLike } from '../../src-main/electron/preload-bridge.ts';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** An in-memory ipcRenderer: invoke answers through `reply`, events come from `deliver`. */
class MemoryIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, Set<IpcListener>>();
  reply: (channel: string, payload: unknown) => Promise<unknown> = async (channel) => ({ ok: channel });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.reply(channel, args[0]);
  }

  on(channel: string, listener: IpcListener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }

  removeListener(channel: string, listener: IpcListener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  deliver(channel: string, payload: unknown): void {
    const event = { sender: { secret: 'ipcRenderer' }, ports: [] };
    for (const l of this.listeners.get(channel) ?? []) l(event, payload);
  }
}

const noWebUtils = { getPathForFile: () => '' };

describe('preload bridge', () => {
  it('is an electron bridge that invokes contract channels', async () => {
    const ipc = new MemoryIpcRenderer();
    const bridge = createPreloadBridge(ipc, noWebUtils);
    expect(bridge.kind).toBe('electron');
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge.invoke('settings:get', {})).toEqual({ ok: 'settings:get' });
    expect(ipc.invoked).toEqual([{ channel: 'settings:get', args: [{}] }]);
  });

  it('refuses channels that are not in the contract', async () => {
    const ipc = new MemoryIpcRenderer();
    const bridge = createPreloadBridge(ipc, noWebUtils) as unknown as { invoke(c: string, r: unknown): Promise<unknown>; on(c: string, l: () => void): () => void };
    for (const channel of ['shell:open', 'files:event', '__proto__', 'toString', 'constructor']) {
      await expect(bridge.invoke(channel, {}), channel).rejects.toThrow('is not a Hark channel');
    }
    for (const channel of ['settings:get', 'ELECTRON_BROWSER_REQUIRE', 'toString']) {
      expect(() => bridge.on(channel, () => undefined), channel).toThrow('is not a Hark event channel');
    }
    expect(ipc.invoked).toEqual([]);
    expect(ipc.listeners.size).toBe(0);
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const ipc = new MemoryIpcRenderer();
    const bridge = createPreloadBridge(ipc, noWebUtils);
    for (const channel of EVENT_CHANNELS) {
      const got: unknown[][] = [];
      const off = bridge.on(channel, (...args: unknown[]) => got.push(args));
      ipc.deliver(channel, { n: 1 });
      expect(got).toEqual([[{ n: 1 }]]);
      off();
      off();
      ipc.deliver(channel, { n: 2 });
      expect(got).toHaveLength(1);
      expect(ipc.listeners.get(channel)!.size).toBe(0);
    }
  });

  it('gives the page the reason of a rejection, without Electron\'s wrapping', async () => {
    const ipc = new MemoryIpcRenderer();
    ipc.reply = async (channel) => {
      throw new Error(`Error invoking remote method '${channel}': IpcPayloadError: files:cancel: jobId must be a string, got number`);
    };
    const bridge = createPreloadBridge(ipc, noWebUtils);
    await expect(bridge.invoke('files:cancel', { jobId: 'x' })).rejects.toThrow(/^files:cancel: jobId must be a string, got number$/);
    expect(remoteErrorMessage("Error invoking remote method 'a:b': Error: the model is loading")).toBe('the model is loading');
    expect(remoteErrorMessage('plain')).toBe('plain');
  });

  it('finds the path of a dropped file, or null', () => {
    const file = {} as File;
    expect(createPreloadBridge(new MemoryIpcRenderer(), { getPathForFile: (f) => (f === file ? '/music/a.wav' : '') }).pathForFile(file)).toBe('/music/a.wav');
    expect(createPreloadBridge(new MemoryIpcRenderer(), noWebUtils).pathForFile(file)).toBeNull();
    expect(createPreloadBridge(new MemoryIpcRenderer(), { getPathForFile: () => { throw new Error('not a File'); } }).pathForFile(file)).toBeNull();
  });
});
