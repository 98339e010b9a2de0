/**
 * The Content-Security-Policy and security headers of every response that serves the renderer,
 * errors included: app://hark/ in Electron (electron/app-protocol.ts) and the web bridge's HTTP
 * server (web-bridge-server.ts). Scripts, styles, the AudioWorklet module and fetches come only
 * from the page's own origin; blob: is allowed for audio playback of decoded files and
 * worker-created URLs; nothing may be framed (frame-ancestors 'none', X-Frame-Options DENY),
 * posted or embedded. No 'unsafe-inline' anywhere: the renderer sets styles through the CSSOM only.
 */

/** The policy; `connect` adds sources to connect-src (the web bridge's WebSocket). */
export function rendererCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    ["connect-src 'self'", ...connect].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy of app://hark/. */
export const CONTENT_SECURITY_POLICY = rendererCsp();

/** Headers every response carries, whatever its status. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}
