/**
 * Typing dictation into the focused application, the window's side, in Debian's Chromium: with
 * "Type into other applications" on, each final becomes a desktop:insert edit (erase, then text)
 * that turns what was typed before into the transcript, so the edits applied in order give exactly
 * what Copy gives; a clipboard outcome shows its message; with the setting off nothing is sent.
 * What only the Electron main process can do (type with xdotool and the like) is stood in for by a
 * script around window.hark that reports an available desktop and records each desktop:insert;
 * that side is tests/unit/electron-desktop-integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { InsertionOutcome } from '../../src-shared/ipc/app-contract.ts';
import { makeClip, openApp, type AppSession } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

/** Wraps window.hark when the web bridge sets it: desktop:* answered as the desktop app would, inserts recorded in window.__inserted. */
function desktopStandIn(outcome: InsertionOutcome): string {
  return `(() => {
    let inner;
    const inserted = [];
    Object.defineProperty(window, '__inserted', { value: inserted });
    const status = {
      available: true,
      insertion: { backend: 'xdotool', detail: 'Typing with xdotool (test stand-in).' },
      shortcuts: { toggle: { accelerator: '', registered: false, problem: null }, 'push-to-talk': { accelerator: '', registered: false, problem: null } },
    };
    const wrapped = {
      get kind() { return inner.kind; },
      invoke(channel, request) {
        if (channel === 'desktop:status') return Promise.resolve(status);
        if (channel === 'desktop:listening') return Promise.resolve({});
        if (channel === 'desktop:insert') { inserted.push(request); return Promise.resolve(${JSON.stringify(outcome)}); }
        return inner.invoke(channel, request);
      },
      on(channel, listener) { return inner.on(channel, listener); },
      pathForFile(file) { return inner.pathForFile(file); },
    };
    Object.defineProperty(window, 'hark', { configurable: true, get: () => (inner ? wrapped : undefined), set: (v) => { inner = v; } });
  })();`;
}

async function dictate(app: AppSession): Promise<string> {
  const { page } = app;
  await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
  await page.click('[data-testid=listen-toggle]');
  await page.waitForSelector('[data-testid=mic-state][data-state=listening]', { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=final]').length >= 2, undefined, { timeout: 20_000 });
  await page.click('[data-testid=listen-toggle]');
  await page.waitForSelector('[data-testid=mic-state][data-state=ready]');
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('[data-testid=copy]');
  return page.evaluate(() => navigator.clipboard.readText());
}

const inserted = (app: AppSession) => app.page.evaluate(() => (window as unknown as { __inserted: { erase: number; text: string }[] }).__inserted.slice());

/** The edits applied in order to an empty field (erase counts code points, as BackSpace does). */
const applyEdits = (edits: { erase: number; text: string }[]) => edits.reduce((s, e) => Array.from(s).slice(0, Array.from(s).length - e.erase).join('') + e.text, '');

describe('typing dictation into the focused application', () => {
  let clip: ReturnType<typeof makeClip> | undefined;
  /** The app dictating the clip, with the typing setting as given and the stand-in answering inserts with `outcome`. */
  const open = async (typeIntoFocusedApp: boolean, outcome: InsertionOutcome) => openApp(rendererDir(), {
    clip: (await (clip ??= makeClip([{ silence: 1.5 }, { say: 'please open the file' }, { silence: 1.5 }, { say: 'call my mother at seven' }, { silence: 2 }]))).samples, settings: { mode: 'dictation', keywords: [], typeIntoFocusedApp }, initScript: desktopStandIn(outcome),
  });

  it('sends one edit per final that together type exactly the transcript', async () => {
    const app = await open(true, { method: 'typed', message: null });
    try {
      const copied = await dictate(app);
      expect(copied.length).toBeGreaterThan(0);
      await app.page.waitForFunction((n) => (window as unknown as { __inserted: unknown[] }).__inserted.length >= n, 2, { timeout: 10_000 });
      const edits = await inserted(app);
      expect(applyEdits(edits)).toBe(copied);
      expect(edits[0].erase).toBe(0);
      // The Desktop card says typing is available.
      await app.page.click('[data-testid=tab-settings]');
      expect(await app.page.getAttribute('[data-testid=insertion-backend]', 'data-backend')).toBe('xdotool');
    } finally {
      await app.close();
    }
  });

  it('shows why a final went to the clipboard instead', async () => {
    const message = 'No typing tool here: the text is on the clipboard; paste it with Ctrl+V.';
    const app = await open(true, { method: 'clipboard', message });
    try {
      await dictate(app);
      await app.page.locator('[data-testid=toast]', { hasText: message }).first().waitFor({ timeout: 10_000 });
      expect((await inserted(app)).length).toBeGreaterThanOrEqual(2);
    } finally {
      await app.close();
    }
  });

  it('sends nothing while the setting is off', async () => {
    const app = await open(false, { method: 'typed', message: null });
    try {
      const copied = await dictate(app);
      expect(copied.length).toBeGreaterThan(0);
      expect(await inserted(app)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
