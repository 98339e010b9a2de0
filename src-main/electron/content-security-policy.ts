/**
 * The Content-Security-Policy of every response on app://hark/ (app-protocol.ts). Scripts,
 * styles, the AudioWorklet module and fetches come only from the app origin; blob: is allowed for
 * audio playback of decoded files and worker-created URLs; nothing may be framed, posted or
 * embedded. No 'unsafe-inline' anywhere: the renderer sets styles through the CSSOM only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
