/**
 * Where the renderer lives: the privileged custom scheme `app://hark/`, served from
 * dist-renderer by app-protocol.ts. A real origin (not file://) is what lets the AudioWorklet
 * module and the scripts load under a same-origin Content-Security-Policy, and what main checks
 * before it answers a message or grants the microphone.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hark';
/** The origin as Chromium reports it (permission checks, frame origins). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `url` belongs to the app origin. Compared by scheme and host, because Node's WHATWG
 * URL gives every non-special scheme the opaque origin "null".
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Whether an origin string (a permission check's requestingOrigin) is exactly the app origin. */
export const isAppOrigin = (origin: string | null | undefined): boolean => origin === APP_ORIGIN;
