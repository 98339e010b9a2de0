/**
 * Which file of the built renderer (dist-renderer) may be served for a URL path: the one decision
 * behind the Electron app:// protocol (electron/app-protocol.ts) and the web bridge's HTTP server
 * (web-bridge-server.ts). `/` is index.html. A path that leaves the folder (dot segments, encoded
 * separators, a NUL, a symbolic link whose target is outside) is 403; a missing file or a folder
 * is 404; a method other than GET or HEAD is 405. Every response carries securityHeaders(csp).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import { isInside } from '../system/path-inside.ts';
import { securityHeaders } from './renderer-csp.ts';

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

export interface RendererResponse {
  status: number;
  headers: Record<string, string>;
  /** The file's bytes (empty for HEAD), or a short plain-text reason for an error status. */
  body: Uint8Array | string;
  /** The served path relative to the folder, with `/` separators (index.html for `/`); only with status 200. */
  served?: string;
}

/** An error response with the policy on it. */
export function rendererFailure(status: number, reason: string, csp: string): RendererResponse {
  return { status, headers: { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' }, body: reason };
}

/** Answers `method` on `pathname` (a URL's path, still percent-encoded) from the folder `rootDir`. */
export async function serveRendererFile(rootDir: string, pathname: string, method: string, csp: string): Promise<RendererResponse> {
  const failure = (status: number, reason: string) => rendererFailure(status, reason, csp);
  if (method !== 'GET' && method !== 'HEAD') return failure(405, 'method not allowed');
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return failure(400, 'bad path encoding');
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '..')) return failure(403, 'forbidden');
  const root = resolve(rootDir);
  const file = resolve(root, `.${path}`);
  if (!isInside(root, file)) return failure(403, 'forbidden');
  try {
    // The real paths decide: a symbolic link inside the folder must not lead out of it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!isInside(realRoot, realFile)) return failure(403, 'forbidden');
    if (!(await stat(realFile)).isFile()) return failure(404, 'not found');
    const bytes = await readFile(realFile);
    return {
      status: 200,
      headers: { ...securityHeaders(csp), 'Content-Type': mimeTypeOf(realFile), 'Content-Length': String(bytes.byteLength) },
      body: method === 'HEAD' ? new Uint8Array(0) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      served: relative(root, file).split(sep).join('/'),
    };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' ? failure(404, 'not found') : failure(500, 'could not read the file');
  }
}
