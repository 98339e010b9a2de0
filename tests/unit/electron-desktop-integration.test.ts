/**
 * The desktop integration of main (desktop-integration.ts through createHarkMain) against the
 * recording Electron stand-in and a small backend over a real SettingsStore that broadcasts
 * settings events as the app's backend does: global shortcuts registered from the stored
 * settings, re-registered when a window changes them, a conflict reported to the window; presses
 * and the tray's menu sent to the window; the tray's icon, tooltip and menu following the
 * listening state the window reports; desktop:insert typing only when allowed, else the clipboard.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HARK_CHANNELS, type DesktopEvent, type EventChannel, type HarkEventApi, type InvokeChannel } from '../../src-shared/ipc/app-contract.ts';
import { SettingsStore } from '../../src-main/backend/settings-store.ts';
import { createHarkMain, MAIN_SENDER_ID, type EmitEvent } from '../../src-main/electron/hark-main.ts';
import type { Backend } from '../../src-main/electron/ipc-wiring.ts';
import { TRAY_ICON_PIXELS } from '../../src-main/electron/tray-icon.ts';
import { createFakeElectron, type FakeBrowserWindow } from './electron-fake.ts';

/** settings:get / settings:set over a real store; a change is broadcast to every sender, as AppBackend does. */
class SettingsBackend implements Backend {
  private readonly senders = new Set<number>();
  emit: EmitEvent | null = null;
  constructor(readonly store: SettingsStore) {}
  async handle(senderId: number, channel: InvokeChannel, payload: unknown): Promise<unknown> {
    this.senders.add(senderId);
    if (channel === 'settings:get') return this.store.get();
    if (channel === 'settings:set') {
      const after = await this.store.update(HARK_CHANNELS['settings:set'].request(payload).patch);
      for (const s of this.senders) this.emit!(s, 'app:event', { type: 'settings', settings: after });
      return after;
    }
    throw new Error(`${channel} is not answered in this test`);
  }
  async closeSender(senderId: number): Promise<void> {
    this.senders.delete(senderId);
  }
  async dispose(): Promise<void> {}
}

const temps: string[] = [];
afterEach(async () => {
  for (const t of temps.splice(0)) await rm(t, { recursive: true, force: true });
});

async function start(opts: { settingsJson?: object; takenShortcuts?: string[] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'hark-desktop-'));
  temps.push(dir);
  // A user who chose a toggle shortcut (there is none by default), unless the test says otherwise.
  await writeFile(join(dir, 'settings.json'), JSON.stringify(opts.settingsJson ?? { toggleShortcut: 'CommandOrControl+Alt+H' }));
  const fake = createFakeElectron();
  for (const s of opts.takenShortcuts ?? []) fake.state.takenShortcuts.add(s);
  const backend = new SettingsBackend(await SettingsStore.open(dir));
  const logs: string[] = [];
  const main = createHarkMain(fake.electron, {
    rendererDir: dir,
    preloadPath: '/app/preload.cjs',
    platform: 'linux',
    startBackend: (emit) => {
      backend.emit = emit;
      return backend;
    },
    // No typing tool on this PATH: edits go to the clipboard.
    insertion: { platform: 'linux', env: { DISPLAY: ':0' }, find: () => null },
    log: (m) => logs.push(m),
  })!;
  fake.makeReady();
  const win = await main.ready;
  await main.settingsApplied;
  const tray = () => fake.state.trays[0];
  const invoke = (channel: InvokeChannel, payload: unknown, w: FakeBrowserWindow = win) => fake.ipcMain.invoke(w.webContents.invokeEvent(), channel, payload);
  const desktopEvents = (w: FakeBrowserWindow = win) => w.webContents.sent.filter((m) => m.channel === 'desktop:event').map((m) => m.payload as DesktopEvent);
  return { ...fake, main, win, backend, logs, tray, invoke, desktopEvents };
}

/** The B, G, R, A bytes of the tray icon's centre. */
const centre = (t: ReturnType<Awaited<ReturnType<typeof start>>['tray']>) => t.image.pixel(TRAY_ICON_PIXELS / 2, TRAY_ICON_PIXELS / 2);

describe('global shortcuts', () => {
  it('registers the stored shortcuts once the settings are read, and sends presses to the window', async () => {
    const { state, pressShortcut, desktopEvents, invoke } = await start({ settingsJson: { toggleShortcut: 'CommandOrControl+Alt+H', pushToTalkShortcut: 'Control+Alt+Space' } });
    expect([...state.shortcuts.keys()].sort()).toEqual(['CommandOrControl+Alt+H', 'Control+Alt+Space']);
    pressShortcut('CommandOrControl+Alt+H');
    pressShortcut('Control+Alt+Space');
    // The window opened before the settings were read: it was told the status when they were.
    expect(desktopEvents()[0]).toMatchObject({ type: 'status', status: { shortcuts: { toggle: { registered: true } } } });
    expect(desktopEvents().slice(1)).toEqual([{ type: 'shortcut', action: 'toggle' }, { type: 'shortcut', action: 'push-to-talk' }]);
    expect(await invoke('desktop:status', {})).toEqual({
      available: true,
      insertion: { backend: 'clipboard', detail: expect.stringMatching(/^X11 without xdotool/) },
      shortcuts: {
        toggle: { accelerator: 'CommandOrControl+Alt+H', registered: true, problem: null },
        'push-to-talk': { accelerator: 'Control+Alt+Space', registered: true, problem: null },
      },
    });
  });

  it('registers nothing for an older settings file (no shortcut settings): shortcuts are opt-in', async () => {
    const { state, backend, invoke } = await start({ settingsJson: { mode: 'dictation', endpointSilenceSec: 0.8 } });
    expect(backend.store.problems).toEqual([]);
    expect(state.shortcutCalls).toEqual([]);
    const none = { accelerator: '', registered: false, problem: null };
    expect(((await invoke('desktop:status', {})) as { shortcuts: unknown }).shortcuts).toEqual({ toggle: none, 'push-to-talk': none });
  });

  it('re-registers when a window changes the settings, and tells the window', async () => {
    const { state, invoke, desktopEvents, pressShortcut } = await start();
    state.shortcutCalls.length = 0;
    await invoke('settings:get', {});
    await invoke('settings:set', { patch: { toggleShortcut: 'ctrl+shift+f9', pushToTalkShortcut: 'Alt+F10' } });
    expect(state.shortcutCalls).toEqual(['unregister CommandOrControl+Alt+H', 'register Control+Shift+F9', 'register Alt+F10']);
    expect([...state.shortcuts.keys()].sort()).toEqual(['Alt+F10', 'Control+Shift+F9']);
    const status = desktopEvents().filter((e) => e.type === 'status');
    expect(status.at(-1)).toMatchObject({ status: { shortcuts: { toggle: { accelerator: 'Control+Shift+F9', registered: true }, 'push-to-talk': { accelerator: 'Alt+F10', registered: true } } } });
    pressShortcut('Alt+F10');
    expect(desktopEvents().at(-1)).toEqual({ type: 'shortcut', action: 'push-to-talk' });
    // The same settings again: nothing is registered twice.
    state.shortcutCalls.length = 0;
    await invoke('settings:set', { patch: { endpointSilenceSec: 0.7 } });
    expect(state.shortcutCalls).toEqual([]);
    // Cleared: unregistered.
    await invoke('settings:set', { patch: { pushToTalkShortcut: '' } });
    expect(state.shortcutCalls).toEqual(['unregister Alt+F10']);
    expect([...state.shortcuts.keys()]).toEqual(['Control+Shift+F9']);
  });

  it('reports a shortcut another application holds, and one that repeats the other', async () => {
    const { state, invoke, desktopEvents, logs } = await start({ takenShortcuts: ['Control+Alt+K'] });
    await invoke('settings:get', {});
    await invoke('settings:set', { patch: { pushToTalkShortcut: 'ctrl+alt+k' } });
    const taken = { accelerator: 'Control+Alt+K', registered: false, problem: 'Control+Alt+K could not be registered: another application (or the desktop) uses it' };
    expect(desktopEvents().at(-1)).toEqual({ type: 'status', status: expect.objectContaining({ shortcuts: { toggle: expect.objectContaining({ registered: true }), 'push-to-talk': taken } }) });
    expect(logs).toContain(`global shortcut: ${taken.problem}`);
    await invoke('settings:set', { patch: { pushToTalkShortcut: 'CommandOrControl+Alt+H' } });
    expect(((await invoke('desktop:status', {})) as { shortcuts: unknown }).shortcuts).toEqual({
      toggle: { accelerator: 'CommandOrControl+Alt+H', registered: true, problem: null },
      'push-to-talk': { accelerator: 'CommandOrControl+Alt+H', registered: false, problem: 'CommandOrControl+Alt+H is already the toggle shortcut' },
    });
    // The other application let go: the next settings change registers it.
    state.takenShortcuts.clear();
    await invoke('settings:set', { patch: { pushToTalkShortcut: 'Control+Alt+K' } });
    expect([...state.shortcuts.keys()].sort()).toEqual(['CommandOrControl+Alt+H', 'Control+Alt+K']);
  });

  it('unregisters everything and removes the tray when the app quits', async () => {
    const { state, app, tray } = await start();
    app.emit('will-quit', { preventDefault() {} });
    expect(state.shortcuts.size).toBe(0);
    expect(state.shortcutCalls.at(-1)).toBe('unregister CommandOrControl+Alt+H');
    expect(tray().destroyed).toBe(true);
  });
});

describe('tray', () => {
  it('shows the listening state the window reports, and its menu acts', async () => {
    const { tray, invoke, win, desktopEvents, state, main } = await start();
    const t = tray();
    expect(t.toolTips.at(-1)).toBe('Hark: not listening');
    expect(t.menu.map((i) => i.label ?? i.type)).toEqual(['Start listening', 'Show window', 'separator', 'Quit Hark']);
    expect(centre(t)[3]).toBe(0); // a ring: transparent in the middle
    expect(t.image.scaleFactor).toBe(2);

    t.clickItem('Start listening');
    expect(desktopEvents().at(-1)).toEqual({ type: 'listen', listen: true });
    await invoke('desktop:listening', { listening: true });
    expect(t.toolTips.at(-1)).toBe('Hark: listening');
    expect(t.menu[0].label).toBe('Stop listening');
    const [b, g, r, a] = centre(t);
    expect({ r, g, b, a }).toEqual({ r: 0xe5, g: 0x48, b: 0x4d, a: 255 });

    t.clickItem('Stop listening');
    expect(desktopEvents().at(-1)).toEqual({ type: 'listen', listen: false });
    await invoke('desktop:listening', { listening: false });
    expect(t.toolTips.at(-1)).toBe('Hark: not listening');
    expect(centre(t)[3]).toBe(0);

    // A window that goes away while listening stops counting.
    await invoke('desktop:listening', { listening: true });
    win.minimized = true;
    t.clickItem('Show window');
    expect(win.minimized).toBe(false);
    expect(win.focused).toBeGreaterThan(0);
    win.close();
    expect(t.toolTips.at(-1)).toBe('Hark: not listening');
    // No window: the menu opens one.
    t.clickItem('Start listening');
    expect(state.windows).toHaveLength(2);
    expect(main.windows.all()).toHaveLength(1);
    t.clickItem('Quit Hark');
    expect(state.calls).toContain('quit');
  });

  it('ignores desktop messages from a page that is not Hark', async () => {
    const { invoke, win, tray } = await start();
    win.webContents.mainFrame = { url: 'https://evil.example/', parent: null };
    await expect(invoke('desktop:listening', { listening: true })).rejects.toThrow(/not a Hark window/);
    await expect(invoke('desktop:insert', { erase: 0, text: 'rm -rf ~\n' })).rejects.toThrow(/not a Hark window/);
    expect(tray().toolTips.at(-1)).toBe('Hark: not listening');
  });
});

describe('desktop:insert', () => {
  it('types only when the setting is on and Hark is not focused; with no tool, the clipboard', async () => {
    const { invoke, state, win } = await start();
    expect(await invoke('desktop:insert', { erase: 0, text: 'Hello.' })).toEqual({ method: 'skipped', message: 'Typing into other applications is off (Settings).' });
    await invoke('settings:set', { patch: { typeIntoFocusedApp: true } });
    win.hasFocus = true;
    expect(await invoke('desktop:insert', { erase: 0, text: 'Hello.' })).toEqual({ method: 'skipped', message: "Hark's own window has the focus: nothing was typed." });
    expect(state.clipboard).toEqual([]);
    win.hasFocus = false;
    expect(await invoke('desktop:insert', { erase: 2, text: 'Hello.\nCafé “ok”' })).toEqual({ method: 'clipboard', message: expect.stringMatching(/^X11 without xdotool: text is copied to the clipboard/) });
    expect(state.clipboard).toEqual(['Hello.\nCafé “ok”']);
  });

  it('validates the edit', async () => {
    const { invoke } = await start();
    await expect(invoke('desktop:insert', { erase: -1, text: '' })).rejects.toThrow(/erase must be in \[0, 20000\]/);
    await expect(invoke('desktop:insert', { erase: 1.5, text: '' })).rejects.toThrow(/erase must be an integer/);
    await expect(invoke('desktop:insert', { erase: 0, text: 'x', shell: 'sh' })).rejects.toThrow(/unknown field "shell"/);
    await expect(invoke('desktop:listening', { listening: 'yes' })).rejects.toThrow(/listening must be true or false/);
  });
});

it('reads the settings as sender MAIN_SENDER_ID, which no window has', async () => {
  const { win } = await start();
  expect(MAIN_SENDER_ID).toBe(0);
  expect(win.webContents.id).toBeGreaterThan(0);
});

// Keeps the event types honest: desktop:event is an event channel of the contract.
const _check: EventChannel = 'desktop:event';
const _payload: HarkEventApi['desktop:event'] = { type: 'listen', listen: true };
void _check;
void _payload;
