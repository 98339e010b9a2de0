/**
 * The listening mode in Debian's Chromium, with the real backend: the header names the mode on
 * every screen and changes it; visiting the Dictation or Commands screen never does; a screen of
 * the other mode says so and offers to switch. Chromium's fake microphone plays silence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { makeClip, openApp } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

describe('the listening mode', () => {
  it('is shown on every screen, changes only when chosen, and a screen of the other mode says so', async () => {
    const clip = await makeClip([{ silence: 60 }]);
    const app = await openApp(rendererDir(), { clip: clip.samples, settings: { mode: 'dictation', commands: ['next slide'], keywords: [] } });
    const { page } = app;
    const modeOnDisk = () => (JSON.parse(readFileSync(join(app.userDataDir, SETTINGS_FILE), 'utf8')) as { mode: string }).mode;
    const micText = () => page.textContent('[data-testid=mic-state]');
    const notice = (screen: string) => page.locator(`[data-testid=panel-${screen}] [data-testid=mode-notice]`);
    try {
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      expect(await page.inputValue('[data-testid=listen-mode]')).toBe('dictation');
      await page.click('[data-testid=listen-toggle]');
      await page.waitForSelector('[data-testid=mic-state][data-state=listening]', { timeout: 30_000 });
      expect(await micText()).toBe('Listening — Dictation');
      expect(await notice('dictation').isHidden()).toBe(true);

      // Visiting Commands while listening leaves the mode alone. Adding a command is a later
      // request on the same bridge: once it shows, any mode change the visit made is saved too.
      await page.click('[data-testid=tab-commands]');
      await page.fill('[data-testid=command-input]', 'previous slide');
      await page.press('[data-testid=command-input]', 'Enter');
      await page.waitForSelector('[data-testid=command-item][data-phrase="previous slide"]');
      expect(modeOnDisk()).toBe('dictation');
      expect(await micText()).toBe('Listening — Dictation');
      expect(await notice('commands').textContent()).toMatch(/^Hark is listening for dictation; switch to commands to match these phrases\./);

      // The notice's button switches; the header follows.
      await notice('commands').locator('[data-testid=mode-notice-switch]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=mic-state]')?.textContent === 'Listening — Commands', undefined, { timeout: 10_000 });
      expect(modeOnDisk()).toBe('commands');
      expect(await page.inputValue('[data-testid=listen-mode]')).toBe('commands');
      expect(await notice('commands').isHidden()).toBe(true);

      // Back on Dictation the mode stays Commands, and the screen says where speech goes.
      await page.click('[data-testid=tab-dictation]');
      await page.click('[data-testid=tab-commands]');
      await page.click('[data-testid=tab-settings]');
      await page.click('[data-testid=tab-dictation]');
      await page.click('[data-testid=clear]');
      await page.waitForTimeout(500);
      expect(modeOnDisk()).toBe('commands');
      expect(await micText()).toBe('Listening — Commands');
      expect(await notice('dictation').textContent()).toMatch(/^Hark is listening for commands; switch to dictation to see text here\./);

      // The header's selector changes the mode from any screen; Settings shows the same.
      await page.click('[data-testid=tab-settings]');
      expect(await page.inputValue('[data-testid=setting-mode]')).toBe('commands');
      await page.selectOption('[data-testid=listen-mode]', 'dictation');
      await page.waitForFunction(() => document.querySelector('[data-testid=mic-state]')?.textContent === 'Listening — Dictation', undefined, { timeout: 10_000 });
      expect(modeOnDisk()).toBe('dictation');
      expect(await page.inputValue('[data-testid=setting-mode]')).toBe('dictation');

      // Stopped, the notice says what Start will listen for.
      await page.click('[data-testid=listen-toggle]');
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 30_000 });
      expect(await micText()).toBe('Ready');
      expect(await notice('commands').textContent()).toMatch(/^The listening mode is Dictation; switch to commands to match these phrases when you start\./);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('refuses Commands mode without a command, and the selector shows the mode in use again', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true, settings: { mode: 'dictation', commands: [], keywords: [] } });
    const { page } = app;
    try {
      await page.waitForFunction(() => !/loading/i.test(document.querySelector('[data-testid=model-state]')?.textContent ?? 'loading'), undefined, { timeout: 60_000 });
      await page.selectOption('[data-testid=listen-mode]', 'commands');
      await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=toast][data-kind=error]')).some((t) => /needs at least one command/.test(t.textContent ?? '')), undefined, { timeout: 10_000 });
      expect(await page.inputValue('[data-testid=listen-mode]')).toBe('dictation');
      await page.click('[data-testid=tab-settings]');
      expect(await page.inputValue('[data-testid=setting-mode]')).toBe('dictation');
    } finally {
      await app.close();
    }
  }, 120_000);
});
