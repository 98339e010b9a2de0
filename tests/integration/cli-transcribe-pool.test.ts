// `hark transcribe` and `hark eval` with --jobs: worker threads of the shipped model on real clips
// (the samples, a long clip made of them, a truncated and a corrupt file). --jobs 2 must print
// exactly what --jobs 1 (the in-process path) prints, in input order, with the same per-file errors
// and exit codes; a worker that crashes (the source worker entry's test hook,
// src-main/engine/offline-recognizer-worker-entry.mjs) fails only its file and is replaced.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeWav } from '../../src-main/audio/index.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import { runHark } from './cli-fixtures.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODEL = join(ROOT, 'models', 'hark-en');
const LM = join(ROOT, 'models', 'lm', 'brown-3gram.arpa.gz');
const DIGITS = join(ROOT, 'assets', 'samples', 'digits.wav');
const BROWSER = join(ROOT, 'assets', 'samples', 'open-the-browser.wav');

let dir: string;
let long: string, truncated: string, corrupt: string, wordsList: string, keywordsList: string, vocab: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-pool-'));
  const [a, b] = [(await decodeAudioFile(BROWSER)).samples, (await decodeAudioFile(DIGITS)).samples];
  const pcm = new Float32Array(2 * a.length + b.length);
  pcm.set(a, 0);
  pcm.set(b, a.length);
  pcm.set(a, a.length + b.length);
  long = join(dir, 'long.wav');
  await writeFile(long, encodeWav(pcm, SAMPLE_RATE));
  expect(pcm.length / SAMPLE_RATE).toBeGreaterThan(8);
  const whole = await readFile(BROWSER);
  truncated = join(dir, 'truncated.wav');
  await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
  corrupt = join(dir, 'corrupt.wav');
  await writeFile(corrupt, 'this is not audio at all\n');
  wordsList = join(dir, 'words.txt');
  await writeFile(wordsList, 'zero\noh\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nopen the browser\nclose\n');
  keywordsList = join(dir, 'keywords.txt');
  await writeFile(keywordsList, 'browser\nopen\n');
  // A made-up word pronounced as "browser": dictation writes it only if the user's words reach the recognizer.
  vocab = join(dir, 'vocab.json');
  await writeFile(vocab, JSON.stringify({ version: 1, words: [{ word: 'zorblax', pronunciations: [['B', 'R', 'AW', 'Z', 'ER']], source: 'user', addedAt: '2025-01-01T00:00:00.000Z' }] }));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const jsonLines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
/** JSON lines less processingSec, the one field that differs between runs. */
const withoutTiming = (s: string) => jsonLines(s).map(({ processingSec: _, ...rest }) => rest);

describe('hark transcribe --jobs', () => {
  it('json, --words: --jobs 2 prints each file in input order (the long first one finishes last), the corrupt file its error object, exactly as --jobs 1', async () => {
    // The long clip first: a pool printing in completion order would print it after the short ones.
    const files = [long, DIGITS, corrupt, truncated, BROWSER, DIGITS];
    const args = ['transcribe', ...files, '--model', MODEL, '--words', wordsList, '--format', 'json'];
    const [one, two] = [await runHark([...args, '--jobs', '1']), await runHark([...args, '--jobs', '2'])];
    // Exit 1: a corrupt and a truncated file (as documented); the others are still printed.
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const lines = jsonLines(two.stdout);
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines[2]).toEqual({ file: corrupt, error: 'not an audio file: it looks like text' });
    expect(lines[0].text).toMatch(/open the browser .*open the browser/);
    expect(withoutTiming(two.stdout)).toEqual(withoutTiming(one.stdout));
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toContain(`${truncated}: warning: truncated WAV`);
  });

  it('dictation with --lm, --vocab and --keywords: text and srt output (stdout and stderr) equal --jobs 1 byte for byte', async () => {
    const files = [long, BROWSER, DIGITS];
    for (const format of ['text', 'srt']) {
      const args = ['transcribe', ...files, '--model', MODEL, '--lm', LM, '--vocab', vocab, '--keywords', keywordsList, '--format', format];
      const [one, two] = [await runHark([...args, '--jobs', '1']), await runHark([...args, '--jobs', '2'])];
      expect(one.code).toBe(0);
      expect(two).toEqual(one);
      if (format === 'text') {
        // The options reached the workers: the user's word and the keywords are there.
        expect(two.stdout).toContain(`${BROWSER}: `);
        expect(two.stdout).toMatch(/zorblax/);
        expect(two.stdout).toContain(`${BROWSER}: [keyword "browser"`);
      }
    }
  });

  for (const how of ['exit', 'throw'] as const) {
    it(`a worker that crashes (${how === 'exit' ? 'process.exit' : 'an uncaught exception'}) fails only its file, is replaced, and the rest finish`, async () => {
      // The crashing file twice: its replacement crashes too and is replaced again.
      const files = [DIGITS, BROWSER, long, BROWSER, DIGITS];
      const args = ['transcribe', ...files, '--model', MODEL, '--words', wordsList, '--format', 'json'];
      const [one, two] = [
        await runHark([...args, '--jobs', '1']),
        await runHark([...args, '--jobs', '2'], { env: { HARK_TEST_WORKER_CRASH: `${how}:open-the-browser.wav` } }),
      ];
      expect(one.code).toBe(0);
      expect(two.code).toBe(1);
      const got = jsonLines(two.stdout);
      const want = withoutTiming(one.stdout);
      expect(got.map((l) => l.file)).toEqual(files);
      const cause = how === 'exit' ? 'exit code 70' : `Error: test crash on ${BROWSER}`;
      for (const i of [1, 3]) expect(got[i]).toEqual({ file: BROWSER, error: `the recognition worker crashed on this file (${cause}); a new worker took its place` });
      for (const i of [0, 2, 4]) expect(withoutTiming(`${JSON.stringify(got[i])}\n`)[0]).toEqual(want[i]);
    });
  }

  it('--jobs must be a whole number from 1 to 64; --help says --stream ignores it', async () => {
    const bad = await runHark(['transcribe', DIGITS, BROWSER, '--jobs', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs must be a whole number from 1 to 64, got 0');
    const help = await runHark(['transcribe', '--help']);
    expect(help.stdout).toMatch(/--jobs <n>\s+Files recognized at once.*--stream ignores it/);
  });
});

describe('hark eval --jobs', () => {
  it('scores every clip as --jobs 1 does, a missing clip reported as failed', async () => {
    const refs = join(dir, 'refs.tsv');
    await writeFile(refs, `long.wav\topen the browser four five two nine open the browser\ntruncated.wav\topen the browser\nmissing.wav\tzero\ncorrupt.wav\tzero\n`);
    const args = ['eval', dir, '--refs', refs, '--model', MODEL, '--words', wordsList, '--json'];
    const [one, two] = [await runHark([...args, '--jobs', '1']), await runHark([...args, '--jobs', '2'])];
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const strip = (s: string) => {
      const { realTimeFactor: _, ...rest } = JSON.parse(s) as Record<string, unknown>;
      return rest;
    };
    const got = strip(two.stdout);
    expect(got).toEqual(strip(one.stdout));
    expect(got).toMatchObject({ clips: 4, scored: 2, failed: 2 });
    expect((got.errors as { file: string }[]).map((e) => e.file)).toEqual(['missing.wav', 'corrupt.wav']);
  });
});
