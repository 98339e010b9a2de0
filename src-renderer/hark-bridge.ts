import type { HarkBridge } from '../src-shared/ipc/app-contract.ts';

/**
 * The app API of this page: `window.hark`, set by the Electron preload script or, in a plain
 * browser, by the web bridge client (web-bridge.js, a module script placed before app.js, so it has
 * run by the time app.js evaluates). Read lazily, at startup, never at import time.
 */
export function getBridge(): HarkBridge {
  const bridge = (globalThis as { hark?: HarkBridge }).hark;
  if (!bridge || typeof bridge.invoke !== 'function' || typeof bridge.on !== 'function') {
    throw new Error('The Hark app API (window.hark) is missing: open this page from the Hark app, or through the Hark web bridge server.');
  }
  return bridge;
}
