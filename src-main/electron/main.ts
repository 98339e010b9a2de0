/**
 * The Electron main entry (bundled to dist-electron/main.js, next to preload.cjs and the worker
 * bundles; the renderer is in ../dist-renderer). Everything it does is in hark-main.ts, which
 * takes Electron as a parameter so it can be tested without the binary. Every path to a shipped
 * file goes through src-main/system/app-layout.ts: packaged, the preload and the renderer are read
 * from app.asar by Electron, the backend worker, its packages and the models from app.asar.unpacked.
 */
import * as electron from 'electron';
import { BackendHost, backendWorkerUrl } from '../backend/backend-host.ts';
import { appLayout, shippedPath } from '../system/app-layout.ts';
import { createHarkMain } from './hark-main.ts';

const { app } = electron;
// The real files' root (models): app.asar.unpacked when packaged, the repository under `npm start`.
const packageRoot = appLayout(import.meta.url).diskRoot;

createHarkMain<electron.BrowserWindow, electron.NativeImage>(electron, {
  rendererDir: shippedPath('../dist-renderer/', import.meta.url, 'archive'),
  preloadPath: shippedPath('./preload.cjs', import.meta.url, 'archive'),
  platform: process.platform,
  startBackend: (emit) =>
    BackendHost.start({
      workerUrl: backendWorkerUrl(import.meta.url),
      userDataDir: app.getPath('userData'),
      packageRoot,
      version: app.getVersion(),
      emit,
    }),
});
