// The desktop app's targets, measured in the end-to-end harness (testkit/app-harness.ts): the
// renderer bundle in Debian's Chromium, the fake microphone playing held-out voices, the web
// bridge and the real backend in its worker thread.
//   1. Word latency: from the end of a spoken word (its end time in the final, on the capture
//      clock) to the moment the word is on screen at its final position (window.__harkTrace).
//      Target: median <= 400 ms.
//   2. Renderer CPU while listening (capture, features, pushes, UI; the renderer process's
//      utime + stime from /proc over the listening time). Target <= 5% of one core.
//   3. Idle memory: `hark app-server` (host + backend worker with the model loaded, the Electron
//      main process's part) plus Chromium's renderer process, the app open and idle. Target <= 250 MB.
//   4. UI freezes while a long file is transcribed: long tasks (PerformanceObserver) and the
//      largest gap between animation frames in the renderer, and the event-loop delay of the
//      app-server's host thread (the Electron main thread's analog; measured in its own process). Target: no freeze above 50 ms.
//   5. Launch: from starting the bundled `hark app-server` process (Chromium already running, as
//      the Electron window would be) to the page showing "Ready" (model loaded), and from the
//      click on Start to the first partial on screen (in the e2e harness, whose fake microphone
//      speaks from its first sample). Medians of 3 each (issue 13).
// Run: node bin/run-ts.mjs bench/app.bench.ts [latency|capture|latency100|memory|freeze|launch]   (writes bench/results/app.json)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { encodeWav } from '../src-main/audio/index.ts';
import { HELDOUT_VOICES } from '../src-main/train/data/synth/index.ts';
import type { RecognitionEventMessage, WordWire } from '../src-shared/ipc/app-contract.ts';
import { buildRenderer, CHROMIUM, chromiumArgs, makeClip, openApp, wordsOf, type ClipPart } from '../testkit/app-harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SENTENCES = [
  'please open the file', 'call my mother at seven', 'next slide', 'send the report to the team', 'mute the microphone',
  'we need more coffee', 'open the browser', 'set a timer for ten minutes', 'hey computer', 'turn the volume up',
];
const CLK_TCK = 100;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);

/** Processes of the Chromium started on `profileDir`: the browser and its children by --type. */
function chromiumProcesses(profileDir: string): { pid: number; type: string }[] {
  const procs: { pid: number; ppid: number; args: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      procs.push({ pid: Number(d), ppid, args });
    } catch {
      // gone
    }
  }
  const browser = procs.find((p) => p.args.includes(`--user-data-dir=${profileDir}`) && !p.args.includes('--type='));
  if (!browser) throw new Error('cannot find the Chromium browser process');
  const out: { pid: number; type: string }[] = [{ pid: browser.pid, type: 'browser' }];
  const walk = (ppid: number) => {
    for (const p of procs.filter((x) => x.ppid === ppid)) {
      const type = /--type=(\S+)/.exec(p.args)?.[1] ?? 'other';
      const sub = /--utility-sub-type=(\S+)/.exec(p.args)?.[1];
      out.push({ pid: p.pid, type: sub ? `${type}:${sub}` : type });
      walk(p.pid);
    }
  };
  walk(browser.pid);
  return out;
}
/** utime + stime of a process in clock ticks (NaN once it has exited). */
const cpuTicks = (pid: number) => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return NaN;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
const rssMB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
/** Proportional set size: shared pages (Chromium's and Node's code, shared memory) split among their users. */
const pssMB = (pid: number) => Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]) / 1024;

/** CPU ticks of each thread of `pids`, keyed by "pid/thread name" (threads of one name summed). */
function threadTicks(pids: number[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const pid of pids) {
    let tasks: string[] = [];
    try { tasks = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        const st = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        const key = `${pid}/${name}`;
        m.set(key, (m.get(key) ?? 0) + Number(f[11]) + Number(f[12]));
      } catch {
        // thread ended
      }
    }
  }
  return m;
}

async function latencyAndCpu(rendererDir: string, pushMs: number, screen: 'dictation' | 'settings' = 'dictation') {
  const parts: ClipPart[] = [{ silence: 1.5 }];
  let n = 0;
  for (const voice of HELDOUT_VOICES) {
    for (let i = 0; i < 9; i++) {
      parts.push({ say: SENTENCES[(n++ * 3) % SENTENCES.length], voice }, { silence: 1.6 });
    }
  }
  const clip = await makeClip(parts);
  const finals: WordWire[][] = [];
  const app = await openApp(rendererDir, {
    clip: clip.samples,
    settings: { pushMs },
    onEvent: (channel, payload) => {
      const m = payload as RecognitionEventMessage;
      if (channel === 'recognition:event' && m.event.type === 'final' && m.event.text) finals.push(m.event.words);
    },
  });
  const { page } = app;
  await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
  if (screen !== 'dictation') await page.click(`[data-testid=tab-${screen}]`);
  if (process.env.BENCH_NO_METER) await page.evaluate(() => { (document.querySelector('[data-testid=level-meter]') as HTMLElement).style.display = 'none'; });
  const procs = chromiumProcesses(app.profileDir);
  const renderers = procs.filter((p) => p.type === 'renderer');
  const audio = procs.filter((p) => p.type.includes('audio'));
  const t0 = performance.now();
  const before = new Map(procs.map((p) => [p.pid, cpuTicks(p.pid)]));
  const threadsBefore = threadTicks(renderers.map((p) => p.pid));
  await page.click('[data-testid=listen-toggle]');
  const clipSec = clip.samples.length / 16000;
  await page.waitForTimeout(clipSec * 1000 + 2500);
  const wallSec = (performance.now() - t0) / 1000;
  const after = new Map(procs.map((p) => [p.pid, cpuTicks(p.pid)]));
  const threadsAfter = threadTicks(renderers.map((p) => p.pid));
  // A process that exited meanwhile (a spare renderer) counts as idle.
  const used = (ps: { pid: number }[]) => ps.reduce((s, p) => s + (Number.isNaN(after.get(p.pid)!) ? 0 : after.get(p.pid)! - before.get(p.pid)!), 0) / CLK_TCK;
  // The app's page runs in the renderer process that owns the AudioWorklet's real-time thread;
  // Chromium's other renderer processes (the first blank page's, spares) are reported apart.
  const pageRenderer = renderers.find((p) => [...threadsAfter.keys()].some((k) => k.startsWith(`${p.pid}/`) && /AudioW/.test(k)));
  if (!pageRenderer) throw new Error('cannot tell which renderer process runs the app page (no AudioWorklet thread)');
  const rendererThreads = Object.fromEntries([...threadsAfter]
    .filter(([k]) => k.startsWith(`${pageRenderer.pid}/`))
    .map(([k, v]) => [k.replace(/^\d+\//, ''), Math.round(((v - (threadsBefore.get(k) ?? 0)) / CLK_TCK / wallSec) * 1000) / 10] as const)
    .filter(([, v]) => v >= 0.1)
    .sort((a, b) => b[1] - a[1]));
  const rendererCpu = used([pageRenderer]) / wallSec;
  const otherRenderersCpu = used(renderers.filter((p) => p !== pageRenderer)) / wallSec;
  const perProcess = procs.map((p) => ({ type: p === pageRenderer ? 'renderer (app page)' : p.type, cpuPercent: Math.round((used([p]) / wallSec) * 1000) / 10 }));
  const audioCpu = used(audio) / wallSec;
  const { trace, captureStart } = await page.evaluate(() => ({
    trace: (window as unknown as { __harkTrace: { t: number; text: string }[] }).__harkTrace,
    captureStart: (window as unknown as { __harkCaptureStart: number }).__harkCaptureStart,
  }));
  await page.click('[data-testid=listen-toggle]');
  await app.close();

  // Word k of the final transcript: first trace entry showing it at index k.
  const finalWords = finals.flat();
  const traceWords = trace.map((t) => ({ t: t.t, words: wordsOf(t.text) }));
  const latencies: number[] = [];
  let neverShown = 0;
  for (const [k, w] of finalWords.entries()) {
    const hit = traceWords.find((e) => e.words[k] === w.word.toLowerCase());
    if (!hit) { neverShown++; continue; }
    // The first block arrives when its last sample is captured: sample time s is at
    // captureStart + (s - pushMs) on the page clock.
    const shownAt = (hit.t - captureStart) / 1000 + pushMs / 1000;
    latencies.push((shownAt - w.end) * 1000);
  }
  const said = wordsOf(parts.filter((p): p is { say: string; voice: string } => 'say' in p).map((p) => p.say).join(' '));
  return {
    clipSec: Math.round(clipSec * 10) / 10,
    utterances: parts.filter((p) => 'say' in p).length,
    wordsSaid: said.length,
    wordsInFinals: finalWords.length,
    wordsMeasured: latencies.length,
    neverShownAtFinalPosition: neverShown,
    latencyMs: { median: Math.round(median(latencies)), p90: Math.round(quantile(latencies, 0.9)), p95: Math.round(quantile(latencies, 0.95)), min: Math.round(Math.min(...latencies)) },
    rendererCpuPercentOfOneCore: Math.round(rendererCpu * 1000) / 10,
    audioServiceCpuPercentOfOneCore: Math.round(audioCpu * 1000) / 10,
    pushMs,
    screen,
    otherRenderersCpuPercentOfOneCore: Math.round(otherRenderersCpu * 1000) / 10,
    rendererThreadsPercentOfOneCore: rendererThreads,
    perProcess,
  };
}

/** A bundled `hark app-server` in its own process with Chromium on its page. */
interface ServedApp {
  child: ReturnType<typeof spawn>;
  page: import('playwright-core').Page;
  profile: string;
  /** Event-loop delay lines printed by --loop-stats, with their wall time. */
  loopStats: { loopDelayMaxMs: number; loopDelayP99Ms: number; t: number }[];
  close: () => Promise<void>;
}

/** `hark app-server` and its backend worker bundled as the desktop app is; returns the folder. */
async function bundleAppServer(): Promise<string> {
  const out = join(root, 'runs', 'app-bundle');
  await build({
    entryPoints: { 'app-server': join(here, 'app-server-entry.ts'), 'backend-worker': join(root, 'src-main', 'backend', 'backend-worker.ts') },
    outdir: out, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  return out;
}

/** Starts the bundled app-server in its own process; `url` resolves with its page; `onLine` sees each line it prints. */
function startAppServer(out: string, args: string[], onLine?: (line: string) => void): { child: ReturnType<typeof spawn>; url: Promise<string> } {
  const child = spawn(process.execPath, [join(out, 'app-server.js'), '--no-build', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HARK_PACKAGE_ROOT: root } });
  const url = new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      let nl: number;
      while ((nl = text.indexOf('\n')) >= 0) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        const m = /(http:\/\/127\.0\.0\.1:\d+\/index\.html\?token=\w+)/.exec(line);
        if (m) resolve(m[1]);
        onLine?.(line);
      }
    });
    child.once('exit', (c) => reject(new Error(`app-server exited with ${c}`)));
  });
  return { child, url };
}

/**
 * `hark app-server` bundled as the desktop app is (esbuild, plain JavaScript: no TypeScript loader
 * in either thread), in its own process, so its memory and its host thread's event loop are the
 * app's alone; Chromium opens its page.
 */
async function serveBundledApp(): Promise<ServedApp> {
  const out = await bundleAppServer();
  const loopStats: ServedApp['loopStats'] = [];
  const { child, url: served } = startAppServer(out, ['--loop-stats', '--user-data', join(out, 'user-data')], (line) => {
    if (line.startsWith('{')) loopStats.push(JSON.parse(line));
  });
  const url = await served;
  const profile = mkdtempSync(join(tmpdir(), 'hark-bench-profile-'));
  // --expose-gc: the benchmark collects its own garbage (a file handed over as base64) before measuring.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: [...chromiumArgs(), '--js-flags=--expose-gc'] });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
  return {
    child, page, profile, loopStats,
    close: async () => {
      await context.close();
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Launch to "Ready" and Start to the first partial, 3 times: Chromium starts first (in the app the
 * window exists before the backend has loaded its model), then the bundled app-server process.
 */
async function launchTimes(rendererDir: string) {
  const out = await bundleAppServer();
  const clip = await makeClip([{ say: 'please open the file' }, { silence: 1.5 }]);
  const runs: { listeningMs: number; readyMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const profile = mkdtempSync(join(tmpdir(), 'hark-bench-profile-'));
    const userData = mkdtempSync(join(tmpdir(), 'hark-bench-user-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: chromiumArgs() });
    const page = context.pages()[0] ?? await context.newPage();
    const t0 = performance.now();
    const { child, url: served } = startAppServer(out, ['--user-data', userData]);
    try {
      const url = await served;
      const listeningMs = performance.now() - t0;
      await page.goto(url);
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      const readyMs = performance.now() - t0;
      runs.push({ listeningMs: Math.round(listeningMs), readyMs: Math.round(readyMs) });
      console.log('launch', runs.at(-1));
    } finally {
      await context.close();
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      rmSync(profile, { recursive: true, force: true });
      rmSync(userData, { recursive: true, force: true });
    }
  }
  // Start to the first partial, in the e2e harness (its fake microphone), 3 times.
  const partials: { firstPartialMs: number; captureStartMs: number; audioSec: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const app = await openApp(rendererDir, { clip: clip.samples });
    try {
      const { page } = app;
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      const clicked = await page.evaluate(() => performance.now());
      await page.click('[data-testid=listen-toggle]');
      const hit = await page.waitForFunction((since) => {
        const g = window as unknown as { __harkTrace: { t: number; audioSec: number; text: string }[] };
        return g.__harkTrace.find((e) => e.t >= since && e.text.trim() !== '') ?? null;
      }, clicked, { timeout: 20_000, polling: 5 });
      const entry = await hit.jsonValue() as { t: number; audioSec: number };
      const captureStart = await page.evaluate(() => (window as unknown as { __harkCaptureStart: number }).__harkCaptureStart);
      partials.push({ firstPartialMs: Math.round(entry.t - clicked), captureStartMs: Math.round(captureStart - clicked), audioSec: Number(entry.audioSec.toFixed(2)) });
      console.log('first partial', partials.at(-1));
    } finally {
      await app.close();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    launchToListeningMs: median(runs.map((r) => r.listeningMs)),
    launchToReadyMs: median(runs.map((r) => r.readyMs)),
    startToFirstPartialMs: median(partials.map((r) => r.firstPartialMs)),
    startToCaptureMs: median(partials.map((r) => r.captureStartMs)),
    audioAtFirstPartialSec: median(partials.map((r) => r.audioSec)),
    runs, partials,
  };
}

/** The app open and idle for 10 s; then the memory of the backend process and the page's renderer. */
async function idleMemory() {
  const app = await serveBundledApp();
  try {
    await app.page.waitForTimeout(10_000);
    const procs = chromiumProcesses(app.profile);
    // The page's renderer is the largest one (the others are spare or service renderers).
    const page0 = procs.filter((p) => p.type === 'renderer').sort((a, b) => rssMB(b.pid) - rssMB(a.pid))[0];
    const backendPid = app.child.pid!;
    return {
      backendRssMB: Math.round(rssMB(backendPid)),
      backendPssMB: Math.round(pssMB(backendPid)),
      rendererRssMB: Math.round(rssMB(page0.pid)),
      rendererPssMB: Math.round(pssMB(page0.pid)),
      appRssMB: Math.round(rssMB(backendPid) + rssMB(page0.pid)),
      appPssMB: Math.round(pssMB(backendPid) + pssMB(page0.pid)),
      chromiumAllProcessesPssMB: Math.round(procs.reduce((s, p) => s + pssMB(p.pid), 0)),
    };
  } finally {
    await app.close();
  }
}

async function freezeWhileTranscribing() {
  const parts: ClipPart[] = [];
  for (let rep = 0; rep < 3; rep++) for (const [i, s] of SENTENCES.entries()) parts.push({ say: s, voice: HELDOUT_VOICES[(i + rep) % HELDOUT_VOICES.length] }, { silence: 1.2 });
  const unit = await makeClip(parts);
  const reps = Math.ceil((10 * 60 * 16000) / unit.samples.length);
  const long = new Float32Array(unit.samples.length * reps);
  for (let r = 0; r < reps; r++) long.set(unit.samples, r * unit.samples.length);
  const wav = encodeWav(long, 16000);
  const app = await serveBundledApp();
  const { page } = app;
  try {
    await page.click('[data-testid=tab-files]');
    // Hand the bytes to the page first (not part of the measurement), then drop.
    await page.evaluate(async (b64) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      (window as unknown as { __benchFile: File }).__benchFile = new File([bin], 'long.wav', { type: 'audio/wav' });
    }, Buffer.from(wav).toString('base64'));
    await page.evaluate(() => (window as unknown as { gc: () => void }).gc());
    // A string, not a function: the TypeScript loader would wrap named functions in a helper
    // the page does not have.
    await page.evaluate(`(() => {
      window.__long = []; window.__gaps = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
      let last = performance.now();
      function tick(t) { window.__gaps.push([t, t - last]); last = t; if (!window.__stop) requestAnimationFrame(tick); }
      requestAnimationFrame(tick);
    })()`);
    const t0 = performance.now();
    const dropWall = Date.now();
    await page.evaluate(() => {
      const d = new DataTransfer();
      d.items.add((window as unknown as { __benchFile: File }).__benchFile);
      const zone = document.querySelector('[data-testid=drop-zone]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: d, bubbles: true, cancelable: true }));
    });
    // The drop hands the file's bytes to the backend (the web bridge has no path; Electron sends
    // the path instead): measured apart from the transcription that follows.
    await page.waitForSelector('[data-testid=file-job][data-state=running]', { timeout: 60_000 });
    const runningWall = Date.now();
    const runningAt = await page.evaluate(() => performance.now());
    await page.waitForSelector('[data-testid=file-job][data-state=done]', { timeout: 600_000 });
    const doneWall = Date.now();
    const sec = (performance.now() - t0) / 1000;
    await page.waitForTimeout(1100);
    // Each stats line covers the second before its time stamp.
    const loopDuring = app.loopStats.filter((x) => x.t - 1000 >= runningWall && x.t <= doneWall + 1000);
    const loopAtDrop = app.loopStats.filter((x) => x.t > dropWall && x.t - 1000 < runningWall);
    const r = await page.evaluate(() => {
      const w = window as unknown as { __long: [number, number][]; __gaps: [number, number][]; __stop: boolean };
      w.__stop = true;
      return { long: w.__long, gaps: w.__gaps };
    });
    const during = <T extends [number, number]>(xs: T[]) => xs.filter(([t]) => t >= runningAt).map(([, d]) => d);
    const atDrop = <T extends [number, number]>(xs: T[]) => xs.filter(([t]) => t < runningAt).map(([, d]) => d);
    const gapsDuring = during(r.gaps);
    return {
      fileMinutes: Math.round((long.length / 16000 / 60) * 10) / 10,
      transcribeSec: Math.round(sec * 10) / 10,
      duringTranscription: {
        longTasks: during(r.long).length,
        longestTaskMs: Math.round(Math.max(0, ...during(r.long))),
        frames: gapsDuring.length,
        maxFrameGapMs: Math.round(Math.max(...gapsDuring)),
        p99FrameGapMs: Math.round(quantile(gapsDuring, 0.99)),
        hostEventLoopMaxDelayMs: Math.max(...loopDuring.map((x) => x.loopDelayMaxMs)),
        hostEventLoopP99DelayMs: Math.max(...loopDuring.map((x) => x.loopDelayP99Ms)),
      },
      atDrop: {
        longTasksMs: atDrop(r.long).map(Math.round),
        maxFrameGapMs: Math.round(Math.max(0, ...atDrop(r.gaps))),
        hostEventLoopMaxDelayMs: Math.max(0, ...loopAtDrop.map((x) => x.loopDelayMaxMs)),
      },
    };
  } finally {
    await app.close();
  }
}

const rendererDir = mkdtempSync(join(tmpdir(), 'hark-bench-renderer-'));
buildRenderer(rendererDir);
// app-server (idle memory) serves the default dist-renderer/: build it too.
buildRenderer(join(root, 'dist-renderer'));
try {
  const only = process.argv.slice(2);
  const want = (k: string) => (only.length === 0 && k !== 'latency100') || only.includes(k);
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: '2 cores, no GPU; Debian Chromium headless', command: 'node bin/run-ts.mjs bench/app.bench.ts' };
  const previous = (() => { try { return JSON.parse(readFileSync(join(here, 'results', 'app.json'), 'utf8')); } catch { return {}; } })();
  Object.assign(results, { ...previous, date: results.date });
  if (want('latency')) { results.latency = await latencyAndCpu(rendererDir, 50); console.log('latency', results.latency); }
  // Capture and features alone: the Settings screen is shown, so no transcript is painted (the
  // level meter still moves); the stream and its events are the same.
  if (want('capture')) { results.capture = await latencyAndCpu(rendererDir, 50, 'settings'); console.log('capture and features', results.capture); }
  if (want('latency100')) { results.latency100 = await latencyAndCpu(rendererDir, 100); console.log('latency at 100 ms pushes', results.latency100); }
  if (want('memory')) { results.idleMemory = await idleMemory(); console.log('idle memory', results.idleMemory); }
  if (want('freeze')) { results.freeze = await freezeWhileTranscribing(); console.log('freeze', results.freeze); }
  if (want('launch')) { results.launch = await launchTimes(rendererDir); console.log('launch', results.launch); }
  writeFileSync(join(here, 'results', 'app.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(rendererDir, { recursive: true, force: true });
}
