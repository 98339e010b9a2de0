/**
 * Which permissions a page gets: the microphone ('media', never video), and only for the app
 * origin's main frame. Everything else (camera, notifications, geolocation, clipboard reads,
 * HID, serial, ...) is refused, both when the page asks and when Chromium checks.
 */
import { isAppOrigin, isAppUrl } from './app-origin.ts';
import type { PermissionCheckDetails, PermissionRequestDetails, SessionLike } from './electron-like.ts';

const audioOnly = (types: readonly string[] | undefined): boolean => types === undefined || types.every((t) => t === 'audio');

export function allowPermissionRequest(permission: string, details: PermissionRequestDetails): boolean {
  if (permission !== 'media') return false;
  if (!audioOnly(details.mediaTypes)) return false;
  if (details.isMainFrame === false) return false;
  return isAppUrl(details.requestingUrl) && (details.securityOrigin === undefined || isAppOrigin(details.securityOrigin.replace(/\/$/, '')));
}

export function allowPermissionCheck(permission: string, requestingOrigin: string, details: PermissionCheckDetails): boolean {
  if (permission !== 'media') return false;
  // 'unknown' is how Chromium asks before listing devices (the microphone picker's labels).
  if (details.mediaType === 'video') return false;
  return isAppOrigin(requestingOrigin.replace(/\/$/, ''));
}

export function installPermissionPolicy(session: SessionLike): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => callback(allowPermissionRequest(permission, details)));
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => allowPermissionCheck(permission, requestingOrigin, details));
}
