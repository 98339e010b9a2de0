/**
 * The options of Hark's window: the renderer runs sandboxed and context-isolated with no Node,
 * talks to main only through the preload bridge, and is shown once it has painted.
 */
export interface HarkWindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: false;
    /** DevTools only in a development build. */
    devTools: boolean;
  };
}

/** The window's background before the page paints (the renderer's dark surface colour). */
export const WINDOW_BACKGROUND = '#16181d';

/** `preloadPath`: the absolute path of dist-electron/preload.cjs. */
export function harkWindowOptions(preloadPath: string, opts: { devTools: boolean }): HarkWindowOptions {
  return {
    title: 'Hark',
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  };
}
