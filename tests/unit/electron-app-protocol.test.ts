/**
 * The app:// protocol on real files in a temporary folder: the right file with the right MIME
 * type, the Content-Security-Policy on every response (errors included), and nothing outside
 * the renderer folder.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler, serveAppFile } from '../../src-main/electron/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-main/backend/renderer-csp.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'hark-app-protocol-'));
  root = join(base, 'dist-renderer');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Hark</title>');
  await writeFile(join(root, 'app.js'), 'export {};');
  await writeFile(join(root, 'app.js.map'), '{}');
  await writeFile(join(root, 'styles.css'), 'body{}');
  await writeFile(join(root, 'capture-worklet.js'), 'registerProcessor("x", class {});');
  await writeFile(join(root, 'model.wasm'), new Uint8Array([0, 97, 115, 109]));
  await writeFile(join(root, 'sub', 'a b.txt'), 'spaced');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await symlink(join(base, 'secret.txt'), join(root, 'link.txt'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : new TextDecoder().decode(body));

describe('serveAppFile', () => {
  it('serves the renderer files with their MIME types', async () => {
    const cases: [string, string, string][] = [
      ['app://hark/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Hark</title>'],
      ['app://hark/', 'text/html; charset=utf-8', '<!doctype html><title>Hark</title>'],
      ['app://hark/app.js', 'text/javascript; charset=utf-8', 'export {};'],
      ['app://hark/capture-worklet.js', 'text/javascript; charset=utf-8', 'registerProcessor("x", class {});'],
      ['app://hark/styles.css', 'text/css; charset=utf-8', 'body{}'],
      ['app://hark/app.js.map', 'application/json; charset=utf-8', '{}'],
      ['app://hark/sub/a%20b.txt', 'application/octet-stream', 'spaced'],
      ['app://hark/app.js?v=2#x', 'text/javascript; charset=utf-8', 'export {};'],
    ];
    for (const [url, type, body] of cases) {
      const r = await serveAppFile(root, url);
      expect(r.status, url).toBe(200);
      expect(r.headers['Content-Type'], url).toBe(type);
      expect(r.headers['Content-Security-Policy'], url).toBe(CONTENT_SECURITY_POLICY);
      expect(text(r.body), url).toBe(body);
    }
    const wasm = await serveAppFile(root, 'app://hark/model.wasm');
    expect(wasm.headers['Content-Type']).toBe('application/wasm');
    expect([...(wasm.body as Uint8Array)]).toEqual([0, 97, 115, 109]);
  });

  it('refuses every way out of the folder', async () => {
    const escapes = [
      'app://hark/..%2Fsecret.txt',
      'app://hark/%2E%2E%2Fsecret.txt',
      'app://hark/sub/..%2F..%2Fsecret.txt',
      'app://hark/..%5Csecret.txt',
      'app://hark/%2e%2e/secret.txt',
      'app://hark/index.html%00.js',
      'app://hark/link.txt',
    ];
    for (const url of escapes) {
      const r = await serveAppFile(root, url);
      expect(r.status, url).toBeGreaterThanOrEqual(400);
      expect(text(r.body), url).not.toContain('outside');
      expect(r.headers['Content-Security-Policy'], url).toBe(CONTENT_SECURITY_POLICY);
    }
    // Dot segments that the URL parser already resolved stay inside the folder.
    const resolved = await serveAppFile(root, 'app://hark/../../secret.txt');
    expect(resolved.status).toBe(404);
    expect((await serveAppFile(root, 'app://hark/..%2Fsecret.txt')).status).toBe(403);
    expect((await serveAppFile(root, 'app://hark/link.txt')).status).toBe(403);
  });

  it('puts the policy on errors too', async () => {
    const cases: [string, string, number][] = [
      ['app://hark/missing.js', 'GET', 404],
      ['app://hark/sub', 'GET', 404],
      ['app://other/index.html', 'GET', 404],
      ['app://hark/index.html', 'POST', 405],
      ['app://hark/%E0%A4%A', 'GET', 400],
    ];
    for (const [url, method, status] of cases) {
      const r = await serveAppFile(root, url, method);
      expect(r.status, url).toBe(status);
      expect(r.headers['Content-Security-Policy'], url).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['X-Content-Type-Options']).toBe('nosniff');
      expect(r.headers['X-Frame-Options']).toBe('DENY');
    }
  });
});

describe('appProtocolHandler', () => {
  it('answers fetch Requests with Responses carrying the policy', async () => {
    const handle = appProtocolHandler(root);
    const ok = await handle(new Request('app://hark/app.js'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await ok.text()).toBe('export {};');
    const denied = await handle(new Request('app://hark/..%2Fsecret.txt'));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const head = await handle(new Request('app://hark/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('uses a policy with no inline script or style and nothing remote', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:|\*/);
  });
});
