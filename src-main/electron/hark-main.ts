/**
 * The main process of the desktop app, given Electron as a parameter (main.ts passes the real
 * module; tests pass a fake): single instance, the app:// protocol, the permission policy, the
 * menu, one window, the IPC wiring, the backend's lifetime (started when the app is ready,
 * disposed before it quits), and the desktop integration (global shortcuts and tray, which follow
 * the backend's settings, and typing into other applications).
 */
import { settingsFromStored, type Settings } from '../../src-shared/ipc/app-contract.ts';
import { findExecutable } from '../system/find-executable.ts';
import { FocusedAppTypist } from '../system/focused-app-typist.ts';
import type { InsertionEnvironment } from '../system/text-insertion-backends.ts';
import { APP_INDEX_URL, APP_SCHEME } from './app-origin.ts';
import { appMenuTemplate } from './app-menu.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol.ts';
import { DesktopIntegration } from './desktop-integration.ts';
import type { BrowserWindowLike, ElectronLike, NativeImageLike } from './electron-like.ts';
import { HarkWindows } from './hark-windows.ts';
import { eventSender, wireIpc, type Backend } from './ipc-wiring.ts';
import { mainChannelHandlers } from './main-channel-handlers.ts';
import { lockDownNavigation } from './navigation-lockdown.ts';
import { installPermissionPolicy } from './permission-policy.ts';
import { harkWindowOptions } from './window-options.ts';

export type EmitEvent = ReturnType<typeof eventSender>;

/**
 * The sender id main itself uses towards the backend (webContents ids start at 1): it reads the
 * settings with it, so the backend's settings events reach main even before a window asks anything.
 */
export const MAIN_SENDER_ID = 0;

export interface HarkMainOptions {
  /** The renderer's folder (dist-renderer), served on app://hark/. */
  rendererDir: string;
  /** The sandboxed preload bundle (dist-electron/preload.cjs). */
  preloadPath: string;
  platform: NodeJS.Platform;
  /** Starts the backend once the app is ready; `emit` delivers its events to their window. */
  startBackend: (emit: EmitEvent) => Backend;
  /**
   * Where typing into other applications looks for its tools (default: this platform, this
   * process's environment and PATH), and the environment the tools run with (default process.env).
   */
  insertion?: InsertionEnvironment;
  toolEnv?: NodeJS.ProcessEnv;
  /** How long quitting waits for the backend to shut down. */
  disposeTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface HarkMain<W extends BrowserWindowLike> {
  /** Resolves with the first window once the app is ready and the window is loading. */
  ready: Promise<W>;
  /** Resolves once the global shortcuts follow the stored settings. */
  settingsApplied: Promise<void>;
  windows: HarkWindows<W>;
  openWindow(): W;
}

/** Returns null when another instance already runs (this one then quits). */
export function createHarkMain<W extends BrowserWindowLike, I extends NativeImageLike>(electron: ElectronLike<W, I>, opts: HarkMainOptions): HarkMain<W> | null {
  const { app } = electron;
  const log = opts.log ?? ((m: string) => console.error(`hark: ${m}`));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Must happen before 'ready'.
  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);

  let backend: Backend | null = null;
  let unwire: (() => void) | null = null;
  let desktop: DesktopIntegration<W, I> | null = null;
  const windows = new HarkWindows<W>((senderId) => {
    desktop?.senderGone(senderId);
    backend?.closeSender(senderId).catch((e: unknown) => log(`releasing window ${senderId} failed: ${(e as Error).message}`));
  });

  const openWindow = (): W => {
    const win = new electron.BrowserWindow(harkWindowOptions(opts.preloadPath, { devTools: !app.isPackaged }));
    windows.add(win);
    win.once('ready-to-show', () => win.show());
    win.loadURL(APP_INDEX_URL).catch((e: unknown) => log(`the window could not load ${APP_INDEX_URL}: ${(e as Error).message}`));
    return win;
  };

  app.on('web-contents-created', (_event, webContents) => lockDownNavigation(webContents, electron.shell));
  app.on('second-instance', () => {
    const [win] = windows.all();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (opts.platform !== 'darwin') app.quit();
  });

  let isReady = false;
  app.on('activate', () => {
    if (isReady && windows.all().length === 0) openWindow();
  });

  // Quitting waits (bounded) for the backend to stop its worker, then quits for real.
  let quitting = false;
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !backend) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    desktop?.dispose();
    unwire?.();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, opts.disposeTimeoutMs ?? 3000).unref?.());
    Promise.race([backend.dispose().catch((e: unknown) => log(`shutting down the backend failed: ${(e as Error).message}`)), timeout]).finally(() => {
      disposed = true;
      app.quit();
    });
  });

  let settingsApplied: Promise<void> = Promise.resolve();
  const ready = app.whenReady().then(() => {
    isReady = true;
    electron.protocol.handle(APP_SCHEME, appProtocolHandler(opts.rendererDir));
    installPermissionPolicy(electron.session.defaultSession);
    electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(appMenuTemplate({ appName: app.getName(), isPackaged: app.isPackaged, platform: opts.platform })));
    const send = eventSender(windows);
    const typist = FocusedAppTypist.forSession((text) => electron.clipboard.writeText(text),
      opts.insertion ?? { platform: opts.platform, env: process.env, find: (cmd) => findExecutable(cmd) }, opts.toolEnv);
    const integration = new DesktopIntegration<W, I>({ electron, windows, openWindow, typist, send: (id, payload) => send(id, 'desktop:event', payload), log });
    desktop = integration;
    integration.startTray();
    // Main watches the backend's settings events on their way to the windows.
    const started = opts.startBackend((senderId, channel, payload) => {
      if (channel === 'app:event' && (payload as { type: string }).type === 'settings') integration.applySettings((payload as { settings: Settings }).settings);
      return send(senderId, channel, payload);
    });
    backend = started;
    settingsApplied = started.handle(MAIN_SENDER_ID, 'settings:get', {}).then(
      (stored) => integration.applySettings(settingsFromStored(stored).settings),
      (e: unknown) => log(`reading the settings for the global shortcuts failed: ${(e as Error).message}`),
    );
    unwire = wireIpc({ ipcMain: electron.ipcMain, windows, backend, mainHandlers: mainChannelHandlers({ dialog: electron.dialog, app, desktop: integration.handlers() }) });
    return openWindow();
  });
  return { ready, get settingsApplied() { return ready.then(() => settingsApplied); }, windows, openWindow };
}
