/**
 * The app:// protocol: serves the renderer's files from one folder (dist-renderer), refuses
 * anything outside it, and puts the Content-Security-Policy on every response, errors included.
 * `serveAppFile` is pure Node (tested on real files); `appProtocolHandler` adapts it to the
 * fetch-style handler of Electron's protocol.handle.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';

/** What registerSchemesAsPrivileged gets, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

export const mimeTypeOf = (path: string): string => MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  /** The file's bytes, or a short plain-text reason for an error status. */
  body: Uint8Array | string;
}

const baseHeaders = (): Record<string, string> => ({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
});

const failure = (status: number, reason: string): AppResponse => ({
  status,
  headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  body: reason,
});

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

/**
 * Answers one request for `url` (app://hark/<path>) from the folder `rootDir`. `/` is
 * index.html. A path that escapes the folder (dot segments, encoded separators, symbolic links)
 * is 403; a missing file or a folder is 404; a method other than GET or HEAD is 405.
 */
export async function serveAppFile(rootDir: string, url: string, method = 'GET'): Promise<AppResponse> {
  if (method !== 'GET' && method !== 'HEAD') return failure(405, 'method not allowed');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return failure(400, 'bad url');
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return failure(404, 'not found');
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return failure(400, 'bad path encoding');
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '..')) return failure(403, 'forbidden');
  const root = resolve(rootDir);
  const file = resolve(root, `.${path}`);
  if (!inside(root, file)) return failure(403, 'forbidden');
  try {
    // Symbolic links inside the folder must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!inside(realRoot, realFile)) return failure(403, 'forbidden');
    if (!(await stat(realFile)).isFile()) return failure(404, 'not found');
    const bytes = await readFile(realFile);
    return {
      status: 200,
      headers: { ...baseHeaders(), 'Content-Type': mimeTypeOf(realFile), 'Content-Length': String(bytes.byteLength) },
      body: method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? failure(404, 'not found') : failure(500, 'could not read the file');
  }
}

/** The handler for protocol.handle(APP_SCHEME, ...): a fetch Request in, a fetch Response out. */
export function appProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const r = await serveAppFile(rootDir, request.url, request.method);
    const body = request.method === 'HEAD' || typeof r.body !== 'string' && r.body.byteLength === 0 ? null : r.body;
    return new Response(body as BodyInit | null, { status: r.status, headers: r.headers });
  };
}
