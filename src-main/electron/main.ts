/**
 * The Electron main entry (bundled to dist-electron/main.js, next to preload.cjs and
 * backend-worker.js; the renderer is in ../dist-renderer). Everything it does is in
 * hark-main.ts, which takes Electron as a parameter so it can be tested without the binary.
 */
import * as electron from 'electron';
import { fileURLToPath } from 'node:url';
import { BackendHost } from '../backend/backend-host.ts';
import { createHarkMain } from './hark-main.ts';

const { app } = electron;
// Models and onnxruntime's binaries are real files in app.asar.unpacked (electron-builder.yml).
const packageRoot = app.isPackaged ? app.getAppPath().replace('app.asar', 'app.asar.unpacked') : app.getAppPath();
// Read by src-main/model/package-paths.ts in the backend worker, which inherits the environment.
process.env.HARK_PACKAGE_ROOT = packageRoot;

createHarkMain(electron, {
  rendererDir: fileURLToPath(new URL('../dist-renderer/', import.meta.url)),
  preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
  platform: process.platform,
  startBackend: (emit) =>
    BackendHost.start({
      workerUrl: new URL('./backend-worker.js', import.meta.url),
      userDataDir: app.getPath('userData'),
      packageRoot,
      version: app.getVersion(),
      emit,
    }),
});
