/**
 * The preload script (bundled to dist-electron/preload.cjs). It runs sandboxed, so it may require
 * nothing but 'electron' (src-shared is bundled in; no Node module may be imported here).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadBridge } from './preload-bridge.ts';

contextBridge.exposeInMainWorld('hark', createPreloadBridge(ipcRenderer, webUtils));
