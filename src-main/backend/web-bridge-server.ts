/**
 * The web bridge: serves the renderer bundle (dist-renderer/) over HTTP on 127.0.0.1 and speaks
 * the app contract over a WebSocket, so the very renderer that runs in Electron runs in a plain
 * browser against the real backend. It is how the end-to-end tests drive the UI in Debian's
 * Chromium (the Electron binary cannot be fetched there), and `hark app-server` for development.
 *
 * Security: it listens on the loopback interface only; the page URL carries a random token that
 * the WebSocket must present (compared in constant time), the socket's Origin must be the server's
 * own, and every request's Host must name the server (127.0.0.1 or localhost at its port), so other
 * pages in the browser, and pages of other names that resolve to 127.0.0.1, cannot reach it.
 * Malformed requests (a target that is no URL, a bad header, a broken frame) get an error status
 * or a closed socket, never an exception: no request can stop the server
 * (tests/integration/web-bridge-fuzz.test.ts feeds it a few thousand). Files are served by
 * renderer-files.ts, as app:// serves them in Electron (nothing outside the build folder, symbolic
 * links included), and every response, errors included (the refusals Node and ws would write
 * themselves too), carries bridgeCsp and the headers of renderer-csp.ts. Every request is validated by the backend as in Electron;
 * 'main'-host channels (native dialogs) are answered in the page by the bridge client.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { HARK_CHANNELS, isInvokeChannel, type EventChannel, type InvokeChannel, type WireError } from '../../src-shared/ipc/app-contract.ts';
import { decodeMessage, encodeMessage } from '../../src-shared/ipc/wire-codec.ts';
import { rendererCsp } from './renderer-csp.ts';
import { rendererFailure, serveRendererFile, type RendererResponse } from './renderer-files.ts';
import { toWireError } from './window-error.ts';

export interface BridgeBackend {
  handle(senderId: number, channel: InvokeChannel, payload: unknown): Promise<unknown>;
  closeSender(senderId: number): Promise<void>;
}

export interface WebBridgeOptions {
  /** The built renderer (node bin/build.mjs). */
  rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
}

/** Client -> server and server -> client frames (encoded with wire-codec). */
export type BridgeClientMessage = { t: 'invoke'; id: number; channel: string; payload: unknown };
export type BridgeServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: WireError }
  | { t: 'event'; channel: EventChannel; payload: unknown };

/** Largest bridge message accepted (a dropped file travels in one). */
const MAX_MESSAGE_BYTES = 600 * 1024 * 1024;

/**
 * Deepest payload passed to the backend (the contract's deepest request nests a few levels). A
 * deeper one may overflow the stack of structured clone on its way to the worker.
 */
const MAX_PAYLOAD_DEPTH = 64;

/** Longest close reason in UTF-8 bytes (RFC 6455 section 5.5: a control frame carries 125, less the 2-byte code). */
const MAX_CLOSE_REASON_BYTES = 123;

export class WebBridgeServer {
  private readonly sockets = new Map<number, WebSocket>();
  private nextSender = 1000;
  private closing = false;

  private constructor(
    private readonly http: ReturnType<typeof createServer>,
    private readonly wss: WebSocketServer,
    readonly port: number,
    readonly token: string,
  ) {}

  /** The page to open: the app with the bridge's token. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/index.html?token=${this.token}`;
  }

  /** Starts serving; events from the backend go out through `deliver`. */
  static async start(backend: BridgeBackend, opts: WebBridgeOptions): Promise<WebBridgeServer> {
    const root = resolve(opts.rendererDir);
    const token = randomBytes(16).toString('hex');
    let server: WebBridgeServer | null = null;
    // No Host is answered by answerPage (421, with the policy), not by Node's bare 400.
    const http = createServer({ requireHostHeader: false }, (req, res) => {
      const port = server?.port ?? 0;
      answerPage(root, req, port).then(
        (r) => res.writeHead(r.status, r.headers).end(req.method === 'HEAD' ? undefined : r.body),
        () => {
          const r = rendererFailure(500, 'internal error', bridgeCsp(port));
          if (!res.headersSent) res.writeHead(r.status, r.headers);
          res.end();
        },
      );
    });
    // A request line or header Node cannot parse: answer 400 and drop the connection.
    http.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end(rawRefusal('400 Bad Request', server?.port ?? 0));
      else socket.destroy();
    });
    // An Expect other than 100-continue: Node's own 417 would lack the policy.
    http.on('checkExpectation', (_req, res) => {
      const r = rendererFailure(417, 'expectation failed', bridgeCsp(server?.port ?? 0));
      res.writeHead(r.status, r.headers).end(r.body);
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    // A handshake ws refuses (method, Upgrade, key, version, subprotocol, extension): ws's own answer would lack the policy.
    wss.on('wsClientError', (_e, socket, req) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const status = req.method === 'GET' ? '400 Bad Request' : '405 Method Not Allowed';
      socket.end(rawRefusal(status, server?.port ?? 0, { 'Sec-WebSocket-Version': '13, 8' }));
    });
    http.on('upgrade', (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      const port = server?.port ?? 0;
      const url = parseTarget(req.url);
      const own = `http://127.0.0.1:${port}`;
      if (!url || url.pathname !== '/bridge' || !sameToken(url.searchParams.get('token'), token) || req.headers.origin !== own || !isOwnHost(req.headers.host, port)) {
        socket.end(rawRefusal('403 Forbidden', port));
        return;
      }
      try {
        wss.handleUpgrade(req, socket, head, (ws) => server!.accept(ws, backend));
      } catch {
        socket.destroy();
      }
    });
    await new Promise<void>((ok, fail) => {
      http.once('error', fail);
      http.listen(opts.port ?? 0, '127.0.0.1', () => ok());
    });
    server = new WebBridgeServer(http, wss, (http.address() as AddressInfo).port, token);
    return server;
  }

  /** Sends an event to one page (senderId as the backend knows it). */
  deliver(senderId: number, channel: EventChannel, payload: unknown): void {
    const ws = this.sockets.get(senderId);
    if (!ws || ws.readyState !== ws.OPEN) return;
    ws.send(encodeMessage({ t: 'event', channel, payload } satisfies BridgeServerMessage));
  }

  /** Pages connected now. */
  get connections(): number {
    return this.sockets.size;
  }

  private accept(ws: WebSocket, backend: BridgeBackend): void {
    const senderId = this.nextSender++;
    this.sockets.set(senderId, ws);
    ws.binaryType = 'arraybuffer';
    // A protocol error (bad frame, oversized message) closes this socket; unhandled it would throw.
    ws.on('error', () => ws.terminate());
    ws.on('message', async (data: ArrayBuffer, isBinary: boolean) => {
      let msg: BridgeClientMessage;
      try {
        if (!isBinary) throw new Error('bridge messages are binary');
        msg = decodeMessage(data) as BridgeClientMessage;
        if (typeof msg !== 'object' || msg === null || msg.t !== 'invoke' || !Number.isInteger(msg.id)) throw new Error('not an invoke message');
      } catch (e) {
        ws.close(1003, closeReason((e as Error).message));
        return;
      }
      let reply: BridgeServerMessage;
      try {
        if (!isInvokeChannel(msg.channel) || HARK_CHANNELS[msg.channel].host !== 'backend') throw new Error(`"${String(msg.channel)}" is not a channel the backend answers`);
        if (nestsDeeper(msg.payload, MAX_PAYLOAD_DEPTH)) throw new Error(`${msg.channel}: payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
        reply = { t: 'result', id: msg.id, ok: true, value: await backend.handle(senderId, msg.channel, msg.payload) };
      } catch (e) {
        reply = { t: 'result', id: msg.id, ok: false, error: toWireError(e) };
      }
      if (ws.readyState === ws.OPEN) ws.send(encodeMessage(reply));
    });
    ws.on('close', () => {
      this.sockets.delete(senderId);
      if (this.closing) return;
      backend.closeSender(senderId).catch((e: Error) => console.warn(`hark bridge: closing sender ${senderId}: ${e.message}`));
    });
  }

  /** Stops serving (the backend is left to its owner, who disposes it). */
  async close(): Promise<void> {
    this.closing = true;
    for (const ws of this.sockets.values()) ws.terminate();
    this.wss.close();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}

/** The CSP of every bridge response: the app's, with the bridge socket allowed. */
export function bridgeCsp(port: number): string {
  return rendererCsp([`ws://127.0.0.1:${port}`]);
}

/** An empty error response written straight to a socket (a request Node could not parse, a refused upgrade), with the headers of every response. */
function rawRefusal(status: string, port: number, extra: Record<string, string> = {}): string {
  const headers = Object.entries({ ...rendererFailure(0, '', bridgeCsp(port)).headers, ...extra }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `HTTP/1.1 ${status}\r\n${headers}Content-Length: 0\r\n\r\n`;
}

/** `message` cut to a close reason ws accepts (it throws on more than 123 UTF-8 bytes), at a character boundary. */
export function closeReason(message: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of message) {
    bytes += Buffer.byteLength(ch);
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return out;
}

/** Whether objects and arrays in `value` nest deeper than `limit` levels (walked without recursion). */
export function nestsDeeper(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (depth >= limit) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

/** The request target as a URL, or null when it is not one (`//[`, a bare `*`). */
export function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** Whether a Host header names this server: 127.0.0.1 or localhost at its port. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Compares a presented token with the server's in time that does not depend on where they differ. */
export function sameToken(presented: string | null, token: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The answer to one page request: 421 for a Host that is not the server, 400 for a target that is
 * no URL, else the renderer file (renderer-files.ts decides which may be served), index.html with
 * the bridge client injected. Every answer carries bridgeCsp.
 */
async function answerPage(root: string, req: IncomingMessage, port: number): Promise<RendererResponse> {
  const csp = bridgeCsp(port);
  if (!isOwnHost(req.headers.host, port)) return rendererFailure(421, 'wrong host', csp);
  const url = parseTarget(req.url);
  if (!url) return rendererFailure(400, 'bad request', csp);
  const r = await serveRendererFile(root, url.pathname, req.method ?? 'GET', csp);
  if (r.served !== 'index.html' || typeof r.body === 'string' || req.method === 'HEAD') return r;
  // The bridge client must define window.hark before app.js runs: module scripts run in order.
  const html = Buffer.from(r.body).toString('utf8');
  const tag = '<script type="module" src="web-bridge.js"></script>';
  const at = html.search(/<script[^>]*src="app\.js"/);
  const body = Buffer.from(at >= 0 ? `${html.slice(0, at)}${tag}\n    ${html.slice(at)}` : html.replace('</head>', `${tag}</head>`), 'utf8');
  return { ...r, body, headers: { ...r.headers, 'Content-Length': String(body.byteLength) } };
}
