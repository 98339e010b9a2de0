/**
 * `hark transcribe --stream`, `--realtime` and `--keywords` on the sample clips with the shipped
 * model, through the real CLI process (DESIGN.md's CLI contract).
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHark } from './cli-fixtures.ts';

const DIGITS_WAV = 'assets/samples/digits.wav';
const BROWSER_WAV = 'assets/samples/open-the-browser.wav';
const lines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

async function keywordFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hark-kw-'));
  const path = join(dir, 'keywords.txt');
  await writeFile(path, text);
  return path;
}

describe('hark transcribe --stream / --keywords', () => {
  it('--stream prints partials, a final and an endpoint as JSON lines; the final matches file mode', async () => {
    const offline = await runHark(['transcribe', DIGITS_WAV, '--words', 'assets/samples/digits.txt']);
    const r = await runHark(['transcribe', DIGITS_WAV, '--words', 'assets/samples/digits.txt', '--stream']);
    expect(r.code).toBe(0);
    const evs = lines(r.stdout);
    for (const e of evs) {
      expect(e.file).toBe(DIGITS_WAV);
      expect(typeof e.text).toBe('string');
      expect(typeof e.audioSec).toBe('number');
    }
    for (let i = 1; i < evs.length; i++) expect(evs[i].audioSec as number).toBeGreaterThanOrEqual(evs[i - 1].audioSec as number);
    expect(evs.some((e) => e.type === 'partial' && typeof e.stable === 'string')).toBe(true);
    const finals = evs.filter((e) => e.type === 'final');
    expect(finals).toHaveLength(1);
    expect(finals[0].text).toBe(offline.stdout.trim());
    expect((finals[0].words as unknown[]).length).toBe(5);
    const last = evs[evs.length - 1];
    expect(last.type).toBe('endpoint');
    expect(last.rule).toBe('end-of-stream');
    expect(last.audioSec).toBeCloseTo(1.94, 2);
  });

  it('--keywords reports hits in file mode (json and text) and as keyword events when streaming', async () => {
    const kw = await keywordFile('# keywords\nbrowser\nnine /0.8/\nzebra crossing\n');
    const json = await runHark(['transcribe', BROWSER_WAV, DIGITS_WAV, '--keywords', kw, '--format', 'json']);
    expect(json.code).toBe(0);
    const [browser, digits] = lines(json.stdout);
    expect((browser.keywords as { keyword: string }[]).map((k) => k.keyword)).toEqual(['browser']);
    const nine = (digits.keywords as { keyword: string; start: number; end: number; score: number }[]);
    expect(nine.map((k) => k.keyword)).toEqual(['nine']);
    expect(nine[0].start).toBeGreaterThan(1.2);
    expect(nine[0].end).toBeLessThan(1.94);
    expect(nine[0].score).toBeGreaterThan(0.5);
    const text = await runHark(['transcribe', DIGITS_WAV, '--words', 'assets/samples/digits.txt', '--keywords', kw]);
    expect(text.stdout).toMatch(/^four one five two nine\n\[keyword "nine" 1\.\d\d-1\.\d\d s, score \d\.\d\d\]\n$/);
    const streamed = await runHark(['transcribe', DIGITS_WAV, '--words', 'assets/samples/digits.txt', '--keywords', kw, '--stream']);
    const hits = lines(streamed.stdout).filter((e) => e.type === 'keyword');
    expect(hits.map((h) => [h.keyword, h.text])).toEqual([['nine', 'nine']]);
    expect(hits[0].audioSec as number).toBeGreaterThanOrEqual(hits[0].end as number);
  });

  it('--realtime paces the feed at the speed of the audio', async () => {
    const t0 = performance.now();
    const r = await runHark(['transcribe', DIGITS_WAV, '--words', 'assets/samples/digits.txt', '--stream', '--realtime']);
    expect(r.code).toBe(0);
    // 1.94 s of audio cannot be fed faster than 1.94 s (plus start-up) when paced.
    expect(performance.now() - t0).toBeGreaterThan(1900);
    expect(lines(r.stdout).some((e) => e.type === 'final' && e.text === 'four one five two nine')).toBe(true);
  });

  it('a failing file prints {file, error} and exit 1 while the others stream; usage errors exit 2', async () => {
    const bad = await keywordFile('not audio at all');
    const r = await runHark(['transcribe', bad, DIGITS_WAV, '--words', 'assets/samples/digits.txt', '--stream']);
    expect(r.code).toBe(1);
    const evs = lines(r.stdout);
    expect(evs[0]).toEqual({ file: bad, error: expect.stringMatching(/./) as unknown });
    expect(evs.some((e) => e.file === DIGITS_WAV && e.type === 'final')).toBe(true);
    for (const args of [['--realtime'], ['--stream', '--format', 'srt'], ['--stream', '--chunk-ms', '0'], ['--stream', '--lookahead-frames', '-1'], ['--chunk-frames', '4']]) {
      const u = await runHark(['transcribe', DIGITS_WAV, ...args]);
      expect(u.code, args.join(' ')).toBe(2);
      expect(u.stderr).toMatch(/^hark transcribe: /);
    }
    const badKw = await keywordFile('hello /3/\n');
    const k = await runHark(['transcribe', DIGITS_WAV, '--keywords', badKw]);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/line 1/);
  });
});
