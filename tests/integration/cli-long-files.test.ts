// `hark transcribe` on long files: --max-hours (parsing, --help default, the refusal naming it, in
// file mode and with --stream), and a file past the one-pass threshold transcribed in segments
// with its words and SRT cues on the file's timeline (the shipped model).
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/audio/index.ts';
import { DEFAULT_SEGMENTING } from '../../src-main/engine/pause-segmenter.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { speechClip } from '../helpers/speech-clip.ts';
import { makeCliFixture, runHark, type CliFixture } from './cli-fixtures.ts';

let fx: CliFixture;
let tone: string;
beforeAll(async () => {
  fx = await makeCliFixture();
  tone = join(fx.dir, 'tone-8s.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', tone, 'synth', '8', 'sine', '440']);
}, 60_000);
afterAll(async () => { await fx.cleanup(); });

describe('--max-hours', () => {
  it('is listed with its default of 24 hours', async () => {
    const r = await runHark(['transcribe', '--help']);
    expect(r.stdout).toMatch(/--max-hours <n>\s+Longest file accepted, in hours.*\(default: 24\)/);
  });

  it('must be a positive number of hours (exit 2)', async () => {
    for (const [value, message] of [['0', 'got 0'], ['-2', 'got -2'], ['20000', 'got 20000'], ['lots', '--max-hours expects a number, got "lots"']]) {
      const r = await runHark(['transcribe', fx.clipA, '--model', fx.modelDir, `--max-hours=${value}`]);
      expect(r.code, value).toBe(2);
      expect(r.stderr, value).toContain(message);
      if (value !== 'lots') expect(r.stderr).toContain('--max-hours must be a positive number of hours');
    }
  });

  it('refuses a longer file from its header, naming the option, and the run goes on (exit 1); --stream too', async () => {
    const r = await runHark(['transcribe', tone, fx.clipA, '--model', fx.modelDir, '--max-hours', '0.001', '--format', 'json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ file: tone, error: 'audio is 8.0 s long, more than the limit of 3.6 s (--max-hours 0.001)' });
    expect(lines[1].file).toBe(fx.clipA);
    expect(lines[1].error).toBeUndefined();
    const s = await runHark(['transcribe', tone, '--model', fx.modelDir, '--max-hours', '0.001', '--stream']);
    expect(s.code).toBe(1);
    expect(JSON.parse(s.stdout.trim())).toEqual({ file: tone, error: 'audio is 8.0 s long, more than the limit of 3.6 s (--max-hours 0.001)' });
    expect((await runHark(['transcribe', tone, '--model', fx.modelDir, '--max-hours', '0.01'])).code).toBe(0);
  }, 60_000);
});

describe('a file longer than the one-pass threshold', () => {
  it('is transcribed in segments: words and SRT cues on the file timeline', async () => {
    const parts: (string | number)[] = [];
    for (let i = 0; parts.length < 26; i++) parts.push(['open the file and read it', 'the weather is cold today', 'please call me tomorrow morning', 'turn on the lights'][i % 4], 4);
    const pcm = await speechClip(parts, createRng(4));
    const sec = pcm.length / 16000;
    expect(sec).toBeGreaterThan(DEFAULT_SEGMENTING.onePassMaxSec + 5);
    const file = join(fx.dir, 'long.wav');
    await writeFile(file, encodeWav(pcm, 16000));
    const json = await runHark(['transcribe', file, '--format', 'json', '--jobs', '1']);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { durationSec: number; words: { word: string; start: number; end: number }[]; text: string };
    expect(out.durationSec).toBeCloseTo(sec, 3);
    expect(out.words.length).toBeGreaterThan(30);
    // The last sentence is heard (70.6 s of 76.7 s). With a dictation beam of 12, 2026-12-06b lost it
    // at the end of its 19.6-s segment (every kept hypothesis a variant of the words before it).
    expect(out.words.at(-1)!.start).toBeGreaterThan(sec - 10);
    expect(out.words.at(-1)!.end).toBeLessThanOrEqual(out.durationSec);
    const srt = await runHark(['transcribe', file, '--format', 'srt', '--jobs', '1']);
    expect(srt.code).toBe(0);
    const starts = [...srt.stdout.matchAll(/^(\d\d):(\d\d):(\d\d),(\d\d\d) --> /gm)].map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000);
    expect(starts.length).toBeGreaterThan(3);
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
    expect(starts.at(-1)!).toBeGreaterThan(DEFAULT_SEGMENTING.onePassMaxSec);
  }, 60_000);
});
