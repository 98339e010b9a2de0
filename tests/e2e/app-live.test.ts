/**
 * The desktop app's live screens end to end in Debian's Chromium: the fake microphone speaks, the
 * renderer captures it (AudioWorklet at 16 kHz), computes MFCC, pushes them over the bridge to the
 * real backend, and the test reads what appears on screen. Voices: espeak-ng en-gb-scotland+f3,
 * held out of training.
 */
import { describe, expect, it } from 'vitest';
import { makeClip, openApp, wordsOf, type AppSession } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

async function listen(app: AppSession): Promise<void> {
  await app.page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
  await app.page.click('[data-testid=listen-toggle]');
  await app.page.waitForSelector('[data-testid=mic-state][data-state=listening]', { timeout: 10_000 });
}

describe('live recognition in the app', () => {
  it('dictation: shows partials while speaking and appends finals with timestamps', async () => {
    const clip = await makeClip([{ silence: 1.5 }, { say: 'please open the file' }, { silence: 1.5 }, { say: 'call my mother at seven' }, { silence: 2 }]);
    const app = await openApp(rendererDir(), { clip: clip.samples, settings: { mode: 'dictation', keywords: [] } });
    try {
      await listen(app);
      const { page } = app;
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=final]').length >= 2, undefined, { timeout: 20_000 });
      const finals = await page.$$eval('[data-testid=final]', (els) => els.map((e) => e.textContent ?? ''));
      const shown = wordsOf(finals.join(' '));
      const said = wordsOf(clip.spans.map((s) => s.text).join(' '));
      const found = said.filter((w) => shown.includes(w));
      expect(found.length / said.length).toBeGreaterThanOrEqual(0.7);
      // Timestamps of the first word of each utterance, mm:ss on the session clock.
      expect(finals[0]).toMatch(/^00:01/);
      expect(finals[1]).toMatch(/^00:0[45]/);
      // Partials appeared before the finals (the trace records every visible change).
      const trace = await page.evaluate(() => (window as unknown as { __harkTrace: { text: string }[] }).__harkTrace);
      expect(trace.length).toBeGreaterThan(2);
      expect(trace.some((t) => t.text !== '' && !t.text.includes('seven'))).toBe(true);
      // Copy puts the finals on the clipboard; Clear empties the view.
      await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.click('[data-testid=copy]');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(wordsOf(copied)).toEqual(wordsOf(finals.map((f) => f.replace(/^\d\d:\d\d/, '')).join(' ')));
      await page.click('[data-testid=listen-toggle]');
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]');
      await page.click('[data-testid=clear]');
      expect(await page.$$('[data-testid=final]')).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('commands and keywords: a listed command fires, other speech is visibly rejected, a keyword flashes and is logged', async () => {
    const clip = await makeClip([
      { silence: 1.2 }, { say: 'next slide' }, { silence: 1.5 },
      { say: 'we need more coffee' }, { silence: 1.5 },
      { say: 'hey computer' }, { silence: 1.5 },
      { say: 'mute the microphone' }, { silence: 2 },
    ]);
    const commands = ['next slide', 'previous slide', 'mute the microphone', 'open the browser'];
    const app = await openApp(rendererDir(), {
      clip: clip.samples,
      settings: { mode: 'commands', commands, keywords: [{ text: 'hey computer', sensitivity: 0.5 }] },
    });
    try {
      const { page } = app;
      await page.click('[data-testid=tab-commands]');
      await listen(app);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=command-event]').length >= 4, undefined, { timeout: 25_000 });
      const log = await page.$$eval('[data-testid=command-event]', (els) => els.map((e) => ({ phrase: e.getAttribute('data-phrase'), kind: e.getAttribute('data-kind'), closest: e.getAttribute('data-closest'), text: e.textContent })));
      // Newest first.
      const fired = log.filter((e) => e.kind === 'fired').map((e) => e.phrase).reverse();
      expect(fired).toEqual(['next slide', 'mute the microphone']);
      const rejected = log.filter((e) => e.kind === 'rejected');
      expect(rejected.length).toBeGreaterThanOrEqual(1);
      // Each rejection names the listed command that came closest, its confidence, and what was heard.
      for (const r of rejected) {
        expect(commands).toContain(r.closest);
        expect(r.text).toContain(`Not a command — closest: “${r.closest}”, `);
        expect(r.text).toMatch(/, \d{1,2}% · heard \/[a-z<>:-]+( [a-z<>:-]+)+\/$/);
      }
      // The keyword was heard whatever the mode.
      await page.click('[data-testid=tab-keywords]');
      const hits = await page.$$eval('[data-testid=keyword-event]', (els) => els.map((e) => e.getAttribute('data-keyword')));
      expect(hits).toEqual(['hey computer']);
    } finally {
      await app.close();
    }
  });

  it('says clearly when there is no microphone, and does not start', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true });
    try {
      const { page } = app;
      // The device list is empty from the start: the header says so before any click.
      await page.waitForSelector('[data-testid=mic-state][data-state=no-mic]', { timeout: 60_000 });
      await page.waitForFunction(() => !/loading/i.test(document.querySelector('[data-testid=model-state]')?.textContent ?? 'loading'), undefined, { timeout: 60_000 });
      await page.click('[data-testid=listen-toggle]');
      // The stream is started before the microphone is opened: under load that takes a while.
      await page.waitForSelector('[data-testid=toast]', { timeout: 60_000 });
      expect(await page.textContent('[data-testid=mic-state]')).toMatch(/No microphone/);
      expect(await page.textContent('[data-testid=listen-toggle]')).toMatch(/Start listening/);
    } finally {
      await app.close();
    }
  });

  it('says clearly when microphone permission is denied, and does not start', async () => {
    const app = await openApp(rendererDir(), { denyMicrophone: true });
    try {
      const { page } = app;
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=listen-toggle]');
      await page.waitForSelector('[data-testid=mic-state][data-state=denied]', { timeout: 60_000 });
      expect(await page.textContent('[data-testid=mic-state]')).toMatch(/permission denied/i);
      expect(await page.textContent('[data-testid=listen-toggle]')).toMatch(/Start listening/);
      // The toast may come a moment after the header's state: wait for it rather than read the toasts at once.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=toast]')).some((t) => /permission|allow/i.test(t.textContent ?? '')), undefined, { timeout: 10_000 });
    } finally {
      await app.close();
    }
  });

  it('shows a toast below the transcript, never over it', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true });
    try {
      const { page } = app;
      await page.waitForSelector('[data-testid=mic-state]', { timeout: 60_000 });
      await page.click('[data-testid=copy]');
      const toast = page.locator('[data-testid=toast]', { hasText: 'Nothing to copy yet.' });
      await toast.waitFor();
      const t = (await toast.boundingBox())!;
      const r = (await page.locator('.transcript').boundingBox())!;
      const overlaps = t.x < r.x + r.width && r.x < t.x + t.width && t.y < r.y + r.height && r.y < t.y + t.height;
      expect(overlaps).toBe(false);
      expect(r.height).toBeGreaterThan(100);
    } finally {
      await app.close();
    }
  });
});
