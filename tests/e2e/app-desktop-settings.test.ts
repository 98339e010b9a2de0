/**
 * The Settings screen's Desktop card in Debian's Chromium over the web bridge: a shortcut is
 * checked as typed (a refused one says why under the field and is not saved), a good one is saved
 * in canonical spelling and shown so, the typing checkbox is saved, and everything is there after
 * a reload. In a plain browser there are no global shortcuts or typing into other applications:
 * the card says so (the desktop app's side is tests/unit/electron-desktop-integration.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { openApp } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

describe('the Desktop settings', () => {
  it('validates and saves the shortcuts and the typing setting, and says what a browser cannot do', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true, settings: { toggleShortcut: 'CommandOrControl+Alt+H', pushToTalkShortcut: 'Alt+F9' } });
    const { page } = app;
    const onDisk = () => JSON.parse(readFileSync(join(app.userDataDir, SETTINGS_FILE), 'utf8'));
    const eventually = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await page.waitForTimeout(50);
      expect(check()).toBe(true);
    };
    const toggle = page.locator('[data-testid=setting-toggle-shortcut]');
    const field = page.locator('[data-testid=desktop-settings] .field').first();
    try {
      await page.click('[data-testid=tab-settings]');
      await page.waitForSelector('[data-testid=insertion-backend][data-backend=none]');
      expect(await page.textContent('[data-testid=insertion-backend]')).toBe('Typing into other applications works only in the desktop app.');
      expect(await page.textContent('[data-testid=setting-toggle-shortcut-state]')).toBe('Global shortcuts work only in the desktop app.');
      expect(await toggle.inputValue()).toBe('CommandOrControl+Alt+H');
      expect(await page.inputValue('[data-testid=setting-push-to-talk-shortcut]')).toBe('Alt+F9');

      // Refused as typed: not saved.
      await toggle.fill('H');
      await toggle.dispatchEvent('change');
      await page.waitForFunction(() => /needs Control, Alt, Command or Super/.test(document.querySelector('[data-testid=desktop-settings] .field-error')?.textContent ?? ''));
      expect(await field.locator('.field-error').textContent()).toMatch(/^Toggle shortcut: "H" needs Control, Alt, Command or Super/);

      // Saved in canonical spelling, and shown so.
      await toggle.fill('shift+ctrl+f9');
      await toggle.dispatchEvent('change');
      await eventually(() => onDisk().toggleShortcut === 'Control+Shift+F9');
      expect(await field.locator('.field-error').textContent()).toBe('');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.waitForFunction(() => (document.querySelector('[data-testid=setting-toggle-shortcut]') as HTMLInputElement).value === 'Control+Shift+F9');

      await page.check('[data-testid=setting-type-into-app]');
      await eventually(() => onDisk().typeIntoFocusedApp === true);

      await page.reload();
      await page.click('[data-testid=tab-settings]');
      await page.waitForSelector('[data-testid=insertion-backend][data-backend=none]');
      expect(await toggle.inputValue()).toBe('Control+Shift+F9');
      expect(await page.isChecked('[data-testid=setting-type-into-app]')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
