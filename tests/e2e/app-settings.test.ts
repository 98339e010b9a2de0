/**
 * Settings and lists end to end in Debian's Chromium: edits made on the Commands, Keywords and
 * Settings screens are validated by the backend, saved to settings.json in the user data folder,
 * and are there again after the window reloads; a duplicate is refused on screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE } from '../../src-main/app/settings-store.ts';
import { openApp, rendererForSuite } from './app-harness.ts';

const rendererDir = rendererForSuite();

describe('settings and lists', () => {
  it('saves list edits and settings to the user data folder and restores them after a reload', async () => {
    const app = await openApp(rendererDir(), { settings: { commands: ['next slide'], keywords: [] } });
    const { page } = app;
    const onDisk = () => JSON.parse(readFileSync(join(app.userDataDir, SETTINGS_FILE), 'utf8'));
    const eventually = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await page.waitForTimeout(50);
      expect(check()).toBe(true);
    };
    try {
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      // Commands: add one, refuse a duplicate.
      await page.click('[data-testid=tab-commands]');
      await page.fill('[data-testid=command-input]', 'Open   the browser');
      await page.press('[data-testid=command-input]', 'Enter');
      await page.waitForSelector('[data-testid=command-item][data-phrase="Open the browser"]');
      await page.fill('[data-testid=command-input]', 'next slide');
      await page.click('[data-testid=command-add]');
      expect(await page.$$('[data-testid=command-item]')).toHaveLength(2);
      await eventually(() => JSON.stringify(onDisk().commands) === JSON.stringify(['next slide', 'Open the browser']));
      // Keywords: add one and move its sensitivity slider.
      await page.click('[data-testid=tab-keywords]');
      await page.fill('[data-testid=keyword-input]', 'hey hark');
      await page.click('[data-testid=keyword-add]');
      const slider = page.locator('[data-testid=keyword-item][data-keyword="hey hark"] [data-testid=keyword-sensitivity]');
      await slider.fill('0.8');
      await eventually(() => onDisk().keywords?.[0]?.sensitivity === 0.8);
      expect(onDisk().keywords).toEqual([{ text: 'hey hark', sensitivity: 0.8 }]);
      // Settings: mode, endpoint silence; the shipped model is listed.
      await page.click('[data-testid=tab-settings]');
      await page.selectOption('[data-testid=setting-mode]', 'commands');
      await page.locator('[data-testid=setting-endpoint]').fill('1.2');
      await page.locator('[data-testid=setting-endpoint]').dispatchEvent('change');
      await eventually(() => onDisk().mode === 'commands' && onDisk().endpointSilenceSec === 1.2);
      const models = await page.$$eval('[data-testid=setting-model] option', (os) => os.map((o) => o.textContent ?? ''));
      expect(models.some((m) => /hark-en/.test(m))).toBe(true);

      await page.reload();
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-settings]');
      expect(await page.inputValue('[data-testid=setting-mode]')).toBe('commands');
      expect(Number(await page.inputValue('[data-testid=setting-endpoint]'))).toBe(1.2);
      await page.click('[data-testid=tab-keywords]');
      expect(Number(await page.inputValue('[data-testid=keyword-item][data-keyword="hey hark"] [data-testid=keyword-sensitivity]'))).toBe(0.8);
      await page.click('[data-testid=tab-commands]');
      expect(await page.$$eval('[data-testid=command-item]', (els) => els.map((e) => e.getAttribute('data-phrase')))).toEqual(['next slide', 'Open the browser']);
    } finally {
      await app.close();
    }
  });
});
