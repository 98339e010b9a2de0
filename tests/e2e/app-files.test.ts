/**
 * The Files screen end to end in Debian's Chromium: files dropped on the drop zone (a real drop
 * event with a DataTransfer of File objects) are queued, transcribed by the real backend with a
 * progress bar, shown with clickable word timestamps that play the audio from that word (a
 * truncated WAV is done with a warning, as the CLI reports it), and exported as SRT through the download the web bridge uses in place of a save dialog.
 * A file that is not audio is named once in its row and its toast.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/audio/index.ts';
import { dropFiles, makeClip, openApp, wordsOf } from '../../testkit/app-harness.ts';
import { rendererForSuite } from './renderer-for-suite.ts';

const rendererDir = rendererForSuite();

describe('files screen', () => {
  it('transcribes dropped files, plays from a clicked word, reports a corrupt file, warns of a truncated one, and exports SRT', async () => {
    const clip = await makeClip([{ silence: 0.8 }, { say: 'please open the file' }, { silence: 1.2 }, { say: 'call my mother at seven' }, { silence: 0.8 }]);
    const files = [
      { name: 'meeting.wav', bytes: encodeWav(clip.samples, 16000) },
      { name: 'digits.wav', bytes: readFileSync('assets/samples/digits.wav') },
      { name: 'notes.wav', bytes: new TextEncoder().encode('this is not audio at all') },
      { name: 'cut.wav', bytes: readFileSync('assets/samples/digits.wav').subarray(0, 40_000) },
    ];
    const app = await openApp(rendererDir(), { settings: { keywords: [] } });
    try {
      const { page } = app;
      await page.click('[data-testid=tab-files]');
      await dropFiles(page, files);
      await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=file-job]')).filter((e) => ['done', 'error'].includes(e.getAttribute('data-state') ?? '')).length === 4, undefined, { timeout: 90_000 });
      const jobs = await page.$$eval('[data-testid=file-job]', (els) => els.map((e) => ({ name: e.getAttribute('data-name'), state: e.getAttribute('data-state'), text: e.textContent ?? '' })));
      expect(jobs.map((j) => [j.name, j.state])).toEqual([['meeting.wav', 'done'], ['digits.wav', 'done'], ['notes.wav', 'error'], ['cut.wav', 'done']]);
      expect(jobs[2].text).toMatch(/not an audio file/);
      // The truncated file: done, with the decoder's warning on its row and above its transcript.
      const cut = page.locator('[data-testid=file-job][data-name="cut.wav"]');
      expect(await cut.getAttribute('data-warning')).toMatch(/^truncated WAV: decoded the \d+ frames present$/);
      expect(await cut.locator('.badge').textContent()).toBe('Done with a warning');
      expect(await cut.textContent()).toMatch(/truncated WAV: decoded the \d+ frames present/);
      expect(await page.getAttribute('[data-testid=file-job][data-name="digits.wav"]', 'data-warning')).toBeNull();
      await cut.click();
      expect(await page.textContent('[data-testid=file-warning]')).toMatch(/^Warning: truncated WAV: decoded the \d+ frames present\./);

      await page.click('[data-testid=file-job][data-name="meeting.wav"]');
      await page.waitForSelector('[data-testid=file-word]');
      const words = await page.$$eval('[data-testid=file-word]', (els) => els.map((e) => ({ word: (e.textContent ?? '').trim(), start: Number(e.getAttribute('data-start')) })));
      const said = wordsOf(clip.spans.map((s) => s.text).join(' '));
      expect(said.filter((w) => words.some((x) => x.word.toLowerCase() === w)).length / said.length).toBeGreaterThanOrEqual(0.7);
      // Click the first word of the second utterance: playback starts there.
      const index = words.findIndex((w) => w.start > clip.spans[1].start - 0.3);
      const second = words[index];
      expect(second.start).toBeLessThan(clip.spans[1].end);
      await page.locator('[data-testid=file-word]').nth(index).click();
      await page.waitForFunction(() => { const a = document.querySelector('[data-testid=file-audio]') as HTMLAudioElement | null; return !!a && !a.paused; }, undefined, { timeout: 10_000 });
      const at = await page.$eval('[data-testid=file-audio]', (a) => (a as HTMLAudioElement).currentTime);
      expect(at).toBeGreaterThanOrEqual(second.start - 0.05);
      expect(at).toBeLessThan(second.start + 1.5);

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-srt]')]);
      expect(download.suggestedFilename()).toBe('meeting.srt');
      const srt = readFileSync(await download.path(), 'utf8');
      const cues = srt.trim().split(/\n\n+/);
      expect(cues.length).toBeGreaterThanOrEqual(2);
      for (const [i, cue] of cues.entries()) expect(cue).toMatch(new RegExp(`^${i + 1}\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\n\\S`));
      expect(wordsOf(cues.map((c) => c.split('\n').slice(2).join(' ')).join(' '))).toEqual(words.map((w) => w.word.toLowerCase()));
    } finally {
      await app.close();
    }
  });

  it('names a file that is not audio once, in its row and in its toast', async () => {
    const app = await openApp(rendererDir(), { settings: { keywords: [] } });
    try {
      const { page } = app;
      await page.click('[data-testid=tab-files]');
      await dropFiles(page, [{ name: 'text.wav', bytes: new TextEncoder().encode('this is not audio at all') }]);
      const row = page.locator('[data-testid=file-job][data-name="text.wav"][data-state=error]');
      await row.waitFor({ timeout: 60_000 });
      expect(await row.locator('.file-detail').textContent()).toMatch(/^not an audio file: /);
      expect(((await row.textContent()) ?? '').split('text.wav')).toHaveLength(2);
      const toast = page.locator('[data-testid=toast][data-kind=error]');
      await toast.waitFor();
      const text = (await toast.textContent()) ?? '';
      expect(text).toMatch(/^text\.wav: not an audio file: /);
      expect(text.split('text.wav')).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
