// Screenshots of every screen of the desktop app for docs/ and the README, taken from real runs in
// the end-to-end harness (Debian's Chromium, the fake microphone speaking held-out voices, the real
// backend): nothing on them is staged by hand.
// Run: node bin/run-ts.mjs bench/app-screenshots.ts   (writes docs/screenshots/*.png)
// The Retrain and Models screens show the real retraining job of runs/shots-user, made first by
//   HARK_USER_DATA=runs/shots-user node bin/hark.mjs words add zorblat   (and kivvik)
//   HARK_USER_DATA=runs/shots-user node bin/hark.mjs retrain "open zorblat" "call kivvik"
// (skipped with a message when that folder is missing).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../src-main/audio/index.ts';
import { buildRenderer, dropFiles, makeClip, openApp } from '../testkit/app-harness.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const rendererDir = mkdtempSync(join(tmpdir(), 'hark-shots-'));
buildRenderer(rendererDir);
const shot = (page: import('playwright-core').Page, name: string) => page.screenshot({ path: join(out, `${name}.png`) });

try {
  // Dictation.
  {
    const clip = await makeClip([{ silence: 1 }, { say: 'please open the file' }, { silence: 1.2 }, { say: 'call my mother at seven' }, { silence: 1.2 }, { say: 'send the report to the team' }, { silence: 1.2 }, { say: 'we need more coffee', voice: 'flite:slt' }, { silence: 0.2 }]);
    const app = await openApp(rendererDir, { clip: clip.samples, settings: { mode: 'dictation' } });
    await app.page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
    await app.page.click('[data-testid=listen-toggle]');
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid=final]').length >= 3, undefined, { timeout: 30_000 });
    // Catch the last utterance while it is still a partial.
    await app.page.waitForFunction(() => (document.querySelector('[data-testid=partial]') as HTMLElement | null)?.hidden === false, undefined, { timeout: 10_000 }).catch(() => undefined);
    await shot(app.page, 'dictation');
    await app.close();
  }
  // Commands and keywords.
  {
    const clip = await makeClip([{ silence: 1 }, { say: 'next slide' }, { silence: 1.3 }, { say: 'we need more coffee' }, { silence: 1.3 }, { say: 'hey computer' }, { silence: 1.3 }, { say: 'mute the microphone', voice: 'flite:slt' }, { silence: 1.5 }]);
    const app = await openApp(rendererDir, {
      clip: clip.samples,
      settings: {
        mode: 'commands',
        commands: ['next slide', 'previous slide', 'mute the microphone', 'unmute the microphone', 'open the browser', 'stop listening'],
        keywords: [{ text: 'hey computer', sensitivity: 0.5 }, { text: 'emergency', sensitivity: 0.65 }],
      },
    });
    await app.page.click('[data-testid=tab-commands]');
    await app.page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
    await app.page.click('[data-testid=listen-toggle]');
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid=command-event]').length >= 4, undefined, { timeout: 30_000 });
    await shot(app.page, 'commands');
    await app.page.click('[data-testid=tab-keywords]');
    await app.page.waitForTimeout(300);
    await shot(app.page, 'keywords');
    await app.close();
  }
  // Files and settings.
  {
    const clip = await makeClip([{ silence: 0.6 }, { say: 'please open the file' }, { silence: 1 }, { say: 'call my mother at seven' }, { silence: 1 }, { say: 'send the report to the team' }, { silence: 0.6 }]);
    const files = [
      { name: 'meeting-notes.wav', bytes: encodeWav(clip.samples, 16000) },
      { name: 'digits.wav', bytes: readFileSync(join(root, 'assets', 'samples', 'digits.wav')) },
      { name: 'open-the-browser.wav', bytes: readFileSync(join(root, 'assets', 'samples', 'open-the-browser.wav')) },
    ];
    const app = await openApp(rendererDir, {});
    const { page } = app;
    await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
    await page.click('[data-testid=tab-files]');
    await dropFiles(page, files);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=file-job][data-state=done]').length === 3, undefined, { timeout: 60_000 });
    await page.click('[data-testid=file-job][data-name="meeting-notes.wav"]');
    await page.waitForSelector('[data-testid=file-word]');
    await page.locator('[data-testid=file-word]').nth(4).click();
    await page.waitForTimeout(400);
    await shot(page, 'files');
    await page.click('[data-testid=tab-settings]');
    await page.waitForTimeout(300);
    await shot(page, 'settings');
    await page.click('[data-testid=tab-words]');
    for (const [word, pron] of [['zorblat', ''], ['hark', ''], ['quux', 'K W UH K S | K UW K S']]) {
      await page.fill('[data-testid=word-input]', word);
      await page.fill('[data-testid=word-pron-input]', pron);
      await page.click('[data-testid=word-add]');
      await page.waitForSelector(`[data-testid=word-item][data-word="${word}"]`);
    }
    await page.waitForTimeout(300);
    await shot(page, 'words');
    await app.close();
  }
  // Retrain and Models: a real job's folder, and two takes recorded through the fake microphone.
  const shotsUser = join(root, 'runs', 'shots-user');
  if (existsSync(join(shotsUser, 'retrain'))) {
    const clip = await makeClip([{ silence: 0.5 }, { say: 'open zorblat' }, { silence: 1.5 }, { say: 'open zorblat', voice: 'flite:slt' }, { silence: 6 }]);
    const app = await openApp(rendererDir, { clip: clip.samples, userDataDir: shotsUser });
    const { page } = app;
    await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
    await page.click('[data-testid=tab-retrain]');
    await page.waitForSelector('[data-testid=retrain-job]', { timeout: 30_000 });
    const item = page.locator('[data-testid=retrain-item][data-item="open zorblat"]');
    if (await item.count() === 0) {
      await page.fill('[data-testid=retrain-item-input]', 'open zorblat');
      await page.press('[data-testid=retrain-item-input]', 'Enter');
    }
    if (await item.locator('[data-testid=recording]').count() < 2) {
      for (let i = 0; i < 2; i++) {
        await item.locator('[data-testid=record-button]').click();
        await page.waitForTimeout(1800);
        await item.locator('[data-testid=record-button]').click();
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid=retrain-item][data-item="open zorblat"] [data-testid=recording]').length === n, i + 1, { timeout: 15_000 });
      }
    }
    await page.waitForTimeout(300);
    await shot(page, 'retrain');
    await page.click('[data-testid=tab-models]');
    await page.waitForSelector('[data-testid=model-version]');
    await page.waitForTimeout(300);
    await shot(page, 'models');
    await app.close();
  } else {
    console.log(`no ${shotsUser}: retrain.png and models.png not taken (see the header for the commands)`);
  }
  console.log(`screenshots written to ${out}`);
} finally {
  rmSync(rendererDir, { recursive: true, force: true });
}
