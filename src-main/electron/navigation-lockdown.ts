/**
 * What a page may navigate to: only the app origin. New windows are always denied; an http(s)
 * link the page tries to open goes to the system browser instead, and any other scheme
 * (file:, javascript:, custom handlers) goes nowhere.
 */
import { isAppUrl } from './app-origin.ts';
import type { ShellLike, WebContentsLike } from './electron-like.ts';

export const isWebUrl = (url: string): boolean => {
  try {
    const p = new URL(url).protocol;
    return p === 'https:' || p === 'http:';
  } catch {
    return false;
  }
};

/** Applied to every webContents the app creates (app 'web-contents-created'). */
export function lockDownNavigation(webContents: WebContentsLike, shell: ShellLike): void {
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  webContents.on('will-navigate', stayInApp);
  webContents.on('will-redirect', stayInApp);
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.setWindowOpenHandler(({ url }) => {
    if (isWebUrl(url)) shell.openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}
