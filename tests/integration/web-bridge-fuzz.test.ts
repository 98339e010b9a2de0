/**
 * The web bridge (`hark app-server`) under malformed input: the real backend in its worker thread
 * and the real HTTP + WebSocket server on a free loopback port, fed a few thousand inputs drawn
 * from a seeded generator over raw TCP sockets and real WebSocket clients. After every batch the
 * server must still serve the page (200 with its CSP) and answer a fresh authenticated socket.
 *
 * Oracles for every input: no crash (no uncaught exception or unhandled rejection in this
 * process, where `hark app-server` would die of one); no hang (each socket is answered or closed
 * within its deadline); no answer holds a stack trace, an absolute path of the install or of the
 * served folder, or the file outside the served folder; every HTTP response carries the CSP and
 * security headers; only a request with the token, the own Origin and the own Host is upgraded.
 *
 * The seed is printed; HARK_FUZZ_SEED=<n> replays a run. A failure names its batch, case and input.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BackendHost } from '../../src-main/backend/backend-host.ts';
import { closeReason, nestsDeeper, WebBridgeServer, type BridgeServerMessage } from '../../src-main/backend/web-bridge-server.ts';
import { PACKAGE_ROOT } from '../../src-main/model/package-paths.ts';
import { createRng, type Rng } from '../../src-main/train/data/rng.ts';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../src-shared/ipc/app-contract.ts';
import { decodeMessage, encodeMessage } from '../../src-shared/ipc/wire-codec.ts';

const SEED = process.env.HARK_FUZZ_SEED ? Number(process.env.HARK_FUZZ_SEED) : 0x4a11ce;
/** Sockets in flight at once: enough to interleave, few enough for two busy cores. */
const CONCURRENCY = 16;

let dir: string;
let www: string;
let host: BackendHost;
let server: WebBridgeServer;
let port: number;
const SECRET = `TOP-SECRET-${randomBytes(8).toString('hex')}`;
/** Uncaught exceptions and unhandled rejections seen while fuzzing (each one would stop `hark app-server`). */
const crashes: string[] = [];
const onCrash = (e: unknown) => crashes.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const counts: Record<string, number> = {};

beforeAll(async () => {
  console.log(`web-bridge fuzz: seed ${SEED} (HARK_FUZZ_SEED=${SEED} replays this run)`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  dir = await mkdtemp(join(tmpdir(), 'hark-bridge-fuzz-'));
  www = join(dir, 'www');
  await mkdir(www);
  await writeFile(join(www, 'index.html'), '<!doctype html><html><head><title>t</title></head><body><script type="module" src="app.js"></script></body></html>');
  await writeFile(join(www, 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await symlink(join(dir, 'secret.txt'), join(www, 'leak.txt'));
  await symlink(dir, join(www, 'up'));
  let srv: WebBridgeServer | null = null;
  host = BackendHost.start({ userDataDir: join(dir, 'user'), emit: (s, c, p) => srv?.deliver(s, c, p) });
  server = srv = await WebBridgeServer.start(host, { rendererDir: www });
  port = server.port;
});
afterAll(async () => {
  console.log(`web-bridge fuzz: seed ${SEED}, inputs ${JSON.stringify(counts)}, total ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
  await server?.close();
  await host?.dispose();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Oracles

/** What no answer may hold: a stack frame, an absolute path of the install or the served folder, the file outside it. */
function leaks(text: string): string | null {
  if (/\n\s+at \S|\bat (?:async )?[\w.<>]+ \(|node:internal|\.[cm]?[jt]s:\d+:\d+/.test(text)) return 'a stack trace';
  for (const path of new Set([process.cwd(), PACKAGE_ROOT, resolve(dir), resolve(www)])) if (text.includes(path)) return `the absolute path ${path}`;
  if (text.includes(SECRET)) return 'the file outside the served folder';
  return null;
}

const show = (input: string | Buffer) => {
  const s = typeof input === 'string' ? input : input.toString('latin1');
  return JSON.stringify(s.length > 600 ? `${s.slice(0, 600)}... (${s.length} chars)` : s);
};

/** Collects a batch's failures; each names the seed, the case and the input, so it can be replayed. */
class Findings {
  readonly list: string[] = [];
  constructor(private readonly batch: string) {}
  add(index: number, input: string | Buffer, problem: string): void {
    this.list.push(`[seed ${SEED}, ${this.batch} #${index}] ${problem}\n  input: ${show(input)}`);
  }
}

/**
 * The heads of the HTTP responses in `answer` (interim 1xx heads included) and whether the last one
 * is complete (its body read through Content-Length or the chunked terminator).
 */
function responses(answer: string, headRequest: boolean): { heads: { status: number; headers: Map<string, string> }[]; complete: boolean } {
  const heads: { status: number; headers: Map<string, string> }[] = [];
  let rest = answer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return { heads, complete: false };
    const lines = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? NaN);
    const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    heads.push({ status, headers });
    rest = rest.slice(end + 4);
    if (status >= 100 && status < 200 && status !== 101) continue;
    if (status === 101 || headRequest || status === 204 || status === 304) return { heads, complete: true };
    if (headers.get('transfer-encoding') === 'chunked') return { heads, complete: /(^|\r\n)0\r\n\r\n$/.test(rest) };
    const length = headers.get('content-length');
    if (length !== undefined) return { heads, complete: Buffer.byteLength(rest, 'latin1') >= Number(length) };
    return { heads, complete: false };
  }
}

/** Checks one HTTP answer: well formed, the security headers on each response, no leak, 101 only where allowed. */
function checkHttpAnswer(answer: string, opts: { head: boolean; mayUpgrade: boolean }): string | null {
  const leak = leaks(answer);
  if (leak) return `the answer holds ${leak}: ${show(answer)}`;
  if (answer === '') return null; // Closed without a word: allowed for input that is no request.
  if (!answer.startsWith('HTTP/1.1 ')) return `the answer is no HTTP response: ${show(answer)}`;
  for (const { status, headers } of responses(answer, opts.head).heads) {
    if (!(status >= 100 && status < 600)) return `a response has no status: ${show(answer)}`;
    if (status === 101 && !opts.mayUpgrade) return `upgraded a socket that lacks the token, the own Origin or the own Host: ${show(answer)}`;
    if (status === 100 || status === 101) continue;
    if (!/frame-ancestors 'none'/.test(headers.get('content-security-policy') ?? '') || headers.get('x-frame-options') !== 'DENY' || headers.get('x-content-type-options') !== 'nosniff') {
      return `a ${status} response lacks the CSP or security headers: ${show(answer)}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Clients

interface Exchange {
  answer: string;
  /** The server closed (or reset) the socket before the deadline. */
  closed: boolean;
  /** Neither a complete answer nor a close came before the deadline. */
  timedOut: boolean;
}

/**
 * Writes `chunks` to a fresh socket (`gapMs` apart), then optionally half-closes, and collects the
 * answer until it is complete, the server closes, or `timeoutMs` passes; the socket is always destroyed.
 */
function exchange(chunks: (string | Buffer)[], opts: { gapMs?: number; halfClose?: boolean; timeoutMs?: number; head?: boolean; waitForClose?: boolean } = {}): Promise<Exchange> {
  return new Promise((done) => {
    const sock = tcpConnect(port, '127.0.0.1');
    let answer = '';
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (closed: boolean, timedOut: boolean) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      sock.destroy();
      done({ answer, closed, timedOut });
    };
    timers.push(setTimeout(() => finish(false, true), opts.timeoutMs ?? 3000));
    sock.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (!opts.waitForClose && responses(answer, opts.head ?? false).complete) finish(false, false);
    });
    sock.on('end', () => finish(true, false));
    sock.on('close', () => finish(true, false));
    sock.on('error', () => finish(true, false));
    sock.once('connect', () => {
      chunks.forEach((c, i) => timers.push(setTimeout(() => {
        if (finished || sock.destroyed) return;
        sock.write(c);
        if (i === chunks.length - 1 && opts.halfClose) sock.end();
      }, i * (opts.gapMs ?? 0))));
    });
  });
}

/** Runs `fn` on every item with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms); })]).finally(() => clearTimeout(timer));
};

/** A page's socket: the token and the own Origin, as the browser sends them. */
function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${server.token}`, { origin: `http://127.0.0.1:${port}` });
  ws.on('error', () => undefined);
  return withTimeout(new Promise((ok, fail) => {
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.once('close', () => fail(new Error('closed before it opened')));
  }), 10_000, 'opening an authenticated socket');
}

/** The server is alive and correct: the page with its CSP, and a fresh socket answering settings:get. */
async function expectAlive(batch: string): Promise<void> {
  expect(crashes, `${batch}: the server threw (seed ${SEED})`).toEqual([]);
  const res = await fetch(`http://127.0.0.1:${port}/index.html`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status, `${batch}: GET /index.html`).toBe(200);
  expect(res.headers.get('content-security-policy'), `${batch}: the page's CSP`).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+;.*frame-ancestors 'none'/);
  expect(await res.text()).toContain('web-bridge.js');
  const ws = await connect();
  try {
    const reply = withTimeout(new Promise<BridgeServerMessage>((ok) => ws.on('message', (d: Buffer) => {
      const m = decodeMessage(new Uint8Array(d)) as BridgeServerMessage;
      if (m.t === 'result' && m.id === 1) ok(m);
    })), 10_000, `${batch}: settings:get`);
    ws.send(encodeMessage({ t: 'invoke', id: 1, channel: 'settings:get', payload: {} }));
    expect(await reply, `${batch}: settings:get on a fresh socket`).toMatchObject({ t: 'result', id: 1, ok: true });
  } finally {
    ws.terminate();
  }
}

function expectNoFindings(f: Findings): void {
  expect(f.list, f.list.slice(0, 5).join('\n')).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Generators

const pickN = <T>(rng: Rng, items: readonly T[], n: number): T[] => Array.from({ length: n }, () => rng.pick(items));
const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:@/?#[]%" <>\\^`{|}';
const randomText = (rng: Rng, n: number, alphabet = PRINTABLE) => pickN(rng, [...alphabet], n).join('');
/** Bytes of any value, as a latin1 string (one char per byte). */
const randomByteText = (rng: Rng, n: number) => String.fromCharCode(...Array.from({ length: n }, () => rng.int(0, 255)));

const own = () => `127.0.0.1:${port}`;

const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'PROPFIND', 'CONNECT', 'get', 'G ET', '', 'GET\0', 'X'.repeat(300), 'M-SEARCH', 'PRI'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1 extra', 'http/1.1', 'HTTP/1.', 'HTTP/11', '', 'HTTP/1.1\0', 'HTTP/9.9'];

/** Path segments that try to leave the served folder, in every encoding a server might decode. */
const SEGMENTS = [
  '..', '..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '.', '', '%2f', '%2F', '%5c', '%5C', '..%2f', '..%5c', '%00', '\\..', '%252e%252e', '%c0%ae%c0%ae', '%c0%af',
  '..;', '%u002e%u002e', 'up', 'leak.txt', 'secret.txt', 'index.html', 'app.js', 'www', '%', '%%', '%zz', '%E0%A4%A', '%ff', '%0a', '%0d%0a', '\u00e9', '~', '*', 'a'.repeat(300),
];
const TARGETS = [
  '/', '/index.html', '/app.js', '/nope.js', '/leak.txt', '/up/secret.txt', '//[', '//[::1', '//[?token=x', '*', '', 'http://evil.example/../secret.txt', `http://${'127.0.0.1'}:1/index.html`,
  '/%2e%2e%2fsecret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/../secret.txt', '/a%00.js', '/index.html%00.js', '/%E0%A4%A', '/%', '//../secret.txt', '/\\../secret.txt',
  '/./../secret.txt', '/up/../up/secret.txt', '/%252e%252e%252fsecret.txt', '/' + 'a/'.repeat(2000), '/?' + 'q'.repeat(9000), '/#frag', '/index.html?token=x#y',
];

function target(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0: return rng.pick(TARGETS);
    case 1: return '/' + pickN(rng, SEGMENTS, rng.int(1, 6)).join(rng.chance(0.8) ? '/' : rng.pick(['%2f', '\\', '//', '/./']));
    case 2: return '/' + randomText(rng, rng.int(0, 40)) + (rng.chance(0.3) ? `?${randomText(rng, rng.int(0, 20))}` : '');
    default: return rng.pick(['/', '', '//', '/bridge']) + randomByteText(rng, rng.int(1, 12));
  }
}

function hostHeader(rng: Rng): string {
  return rng.pick([
    own(), own(), own(), `localhost:${port}`, 'evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `127.0.0.1:${port}@evil.example`,
    `[::1]:${port}`, '', 'h'.repeat(5000), `${own()}\0`, `LOCALHOST:${port}`, ` ${own()}`, `${own()}, evil.example`, `127.0.0.1:0${port}`, randomText(rng, 20),
  ]);
}

function garbledHeader(rng: Rng): string {
  switch (rng.int(0, 11)) {
    case 0: return `${randomText(rng, rng.int(1, 20), 'abcdefghij-XYZ')}: ${randomText(rng, rng.int(0, 60))}`;
    case 1: return `X-Big: ${'b'.repeat(rng.int(1, 40) * 1024)}`;
    case 2: return randomText(rng, rng.int(1, 40)); // no colon
    case 3: return `X-Ctl: a${String.fromCharCode(rng.int(0, 31))}b`;
    case 4: return `X-Fold: a\r\n ${randomText(rng, 10)}`; // obsolete line folding
    case 5: return `Bad Name : ${randomText(rng, 5)}`;
    case 6: return rng.pick(['Content-Length: -1', 'Content-Length: abc', 'Content-Length: 5\r\nContent-Length: 6', 'Content-Length: 99999999999999999999', 'Content-Length: 0x10']);
    case 7: return rng.pick(['Transfer-Encoding: chunked\r\nContent-Length: 3', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: chunked, identity', 'Transfer-Encoding: xchunked']);
    case 8: return `Host: ${hostHeader(rng)}`; // a second Host
    case 9: return rng.pick(['Expect: 100-continue', 'Expect: teapot', 'Connection: close', 'Connection: keep-alive', 'Connection: upgrade']);
    case 10: return Array.from({ length: rng.int(100, 2500) }, (_, i) => `X-${i}: v`).join('\r\n'); // many headers
    default: return `X-Bin: ${randomByteText(rng, rng.int(1, 30)).replace(/[\r\n]/g, '')}`;
  }
}

interface HttpCase { input: string; head: boolean; halfClose: boolean }

/** A request line (random method, target and version), a Host, maybe a body. */
function requestLineCase(rng: Rng): HttpCase {
  const method = rng.pick(METHODS);
  const eol = rng.chance(0.9) ? '\r\n' : '\n';
  const line = rng.chance(0.1) ? randomByteText(rng, rng.int(0, 80)) : `${method} ${target(rng)} ${rng.pick(VERSIONS)}`;
  const body = rng.chance(0.2) ? randomText(rng, rng.int(0, 100)) : '';
  const input = `${line}${eol}Host: ${hostHeader(rng)}${eol}${body ? `Content-Length: ${body.length}${eol}` : ''}${rng.chance(0.5) ? `Connection: close${eol}` : ''}${eol}${body}`;
  return { input, head: method === 'HEAD', halfClose: rng.chance(0.3) };
}

/** A plausible request with huge, garbled, duplicated or contradictory headers. */
function headerCase(rng: Rng): HttpCase {
  const method = rng.pick(['GET', 'GET', 'HEAD', 'POST']);
  const headers = [`Host: ${hostHeader(rng)}`, ...Array.from({ length: rng.int(1, 4) }, () => garbledHeader(rng))];
  if (rng.chance(0.3)) headers.reverse();
  const body = method === 'POST' ? randomText(rng, rng.int(0, 50)) : '';
  return { input: `${method} ${rng.chance(0.5) ? '/index.html' : target(rng)} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`, head: method === 'HEAD', halfClose: rng.chance(0.3) };
}

/** A GET of a path that tries to leave the folder: the secret must never come back. */
function traversalCase(rng: Rng): HttpCase {
  const method = rng.chance(0.85) ? 'GET' : 'HEAD';
  return { input: `${method} ${target(rng)} HTTP/1.1\r\nHost: ${rng.chance(0.9) ? own() : `localhost:${port}`}\r\nConnection: close\r\n\r\n`, head: method === 'HEAD', halfClose: false };
}

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

interface UpgradeParts { method: string; path: string; token: string | null; host: string; origin: string | null; key: string | null; version: string | null; upgrade: string; connection: string; httpVersion: string }

const goodUpgrade = (): UpgradeParts => ({
  method: 'GET', path: '/bridge', token: server.token, host: own(), origin: `http://${own()}`, key: WS_KEY, version: '13', upgrade: 'websocket', connection: 'Upgrade', httpVersion: 'HTTP/1.1',
});

function upgradeText(p: UpgradeParts, extra: string[] = []): string {
  const target = p.token === null ? p.path : `${p.path}?token=${p.token}`;
  const lines = [`${p.method} ${target} ${p.httpVersion}`, `Host: ${p.host}`, `Connection: ${p.connection}`, `Upgrade: ${p.upgrade}`];
  if (p.origin !== null) lines.push(`Origin: ${p.origin}`);
  if (p.key !== null) lines.push(`Sec-WebSocket-Key: ${p.key}`);
  if (p.version !== null) lines.push(`Sec-WebSocket-Version: ${p.version}`);
  return `${[...lines, ...extra].join('\r\n')}\r\n\r\n`;
}

/** An upgrade request with one to three things wrong (or, now and then, none). */
function upgradeCase(rng: Rng): { input: string; mayUpgrade: boolean; mustUpgrade: boolean } {
  const p = goodUpgrade();
  const extra: string[] = [];
  const faults = rng.chance(0.1) ? 0 : rng.int(1, 3);
  for (let i = 0; i < faults; i++) {
    switch (rng.int(0, 10)) {
      case 0: p.key = rng.pick([null, '', 'short', WS_KEY.slice(0, -2), randomText(rng, 24), `${WS_KEY}, ${WS_KEY}`, 'A'.repeat(5000), '!!!!!!!!!!!!!!!!!!!!!!==']); break;
      case 1: p.version = rng.pick([null, '', '12', '14', 'abc', '13, 8', '-1', '1300000000000000000000']); break;
      case 2: p.token = rng.pick([null, '', 'wrong', server.token.slice(0, -1), `${server.token}x`, server.token.toUpperCase(), `x&token=${server.token}`, `${server.token}%00`, randomText(rng, 32, '0123456789abcdef')]); break;
      case 3: p.path = rng.pick(['/bridge/', '/Bridge', '/bridge%00', '//bridge', '/', '//[', '/../bridge', '/bridge;x', '*', '/%62ridge', '/index.html']); break;
      case 4: p.origin = rng.pick([null, 'null', 'http://evil.example', `http://localhost:${port}`, `http://${own()}/`, `https://${own()}`, `http://${own()}.evil.example`, `HTTP://${own()}`]); break;
      case 5: p.host = rng.pick([`evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, '', `[::1]:${port}`, `${own()}@evil.example`]); break;
      case 6: p.method = rng.pick(['POST', 'HEAD', 'get', 'PUT', 'OPTIONS', 'CONNECT']); break;
      case 7: p.upgrade = rng.pick(['websocket2', 'h2c', '', 'WebSocket, h2c', 'tls/1.0', randomText(rng, 10)]); break;
      case 8: p.connection = rng.pick(['keep-alive', 'close', 'Upgrade, close', 'upgrade', 'Upgrade\0']); break;
      case 9: p.httpVersion = rng.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1\0']); break;
      default: extra.push(rng.pick(['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99', 'Sec-WebSocket-Extensions: ;;;', 'Sec-WebSocket-Protocol: a, a', 'Sec-WebSocket-Protocol: ,', 'Content-Length: 5', `Origin: http://evil.example`])); break;
    }
  }
  const input = upgradeText(p, extra);
  // The bridge upgrades only with the token, the own Origin and the own Host; whether ws then accepts the rest is its business.
  const authentic = p.token === server.token && p.origin === `http://${own()}` && p.host === own() && !extra.some((e) => e.startsWith('Origin:'));
  return { input, mayUpgrade: authentic, mustUpgrade: faults === 0 };
}

// ---------------------------------------------------------------------------------------------
// WebSocket frames written by hand (RFC 6455 section 5.2)

function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv?: number; masked?: boolean; claimedLength?: bigint } = {}): Buffer {
  const length = o.claimedLength ?? BigInt(payload.length);
  const first = ((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (opcode & 0x0f);
  const masked = o.masked ?? true;
  let head: Buffer;
  if (length < 126n) head = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    head = Buffer.alloc(4);
    head[0] = first;
    head[1] = (masked ? 0x80 : 0) | 126;
    head.writeUInt16BE(Number(length), 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = (masked ? 0x80 : 0) | 127;
    head.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  return Buffer.concat([head, key, Buffer.from(payload.map((b, i) => b ^ key[i % 4]))]);
}

const invoke = (id: unknown, channel: unknown, payload: unknown, t: unknown = 'invoke') => Buffer.from(encodeMessage({ t, id, channel, payload }));

/**
 * One to four frames after a good handshake; `bad` when one of them must make the server close the
 * socket (a protocol error that no earlier frame can excuse: after random bytes, which may claim a
 * long payload that swallows what follows, nothing is certain).
 */
function frameCase(rng: Rng): { frames: Buffer[]; bad: boolean } {
  const frames: Buffer[] = [];
  let bad = false;
  let certain = true;
  let fragmented = false;
  const breaks = (f: Buffer) => {
    frames.push(f);
    if (certain) bad = true;
  };
  for (let i = rng.int(1, 4); i > 0; i--) {
    const kind = rng.int(0, 11);
    if (kind === 0) {
      frames.push(Buffer.from(randomByteText(rng, rng.int(1, 64)), 'latin1'));
      certain = false;
    } else if (kind === 1) breaks(frame(rng.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), Buffer.from(randomText(rng, rng.int(0, 20)))));
    else if (kind === 2) breaks(frame(2, invoke(1, 'settings:get', {}), { rsv: rng.int(1, 7) }));
    else if (kind === 3) breaks(frame(rng.pick([1, 2]), invoke(2, 'settings:get', {}), { masked: false }));
    else if (kind === 4) breaks(frame(2, Buffer.alloc(8), { claimedLength: rng.pick([700n * 1024n * 1024n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) }));
    else if (kind === 5) breaks(frame(rng.pick([8, 9, 10]), Buffer.alloc(rng.int(126, 300)))); // a control frame over 125 bytes
    else if (kind === 6) breaks(frame(9, Buffer.from('p'), { fin: false })); // a fragmented control frame
    else if (kind === 7) {
      // A continuation: an error unless a fragmented message is open.
      const f = frame(0, Buffer.from('continued'));
      if (fragmented) frames.push(f);
      else breaks(f);
      fragmented = false;
    } else if (kind === 8) breaks(frame(1, Buffer.from(rng.pick(['{"t":"invoke","id":1,"channel":"settings:get","payload":{}}', '{not json', '', '\u00e9'.repeat(200)])))); // text: the bridge speaks binary
    else if (kind === 9) breaks(frame(1, Buffer.from([0xc3, 0x28, 0xff, 0xfe]))); // text that is no UTF-8
    else if (kind === 10) {
      // A close frame with a reserved code, or a reason that is no UTF-8.
      const body = Buffer.from([0, 0, 0xff, 0xfe]);
      body.writeUInt16BE(rng.pick([0, 999, 1004, 1005, 1006, 1015, 2999, 5000]), 0);
      breaks(frame(8, body));
    } else {
      const fin = rng.chance(0.8);
      frames.push(frame(fragmented ? 0 : 2, invoke(rng.int(1, 1000), rng.pick(['settings:get', 'nope']), {}), { fin }));
      fragmented = !fin;
    }
  }
  return { frames, bad };
}

interface ServerFrame { opcode: number; payload: Buffer }

/** The complete frames the server sent (unmasked, RFC 6455 section 5.2) at the start of `bytes`. */
function serverFrames(bytes: Buffer): ServerFrame[] {
  const out: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    let length = bytes[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    out.push({ opcode: bytes[at] & 0x0f, payload: bytes.subarray(start, start + length) });
    at = start + length;
  }
  return out;
}

/**
 * Opens a socket with a correct handshake, writes `frames`, and reads until the server closes:
 * ends the TCP connection or sends a close frame (ws then waits for the client's close frame, as
 * the closing handshake asks), or until `timeoutMs` passes.
 */
function frameSession(frames: Buffer[], timeoutMs: number): Promise<{ head: string; frames: ServerFrame[]; upgraded: boolean; closed: boolean }> {
  return new Promise((done) => {
    const sock = tcpConnect(port, '127.0.0.1');
    let bytes = Buffer.alloc(0);
    let head = '';
    let upgraded = false;
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      done({ head, frames: upgraded ? serverFrames(bytes) : [], upgraded, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('data', (d: Buffer) => {
      bytes = Buffer.concat([bytes, d]);
      if (!head) {
        const end = bytes.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = bytes.subarray(0, end + 4).toString('latin1');
        bytes = bytes.subarray(end + 4);
        upgraded = head.startsWith('HTTP/1.1 101');
        if (!upgraded) return finish(true);
        for (const f of frames) sock.write(f);
      }
      if (serverFrames(bytes).some((f) => f.opcode === 8)) finish(true);
    });
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.write(upgradeText(goodUpgrade()));
  });
}

/** What a server frame shows that it must not: in a close reason, a text frame, or a refused request's error. */
function frameLeak(f: ServerFrame): string | null {
  if (f.opcode === 8) return leaks(f.payload.subarray(2).toString());
  if (f.opcode === 1) return leaks(f.payload.toString());
  if (f.opcode !== 2) return null;
  const m = decodeMessage(new Uint8Array(f.payload)) as BridgeServerMessage;
  return m.t === 'result' && !m.ok ? leaks(`${m.error.name}: ${m.error.message}`) : null;
}

// ---------------------------------------------------------------------------------------------
// Bridge messages sent by a real WebSocket client (masked, well-framed): what the codec and the
// envelope checks must refuse, and well-formed invokes the validators must refuse

/** Channels whose handling is cheap and harmless whatever the payload, so any payload may go to them. */
const LIGHT_CHANNELS: InvokeChannel[] = [
  'app:info', 'settings:get', 'settings:set', 'words:list', 'recordings:list', 'models:list', 'retrain:list', 'recognition:configure', 'recognition:push',
  'recognition:stop', 'files:cancel', 'files:remove', 'files:audio', 'files:export', 'retrain:cancel', 'retrain:remove', 'recordings:remove', 'recordings:audio',
];
const FIELD_NAMES = ['patch', 'streamId', 'data', 'dir', 'path', 'items', 'files', 'mode', 'jobId', 'word', 'id', 'input', 'keywords', 'format', 'name', 'kind', 'pushMs', '__proto__', 'constructor'];

/** A JSON value of random shape (depth-bounded); strings are never absolute paths. */
function jsonValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, depth > 3 ? 5 : 8)) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 2, 13, 16000, Number.MAX_SAFE_INTEGER]);
    case 3: return randomText(rng, rng.int(0, 20), 'abcdefgh:-_ \u00e9\u20ac\u{1f600}0123456789');
    case 4: return rng.pick(['', 'dictation', 'mfcc', 'pcm', 'keywords', '..', 'x'.repeat(20_000)]);
    case 5: return {};
    case 6: return Array.from({ length: rng.int(0, 4) }, () => jsonValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(1, 4) }, () => [rng.chance(0.7) ? rng.pick(FIELD_NAMES) : randomText(rng, rng.int(0, 8)), jsonValue(rng, depth + 1)]));
  }
}

/** A payload that every channel's validator refuses (no object, or an object with a field no channel has). */
function refusedPayload(rng: Rng): unknown {
  if (rng.chance(0.4)) return rng.pick([null, 0, 'x', [], [{}], true]);
  return { ...(jsonValue(rng) as object), [`zz-${randomText(rng, 4, 'abc')}`]: jsonValue(rng) };
}

type Expect = 'reply' | 'close' | 'either';
interface BridgeMessage { label: string; data: Buffer | string; binary: boolean; expect: Expect; id?: number }

/** Corrupts an encoded message at the byte level (header length, magic, JSON, attachment table, length). */
function corrupt(rng: Rng, id: number): BridgeMessage {
  const good = Buffer.from(encodeMessage({ t: 'invoke', id, channel: 'recognition:push', payload: { streamId: 's', data: new Float32Array(13) } }));
  const b = Buffer.from(good);
  switch (rng.int(0, 9)) {
    case 0: b.writeUInt32LE(rng.int(0, 0xffffffff), 0); return { label: 'bad magic', data: b, binary: true, expect: 'close' };
    case 1: b.writeUInt32LE(rng.pick([b.length, b.length * 4, 0xffffffff, 0x7fffffff]), 4); return { label: 'header length past the end', data: b, binary: true, expect: 'close' };
    case 2: b.writeUInt32LE(rng.int(0, 7), 4); return { label: 'header length too small', data: b, binary: true, expect: 'close' };
    case 3: b[rng.int(8, 8 + b.readUInt32LE(4) - 1)] = rng.pick([0x00, 0x7b, 0x22, 0xff, 0xc0]); return { label: 'header byte changed', data: b, binary: true, expect: 'either', id };
    case 4: return { label: 'cut short', data: good.subarray(0, rng.int(0, good.length - 1)), binary: true, expect: 'either', id };
    case 5: return { label: 'trailing bytes', data: Buffer.concat([good, Buffer.from(randomByteText(rng, rng.int(1, 40)), 'latin1')]), binary: true, expect: 'either', id };
    case 6: return { label: 'garbage after magic', data: Buffer.concat([good.subarray(0, 8), Buffer.from(randomByteText(rng, rng.int(0, 200)), 'latin1')]), binary: true, expect: 'close' };
    case 7: return { label: 'random bytes', data: Buffer.from(randomByteText(rng, rng.int(0, 300)), 'latin1'), binary: true, expect: 'close' };
    case 8: return { label: 'empty', data: Buffer.alloc(0), binary: true, expect: 'close' };
    default: {
      // A header that lies about its attachments.
      const header = rng.pick([
        { v: { t: 'invoke', id, channel: 'settings:get', payload: { __hark_bin: 0, type: 'f32' } }, __lens: [rng.pick([3, 5, 7])] },
        { v: { t: 'invoke', id, channel: 'settings:get', payload: { __hark_bin: rng.pick([1, -1, 1.5, 'x', 1e9]), type: 'u8' } }, __lens: [0] },
        { v: { t: 'invoke', id, channel: 'settings:get', payload: { __hark_bin: 0, type: rng.pick(['f64', '', 'x'.repeat(300), '\u20ac'.repeat(rng.int(30, 200)), '\u{1f600}'.repeat(50)]) } }, __lens: [0] },
        { v: { t: 'invoke', id, channel: 'settings:get', payload: {} }, __lens: rng.pick([null, 'x', [-1], [1.5], [0xffffffff], {}, [1e300]]) },
      ]);
      const json = Buffer.from(JSON.stringify(header));
      const out = Buffer.alloc(8 + json.length + 8);
      out.writeUInt32LE(0x314b5248, 0);
      out.writeUInt32LE(json.length, 4);
      json.copy(out, 8);
      return { label: 'attachment table lies', data: out, binary: true, expect: 'close' };
    }
  }
}

function bridgeMessage(rng: Rng, id: number): BridgeMessage {
  switch (rng.int(0, 11)) {
    case 0: return { label: 'text frame', data: rng.pick([randomText(rng, rng.int(0, 100)), '{"t":"invoke","id":1,"channel":"settings:get","payload":{}}', '{', '[1,2', 'null', '\u20ac'.repeat(100)]), binary: false, expect: 'close' };
    case 1: return { label: 'text frame, no UTF-8', data: Buffer.from([0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80]), binary: false, expect: 'close' };
    case 2: case 3: return corrupt(rng, id);
    case 4: {
      // A well-formed message that is no invoke.
      const value = rng.pick<unknown>([null, 1, 'invoke', [], { t: 'result', id, ok: true, value: 1 }, { t: 'invoke', channel: 'settings:get', payload: {} }, { t: 'invoke', id: rng.pick<unknown>(['1', 1.5, null, [], {}, true, 1e400]), channel: 'settings:get', payload: {} }, { t: 'INVOKE', id, channel: 'settings:get', payload: {} }, { t: 'event', channel: 'app:event', payload: {} }]);
      return { label: 'no invoke', data: Buffer.from(encodeMessage(value)), binary: true, expect: 'close' };
    }
    case 5: {
      const channel = rng.pick<unknown>(['', 'nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'dialog:open-audio', 'dialog:save-text', 'dialog:choose-folder', 'shell:exec', 'settings:get ', 'SETTINGS:GET', 1, null, [], { toString: 1 }, { valueOf: 'x', toString: null }, randomText(rng, rng.int(1, 40))]);
      return { label: 'unknown channel', data: invoke(id, channel, jsonValue(rng)), binary: true, expect: 'reply', id };
    }
    case 6: case 7: {
      const channel = rng.pick(LIGHT_CHANNELS);
      return { label: `${channel}, any payload`, data: invoke(id, channel, rng.chance(0.2) ? undefined : jsonValue(rng)), binary: true, expect: 'reply', id };
    }
    case 8: return { label: 'any channel, refused payload', data: invoke(id, rng.pick(INVOKE_CHANNELS), refusedPayload(rng)), binary: true, expect: 'reply', id };
    case 9: {
      // Huge arrays where a list is expected (every list has a far smaller limit).
      const n = rng.int(20_000, 200_000);
      const item = rng.pick<unknown>([0, 'x', {}, null]);
      const [channel, payload] = rng.pick<[string, unknown]>([
        ['retrain:start', { items: new Array(n).fill(item) }], ['files:add', { files: new Array(n).fill(item), mode: { kind: 'dictation' } }],
        ['settings:set', { patch: { keywords: new Array(n).fill(item) } }], ['words:add', { word: 'x', pronunciations: new Array(n).fill(item), zz: 1 }], ['settings:get', new Array(n).fill(item)],
      ]);
      return { label: `${channel}, huge array`, data: invoke(id, channel, payload), binary: true, expect: 'reply', id };
    }
    case 10: {
      // Binary attachments of the wrong length or kind where rows of 13 floats are expected.
      const data = rng.pick<unknown>([new Float32Array(0), new Float32Array(7), new Float32Array(13 * 5 + 1), new Float32Array([NaN, ...new Array(12).fill(0)]), new Uint8Array(52), new ArrayBuffer(52), new Float32Array(13 * 100_000)]);
      return { label: 'recognition:push, wrong data', data: invoke(id, 'recognition:push', { streamId: rng.pick(['nope', '', 'x'.repeat(200)]), data }), binary: true, expect: 'reply', id };
    }
    default: {
      // Deep nesting: the codec or the validators refuse it, no stack overflow escapes.
      const depth = rng.pick([100, 1000, 5000, 20_000]);
      const header = `{"v":{"t":"invoke","id":${id},"channel":"settings:set","payload":{"patch":${'['.repeat(depth)}${']'.repeat(depth)}}},"__lens":[]}`;
      const json = Buffer.from(header);
      const out = Buffer.alloc(8 + json.length);
      out.writeUInt32LE(0x314b5248, 0);
      out.writeUInt32LE(json.length, 4);
      json.copy(out, 8);
      return { label: `nesting ${depth} deep`, data: out, binary: true, expect: 'either', id };
    }
  }
}

/**
 * Sends `messages` on one authenticated socket and checks each outcome: a reply to every message
 * that expects one (no error naming insides); then the last message, if it may close the socket,
 * alone (the server drops replies still pending when it closes); a close with a clean reason where
 * one is due; and, when the socket is still open, a normal settings:get answered on it.
 */
async function bridgeSession(messages: BridgeMessage[]): Promise<string | null> {
  const ws = await connect();
  const replies = new Map<number, BridgeServerMessage>();
  const leaked: string[] = [];
  const state: { close: { code: number; reason: string } | null } = { close: null };
  /** The close as it stands now (a call, so no earlier check narrows it). */
  const closed = () => state.close;
  const changed = new Set<() => void>();
  ws.on('message', (d: Buffer) => {
    const m = decodeMessage(new Uint8Array(d)) as BridgeServerMessage;
    if (m.t !== 'result') return;
    replies.set(m.id, m);
    if (!m.ok) {
      const leak = leaks(`${m.error.name}: ${m.error.message}`);
      if (leak) leaked.push(`reply ${m.id} holds ${leak}: ${JSON.stringify(m.error)}`);
    }
    for (const f of changed) f();
  });
  ws.on('close', (code, reason) => {
    state.close = { code, reason: reason.toString() };
    for (const f of changed) f();
  });
  const until = (ok: () => boolean, ms: number) => new Promise<boolean>((done) => {
    if (ok()) return done(true);
    const check = () => { if (ok()) { clear(); done(true); } };
    const clear = () => { clearTimeout(timer); changed.delete(check); };
    const timer = setTimeout(() => { clear(); done(false); }, ms);
    changed.add(check);
  });
  const missing = (ids: number[]) => ids.filter((id) => !replies.has(id));
  try {
    const answered = messages.filter((m) => m.expect === 'reply');
    const closing = messages.find((m) => m.expect !== 'reply');
    for (const m of answered) ws.send(m.data, { binary: m.binary });
    const ids = answered.map((m) => m.id!);
    if (!(await until(() => missing(ids).length === 0 || state.close !== null, 20_000))) return `no reply in 20 s to ids ${missing(ids).join(', ')}`;
    if (state.close) return `closed (${JSON.stringify(state.close)}) instead of replying to ids ${missing(ids).join(', ')}`;
    if (closing) {
      ws.send(closing.data, { binary: closing.binary });
      const settled = closing.expect === 'close' ? () => state.close !== null : () => state.close !== null || replies.has(closing.id!);
      if (!(await until(settled, 10_000))) return `${closing.expect === 'close' ? 'not closed' : 'neither a reply nor a close'} 10 s after "${closing.label}"`;
    }
    if (leaked.length) return leaked[0];
    const close = closed();
    if (close) {
      const leak = leaks(close.reason);
      return leak ? `the close reason holds ${leak}: ${JSON.stringify(close.reason)}` : null;
    }
    ws.send(encodeMessage({ t: 'invoke', id: 999_999, channel: 'settings:get', payload: {} }));
    if (!(await until(() => replies.has(999_999) || state.close !== null, 10_000))) return 'settings:get on the same socket got no answer in 10 s';
    const after = replies.get(999_999);
    return after?.t === 'result' && after.ok ? null : `settings:get on the same socket answered ${JSON.stringify(after ?? closed())}`;
  } finally {
    ws.terminate();
  }
}

// ---------------------------------------------------------------------------------------------

describe('web bridge under malformed input (seeded fuzzing)', () => {
  /** One batch of raw HTTP cases: each answered (or closed) in time, each answer checked, then the server checked alive. */
  async function httpBatch(name: string, n: number, make: (rng: Rng) => HttpCase, seedOffset: number): Promise<void> {
    const rng = createRng(SEED + seedOffset);
    const cases = Array.from({ length: n }, () => make(rng));
    const findings = new Findings(name);
    await pool(cases, CONCURRENCY, async (c, i) => {
      const r = await exchange([c.input], { halfClose: c.halfClose, head: c.head, timeoutMs: 4000 });
      const problem = r.timedOut && !r.answer ? 'neither an answer nor a close in 4 s' : checkHttpAnswer(r.answer, { head: c.head, mayUpgrade: false });
      if (problem) findings.add(i, c.input, problem);
    });
    counts[name] = n;
    expectNoFindings(findings);
    await expectAlive(name);
  }

  it('random request lines, methods and versions', () => httpBatch('request-lines', 600, requestLineCase, 1));

  it('huge, garbled, duplicated and contradictory headers, bad Host headers', () => httpBatch('headers', 500, headerCase, 2));

  it('path traversal and bad percent-encoding: never a file outside the folder', () => httpBatch('traversal', 600, traversalCase, 3));

  it('requests cut mid-way, closed or abandoned', async () => {
    const rng = createRng(SEED + 4);
    const findings = new Findings('cut');
    const cases = Array.from({ length: 300 }, () => {
      const full = rng.chance(0.5) ? requestLineCase(rng).input : upgradeText(goodUpgrade());
      return { input: full.slice(0, rng.int(0, full.length - 1)), end: rng.pick(['half-close', 'wait'] as const) };
    });
    await pool(cases, CONCURRENCY, async (c, i) => {
      // A half-closed request must be answered or closed at once; an abandoned one may wait (the client gives up after 300 ms).
      const r = await exchange([c.input], { halfClose: c.end === 'half-close', timeoutMs: c.end === 'wait' ? 300 : 4000 });
      const problem = c.end === 'half-close' && r.timedOut ? 'a half-closed, cut request was neither answered nor closed in 4 s' : checkHttpAnswer(r.answer, { head: false, mayUpgrade: false });
      if (problem) findings.add(i, c.input, problem);
    });
    counts.cut = cases.length;
    expectNoFindings(findings);
    await expectAlive('cut');
  });

  it('slowloris: partial headers dribbled in while others are served', async () => {
    const rng = createRng(SEED + 5);
    const findings = new Findings('slowloris');
    const slow = Array.from({ length: 20 }, () => {
      const text = rng.chance(0.5) ? `GET /index.html HTTP/1.1\r\nHost: ${own()}\r\nX-Slow: ${'s'.repeat(40)}` : upgradeText(goodUpgrade()).slice(0, -4);
      return text.match(/[\s\S]{1,3}/g) ?? [];
    });
    // 20 sockets, a few bytes every 100 ms for at most 2.5 s: the bridge must go on serving meanwhile.
    const dribbling = Promise.all(slow.map((chunks) => exchange(chunks.slice(0, 25), { gapMs: 100, timeoutMs: 2600 })));
    await new Promise((r) => setTimeout(r, 500));
    await expectAlive('slowloris (while dribbling)');
    (await dribbling).forEach((r, i) => {
      const problem = checkHttpAnswer(r.answer, { head: false, mayUpgrade: false });
      if (problem) findings.add(i, slow[i].join(''), problem);
    });
    counts.slowloris = slow.length;
    expectNoFindings(findings);
    await expectAlive('slowloris');
  });

  it('bad upgrade requests: key, version, token, path, Origin, Host, method', async () => {
    const rng = createRng(SEED + 6);
    const findings = new Findings('upgrades');
    const cases = Array.from({ length: 400 }, () => upgradeCase(rng));
    await pool(cases, CONCURRENCY, async (c, i) => {
      const r = await exchange([c.input], { timeoutMs: 4000, head: c.input.startsWith('HEAD') });
      let problem = r.timedOut && !r.answer ? 'neither an answer nor a close in 4 s' : checkHttpAnswer(r.answer, { head: c.input.startsWith('HEAD'), mayUpgrade: c.mayUpgrade });
      if (!problem && c.mustUpgrade && !r.answer.startsWith('HTTP/1.1 101')) problem = `a correct upgrade was refused: ${show(r.answer)}`;
      if (problem) findings.add(i, c.input, problem);
    });
    counts.upgrades = cases.length;
    expect(cases.filter((c) => c.mustUpgrade).length).toBeGreaterThan(10);
    expectNoFindings(findings);
    await expectAlive('upgrades');
  });

  it('after a correct upgrade: garbage, oversize, unmasked, wrong-opcode and broken control frames', async () => {
    const rng = createRng(SEED + 7);
    const findings = new Findings('frames');
    const cases = Array.from({ length: 300 }, () => frameCase(rng));
    await pool(cases, CONCURRENCY, async (c, i) => {
      // A frame that breaks the protocol closes the socket at once; others may keep it open (the client leaves after 1 s).
      const r = await frameSession(c.frames, c.bad ? 5000 : 1000);
      const input = `hex ${c.frames.map((f) => f.toString('hex')).join(' ')}`;
      if (!r.upgraded) findings.add(i, input, `the correct handshake was refused: ${show(r.head)}`);
      else if (c.bad && !r.closed) findings.add(i, input, 'a frame that breaks the protocol did not close the socket in 5 s');
      else {
        const leak = r.frames.map(frameLeak).find((l) => l !== null);
        if (leak) findings.add(i, input, `the server's frames hold ${leak}: ${show(Buffer.concat(r.frames.map((f) => f.payload)))}`);
      }
    });
    counts.frames = cases.reduce((n, c) => n + c.frames.length, 0);
    expectNoFindings(findings);
    await expectAlive('frames');
  });

  it('bridge messages: bad codec frames, text frames, invalid JSON, wrong envelopes, channels and payloads, huge arrays', async () => {
    const rng = createRng(SEED + 8);
    const findings = new Findings('messages');
    let id = 1;
    const sessions = Array.from({ length: 260 }, () => {
      const messages = Array.from({ length: rng.int(1, 6) }, () => bridgeMessage(rng, id++));
      // Messages the server answers, then at most one that may close the socket.
      const closing = messages.find((m) => m.expect !== 'reply');
      return [...messages.filter((m) => m.expect === 'reply'), ...(closing ? [closing] : [])];
    });
    await pool(sessions, 8, async (messages, i) => {
      const problem = await bridgeSession(messages).catch((e: Error) => `the session failed: ${e.message}`);
      if (problem) findings.add(i, messages.map((m) => `${m.label}: ${show(m.data).slice(0, 200)}`).join(' | '), problem);
    });
    counts.messages = sessions.reduce((n, s) => n + s.length, 0);
    expectNoFindings(findings);
    await expectAlive('messages');
  });
});

/** A raw bridge message whose JSON header is `header` verbatim, padded to 8 bytes (no attachment bytes). */
function rawMessage(header: string): Buffer {
  const json = Buffer.from(header);
  const out = Buffer.alloc((8 + json.length + 7) & ~7);
  out.writeUInt32LE(0x314b5248, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  return out;
}

describe('web bridge: inputs the fuzzing found', () => {
  it('cuts close reasons to 123 UTF-8 bytes at a character boundary, and measures nesting without recursion', () => {
    expect(closeReason('plain')).toBe('plain');
    expect(closeReason('\u20ac'.repeat(60))).toBe('\u20ac'.repeat(41)); // 3 bytes each
    expect(closeReason(`${'a'.repeat(121)}\u{1f600}`)).toBe('a'.repeat(121)); // a 4-byte character does not fit
    expect(nestsDeeper({ a: [1, { b: 1 }] }, 3)).toBe(false); // three levels
    expect(nestsDeeper({ a: [1, { b: [] }] }, 3)).toBe(true);
    expect(nestsDeeper({ data: new Float32Array(4) }, 1)).toBe(false);
    expect(nestsDeeper(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 64)).toBe(true);
  });

  it('closes with a reason cut to 123 bytes when the refusal quotes multi-byte text (ws threw on a longer one)', async () => {
    // Before: ws.close threw in the async message listener, an unhandled rejection that ended `hark app-server`.
    // The codec's message quotes the attachment type: 120 characters of it are some 280 bytes.
    const input = rawMessage(`{"v":{"t":"invoke","id":1,"channel":"settings:get","payload":{"__hark_bin":0,"type":"${'\u20ac'.repeat(60)}"}},"__lens":[0]}`);
    const ws = await connect();
    const closed = new Promise<[number, Buffer]>((r) => ws.once('close', (code, reason) => r([code, reason])));
    ws.send(input);
    const [code, reason] = await withTimeout(closed, 10_000, 'the close');
    expect(code).toBe(1003);
    expect(reason.byteLength).toBeLessThanOrEqual(123);
    expect(reason.toString()).toMatch(/^bridge message: unknown attachment type "\u20ac+/);
    await expectAlive('a multi-byte close reason');
  });

  it('refuses a payload nested too deep to cross to the worker, with an answer (none left unsettled)', async () => {
    // Found at 5000 levels: once the codec was warm it decoded them, then structured clone overflowed the
    // stack in postMessage after the request was registered, so its promise never settled and was
    // rejected unhandled when the worker ended (which stops `hark app-server`). Where the stack runs
    // out depends on the process and the JIT; where the codec's own stack runs out first it closes the socket.
    for (const depth of [100, 5000, 20_000]) {
      const ws = await connect();
      const input = rawMessage(`{"v":{"t":"invoke","id":1,"channel":"settings:set","payload":{"patch":${'['.repeat(depth)}${']'.repeat(depth)}}},"__lens":[]}`);
      const outcome = withTimeout(new Promise<BridgeServerMessage | number>((r) => {
        ws.on('message', (d: Buffer) => r(decodeMessage(new Uint8Array(d)) as BridgeServerMessage));
        ws.once('close', (code) => r(code));
      }), 10_000, `depth ${depth}`);
      ws.send(input);
      const got = await outcome;
      const refused = { t: 'result', id: 1, ok: false, error: { message: expect.stringMatching(/^settings:set: payload nests deeper than 64 levels$/) } };
      if (depth === 100 || typeof got !== 'number') expect(got, `depth ${depth}`).toMatchObject(refused);
      else expect(got, `depth ${depth}`).toBe(1003);
      ws.terminate();
    }
    await expectAlive('a deep payload');
  });

  it('puts the CSP on the refusals Node and ws write themselves', async () => {
    const good = goodUpgrade();
    const inputs = [
      `GET /index.html HTTP/1.1\r\nHost: ${own()}\r\nExpect: teapot\r\n\r\n`, // Node's 417
      'GET /index.html HTTP/1.1\r\n\r\n', // Node's 400 for a request without Host
      upgradeText({ ...good, key: 'short' }), // ws: a bad key
      upgradeText({ ...good, version: '12' }), // ws: a version it does not speak
      upgradeText({ ...good, method: 'POST' }), // ws: not GET
      upgradeText({ ...good, upgrade: 'h2c' }), // ws: not websocket
    ];
    for (const input of inputs) {
      const r = await exchange([input], { timeoutMs: 4000 });
      expect(r.answer, input).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(checkHttpAnswer(r.answer, { head: false, mayUpgrade: false }), input).toBeNull();
    }
  });
});
