/**
 * The app:// protocol: serves the renderer's files from one folder (dist-renderer) through
 * backend/renderer-files.ts, the one place that decides which file a URL may reach (the web
 * bridge's HTTP server uses it too), with CONTENT_SECURITY_POLICY on every response, errors
 * included. `serveAppFile` is pure Node (tested on real files); `appProtocolHandler` adapts it to
 * the fetch-style handler of Electron's protocol.handle.
 */
import { CONTENT_SECURITY_POLICY } from '../backend/renderer-csp.ts';
import { rendererFailure, serveRendererFile, type RendererResponse } from '../backend/renderer-files.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/** What registerSchemesAsPrivileged gets, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

export type AppResponse = RendererResponse;

/**
 * Answers one request for `url` (app://hark/<path>) from the folder `rootDir`: another scheme or
 * host is 404, an unparsable URL 400; the path is served by serveRendererFile.
 */
export async function serveAppFile(rootDir: string, url: string, method = 'GET'): Promise<AppResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return rendererFailure(400, 'bad url', CONTENT_SECURITY_POLICY);
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return rendererFailure(404, 'not found', CONTENT_SECURITY_POLICY);
  return serveRendererFile(rootDir, u.pathname, method, CONTENT_SECURITY_POLICY);
}

/** The handler for protocol.handle(APP_SCHEME, ...): a fetch Request in, a fetch Response out. */
export function appProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const r = await serveAppFile(rootDir, request.url, request.method);
    const body = request.method === 'HEAD' || typeof r.body !== 'string' && r.body.byteLength === 0 ? null : r.body;
    return new Response(body as BodyInit | null, { status: r.status, headers: r.headers });
  };
}
