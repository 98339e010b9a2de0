/**
 * A recording fake of the slice of Electron that src-main/electron uses (ElectronLike): the one
 * stand-in this project allows, for the binary that cannot run in the tests. Events are emitted by
 * the test (`emit`), as Electron would emit them.
 */
import type {
  AppPathName, BrowserWindowLike, ElectronLike, InvokeEventLike, MenuItemSpec, NativeImageLike, PermissionCheckHandler,
  PermissionRequestHandler, TrayLike, WebContentsLike, WebFrameLike,
} from '../../src-main/electron/electron-like.ts';
import type { HarkWindowOptions } from '../../src-main/electron/window-options.ts';

type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  private readonly listeners = new Map<string, { fn: Listener; once: boolean }[]>();

  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { fn, once: false }]);
    return this;
  }

  once(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), { fn, once: true }]);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    const all = this.listeners.get(event) ?? [];
    this.listeners.set(event, all.filter((l) => !l.once));
    for (const l of all) (l.fn as (...a: unknown[]) => unknown)(...args);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** A navigation / will-navigate event that records preventDefault. */
export function navigationEvent(url: string, extra: { isMainFrame?: boolean; isSameDocument?: boolean } = {}) {
  return { url, isMainFrame: extra.isMainFrame ?? true, isSameDocument: extra.isSameDocument ?? false, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

let nextWebContentsId = 100;

export class FakeWebContents extends FakeEmitter implements WebContentsLike {
  readonly id = nextWebContentsId++;
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  mainFrame: WebFrameLike = { url: 'about:blank', parent: null };
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload: args[0] });
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }

  /** A main-frame navigation as Electron reports it, then the page is at `url`. */
  navigate(url: string): void {
    this.emit('did-start-navigation', navigationEvent(url));
    this.mainFrame = { url, parent: null };
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }

  /** The event of an invoke from this page's main frame (or from `frame`). */
  invokeEvent(frame: WebFrameLike | null = this.mainFrame): InvokeEventLike {
    return { sender: this, senderFrame: frame };
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke(channel, payload) from `event.sender` reaches. */
  async invoke(event: InvokeEventLike, channel: string, payload?: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, payload);
  }
}

export interface FakeElectronState {
  calls: string[];
  windows: FakeBrowserWindow[];
  privileged: unknown[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  permissionRequest: PermissionRequestHandler | null;
  permissionCheck: PermissionCheckHandler | null;
  menu: MenuItemSpec[] | null;
  openedExternally: string[];
  openDialog: { window: BrowserWindowLike; options: unknown; result: { canceled: boolean; filePaths: string[] } }[];
  saveDialog: { window: BrowserWindowLike; options: { defaultPath: string }; result: { canceled: boolean; filePath?: string } }[];
  nextOpenResult: { canceled: boolean; filePaths: string[] };
  nextSaveResult: { canceled: boolean; filePath?: string };
  paths: Record<AppPathName, string>;
  /** Accelerators registered with globalShortcut now, with their callbacks. */
  shortcuts: Map<string, () => void>;
  /** Every register / unregister call in order ("register X", "unregister X"). */
  shortcutCalls: string[];
  /** Accelerators another application holds: register returns false for them. */
  takenShortcuts: Set<string>;
  trays: FakeTray[];
  /** What clipboard.writeText received, in order. */
  clipboard: string[];
}

/** An image made by nativeImage.createFromBitmap, keeping its pixels. */
export class FakeNativeImage implements NativeImageLike {
  constructor(readonly bitmap: Buffer, readonly width: number, readonly height: number, readonly scaleFactor: number) {}
  isEmpty(): boolean {
    return this.bitmap.length === 0;
  }
  /** The B, G, R, A bytes of pixel (x, y). */
  pixel(x: number, y: number): number[] {
    const i = (y * this.width + x) * 4;
    return [...this.bitmap.subarray(i, i + 4)];
  }
}

/** A tray icon recording what it was set to. */
export class FakeTray extends FakeEmitter implements TrayLike<FakeNativeImage> {
  readonly images: FakeNativeImage[] = [];
  readonly toolTips: string[] = [];
  readonly menus: MenuItemSpec[][] = [];
  destroyed = false;
  constructor(image: FakeNativeImage) {
    super();
    this.images.push(image);
  }
  setImage(image: FakeNativeImage): void {
    this.images.push(image);
  }
  setToolTip(toolTip: string): void {
    this.toolTips.push(toolTip);
  }
  setContextMenu(menu: unknown): void {
    this.menus.push(menu as MenuItemSpec[]);
  }
  destroy(): void {
    this.destroyed = true;
  }
  get image(): FakeNativeImage {
    return this.images[this.images.length - 1];
  }
  get menu(): MenuItemSpec[] {
    return this.menus[this.menus.length - 1];
  }
  /** Clicks the menu item labelled `label` (throws when there is none). */
  clickItem(label: string): void {
    const item = this.menu.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no tray menu item "${label}" (items: ${this.menu.map((i) => i.label ?? i.type).join(', ')})`);
    item.click();
  }
}

export interface FakeBrowserWindow extends BrowserWindowLike {
  readonly webContents: FakeWebContents;
  readonly options: HarkWindowOptions;
  readonly loaded: string[];
  shown: boolean;
  focused: number;
  /** Whether the window has the keyboard focus (isFocused). */
  hasFocus: boolean;
  minimized: boolean;
  destroyed: boolean;
  emit(event: string, ...args: unknown[]): void;
  /** Closes the window: 'closed', then its webContents is destroyed. */
  close(): void;
}

export function createFakeElectron(opts: { isPackaged?: boolean; singleInstance?: boolean } = {}) {
  const state: FakeElectronState = {
    calls: [],
    windows: [],
    privileged: [],
    protocolHandlers: new Map(),
    permissionRequest: null,
    permissionCheck: null,
    menu: null,
    openedExternally: [],
    openDialog: [],
    saveDialog: [],
    nextOpenResult: { canceled: true, filePaths: [] },
    nextSaveResult: { canceled: true },
    paths: { userData: '/tmp/hark-user-data', documents: '/tmp/hark-documents' },
    shortcuts: new Map(),
    shortcutCalls: [],
    takenShortcuts: new Set(),
    trays: [],
    clipboard: [],
  };
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));

  class App extends FakeEmitter {
    readonly isPackaged = opts.isPackaged ?? false;
    requestSingleInstanceLock() {
      state.calls.push('requestSingleInstanceLock');
      return opts.singleInstance ?? true;
    }
    whenReady() {
      return readyPromise;
    }
    quit() {
      state.calls.push('quit');
    }
    getPath(name: AppPathName) {
      return state.paths[name];
    }
    getAppPath() {
      return '/opt/hark/resources/app.asar';
    }
    getName() {
      return 'Hark';
    }
    getVersion() {
      return '0.1.0';
    }
  }
  const app = new App();

  class BrowserWindow extends FakeEmitter implements FakeBrowserWindow {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    shown = false;
    focused = 0;
    hasFocus = false;
    minimized = false;
    destroyed = false;
    constructor(readonly options: HarkWindowOptions) {
      super();
      state.windows.push(this);
      state.calls.push('new BrowserWindow');
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.navigate(url);
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused++;
    }
    restore() {
      this.minimized = false;
    }
    isMinimized() {
      return this.minimized;
    }
    isFocused() {
      return this.hasFocus;
    }
    isDestroyed() {
      return this.destroyed;
    }
    close() {
      this.destroyed = true;
      this.emit('closed');
      this.webContents.destroy();
    }
  }

  const ipcMain = new FakeIpcMain();
  class Tray extends FakeTray {
    constructor(image: FakeNativeImage) {
      super(image);
      state.trays.push(this);
    }
  }

  const electron: ElectronLike<FakeBrowserWindow, FakeNativeImage> = {
    app,
    BrowserWindow,
    ipcMain,
    dialog: {
      async showOpenDialog(window, options) {
        const result = state.nextOpenResult;
        state.openDialog.push({ window, options, result });
        return result;
      },
      async showSaveDialog(window, options) {
        const result = state.nextSaveResult;
        state.saveDialog.push({ window, options, result });
        return result;
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes) {
        state.calls.push('registerSchemesAsPrivileged');
        state.privileged.push(...schemes);
      },
      handle(scheme, handler) {
        state.calls.push(`protocol.handle ${scheme}`);
        state.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler(h) {
          state.permissionRequest = h;
        },
        setPermissionCheckHandler(h) {
          state.permissionCheck = h;
        },
      },
    },
    shell: {
      async openExternal(url) {
        state.openedExternally.push(url);
      },
    },
    Menu: {
      buildFromTemplate(template) {
        return template;
      },
      setApplicationMenu(menu) {
        state.menu = menu as MenuItemSpec[];
      },
    },
    globalShortcut: {
      // As Electron's: false when another application holds the accelerator or it is registered already.
      register(accelerator, callback) {
        state.shortcutCalls.push(`register ${accelerator}`);
        if (state.takenShortcuts.has(accelerator) || state.shortcuts.has(accelerator)) return false;
        state.shortcuts.set(accelerator, callback);
        return true;
      },
      unregister(accelerator) {
        state.shortcutCalls.push(`unregister ${accelerator}`);
        state.shortcuts.delete(accelerator);
      },
    },
    Tray,
    nativeImage: {
      createFromBitmap(buffer, options) {
        if (buffer.length !== options.width * options.height * 4) throw new Error('Invalid buffer size');
        return new FakeNativeImage(Buffer.from(buffer), options.width, options.height, options.scaleFactor ?? 1);
      },
    },
    clipboard: {
      writeText(text) {
        state.clipboard.push(text);
      },
    },
  };
  return {
    electron,
    app,
    ipcMain,
    state,
    /** Fires 'ready' (whenReady resolves). */
    makeReady: () => resolveReady(),
    newWindow: (options: HarkWindowOptions) => new BrowserWindow(options),
    /** The user presses a registered global shortcut (throws when it is not registered). */
    pressShortcut: (accelerator: string) => {
      const callback = state.shortcuts.get(accelerator);
      if (!callback) throw new Error(`${accelerator} is not registered (registered: ${[...state.shortcuts.keys()].join(', ') || 'none'})`);
      callback();
    },
  };
}
