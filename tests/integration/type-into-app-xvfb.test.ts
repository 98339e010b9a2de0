/**
 * "Type into the focused application" on X11, for real: an Xvfb display of its own, Chromium
 * (headful on that display, a real X client) with a focused <textarea>, and the app's typist with
 * the back-end it finds there (xdotool, plus xmodmap for characters outside the keyboard layout).
 * What the textarea holds afterwards is what an application received as key events. Dictation is
 * followed as the window does it (DictationTranscript + TypedTextTracker): each final's edit is
 * typed, "new line" presses Return, "scratch that" erases with BackSpace. Without xdotool the text
 * goes to the clipboard, read back with xclip on the same display.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src-main/system/find-executable.ts';
import { FocusedAppTypist } from '../../src-main/system/focused-app-typist.ts';
import { chooseInsertionBackend } from '../../src-main/system/text-insertion-backends.ts';
import { DictationTranscript } from '../../src-renderer/view-state/dictation-transcript.ts';
import { TypedTextTracker } from '../../src-renderer/view-state/typed-text-tracker.ts';
import { CHROMIUM, requireChromium } from '../../testkit/app-harness.ts';

let xvfb: ChildProcess;
let browser: Browser;
let page: Page;
let env: NodeJS.ProcessEnv;

/** Starts Xvfb on a display number it picks itself (-displayfd), so parallel runs never collide. */
async function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
    child.once('error', reject);
  });
  return { child, display };
}

beforeAll(async () => {
  requireChromium();
  const started = await startXvfb();
  xvfb = started.child;
  // This display only, as an X11 session (no Wayland variables from the machine running the test).
  env = { PATH: process.env.PATH, HOME: process.env.HOME, DISPLAY: started.display };
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--window-position=0,0', '--window-size=900,700'],
    env: env as Record<string, string>,
  });
  page = await browser.newPage();
  await page.setContent('<textarea id="target" style="width:800px;height:500px"></textarea>');
  await page.focus('#target');
});

afterAll(async () => {
  await browser?.close();
  xvfb?.kill('SIGTERM');
});

const textareaValue = () => page.$eval('#target', (e) => (e as HTMLTextAreaElement).value);

/** Waits until the textarea holds `expected` (key events are handled after xdotool returns); fails naming what it holds. */
async function expectTextarea(expected: string): Promise<void> {
  const arrived = await page.waitForFunction((want) => (document.getElementById('target') as HTMLTextAreaElement).value === want, expected, { timeout: 15_000 }).then(() => true, () => false);
  if (!arrived) expect(await textareaValue()).toBe(expected);
}

async function clearTextarea(): Promise<void> {
  await page.$eval('#target', (e) => ((e as HTMLTextAreaElement).value = ''));
  await page.focus('#target');
}

describe('typing into the focused application under Xvfb', () => {
  it('finds xdotool (and xmodmap) on the X display', () => {
    const backend = chooseInsertionBackend({ platform: 'linux', env, find: (cmd) => findExecutable(cmd, env.PATH) });
    expect(backend.name).toBe('xdotool');
    expect(backend.xmodmap).toMatch(/xmodmap$/);
    expect(backend.detail).toMatch(/^X11: typing with \S+xdotool/);
    // The focused X window is Chromium's: what is typed goes there.
    expect(execFileSync('xdotool', ['getwindowfocus', 'getwindowname'], { env }).toString()).toMatch(/Chromium/);
  });

  it('types spaces, capitals, punctuation, new lines and non-ASCII characters', async () => {
    await clearTextarea();
    const typist = FocusedAppTypist.forSession(() => { throw new Error('the clipboard must not be used'); }, { platform: 'linux', env, find: (cmd) => findExecutable(cmd, env.PATH) }, env);
    const parts = [
      'Hello, World! It costs $25 (or 25%): yes? #1 & <tags> "quotes" \'apostrophes\' back\\slash ~`^{}|_+=-',
      // (No tab: in a textarea Tab moves the focus away, as it should.)
      '\nSecond line.',
      '\nCafé “quoted” — naïve Zoë, ¿sí? 1–2 °C ½ ß €',
    ];
    for (const text of parts) expect(await typist.insert({ erase: 0, text })).toEqual({ method: 'typed', backend: 'xdotool' });
    await expectTextarea(parts.join(''));
    // Erasing: BackSpace over the last word, then other text.
    expect(await typist.insert({ erase: 1, text: '$' })).toEqual({ method: 'typed', backend: 'xdotool' });
    await expectTextarea(`${parts.join('').slice(0, -1)}$`);
    await typist.dispose();
  });

  it('follows dictation: each final typed, "new line" as Return, "scratch that" erased again', async () => {
    await clearTextarea();
    const typist = FocusedAppTypist.forSession(() => { throw new Error('the clipboard must not be used'); }, { platform: 'linux', env, find: (cmd) => findExecutable(cmd, env.PATH) }, env);
    const transcript = new DictationTranscript(true);
    const tracker = new TypedTextTracker();
    const utterances = ['dear anna', 'new line', 'the meeting is at noon', 'scratch that', 'see you soon', 'period'];
    let at = 0;
    for (const u of utterances) {
      const words = u.split(' ').map((word, i) => ({ word, start: at + i * 0.3, end: at + i * 0.3 + 0.25, confidence: 0.9 }));
      at += 5;
      transcript.addFinal({ text: u, words, confidence: 0.9, start: words[0].start, end: words.at(-1)!.end });
      const edit = tracker.next(transcript.typedText());
      if (edit) await typist.insert(edit);
      await expectTextarea(transcript.typedText());
    }
    // Whatever the formatter writes, the application holds the document; here it is:
    expect(await textareaValue()).toMatch(/^dear anna\nsee you soon\.$/i);
    await typist.dispose();
  });

  it('without xdotool copies the text to the clipboard and says so', async () => {
    await clearTextarea();
    const backend = chooseInsertionBackend({ platform: 'linux', env, find: (cmd) => (cmd === 'xdotool' ? null : findExecutable(cmd, env.PATH)) });
    expect(backend).toEqual({ name: 'clipboard', detail: expect.stringMatching(/^X11 without xdotool: text is copied to the clipboard\. Install xdotool/) });
    // The app writes with Electron's clipboard; here xclip owns the X CLIPBOARD selection on the same display.
    const writeClipboard = (text: string) => execFileSync('xclip', ['-selection', 'clipboard', '-i'], { env, input: text, stdio: ['pipe', 'ignore', 'ignore'] });
    const typist = new FocusedAppTypist({ backend, writeClipboard, env });
    const text = 'Copied, not typed: café “ok”.';
    expect(await typist.insert({ erase: 3, text })).toEqual({ method: 'clipboard', reason: backend.detail });
    expect(execFileSync('xclip', ['-selection', 'clipboard', '-o'], { env }).toString()).toBe(text);
    expect(await textareaValue()).toBe('');
  });
});
