// Lock expiry takeover: a worker is killed (SIGKILL) while it recognizes a file; after its job
// lock expires (a short --lock-seconds here) a second worker finds the job stalled, takes it over
// and writes exactly what `hark transcribe` prints for the file. The killed worker wrote nothing
// (outputs are written atomically, once recognition is done).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeWav } from '../../src-main/audio/index.ts';
import { SAMPLE_RATE } from '../../src-shared/features/config.ts';
import { ROOT, spawnHark, startRedisServer, type RedisServer } from '../../testkit/queue-harness.ts';
import { runHark } from './cli-fixtures.ts';

const MODEL = join(ROOT, 'models', 'hark-en');

let dir: string, long: string;
let redis: RedisServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-queue-takeover-'));
  // About 50 s of speech: long enough that the first worker is surely still recognizing when killed
  // (it is killed as soon as it logs job-recognizing, which it does when its recognizer is ready).
  const parts = await Promise.all(['open-the-browser.wav', 'digits.wav'].map(async (f) => (await decodeAudioFile(join(ROOT, 'assets', 'samples', f))).samples));
  const pause = new Float32Array(SAMPLE_RATE / 2);
  const seq = Array.from({ length: 10 }, () => [parts[0], pause, parts[1], pause]).flat();
  const pcm = new Float32Array(seq.reduce((n, p) => n + p.length, 0));
  seq.reduce((at, p) => { pcm.set(p, at); return at + p.length; }, 0);
  long = join(dir, 'long.wav');
  await writeFile(long, encodeWav(pcm, SAMPLE_RATE));
  await mkdir(join(dir, 'redis'));
  redis = await startRedisServer(join(dir, 'redis'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('hark queue worker', () => {
  it('a job whose worker is killed mid-file is taken over after its lock expires and gives the same output', async () => {
    const conn = ['--redis', redis.url, '--queue', 'takeover'];
    const out = join(dir, 'out');
    const sub = await runHark(['queue', 'submit', long, '--format', 'srt', '--out', out, ...conn]);
    expect(sub.code, sub.stderr).toBe(0);

    const first = spawnHark(['queue', 'worker', '--jobs', '1', '--lock-seconds', '2', ...conn]);
    const recognizing = await first.waitFor((l) => l.event === 'job-recognizing');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(-1);
    expect(first.lines.some((l) => l.event === 'job-done')).toBe(false);
    expect(existsSync(join(out, 'long.wav.srt'))).toBe(false);

    const second = spawnHark(['queue', 'worker', '--jobs', '1', '--lock-seconds', '2', '--until-empty', ...conn]);
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.lines.filter((l) => l.event === 'job-stalled').map((l) => l.job)).toContain(recognizing.job);
    expect(second.lines.filter((l) => l.event === 'job-done')).toEqual([expect.objectContaining({ job: recognizing.job, cached: false })]);

    const ref = await runHark(['transcribe', long, '--model', MODEL, '--format', 'srt']);
    expect(ref.code, ref.stderr).toBe(0);
    expect(ref.stdout).toMatch(/-->/);
    expect(await readFile(join(out, 'long.wav.srt'), 'utf8')).toBe(ref.stdout);
    const status = await runHark(['queue', 'status', '--json', ...conn]);
    expect(JSON.parse(status.stdout).counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1, failed: 0 });
  });
});
