/**
 * Settings and lists end to end in Debian's Chromium: edits made on the Commands, Keywords and
 * Settings screens (capitals and punctuation, the dictation language model among them) are validated by the backend, saved to settings.json in the user data folder,
 * and are there again after the window reloads; a duplicate is refused on screen. A damaged
 * settings.json is named in a notice that says where its copy was kept.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { POCKETSPHINX_EN_US_LM } from '../../src-main/decode/sphinx-trie-lm-reader.ts';
import { openApp } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

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
      // Capitals and punctuation, and the dictation language model (PocketSphinx's, from pocketsphinx-en-us).
      expect(existsSync(POCKETSPHINX_EN_US_LM), `${POCKETSPHINX_EN_US_LM} is missing: apt-get install pocketsphinx-en-us`).toBe(true);
      expect(await page.isChecked('[data-testid=setting-punctuate]')).toBe(true);
      await page.uncheck('[data-testid=setting-punctuate]');
      expect(await page.$$eval('[data-testid=setting-dictation-lm] option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent, (o as HTMLOptionElement).disabled])))
        .toEqual([['brown', 'Built in (Brown corpus)', false], ['general', 'Built in (general English, larger)', false], ['pocketsphinx-en-us', 'PocketSphinx US English', false]]);
      await page.selectOption('[data-testid=setting-dictation-lm]', 'pocketsphinx-en-us');
      await eventually(() => onDisk().punctuate === false && onDisk().dictationLm === 'pocketsphinx-en-us');
      // The help follows the saved choice once the window has the backend's answer (not when the file is written).
      const lmHelp = page.locator('[data-testid=panel-settings] .field:has([data-testid=setting-dictation-lm]) .field-help');
      await lmHelp.filter({ hasText: /^The general US English trigram/ }).waitFor({ timeout: 10_000 });
      const models = await page.$$eval('[data-testid=setting-model] option', (os) => os.map((o) => o.textContent ?? ''));
      expect(models.some((m) => /hark-en/.test(m))).toBe(true);

      await page.reload();
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-settings]');
      expect(await page.inputValue('[data-testid=setting-mode]')).toBe('commands');
      expect(Number(await page.inputValue('[data-testid=setting-endpoint]'))).toBe(1.2);
      expect(await page.isChecked('[data-testid=setting-punctuate]')).toBe(false);
      expect(await page.inputValue('[data-testid=setting-dictation-lm]')).toBe('pocketsphinx-en-us');
      await page.click('[data-testid=tab-keywords]');
      expect(Number(await page.inputValue('[data-testid=keyword-item][data-keyword="hey hark"] [data-testid=keyword-sensitivity]'))).toBe(0.8);
      await page.click('[data-testid=tab-commands]');
      expect(await page.$$eval('[data-testid=command-item]', (els) => els.map((e) => e.getAttribute('data-phrase')))).toEqual(['next slide', 'Open the browser']);
    } finally {
      await app.close();
    }
  });
});

describe('the model card on Settings', () => {
  it('says when the model in use was made as a local date and time, not an ISO timestamp', async () => {
    const app = await openApp(rendererDir(), {});
    const { page } = app;
    try {
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-settings]');
      const created = page.locator('[data-testid=panel-settings] dl[aria-label="Model in use"] dt:text-is("Created") + dd');
      expect(await created.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    } finally {
      await app.close();
    }
  });
});

describe('a damaged settings.json', () => {
  it('is named in a notice that stays until dismissed, with the copy kept of it', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'hark-e2e-damaged-'));
    const whole = Buffer.from(JSON.stringify({ commands: ['lights on', 'lights off'], keywords: [{ text: 'hey hark', sensitivity: 0.7 }] }, null, 2));
    const truncated = whole.subarray(0, 40);
    writeFileSync(join(userDataDir, SETTINGS_FILE), truncated);
    const app = await openApp(rendererDir(), { userDataDir });
    const { page } = app;
    try {
      const notice = page.locator('[data-testid=toast][data-kind=warning]');
      await notice.waitFor({ timeout: 60_000 });
      const text = (await notice.textContent()) ?? '';
      expect(text).toMatch(/settings\.json: not valid JSON .*: Hark uses the default settings; your file is kept as /);
      // Named from the user data folder, as the user guide names it: the window learns no absolute path.
      expect(text).toMatch(/^<user data>\/settings\.json: /);
      const copy = /your file is kept as <user data>\/(settings\.damaged-\S+\.json)$/.exec(text)?.[1] ?? '';
      expect(copy).not.toBe('');
      expect(readFileSync(join(userDataDir, copy))).toEqual(truncated);
      // Errors leave after 8 s; this stays until the user dismisses it.
      await page.waitForTimeout(8500);
      expect(await notice.count()).toBe(1);
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      expect(await notice.count()).toBe(0);
      // A change saves a whole settings.json; the copy stays as it was.
      await page.click('[data-testid=tab-settings]');
      await page.selectOption('[data-testid=setting-mode]', 'commands');
      for (let i = 0; i < 100 && !readFileSync(join(userDataDir, SETTINGS_FILE), 'utf8').includes('"commands",'); i++) await page.waitForTimeout(50);
      expect(JSON.parse(readFileSync(join(userDataDir, SETTINGS_FILE), 'utf8')).mode).toBe('commands');
      expect(readFileSync(join(userDataDir, copy))).toEqual(truncated);
    } finally {
      await app.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});

describe('words', () => {
  it('adds a word with a guessed pronunciation, speaks it, takes a correction, and removes it', async () => {
    const app = await openApp(rendererDir(), {});
    const { page } = app;
    const onDisk = () => JSON.parse(readFileSync(join(app.userDataDir, 'words.json'), 'utf8'));
    try {
      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-words]');
      await page.fill('[data-testid=word-input]', 'Zorblat');
      await page.click('[data-testid=word-add]');
      const item = page.locator('[data-testid=word-item][data-word="zorblat"]');
      await item.waitFor();
      expect(await item.locator('[data-testid=word-source]').textContent()).toBe('guessed');
      expect(onDisk().words[0]).toMatchObject({ word: 'zorblat', source: 'g2p' });
      await item.locator('[data-testid=word-say]').click();
      await page.waitForFunction(() => { const a = document.querySelector('[data-testid=word-audio]') as HTMLAudioElement | null; return !!a && a.currentSrc.startsWith('blob:') && a.duration > 0.3; }, undefined, { timeout: 10_000 });
      await item.locator('[data-testid=word-pron]').fill('Z AO R B L AE T | Z ER B L AE T');
      await item.locator('[data-testid=word-pron]').dispatchEvent('change');
      await page.waitForFunction(() => document.querySelector('[data-testid=word-item][data-word="zorblat"] [data-testid=word-source]')?.textContent === 'yours');
      expect(onDisk().words[0].pronunciations).toEqual([['Z', 'AO', 'R', 'B', 'L', 'AE', 'T'], ['Z', 'ER', 'B', 'L', 'AE', 'T']]);
      // A bad pronunciation is refused with the backend's message and the stored one stays.
      await item.locator('[data-testid=word-pron]').fill('Z QQ');
      await item.locator('[data-testid=word-pron]').dispatchEvent('change');
      // Wait for that toast itself: the toast from adding the word ("zorblat" is not in the dictionary...) may still be showing.
      await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=toast]')).some((t) => /"QQ" is not an ARPAbet phoneme/.test(t.textContent ?? '')), undefined, { timeout: 10_000 });
      expect(onDisk().words[0].source).toBe('user');
      await item.getByRole('button', { name: /Remove/ }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=word-item]').length === 0);
      expect(onDisk().words).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
