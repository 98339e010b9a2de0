/**
 * The Retrain and Models screens end to end in Debian's Chromium, with the real backend behind
 * the web bridge: Chromium's fake microphone plays a synthesized word; the user adds an item,
 * records it twice through the app's capture path (once stopped by hand, once by the 5 s limit),
 * plays one recording and deletes the other, and the files on disk follow. An unfinished job left
 * by a dead process shows Resume / Discard, and Discard removes it (listing jobs runs the
 * retraining worker; no training runs here). The Models screen lists the shipped model in use,
 * and Commands offers no sounds for a model that has none. A finished job (its folder and the
 * version it installed written beforehand) shows its before/after figures and decision, and
 * "Use this version" switches the app to it; Use on the shipped model switches back. One recording
 * is counted as one, and a word added on the Words screen is offered on Retrain at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../src-main/audio/wav-reader.ts';
import { UserRecordings } from '../../src-main/lexicon/user-recordings.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import { writeModelVersionCopy } from '../helpers/model-version-copy.ts';
import { makeClip, openApp, ROOT } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

describe('retrain and models screens', () => {
  it('records, plays and deletes recordings of an item, lists jobs and the model in use', async () => {
    const clip = await makeClip([{ silence: 0.4 }, { say: 'zorblat' }, { silence: 0.6 }, { say: 'zorblat' }, { silence: 8 }]);
    const app = await openApp(rendererDir(), { clip: clip.samples });
    const { page } = app;
    page.on('dialog', (d) => void d.accept());
    const index = () => {
      const p = join(app.userDataDir, 'recordings', 'index.json');
      return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { recordings: { id: string; item: string; file: string; durationSec: number }[] }).recordings : [];
    };
    try {
      // A job a dead process left in the middle of training (no lock): it lists as interrupted.
      const jobDir = join(app.userDataDir, 'retrain', '20000101000000-abc123');
      await mkdir(jobDir, { recursive: true });
      const status = {
        jobId: '20000101000000-abc123', createdAt: '2000-01-01T00:00:00Z', updatedAt: '2000-01-01T00:00:00Z', items: ['quux'], sounds: [],
        baseModel: 'hark-en 1.0.0', baseModelDir: '/nowhere', phase: 'training', fraction: 0.5, etaSec: 60, message: 'training', recordingsTrain: 0, recordingsHeldOut: 0,
      };
      await writeFile(join(jobDir, 'job.json'), JSON.stringify({ version: 1, request: { baseModelDir: '/nowhere', items: ['quux'], sounds: [], userWords: [], recordings: [] }, status }));

      await page.waitForSelector('[data-testid=mic-state][data-state=ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-retrain]');
      expect(await page.textContent('[data-testid=recording-hint]')).toMatch(/5 recordings per item help Hark learn your voice/);
      await page.fill('[data-testid=retrain-item-input]', 'Zorblat');
      await page.press('[data-testid=retrain-item-input]', 'Enter');
      const item = page.locator('[data-testid=retrain-item][data-item=zorblat]');
      await item.waitFor();
      expect(await page.isDisabled('[data-testid=retrain-start]')).toBe(false);
      await page.fill('[data-testid=retrain-item-input]', 'what?');
      await page.click('[data-testid=retrain-item-add]');
      expect(await page.textContent('[data-testid=retrain-item-error]')).toMatch(/not a word or phrase to teach/);

      // First recording: Record, the level meter moves, Stop.
      await item.locator('[data-testid=record-button]').click();
      await item.locator('[data-testid=recording-level]').waitFor();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=recording-level]')?.getAttribute('aria-valuenow')) > -40, null, { timeout: 10_000 });
      await page.waitForTimeout(1500);
      await item.locator('[data-testid=record-button]').click();
      await item.locator('[data-testid=recording]').first().waitFor();
      // Second recording: left to the 5 s limit.
      await item.locator('[data-testid=record-button]').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=retrain-item][data-item=zorblat] [data-testid=recording]').length === 2, null, { timeout: 15_000 });
      expect(await item.locator('[data-testid=recording-count]').textContent()).toBe('2 of 5 recordings');
      const recs = index();
      expect(recs.map((r) => r.item)).toEqual(['zorblat', 'zorblat']);
      expect(recs[1].durationSec).toBeCloseTo(5, 1);
      const first = parseWav(new Uint8Array(readFileSync(join(app.userDataDir, 'recordings', recs[0].file))), 'first.wav');
      expect(first.sampleRate).toBe(16000);
      const peak = first.channels[0].reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(peak).toBeGreaterThan(0.05);

      // Play the first, delete the second.
      await item.locator('[data-testid=recording-play]').first().click();
      await page.waitForFunction(() => ['playing', 'ended'].includes(document.querySelector<HTMLElement>('[data-testid=recording-audio]')?.dataset.state ?? ''), null, { timeout: 10_000 });
      expect(await page.getAttribute('[data-testid=recording-audio]', 'data-recording-id')).toBe(recs[0].id);
      await item.locator('[data-testid=recording-delete]').nth(1).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=recording]').length === 1);
      expect(index().map((r) => r.id)).toEqual([recs[0].id]);
      expect(existsSync(join(app.userDataDir, 'recordings', recs[1].file))).toBe(false);

      // The interrupted job: Resume and Discard; Discard removes its folder.
      const job = page.locator('[data-testid=retrain-job][data-job="20000101000000-abc123"]');
      await job.waitFor({ timeout: 30_000 });
      expect(await job.getAttribute('data-phase')).toBe('interrupted');
      expect(await job.locator('[data-testid=retrain-resume]').count()).toBe(1);
      await job.locator('[data-testid=retrain-discard]').click();
      await job.waitFor({ state: 'detached', timeout: 30_000 });
      expect(existsSync(jobDir)).toBe(false);

      // Models: the shipped model, in use.
      await page.click('[data-testid=tab-models]');
      const inUse = page.locator('[data-testid=model-version][data-in-use=true]');
      await inUse.waitFor();
      expect(await inUse.locator('h3').textContent()).toMatch(/^hark-en /);
      expect(await inUse.locator('[data-testid=model-in-use]').textContent()).toBe('In use');
      expect(await inUse.locator('[data-testid=model-use]').count()).toBe(0);
      expect(await inUse.locator('[data-testid=model-remove]').count()).toBe(0);
      // Commands: the shipped model has no sound units to offer.
      await page.click('[data-testid=tab-commands]');
      expect(await page.isDisabled('[data-testid=command-add-sound]')).toBe(true);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('shows a finished job with its figures and switches to its version only when asked', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true });
    const { page } = app;
    try {
      const versionDir = join(app.userDataDir, 'models', 'hark-en-9.0.0-r1');
      await writeModelVersionCopy(await loadModelPackage(join(ROOT, 'models', 'hark-en')), '9.0.0+r1', versionDir);
      const jobId = '20261122070000-f00d01';
      const fig = (a: number, c: number, t: number) => ({ accuracy: a, correct: c, total: t });
      const status = {
        jobId, createdAt: '2026-11-22T07:00:00Z', updatedAt: '2026-11-22T07:05:00Z', items: ['zorblat'], sounds: [], baseModel: 'hark-en 1.0.0',
        baseModelDir: join(ROOT, 'models', 'hark-en'), phase: 'done', fraction: 1, etaSec: null, message: 'installed', recordingsTrain: 4, recordingsHeldOut: 1,
        before: { newItems: fig(0.5, 4, 8), original: fig(0.95, 19, 20), recordings: fig(0, 0, 1), digits: { wer: 4 / 96, errors: 4, words: 96 } },
        after: { newItems: fig(0.875, 7, 8), original: fig(0.95, 19, 20), recordings: fig(1, 1, 1), digits: { wer: 5 / 96, errors: 5, words: 96 } },
        decision: { installed: true, reason: 'new items 50.0% -> 87.5%', modelDir: versionDir, name: 'hark-en', version: '9.0.0+r1' },
      };
      await mkdir(join(app.userDataDir, 'retrain', jobId), { recursive: true });
      await writeFile(join(app.userDataDir, 'retrain', jobId, 'job.json'), JSON.stringify({ version: 1, request: { items: ['zorblat'] }, status }));

      await page.waitForSelector('[data-testid=mic-state]', { timeout: 60_000 });
      await page.click('[data-testid=tab-retrain]');
      const job = page.locator(`[data-testid=retrain-job][data-job="${jobId}"]`);
      await job.waitFor({ timeout: 30_000 });
      expect(await job.getAttribute('data-phase')).toBe('done');
      expect(await job.locator('[data-testid=retrain-decision]').textContent()).toBe('Installed as version 9.0.0+r1 of hark-en: new items 50.0% -> 87.5%.');
      expect(await job.locator('[data-testid=retrain-figures] tbody tr').allTextContents()).toEqual([
        'New items50.0% (4/8)87.5% (7/8)', 'Original commands95.0% (19/20)95.0% (19/20)', 'Your recordings0.0% (0/1)100.0% (1/1)',
        'Digit strings4.2% word errors (4/96)5.2% word errors (5/96)',
      ]);
      expect(await page.textContent('[data-testid=retrain-ready]')).toMatch(/A new version is ready: hark-en 9\.0\.0\+r1 knows zorblat/);
      // Nothing switched by itself.
      expect(await job.locator('[data-testid=retrain-use]').count()).toBe(1);
      await page.click('[data-testid=retrain-ready-use]');
      await page.waitForSelector('[data-testid=retrain-ready]', { state: 'hidden' });
      await page.waitForSelector('[data-testid=toast][data-kind=success]');
      expect(await job.locator('[data-testid=retrain-use]').count()).toBe(0);

      await page.click('[data-testid=tab-models]');
      const inUse = page.locator('[data-testid=model-version][data-in-use=true]');
      await page.waitForFunction(() => /9\.0\.0\+r1/.test(document.querySelector('[data-testid=model-version][data-in-use=true] h3')?.textContent ?? ''));
      expect(await inUse.locator('[data-testid=model-remove]').count()).toBe(0);
      const shipped = page.locator('[data-testid=model-version][data-in-use=false]');
      expect(await shipped.locator('h3').textContent()).toMatch(/^hark-en /);
      await shipped.locator('[data-testid=model-use]').click();
      await page.waitForFunction(() => !/9\.0\.0\+r1/.test(document.querySelector('[data-testid=model-version][data-in-use=true] h3')?.textContent ?? '9.0.0+r1'));
      const settings = JSON.parse(readFileSync(join(app.userDataDir, 'settings.json'), 'utf8')) as { modelDir: string };
      expect(settings.modelDir).toBe('');
      // The user's version can now be removed.
      page.on('dialog', (d) => void d.accept());
      await page.locator(`[data-testid=model-version][data-dir="${versionDir}"] [data-testid=model-remove]`).click();
      await page.waitForSelector(`[data-testid=model-version][data-dir="${versionDir}"]`, { state: 'detached' });
      expect(existsSync(versionDir)).toBe(false);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('counts one recording as one, and offers a word added on Words at once', async () => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'hark-e2e-retrain-'));
    const pcm = Float32Array.from({ length: 16000 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 220 * i) / 16000));
    await UserRecordings.inUserData(userDataDir).add('zorblat', pcm);
    const app = await openApp(rendererDir(), { userDataDir, noMicrophone: true });
    const { page } = app;
    try {
      await page.waitForSelector('[data-testid=mic-state]', { timeout: 60_000 });
      await page.click('[data-testid=tab-retrain]');
      await page.locator('[data-testid=retrain-item][data-item=zorblat] [data-testid=recording]').waitFor({ timeout: 30_000 });
      expect(await page.textContent('[data-testid=retrain-start-hint]')).toBe('Teaches zorblat to the model in use, with your 1 recording of it. The current model stays in use until you choose the new version.');
      const picked = () => page.$$eval('[data-testid=retrain-word-pick] option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(await picked()).toEqual([]);
      await page.click('[data-testid=tab-words]');
      await page.fill('[data-testid=word-input]', 'Quux');
      await page.click('[data-testid=word-add]');
      await page.locator('[data-testid=word-item][data-word=quux]').waitFor();
      await page.click('[data-testid=tab-retrain]');
      expect(await picked()).toEqual(['quux']);
    } finally {
      await app.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('confirms on the card where Export folder… put the model', async () => {
    const app = await openApp(rendererDir(), { noMicrophone: true });
    const { page } = app;
    const out = join(app.userDataDir, 'exported-model');
    page.on('dialog', (d) => void d.accept(out));
    try {
      await page.waitForSelector('[data-testid=mic-state]', { timeout: 60_000 });
      await page.click('[data-testid=tab-models]');
      const inUse = page.locator('[data-testid=model-version][data-in-use=true]');
      await inUse.waitFor({ timeout: 30_000 });
      await inUse.locator('[data-testid=model-export]').click();
      const status = inUse.locator('[data-testid=model-export-status]');
      await status.waitFor({ timeout: 30_000 });
      expect(await status.textContent()).toBe(`Exported to ${out}.`);
      expect(existsSync(join(out, 'model.json'))).toBe(true);
      // The confirmation stays after the toast has gone.
      await page.waitForTimeout(4500);
      expect(await page.locator('[data-testid=toast][data-kind=success]').count()).toBe(0);
      expect(await status.textContent()).toBe(`Exported to ${out}.`);
    } finally {
      await app.close();
    }
  }, 120_000);
});
