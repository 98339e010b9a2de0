/**
 * Hark outside its window: the global shortcuts and the tray follow the settings and the
 * listening state, and dictation finals are typed into the focused application of another
 * program (desktop-contract.ts says who does what).
 *
 * - A shortcut press or the tray's Start / Stop goes to Hark's first window as desktop:event; with
 *   no window open (macOS keeps running without one) a window is opened and the press is not
 *   replayed: press again once it shows.
 * - The tray shows listening while any window reports that it listens (desktop:listening); a
 *   window that goes away stops counting.
 * - desktop:insert types only while the setting typeIntoFocusedApp is on and none of Hark's own
 *   windows has the focus (then the focused application is Hark itself).
 */
import type { DesktopEvent, DesktopStatus, InsertionOutcome, RequestOf, Settings, ShortcutAction } from '../../src-shared/ipc/app-contract.ts';
import type { FocusedAppTypist } from '../system/focused-app-typist.ts';
import type { BrowserWindowLike, ElectronLike, NativeImageLike, TrayLike } from './electron-like.ts';
import { GlobalShortcuts } from './global-shortcuts.ts';
import type { HarkWindows } from './hark-windows.ts';
import type { DesktopChannelHandlers } from './main-channel-handlers.ts';
import { TRAY_ICON_PIXELS, TRAY_ICON_SCALE, trayIconBitmap } from './tray-icon.ts';
import { trayMenuTemplate, trayToolTip } from './tray-menu.ts';

export interface DesktopIntegrationDeps<W extends BrowserWindowLike, I extends NativeImageLike> {
  electron: Pick<ElectronLike<W, I>, 'app' | 'globalShortcut' | 'Tray' | 'nativeImage' | 'Menu'>;
  windows: HarkWindows<W>;
  openWindow: () => W;
  typist: FocusedAppTypist;
  /** Delivers desktop:event to window `senderId` (eventSender). */
  send: (senderId: number, payload: DesktopEvent) => void;
  log: (message: string) => void;
}

export class DesktopIntegration<W extends BrowserWindowLike, I extends NativeImageLike = NativeImageLike> {
  private readonly shortcuts: GlobalShortcuts;
  private tray: TrayLike<I> | null = null;
  private readonly listeningWindows = new Set<number>();
  /** What the tray shows (null before it is first drawn). */
  private shownListening: boolean | null = null;
  private settings: Settings | null = null;

  constructor(private readonly deps: DesktopIntegrationDeps<W, I>) {
    this.shortcuts = new GlobalShortcuts(deps.electron.globalShortcut, (action) => this.press(action));
  }

  /** Creates the tray (once the app is ready). */
  startTray(): void {
    if (this.tray) return;
    try {
      this.tray = new this.deps.electron.Tray(this.icon(false));
      this.tray.on('click', () => this.showWindow());
      this.showTray();
    } catch (e) {
      // A desktop without a tray area: everything still works from the window.
      this.deps.log(`no tray icon: ${(e as Error).message}`);
      this.tray = null;
    }
  }

  /** New settings (at start-up, and each settings event of the backend): shortcuts follow them. */
  applySettings(settings: Settings): void {
    this.settings = settings;
    const changed = this.shortcuts.apply({ toggle: settings.toggleShortcut, 'push-to-talk': settings.pushToTalkShortcut });
    if (changed) {
      for (const s of Object.values(this.shortcuts.status())) if (s.problem) this.deps.log(`global shortcut: ${s.problem}`);
      this.broadcast({ type: 'status', status: this.status() });
    }
  }

  status(): DesktopStatus {
    const backend = this.deps.typist.backend;
    return { available: true, insertion: { backend: backend.name, detail: backend.detail }, shortcuts: this.shortcuts.status() };
  }

  /** Window `senderId` started or stopped listening. */
  setListening(senderId: number, listening: boolean): void {
    if (listening) this.listeningWindows.add(senderId);
    else this.listeningWindows.delete(senderId);
    this.showTray();
  }

  /** Window `senderId`'s page went away. */
  senderGone(senderId: number): void {
    this.setListening(senderId, false);
  }

  async insert(edit: RequestOf<'desktop:insert'>): Promise<InsertionOutcome> {
    if (!this.settings?.typeIntoFocusedApp) return { method: 'skipped', message: 'Typing into other applications is off (Settings).' };
    if (this.deps.windows.all().some((w) => w.isFocused())) return { method: 'skipped', message: "Hark's own window has the focus: nothing was typed." };
    const result = await this.deps.typist.insert(edit);
    return result.method === 'typed' ? { method: 'typed', message: null } : { method: 'clipboard', message: result.reason };
  }

  /** The main-process handlers of the desktop:* channels. */
  handlers(): DesktopChannelHandlers<W> {
    return {
      'desktop:status': async () => this.status(),
      'desktop:listening': async (request, win) => {
        this.setListening(win.webContents.id, request.listening);
        return {};
      },
      'desktop:insert': (request) => this.insert(request),
    };
  }

  /** Unregisters the shortcuts and removes the tray (before quitting). */
  dispose(): void {
    this.shortcuts.dispose();
    void this.deps.typist.dispose();
    this.tray?.destroy();
    this.tray = null;
  }

  private press(action: ShortcutAction): void {
    this.toWindow({ type: 'shortcut', action });
  }

  /** Sends to the first window, or opens one when there is none. */
  private toWindow(event: DesktopEvent): void {
    const [win] = this.deps.windows.all();
    if (!win) {
      this.deps.openWindow();
      return;
    }
    this.deps.send(win.webContents.id, event);
  }

  private broadcast(event: DesktopEvent): void {
    for (const win of this.deps.windows.all()) this.deps.send(win.webContents.id, event);
  }

  private showWindow(): void {
    const [win] = this.deps.windows.all();
    if (!win) {
      this.deps.openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  private icon(listening: boolean): I {
    return this.deps.electron.nativeImage.createFromBitmap(trayIconBitmap(listening), { width: TRAY_ICON_PIXELS, height: TRAY_ICON_PIXELS, scaleFactor: TRAY_ICON_SCALE });
  }

  private showTray(): void {
    const listening = this.listeningWindows.size > 0;
    const tray = this.tray;
    if (!tray || this.shownListening === listening) return;
    this.shownListening = listening;
    tray.setImage(this.icon(listening));
    tray.setToolTip(trayToolTip(listening));
    const { Menu, app } = this.deps.electron;
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(listening, {
      listen: (on) => this.toWindow({ type: 'listen', listen: on }),
      showWindow: () => this.showWindow(),
      quit: () => app.quit(),
    })));
  }
}
