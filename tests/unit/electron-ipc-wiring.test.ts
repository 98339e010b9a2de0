/**
 * Main's IPC wiring against a fake Electron and a small real backend (it validates with
 * HARK_CHANNELS and echoes): who may talk to main, what reaches the backend, what main answers
 * itself, and where backend events go.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HARK_CHANNELS, INVOKE_CHANNELS, type InvokeChannel } from '../../src-shared/ipc/app-contract.ts';
import { APP_INDEX_URL } from '../../src-main/electron/app-origin.ts';
import { HarkWindows } from '../../src-main/electron/hark-windows.ts';
import { eventSender, IGNORED_SENDER_MESSAGE, wireIpc, type Backend } from '../../src-main/electron/ipc-wiring.ts';
import { AUDIO_FILE_FILTERS, MAIN_CHANNELS, mainChannelHandlers } from '../../src-main/electron/main-channel-handlers.ts';
import { harkWindowOptions } from '../../src-main/electron/window-options.ts';
import { DesktopIntegration } from '../../src-main/electron/desktop-integration.ts';
import { FocusedAppTypist } from '../../src-main/system/focused-app-typist.ts';
import { createFakeElectron, type FakeBrowserWindow } from './electron-fake.ts';

/** The desktop:* handlers of a real DesktopIntegration whose typist has only the clipboard. */
function desktopHandlers(fake: ReturnType<typeof createFakeElectron>, windows: HarkWindows<FakeBrowserWindow>) {
  const typist = new FocusedAppTypist({ backend: { name: 'clipboard', detail: 'no typing tool in this test' }, writeClipboard: (t) => fake.electron.clipboard.writeText(t) });
  return new DesktopIntegration({ electron: fake.electron, windows, openWindow: () => fake.newWindow(harkWindowOptions('/preload.cjs', { devTools: false })), typist, send: () => undefined, log: () => undefined }).handlers();
}

/** A backend that checks requests as the real one does and answers with what it got. */
class EchoBackend implements Backend {
  readonly handled: { senderId: number; channel: InvokeChannel; payload: unknown }[] = [];
  readonly closed: number[] = [];
  disposed = 0;

  async handle(senderId: number, channel: InvokeChannel, payload: unknown): Promise<unknown> {
    if (HARK_CHANNELS[channel].host !== 'backend') throw new Error(`${channel} is not a backend channel`);
    HARK_CHANNELS[channel].request(payload);
    this.handled.push({ senderId, channel, payload });
    return { echo: channel, senderId };
  }

  async closeSender(senderId: number): Promise<void> {
    this.closed.push(senderId);
  }

  async dispose(): Promise<void> {
    this.disposed++;
  }
}

const temps: string[] = [];
afterEach(async () => {
  for (const t of temps.splice(0)) await rm(t, { recursive: true, force: true });
});

function setup() {
  const fake = createFakeElectron();
  const backend = new EchoBackend();
  const windows = new HarkWindows<FakeBrowserWindow>((id) => void backend.closeSender(id));
  const unwire = wireIpc({ ipcMain: fake.ipcMain, windows, backend, mainHandlers: mainChannelHandlers({ dialog: fake.electron.dialog, app: fake.app, desktop: desktopHandlers(fake, windows) }) });
  const open = () => {
    const win = fake.newWindow(harkWindowOptions('/preload.cjs', { devTools: false }));
    windows.add(win);
    void win.loadURL(APP_INDEX_URL);
    return win;
  };
  return { ...fake, backend, windows, unwire, open };
}

describe('ipc wiring', () => {
  it('registers a handler for exactly the invoke channels, and removes them', () => {
    const { ipcMain, unwire } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unwire();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('names the main-process channels by the dialog: and desktop: convention, matching the table', () => {
    expect(MAIN_CHANNELS.length).toBeGreaterThan(0);
    for (const c of INVOKE_CHANNELS) expect(HARK_CHANNELS[c].host === 'main', c).toBe(c.startsWith('dialog:') || c.startsWith('desktop:'));
  });

  it('refuses to start without a handler for every main channel', () => {
    const fake = createFakeElectron();
    const handlers = mainChannelHandlers({ dialog: fake.electron.dialog, app: fake.app, desktop: desktopHandlers(fake, new HarkWindows<FakeBrowserWindow>(() => undefined)) });
    const partial = { ...handlers } as Partial<typeof handlers>;
    delete partial['dialog:save-text'];
    expect(() => wireIpc({ ipcMain: fake.ipcMain, windows: new HarkWindows<FakeBrowserWindow>(() => undefined), backend: new EchoBackend(), mainHandlers: partial as typeof handlers }))
      .toThrow(/dialog:save-text/);
  });

  it('ignores a message from a webContents that is not a Hark window', async () => {
    const { ipcMain, backend, state, newWindow } = setup();
    // A window Hark did not register (another module's, a devtools page, ...), even on the app origin.
    const stranger = newWindow(harkWindowOptions('/preload.cjs', { devTools: false }));
    stranger.webContents.mainFrame = { url: APP_INDEX_URL, parent: null };
    for (const channel of ['settings:get', 'dialog:open-audio'] as const) {
      await expect(ipcMain.invoke(stranger.webContents.invokeEvent(), channel, {})).rejects.toThrow(IGNORED_SENDER_MESSAGE);
    }
    expect(backend.handled).toEqual([]);
    expect(state.openDialog).toEqual([]);
  });

  it('ignores a message from a foreign origin or a subframe of a Hark window', async () => {
    const { ipcMain, backend, open } = setup();
    const win = open();
    const wc = win.webContents;
    const foreign = [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/index.html', parent: null },
      { url: 'app://other/index.html', parent: null },
      { url: APP_INDEX_URL, parent: wc.mainFrame },
    ];
    for (const frame of foreign) {
      await expect(ipcMain.invoke(wc.invokeEvent(frame), 'settings:get', {}), frame.url).rejects.toThrow(IGNORED_SENDER_MESSAGE);
    }
    await expect(ipcMain.invoke(wc.invokeEvent(null), 'settings:get', {})).rejects.toThrow(IGNORED_SENDER_MESSAGE);
    // The page itself after it navigated away (lockdown aside).
    wc.mainFrame = { url: 'https://evil.example/', parent: null };
    await expect(ipcMain.invoke(wc.invokeEvent(), 'settings:get', {})).rejects.toThrow(IGNORED_SENDER_MESSAGE);
    expect(backend.handled).toEqual([]);
  });

  it('ignores a message from a window that has closed', async () => {
    const { ipcMain, backend, open } = setup();
    const win = open();
    const event = win.webContents.invokeEvent();
    win.close();
    await expect(ipcMain.invoke(event, 'settings:get', {})).rejects.toThrow(IGNORED_SENDER_MESSAGE);
    expect(backend.handled).toEqual([]);
  });

  it("rejects an invalid payload with the validator's message before the backend sees it", async () => {
    const { ipcMain, backend, state, open } = setup();
    const wc = open().webContents;
    await expect(ipcMain.invoke(wc.invokeEvent(), 'files:cancel', { jobId: 7 })).rejects.toThrow('files:cancel: jobId must be a string, got');
    await expect(ipcMain.invoke(wc.invokeEvent(), 'settings:set', { patch: { pushMs: 5 } })).rejects.toThrow('settings:set: patch.pushMs must be in [20, 200], got 5');
    await expect(ipcMain.invoke(wc.invokeEvent(), 'settings:get', { extra: 1 })).rejects.toThrow(/settings:get: request/);
    await expect(ipcMain.invoke(wc.invokeEvent(), 'dialog:save-text', { fileName: '../x.txt', text: 'hi' })).rejects.toThrow('dialog:save-text: fileName must be a plain file name');
    expect(backend.handled).toEqual([]);
    expect(state.saveDialog).toEqual([]);
  });

  it('forwards a valid request to the backend with the sender id', async () => {
    const { ipcMain, backend, open } = setup();
    const a = open().webContents;
    const b = open().webContents;
    expect(await ipcMain.invoke(a.invokeEvent(), 'files:cancel', { jobId: 'j1' })).toEqual({ echo: 'files:cancel', senderId: a.id });
    expect(await ipcMain.invoke(b.invokeEvent(), 'settings:get', undefined)).toEqual({ echo: 'settings:get', senderId: b.id });
    expect(backend.handled).toEqual([
      { senderId: a.id, channel: 'files:cancel', payload: { jobId: 'j1' } },
      { senderId: b.id, channel: 'settings:get', payload: undefined },
    ]);
  });

  it('answers dialog:open-audio with the chosen files, modal to the asking window', async () => {
    const { ipcMain, backend, state, open } = setup();
    const win = open();
    state.nextOpenResult = { canceled: false, filePaths: ['/music/a.wav', '/music/b c.flac'] };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:open-audio', {})).toEqual({
      files: [{ name: 'a.wav', path: '/music/a.wav' }, { name: 'b c.flac', path: '/music/b c.flac' }],
    });
    expect(state.openDialog[0].window).toBe(win);
    expect(state.openDialog[0].options).toMatchObject({ properties: ['openFile', 'multiSelections'], filters: AUDIO_FILE_FILTERS });
    state.nextOpenResult = { canceled: true, filePaths: [] };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:open-audio', undefined)).toEqual({ files: [] });
    expect(backend.handled).toEqual([]);
  });

  it('answers dialog:choose-folder with the chosen folder (null when cancelled), for import and export', async () => {
    const { ipcMain, backend, state, open } = setup();
    const win = open();
    state.nextOpenResult = { canceled: false, filePaths: ['/models/tiny-1.0'] };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:choose-folder', { purpose: 'import-model' })).toEqual({ path: '/models/tiny-1.0' });
    expect(state.openDialog[0].window).toBe(win);
    expect(state.openDialog[0].options).toMatchObject({ properties: ['openDirectory'] });
    state.nextOpenResult = { canceled: false, filePaths: ['/backup/new'] };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:choose-folder', { purpose: 'export-model' })).toEqual({ path: '/backup/new' });
    expect(state.openDialog[1].options).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
    state.nextOpenResult = { canceled: true, filePaths: [] };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:choose-folder', { purpose: 'export-model' })).toEqual({ path: null });
    await expect(ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:choose-folder', { purpose: 'delete-everything' })).rejects.toThrow(/purpose must be one of import-model, export-model/);
    expect(state.openDialog).toHaveLength(3);
    expect(backend.handled).toEqual([]);
  });

  it('answers dialog:save-text by writing the file where the user chose', async () => {
    const { ipcMain, state, open } = setup();
    const dir = await mkdtemp(join(tmpdir(), 'hark-save-'));
    temps.push(dir);
    state.paths.documents = dir;
    const win = open();
    const target = join(dir, 'talk.srt');
    state.nextSaveResult = { canceled: false, filePath: target };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:save-text', { fileName: 'talk.srt', text: '1\nhello\n' })).toEqual({ saved: true, path: target });
    expect(state.saveDialog[0].options.defaultPath).toBe(join(dir, 'talk.srt'));
    expect(state.saveDialog[0].window).toBe(win);
    expect(await readFile(target, 'utf8')).toBe('1\nhello\n');
    expect(await readdir(dir)).toEqual(['talk.srt']);
    state.nextSaveResult = { canceled: true };
    expect(await ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:save-text', { fileName: 'x.txt', text: 'y' })).toEqual({ saved: false });
    // A folder that cannot be written: a readable error, and no temporary file left behind.
    state.nextSaveResult = { canceled: false, filePath: join(dir, 'missing', 'x.txt') };
    await expect(ipcMain.invoke(win.webContents.invokeEvent(), 'dialog:save-text', { fileName: 'x.txt', text: 'y' })).rejects.toThrow(/could not save .*x\.txt \(ENOENT\)/);
    expect(await readdir(dir)).toEqual(['talk.srt']);
  });
});

describe('backend events', () => {
  it('reach a live Hark window and are dropped for a destroyed or unknown one', () => {
    const { windows, open } = setup();
    const emit = eventSender(windows);
    const a = open();
    const b = open();
    const payload = { type: 'settings' as const, settings: {} as never };
    expect(emit(a.webContents.id, 'app:event', payload)).toBe(true);
    expect(a.webContents.sent).toEqual([{ channel: 'app:event', payload }]);
    expect(b.webContents.sent).toEqual([]);
    b.webContents.destroyed = true; // destroyed, its 'destroyed' event not yet delivered
    expect(emit(b.webContents.id, 'app:event', payload)).toBe(false);
    a.close();
    expect(emit(a.webContents.id, 'app:event', payload)).toBe(false);
    expect(emit(999_999, 'app:event', payload)).toBe(false);
    expect(a.webContents.sent).toHaveLength(1);
    expect(b.webContents.sent).toEqual([]);
  });

  it('are sent only on event channels', () => {
    const { windows, open } = setup();
    const a = open();
    const emit = eventSender(windows) as (id: number, channel: string, payload: unknown) => boolean;
    expect(emit(a.webContents.id, 'settings:get', {})).toBe(false);
    expect(a.webContents.sent).toEqual([]);
  });
});

describe('window lifetime', () => {
  it("releases a window's backend state when it closes, reloads, navigates or its renderer dies", () => {
    const { backend, open } = setup();
    const win = open();
    const id = win.webContents.id;
    expect(backend.closed).toEqual([id]); // its first load
    win.webContents.navigate(APP_INDEX_URL); // reload
    win.webContents.emit('did-start-navigation', { url: `${APP_INDEX_URL}#files`, isMainFrame: true, isSameDocument: true, preventDefault() {} });
    win.webContents.emit('did-start-navigation', { url: 'app://hark/frame.html', isMainFrame: false, isSameDocument: false, preventDefault() {} });
    expect(backend.closed).toEqual([id, id]);
    win.webContents.emit('render-process-gone');
    expect(backend.closed).toEqual([id, id, id]);
    win.close();
    expect(backend.closed).toEqual([id, id, id, id]);
  });
});
