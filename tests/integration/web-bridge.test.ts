/**
 * The web bridge end to end without a browser: the real backend in its worker thread
 * (BackendHost), the HTTP server that serves the renderer with its CSP, and the WebSocket that
 * speaks the app contract in wire-codec frames, refusing foreign pages and malformed frames.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BackendHost } from '../../src-main/backend/backend-host.ts';
import { serveAppFile } from '../../src-main/electron/app-protocol.ts';
import { isOwnHost, parseTarget, sameToken, WebBridgeServer, type BridgeServerMessage } from '../../src-main/backend/web-bridge-server.ts';
import type { InvokeChannel } from '../../src-shared/ipc/app-contract.ts';
import { decodeMessage, encodeMessage } from '../../src-shared/ipc/wire-codec.ts';

let dir: string;
let host: BackendHost;
let server: WebBridgeServer;
const closed: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-bridge-'));
  const www = join(dir, 'www');
  await mkdir(www);
  await writeFile(join(www, 'index.html'), '<!doctype html><html><head><title>t</title></head><body><script type="module" src="app.js"></script></body></html>');
  await writeFile(join(www, 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  // Symbolic links out of the build folder, to a file and to a folder, and one that stays inside.
  await symlink(join(dir, 'secret.txt'), join(www, 'leak.txt'));
  await symlink(dir, join(www, 'up'));
  await symlink(join(www, 'app.js'), join(www, 'alias.js'));
  let srv: WebBridgeServer | null = null;
  host = BackendHost.start({ userDataDir: join(dir, 'user'), emit: (s, c, p) => srv?.deliver(s, c, p) });
  const backend = { handle: (s: number, c: InvokeChannel, p: unknown) => host.handle(s, c, p), closeSender: async (s: number) => { closed.push(s); await host.closeSender(s); } };
  server = srv = await WebBridgeServer.start(backend, { rendererDir: www });
});
afterAll(async () => {
  await server?.close();
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A page's socket: origin and token as the browser would send them. */
function connect(opts: { token?: string; origin?: string } = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${opts.token ?? server.token}`, { origin: opts.origin ?? `http://127.0.0.1:${server.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function client(ws: WebSocket) {
  const events: BridgeServerMessage[] = [];
  const waiting = new Map<number, (m: BridgeServerMessage) => void>();
  let id = 1;
  ws.on('message', (data: Buffer) => {
    const m = decodeMessage(new Uint8Array(data)) as BridgeServerMessage;
    if (m.t === 'event') events.push(m);
    else waiting.get(m.id)?.(m);
  });
  const invoke = (channel: string, payload: unknown) => new Promise<BridgeServerMessage>((resolve) => {
    const n = id++;
    waiting.set(n, resolve);
    ws.send(encodeMessage({ t: 'invoke', id: n, channel, payload }));
  });
  return { events, invoke };
}

/** Sends raw bytes to the server and resolves to everything it answers before closing (or 2 s). */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const sock = tcpConnect(server.port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, 2000);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('end', done);
    sock.on('close', done);
    sock.on('error', done);
    sock.write(bytes);
  });
}

const upgradeRequest = (target: string, host: string, origin: string) =>
  `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

describe('web bridge: malformed and foreign requests', () => {
  it('parses targets, hosts and tokens without throwing', () => {
    expect(parseTarget('//[')).toBeNull();
    expect(parseTarget('/bridge?token=a')?.searchParams.get('token')).toBe('a');
    expect(isOwnHost('127.0.0.1:80', 80)).toBe(true);
    expect(isOwnHost('localhost:80', 80)).toBe(true);
    expect(isOwnHost('evil.example:80', 80)).toBe(false);
    expect(isOwnHost(undefined, 80)).toBe(false);
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abd', 'abc')).toBe(false);
    expect(sameToken('ab', 'abc')).toBe(false);
    expect(sameToken(null, 'abc')).toBe(false);
  });

  it('answers an upgrade to a target that is no URL with 403 and keeps serving', async () => {
    const own = `127.0.0.1:${server.port}`;
    expect(await raw(upgradeRequest('//[', own, `http://${own}`))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(upgradeRequest(`//[?token=${server.token}`, own, `http://${own}`))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(`GET //[ HTTP/1.1\r\nHost: ${own}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`http://${own}/index.html`)).status).toBe(200);
  });

  it('refuses requests whose Host is not the server (a rebound name), page and socket alike', async () => {
    const own = `127.0.0.1:${server.port}`;
    expect(await raw(`GET /index.html HTTP/1.1\r\nHost: evil.example:${server.port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 421/);
    expect(await raw(upgradeRequest(`/bridge?token=${server.token}`, `evil.example:${server.port}`, `http://${own}`))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(upgradeRequest(`/bridge?token=${server.token}`, own, `http://${own}`))).toMatch(/^HTTP\/1\.1 101/);
  });

  it('closes a socket that breaks the WebSocket protocol, and keeps serving others', async () => {
    const bad = await connect();
    const closedCode = new Promise<number>((r) => bad.once('close', (c) => r(c)));
    bad.on('error', () => undefined);
    // A frame with reserved bits set and an undefined opcode: the server's protocol parser fails.
    (bad as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0xff, 0x80, 0, 0, 0, 0]));
    expect(typeof (await closedCode)).toBe('number');
    const good = client(await connect());
    expect(await good.invoke('settings:get', {})).toMatchObject({ ok: true });
  });
});

describe('web bridge', () => {
  it('serves the renderer with the bridge script injected before app.js, a CSP, and nothing outside its folder', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/index.html`);
    const html = await res.text();
    expect(html.indexOf('web-bridge.js')).toBeGreaterThan(0);
    expect(html.indexOf('web-bridge.js')).toBeLessThan(html.indexOf('app.js'));
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'; .*connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
    expect((await fetch(`http://127.0.0.1:${server.port}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    const escape = await fetch(`http://127.0.0.1:${server.port}/%2e%2e%2fsecret.txt`);
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toMatch(/secret/);
    expect((await fetch(`http://127.0.0.1:${server.port}/nope.js`)).status).toBe(404);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/index\.html\?token=[0-9a-f]{32}$/);
  });

  it('refuses symbolic links that lead out of the build folder, as app:// does for the same paths', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    for (const path of ['/leak.txt', '/up/secret.txt']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).not.toMatch(/secret|console/);
    }
    const alias = await fetch(`${base}/alias.js`);
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('console.log(1)');
    // One decision for both servers: the same status for every path.
    const www = join(dir, 'www');
    for (const path of ['/leak.txt', '/up/secret.txt', '/alias.js', '/app.js', '/nope.js', '/%2e%2e%2fsecret.txt', '/a%00.js', '/%E0%A4%A']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe((await serveAppFile(www, `app://hark${path}`)).status);
    }
  });

  it('puts the CSP with frame-ancestors, X-Frame-Options and nosniff on every response, errors included', async () => {
    const own = `127.0.0.1:${server.port}`;
    const check = (headers: Headers | Record<string, string>, what: string) => {
      const get = (k: string) => (headers instanceof Headers ? headers.get(k) : headers[k]);
      expect(get('content-security-policy'), what).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+;.*frame-ancestors 'none'/);
      expect(get('x-frame-options'), what).toBe('DENY');
      expect(get('x-content-type-options'), what).toBe('nosniff');
    };
    const cases: [string, RequestInit, number][] = [
      ['/index.html', {}, 200], ['/app.js', { method: 'HEAD' }, 200], ['/nope.js', {}, 404], ['/leak.txt', {}, 403],
      ['/%2e%2e%2fsecret.txt', {}, 403], ['/index.html', { method: 'POST' }, 405], ['/%E0%A4%A', {}, 400],
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`http://${own}${path}`, init);
      expect(res.status, path).toBe(status);
      check(res.headers, `${init.method ?? 'GET'} ${path}`);
    }
    // A foreign Host (421), a target that is no URL (400), an unparsable request (400), a refused upgrade (403): raw HTTP.
    for (const request of [`GET /index.html HTTP/1.1\r\nHost: evil.example:${server.port}\r\n\r\n`, `GET //[ HTTP/1.1\r\nHost: ${own}\r\n\r\n`, 'NOT HTTP AT ALL\r\n\r\n', upgradeRequest('/bridge?token=wrong', own, `http://${own}`)]) {
      const answer = await raw(request);
      const headers = Object.fromEntries(answer.split('\r\n\r\n')[0].split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      check(headers, request.split('\r\n')[0]);
    }
  });

  it('refuses sockets without the token or from another origin', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow(/403/);
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers contract requests through the worker, sends events, and rejects bad requests clearly', async () => {
    const closedBefore = closed.length;
    const ws = await connect();
    const c = client(ws);
    const info = await c.invoke('app:info', {});
    expect(info).toMatchObject({ t: 'result', ok: true, value: { version: expect.any(String), notices: [] } });
    expect(await c.invoke('models:list', {})).toMatchObject({ t: 'result', ok: true, value: { models: [expect.objectContaining({ name: 'hark-en' })] } });
    const set = await c.invoke('settings:set', { patch: { pushMs: 80 } });
    expect(set).toMatchObject({ ok: true, value: { pushMs: 80 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.events.some((e) => e.t === 'event' && e.channel === 'app:event')).toBe(true);
    expect(await c.invoke('settings:set', { patch: { pushMs: 'x' } })).toMatchObject({ ok: false, error: { name: 'IpcPayloadError', message: expect.stringMatching(/pushMs must be a finite number/) } });
    expect(await c.invoke('dialog:save-text', { fileName: 'a', text: '' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not a channel the backend answers/) } });
    expect(await c.invoke('shell:exec', {})).toMatchObject({ ok: false });
    // A dropped file travels as bytes and is transcribed in the worker.
    const wav = await readFile('assets/samples/digits.wav');
    const added = await c.invoke('files:add', { files: [{ name: 'digits.wav', data: wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength) }], mode: { kind: 'dictation' } });
    expect(added).toMatchObject({ ok: true });
    const deadline = Date.now() + 60_000;
    while (!c.events.some((e) => e.t === 'event' && e.channel === 'files:event' && (e.payload as { state: string }).state === 'done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const done = c.events.find((e) => e.t === 'event' && e.channel === 'files:event' && (e.payload as { state: string }).state === 'done');
    expect((done as { payload: { result: { text: string } } }).payload.result.text).toMatch(/\w/);
    // Live streaming over the socket: Float32Array rows arrive as binary.
    const start = await c.invoke('recognition:start', { input: 'mfcc', mode: { kind: 'dictation' } });
    expect(start).toMatchObject({ ok: true, value: { features: { numMfcc: 13 }, keywordWarps: [] } });
    const streamId = (start as { value: { streamId: string } }).value.streamId;
    expect(await c.invoke('recognition:push', { streamId, data: new Float32Array(13 * 5) })).toMatchObject({ ok: true });
    expect(await c.invoke('recognition:push', { streamId, data: new Float32Array(7) })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/whole rows of 13/) } });
    expect(await c.invoke('recognition:stop', { streamId })).toMatchObject({ ok: true });
    ws.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(closed.length).toBe(closedBefore + 1);
  });

  it('closes a socket that sends a malformed frame, and keeps serving others', async () => {
    const bad = await connect();
    const code = new Promise<number>((r) => bad.once('close', (c) => r(c)));
    bad.send(Buffer.from('not a frame'));
    expect(await code).toBe(1003);
    const good = client(await connect());
    expect(await good.invoke('settings:get', {})).toMatchObject({ ok: true });
  });
});
