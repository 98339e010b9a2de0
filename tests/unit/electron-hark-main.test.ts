/**
 * The app's lifecycle in main (createHarkMain) against a fake Electron: single instance, the
 * privileged scheme before ready, the protocol, permissions and menu after it, one locked-down
 * window on app://hark/, and the backend's lifetime.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../src-shared/ipc/app-contract.ts';
import { APP_INDEX_URL, APP_ORIGIN } from '../../src-main/electron/app-origin.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-main/backend/renderer-csp.ts';
import type { MenuItemSpec } from '../../src-main/electron/electron-like.ts';
import { createHarkMain, type EmitEvent } from '../../src-main/electron/hark-main.ts';
import type { Backend } from '../../src-main/electron/ipc-wiring.ts';
import { createFakeElectron, navigationEvent } from './electron-fake.ts';

class RecordingBackend implements Backend {
  readonly handled: [number, InvokeChannel][] = [];
  readonly closed: number[] = [];
  disposed = 0;
  disposeDelayMs = 0;
  async handle(senderId: number, channel: InvokeChannel): Promise<unknown> {
    this.handled.push([senderId, channel]);
    return { ok: true };
  }
  async closeSender(senderId: number): Promise<void> {
    this.closed.push(senderId);
  }
  async dispose(): Promise<void> {
    this.disposed++;
    await new Promise((r) => setTimeout(r, this.disposeDelayMs));
  }
}

let rendererDir: string;
beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'hark-main-'));
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
});
afterAll(async () => {
  await rm(rendererDir, { recursive: true, force: true });
});

function start(opts: { platform?: NodeJS.Platform; isPackaged?: boolean; singleInstance?: boolean; disposeTimeoutMs?: number } = {}) {
  const fake = createFakeElectron({ isPackaged: opts.isPackaged, singleInstance: opts.singleInstance });
  const backend = new RecordingBackend();
  let emit: EmitEvent | null = null;
  const main = createHarkMain(fake.electron, {
    rendererDir,
    preloadPath: '/app/dist-electron/preload.cjs',
    platform: opts.platform ?? 'linux',
    startBackend: (e) => {
      emit = e;
      return backend;
    },
    disposeTimeoutMs: opts.disposeTimeoutMs,
    log: () => undefined,
  });
  return { ...fake, backend, main, emit: () => emit! };
}

const roles = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

describe('createHarkMain', () => {
  it('quits at once when another instance holds the lock', () => {
    const { main, state } = start({ singleInstance: false });
    expect(main).toBeNull();
    expect(state.calls).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('registers the privileged scheme before ready and nothing else', () => {
    const { state } = start();
    expect(state.calls).toEqual(['requestSingleInstanceLock', 'registerSchemesAsPrivileged']);
    expect(state.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(state.windows).toEqual([]);
  });

  it('once ready serves app://, sets the policy and menu, and opens one window on the app', async () => {
    const { main, state, makeReady, ipcMain, emit } = start();
    makeReady();
    const win = await main!.ready;
    expect(state.calls.indexOf('protocol.handle app')).toBeLessThan(state.calls.indexOf('new BrowserWindow'));
    expect(state.windows).toEqual([win]);
    expect(win.loaded).toEqual([APP_INDEX_URL]);
    expect(win.options.webPreferences).toMatchObject({ preload: '/app/dist-electron/preload.cjs', sandbox: true, contextIsolation: true, devTools: true });
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    // Locked down through 'web-contents-created'.
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const nav = navigationEvent('https://example.com/');
    win.webContents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    // Permissions.
    const granted: boolean[] = [];
    state.permissionRequest!(win.webContents, 'media', (g) => granted.push(g), { requestingUrl: APP_INDEX_URL, isMainFrame: true, mediaTypes: ['audio'] });
    state.permissionRequest!(win.webContents, 'geolocation', (g) => granted.push(g), { requestingUrl: APP_INDEX_URL, isMainFrame: true });
    expect(granted).toEqual([true, false]);
    expect(state.permissionCheck!(win.webContents, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(true);
    // The protocol answers with the policy.
    const response = await state.protocolHandlers.get('app')!(new Request(APP_INDEX_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // IPC is wired and answers this window; events reach it.
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'app:info', {})).toEqual({ ok: true });
    emit()(win.webContents.id, 'files:event', { jobId: 'j', state: 'queued', name: 'a.wav' });
    // (The desktop integration's status reaches it too, once main has read the settings.)
    expect(win.webContents.sent.filter((m) => m.channel !== 'desktop:event')).toEqual([{ channel: 'files:event', payload: { jobId: 'j', state: 'queued', name: 'a.wav' } }]);
  });

  it('has reload and DevTools only in a development build', async () => {
    const dev = start({ isPackaged: false });
    dev.makeReady();
    await dev.main!.ready;
    expect(roles(dev.state.menu!)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'copy', 'paste', 'about']));
    const packaged = start({ isPackaged: true });
    packaged.makeReady();
    const win = await packaged.main!.ready;
    expect(roles(packaged.state.menu!)).not.toContain('toggleDevTools');
    expect(roles(packaged.state.menu!)).not.toContain('reload');
    expect(win.options.webPreferences.devTools).toBe(false);
  });

  it('focuses the existing window when a second instance starts', async () => {
    const { main, app, makeReady, state } = start();
    makeReady();
    const win = await main!.ready;
    win.minimized = true;
    app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(1);
    expect(state.windows).toHaveLength(1);
  });

  it('quits when the last window closes, except on macOS', async () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { main, app, makeReady, state, backend } = start({ platform });
      makeReady();
      const win = await main!.ready;
      win.close();
      expect(backend.closed).toContain(win.webContents.id);
      app.emit('window-all-closed');
      expect(state.calls.includes('quit'), platform).toBe(platform !== 'darwin');
      if (platform === 'darwin') {
        app.emit('activate');
        expect(state.windows).toHaveLength(2);
      }
    }
  });

  it('disposes the backend before quitting, once', async () => {
    const { main, app, makeReady, state, backend, ipcMain } = start();
    makeReady();
    await main!.ready;
    const first = navigationEvent('');
    app.emit('will-quit', first);
    expect(first.defaultPrevented).toBe(true);
    app.emit('will-quit', navigationEvent(''));
    expect(ipcMain.handlers.size).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(backend.disposed).toBe(1);
    expect(state.calls.filter((c) => c === 'quit')).toHaveLength(1);
    const last = navigationEvent('');
    app.emit('will-quit', last);
    expect(last.defaultPrevented).toBe(false);
  });

  it('does not wait forever for a backend that will not stop', async () => {
    const { main, app, makeReady, state, backend } = start({ disposeTimeoutMs: 20 });
    backend.disposeDelayMs = 500;
    makeReady();
    await main!.ready;
    app.emit('will-quit', navigationEvent(''));
    await new Promise((r) => setTimeout(r, 60));
    expect(state.calls.filter((c) => c === 'quit')).toHaveLength(1);
  });
});
