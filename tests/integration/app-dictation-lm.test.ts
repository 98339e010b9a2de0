/**
 * The dictation language model setting in the app's backend: app:info lists the built-in Brown
 * (the default) and general English LMs and PocketSphinx's US English LM (Debian's
 * pocketsphinx-en-us, which CI installs), settings:set saves the choice, and the Files queue's
 * dictation jobs and live dictation then decode with it: "internet", which the Brown vocabulary
 * lacks, comes out with the general LM and PocketSphinx's, never with Brown's. An older
 * settings.json without the setting loads with Brown and no notice. Clip: espeak-ng en-us (through
 * the synthesizer module).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppBackend } from '../../src-main/backend/app-backend.ts';
import { FilesBackend } from '../helpers/files-backend.ts';
import { SETTINGS_FILE } from '../../src-main/backend/settings-store.ts';
import { POCKETSPHINX_EN_US_LM } from '../../src-main/decode/sphinx-trie-lm-reader.ts';
import type { FileResult } from '../../src-shared/ipc/app-contract.ts';
import { decodeAudioBuffer, encodeWav } from '../../src-main/audio/index.ts';
import { speechClip } from '../helpers/speech-clip.ts';
import { createRng } from '../../src-main/train/data/rng.ts';

let dir: string;
let clip: string;
const harness = new FilesBackend();

beforeAll(async () => {
  expect(existsSync(POCKETSPHINX_EN_US_LM), `${POCKETSPHINX_EN_US_LM} is missing: apt-get install pocketsphinx-en-us`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'hark-lm-'));
  clip = join(dir, 'clip.wav');
  await writeFile(clip, encodeWav(await speechClip([0.3, 'i read the news on the internet every morning', 0.5], createRng(5), 'espeak:en-us'), 16000));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
afterEach(async () => { await harness.dispose(); });

const open = (userDataDir: string) => harness.open(userDataDir);
const transcribe = async (b: AppBackend) => (await harness.transcribe(b, clip)).result;

const words = (r: FileResult) => r.words.map((w) => w.word);

/** The words of a live dictation stream's finals over the clip (raw PCM pushed in 100 ms pieces). */
async function liveWords(b: AppBackend): Promise<string[]> {
  const finals: string[] = [];
  const pcm = (await decodeAudioBuffer(new Uint8Array(await readFile(clip)), 'clip.wav')).samples;
  const { streamId } = await b.handle(1, 'recognition:start', { input: 'pcm', mode: { kind: 'dictation' } });
  for (let i = 0; i < pcm.length; i += 1600) await b.handle(1, 'recognition:push', { streamId, data: pcm.slice(i, i + 1600) });
  await b.handle(1, 'recognition:stop', { streamId });
  for (const m of harness.live) if (m.streamId === streamId && m.event.type === 'final') finals.push(...m.event.words.map((w) => w.word));
  return finals;
}

describe('dictation language model setting', () => {
  it('lists the three LMs, saves the choice, and the Files queue decodes dictation with it', async () => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'hark-lm-data-'));
    try {
      const b = await open(userDataDir);
      const info = await b.handle(1, 'app:info', {});
      expect(info.dictationLms.map((o) => [o.name, o.available])).toEqual([['brown', true], ['general', true], ['pocketsphinx-en-us', true]]);
      expect(info.notices).toEqual([]);
      expect((await b.handle(1, 'settings:get', {})).dictationLm).toBe('brown');
      const brown = words(await transcribe(b));
      expect(brown).not.toContain('internet');
      expect(brown).toContain('morning');

      const saved = await b.handle(1, 'settings:set', { patch: { dictationLm: 'general' } });
      expect(saved.dictationLm).toBe('general');
      expect(JSON.parse(await readFile(join(userDataDir, SETTINGS_FILE), 'utf8')).dictationLm).toBe('general');
      expect(words(await transcribe(b))).toContain('internet');
      // Live dictation started now decodes with it too.
      expect(await liveWords(b)).toContain('internet');

      await b.handle(1, 'settings:set', { patch: { dictationLm: 'pocketsphinx-en-us' } });
      expect(words(await transcribe(b))).toContain('internet');
      expect(await liveWords(b)).toContain('internet');

      await expect(b.handle(1, 'settings:set', { patch: { dictationLm: 'kenlm' } })).rejects.toThrow(/dictationLm/);
      expect((await b.handle(1, 'settings:get', {})).dictationLm).toBe('pocketsphinx-en-us');
      // Back to Brown: the next job uses it again.
      await b.handle(1, 'settings:set', { patch: { dictationLm: 'brown' } });
      expect(words(await transcribe(b))).toEqual(brown);
      expect(await liveWords(b)).not.toContain('internet');
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('loads an older settings.json without the setting with the built-in Brown LM, without a notice', async () => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'hark-lm-old-'));
    try {
      await writeFile(join(userDataDir, SETTINGS_FILE), JSON.stringify({ mode: 'dictation', endpointSilenceSec: 0.8 }));
      const b = await open(userDataDir);
      expect((await b.handle(1, 'settings:get', {})).dictationLm).toBe('brown');
      expect((await b.handle(1, 'app:info', {})).notices).toEqual([]);
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
