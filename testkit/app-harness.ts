/**
 * End-to-end harness for the desktop app without the Electron binary: the renderer bundle (built
 * into a temporary folder by bin/build.mjs) runs in Debian's Chromium under playwright-core,
 * window.hark is the web bridge client, and behind the bridge's WebSocket runs the real backend in
 * its worker thread (BackendHost): the same contract, validators and services as in Electron.
 * Chromium's fake microphone plays a synthesized WAV once (DEVELOPERS.md lists the flags).
 * The end-to-end tests (tests/e2e) and the app benchmarks (bench/app.bench.ts,
 * bench/app-screenshots.ts) both drive the app through it, so it uses no test runner.
 *
 * Chromium must be installed (.ci/run installs Debian's chromium); a missing browser fails the
 * test with the install command, it never skips it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BackendHost } from '../src-main/backend/backend-host.ts';
import { SETTINGS_FILE } from '../src-main/backend/settings-store.ts';
import { WebBridgeServer } from '../src-main/backend/web-bridge-server.ts';
import { encodeWav } from '../src-main/audio/index.ts';
import { createRng } from '../src-main/train/data/rng.ts';
import { synthesize } from '../src-main/train/data/synth/index.ts';
import type { EventChannel, Settings } from '../src-shared/ipc/app-contract.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM = '/usr/bin/chromium';

/** The flags that make Chromium headless-safe and give it a fake microphone playing `wav` once. */
export function chromiumArgs(wav?: string): string[] {
  return [
    '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--autoplay-policy=no-user-gesture-required',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    ...(wav ? [`--use-file-for-fake-audio-capture=${wav}%noloop`] : []),
  ];
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`the end-to-end tests need Debian's Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

/** Builds the renderer bundle into `dir` (once per test file or benchmark run). */
export function buildRenderer(dir: string): void {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'build.mjs'), '--renderer-only', '--renderer-out', dir], { cwd: ROOT, stdio: 'pipe' });
}

/** A clip part: text spoken by `voice`, or seconds of silence. */
export type ClipPart = { say: string; voice?: string } | { silence: number };

export interface Clip {
  samples: Float32Array;
  /** Where each spoken part starts and ends (seconds), in order. */
  spans: { text: string; start: number; end: number }[];
}

/** Synthesizes parts into one 16 kHz clip (held-out voice by default). */
export async function makeClip(parts: ClipPart[], defaultVoice = 'espeak:en-gb-scotland+f3', seed = 5): Promise<Clip> {
  const rng = createRng(seed);
  const pieces: Float32Array[] = [];
  const spans: Clip['spans'] = [];
  let at = 0;
  for (const p of parts) {
    const piece = 'silence' in p ? new Float32Array(Math.round(p.silence * 16000)) : await synthesize(p.say, p.voice ?? defaultVoice, rng.fork());
    if ('say' in p) spans.push({ text: p.say, start: at / 16000, end: (at + piece.length) / 16000 });
    pieces.push(piece);
    at += piece.length;
  }
  const samples = new Float32Array(at);
  let o = 0;
  for (const p of pieces) { samples.set(p, o); o += p.length; }
  return { samples, spans };
}

export interface AppSession {
  page: Page;
  context: BrowserContext;
  server: WebBridgeServer;
  host: BackendHost;
  userDataDir: string;
  /** Chromium's profile folder (identifies this browser's processes). */
  profileDir: string;
  close: () => Promise<void>;
}

/**
 * Starts the backend and the bridge, then Chromium with the fake microphone playing `clip` (or no
 * microphone file: Chromium's fake device then plays a beep pattern), and opens the app.
 */
export async function openApp(
  rendererDir: string,
  opts: {
    clip?: Float32Array; settings?: Partial<Settings>; noMicrophone?: boolean; denyMicrophone?: boolean; onEvent?: (channel: EventChannel, payload: unknown) => void;
    /** An existing user data folder to open (kept on close), instead of a fresh one. */
    userDataDir?: string;
    /** JavaScript run in the page before its own scripts (e.g. a stand-in for what only the Electron main process answers). */
    initScript?: string;
  } = {},
): Promise<AppSession> {
  requireChromium();
  const dir = await mkdtemp(join(tmpdir(), 'hark-e2e-'));
  const userDataDir = opts.userDataDir ?? join(dir, 'user');
  await mkdir(userDataDir, { recursive: true });
  if (opts.settings) await writeFile(join(userDataDir, SETTINGS_FILE), JSON.stringify(opts.settings));
  let wav: string | undefined;
  if (opts.clip) {
    wav = join(dir, 'mic.wav');
    await writeFile(wav, encodeWav(opts.clip, 16000));
  }
  let server: WebBridgeServer | null = null;
  const host = BackendHost.start({ userDataDir, emit: (s, c, p) => { opts.onEvent?.(c, p); server?.deliver(s, c, p); } });
  server = await WebBridgeServer.start(host, { rendererDir });
  let args = opts.noMicrophone ? chromiumArgs().filter((a) => !a.startsWith('--use-fake-device')) : chromiumArgs(wav);
  // The user says no: the permission prompt is answered "block" instead of being skipped.
  if (opts.denyMicrophone) args = [...args.filter((a) => a !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'];
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args,
    acceptDownloads: true,
    viewport: { width: 1200, height: 800 },
  });
  if (opts.initScript) await context.addInitScript({ content: opts.initScript });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  const bridge = server;
  return {
    page,
    context,
    server: bridge,
    host,
    userDataDir,
    profileDir: join(dir, 'profile'),
    close: async () => {
      await context.close();
      await bridge.close();
      await host.dispose();
      await rm(dir, { recursive: true, force: true });
      if (errors.length) throw new Error(`the page threw: ${errors.join(' | ')}`);
    },
  };
}

/**
 * Drops files on the Files screen's drop zone as a user would: a real DataTransfer of File
 * objects, with dragenter, dragover and drop events.
 */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const list = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const d = new DataTransfer();
    for (const f of items) d.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'audio/wav' }));
    return d;
  }, list);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('[data-testid=drop-zone]', type, { dataTransfer: dt });
}

/** Words of a text, lower case, without punctuation. */
export const wordsOf = (s: string): string[] => s.toLowerCase().replace(/[^a-z' ]+/g, ' ').split(/\s+/).filter(Boolean);
