/**
 * The part of Electron's main-process API that Hark uses, as narrow interfaces. The real
 * `electron` module satisfies them (main.ts passes it in and the compiler checks it); tests pass a
 * recording fake, so every decision main makes (who may talk to it, what a window may load, what
 * it may be granted) runs in plain Node without the Electron binary.
 */
import type { HarkWindowOptions } from './window-options.ts';

export interface PreventableEvent {
  preventDefault(): void;
}

/** The details of will-navigate and did-start-navigation. */
export interface NavigationEvent extends PreventableEvent {
  url: string;
  isMainFrame: boolean;
  isSameDocument: boolean;
}

export interface WebFrameLike {
  readonly url: string;
  /** null for a main frame. */
  readonly parent: WebFrameLike | null;
}

export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'did-start-navigation', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'render-process-gone' | 'destroyed', listener: () => void): unknown;
}

/** What a handler of ipcMain.handle receives about the sender. */
export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  /** The frame that sent the message; null once it has navigated away or been destroyed. */
  readonly senderFrame: WebFrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface BrowserWindowClassLike<W extends BrowserWindowLike = BrowserWindowLike> {
  new (options: HarkWindowOptions): W;
}

/** The details of a permission request (media requests carry mediaTypes and securityOrigin). */
export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  mediaTypes?: ('video' | 'audio')[];
  securityOrigin?: string;
}

export interface PermissionCheckDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  mediaType?: 'video' | 'audio' | 'unknown';
  securityOrigin?: string;
}

export type PermissionRequestHandler = (webContents: WebContentsLike, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void;
export type PermissionCheckHandler = (webContents: WebContentsLike | null, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean;

export interface SessionLike {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void;
}

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean } }[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** `W`: the window type, so that Electron's dialogs (which take any BaseWindow) fit. */
export interface DialogLike<W extends BrowserWindowLike = BrowserWindowLike> {
  showOpenDialog(window: W, options: { title?: string; buttonLabel?: string; properties: ('openFile' | 'openDirectory' | 'multiSelections' | 'createDirectory')[]; filters?: FileFilter[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: W, options: { defaultPath: string }): Promise<{ canceled: boolean; filePath?: string }>;
}

export type AppPathName = 'userData' | 'documents';

export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  getPath(name: AppPathName): string;
  getAppPath(): string;
  getName(): string;
  getVersion(): string;
  on(event: 'second-instance' | 'window-all-closed' | 'activate', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, webContents: WebContentsLike) => void): unknown;
}

/** The standard menu roles Hark uses (Electron implements each). */
export type MenuRole =
  | 'about' | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'close'
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'
  | 'reload' | 'forceReload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen'
  | 'minimize' | 'zoom' | 'front' | 'help';

/** A menu item as Menu.buildFromTemplate takes it (the fields Hark uses). */
export interface MenuItemSpec {
  label?: string;
  enabled?: boolean;
  role?: MenuRole;
  type?: 'separator' | 'submenu';
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export interface MenuLike {
  buildFromTemplate(template: MenuItemSpec[]): unknown;
  setApplicationMenu(menu: unknown): void;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/** Shortcuts that work while another application has the focus. */
export interface GlobalShortcutLike {
  /** False (or a throw, for an accelerator Electron cannot read) when the shortcut could not be registered. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

/** An image as nativeImage makes it (opaque to Hark). */
export interface NativeImageLike {
  isEmpty(): boolean;
}

/** `I`: the image type (Electron's NativeImage in the app). */
export interface NativeImageFactoryLike<I extends NativeImageLike = NativeImageLike> {
  /** `buffer`: width x height pixels of 4 bytes each, in the byte order B, G, R, A. */
  createFromBitmap(buffer: Buffer, options: { width: number; height: number; scaleFactor?: number }): I;
}

export interface TrayLike<I extends NativeImageLike = NativeImageLike> {
  setImage(image: I): void;
  setToolTip(toolTip: string): void;
  /** `menu`: what Menu.buildFromTemplate returned. */
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayClassLike<I extends NativeImageLike = NativeImageLike> {
  new (image: I): TrayLike<I>;
}

export interface ClipboardLike {
  writeText(text: string): void;
}

/** `W`: the window type (Electron's BrowserWindow in the app, a fake in tests); `I`: the image type. */
export interface ElectronLike<W extends BrowserWindowLike = BrowserWindowLike, I extends NativeImageLike = NativeImageLike> {
  app: AppLike;
  BrowserWindow: BrowserWindowClassLike<W>;
  ipcMain: IpcMainLike;
  dialog: DialogLike<W>;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  shell: ShellLike;
  Menu: MenuLike;
  globalShortcut: GlobalShortcutLike;
  Tray: TrayClassLike<I>;
  nativeImage: NativeImageFactoryLike<I>;
  clipboard: ClipboardLike;
}
