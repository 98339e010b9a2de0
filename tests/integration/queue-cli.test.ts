// `hark queue` end to end on a real redis-server (testkit/queue-harness.ts) and the shipped model:
// submit a folder (two sample clips, a copy of one under another name, a corrupt file), run a
// worker until the queue is empty, read status; then restart Redis, retry, clean and resubmit.
// Outputs must be what `hark transcribe` prints for each file; the copy must not be recognized
// again (same content, options and model); the corrupt file must fail once, with its error, and
// not hold up the others. A job naming a model version the worker does not have is refused.
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnHark, startRedisServer, type RedisServer } from '../../testkit/queue-harness.ts';
import { runHark } from './cli-fixtures.ts';

const MODEL = join(ROOT, 'models', 'hark-en');
const DIGITS = join(ROOT, 'assets', 'samples', 'digits.wav');
const BROWSER = join(ROOT, 'assets', 'samples', 'open-the-browser.wav');

let dir: string, inputs: string, out: string;
let redis: RedisServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hark-queue-'));
  inputs = join(dir, 'in');
  out = join(dir, 'out');
  await mkdir(join(inputs, 'sub'), { recursive: true });
  await copyFile(DIGITS, join(inputs, 'digits.wav'));
  await copyFile(BROWSER, join(inputs, 'open-the-browser.wav'));
  await copyFile(DIGITS, join(inputs, 'sub', 'same-as-digits.wav'));
  await writeFile(join(inputs, 'corrupt.wav'), 'this is not audio at all\n');
  await mkdir(join(dir, 'redis'));
  redis = await startRedisServer(join(dir, 'redis'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const json = (s: string) => JSON.parse(s) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const withoutTiming = (r: Record<string, unknown>) => { const { processingSec: _, ...rest } = r; return rest; };

/** `hark queue <args> --redis <url> --queue <name>`. */
const queue = (name: string, ...args: string[]) => runHark(['queue', ...args, '--redis', redis.url, '--queue', name]);

/** Runs a worker until the queue is empty; its JSON log lines. */
async function drain(name: string, ...args: string[]): Promise<Record<string, any>[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const w = spawnHark(['queue', 'worker', '--redis', redis.url, '--queue', name, '--until-empty', ...args]);
  const code = await w.exited;
  expect(code, w.stderr()).toBe(0);
  for (const l of w.lines) expect(l, 'every stdout line is a JSON log record').toMatchObject({ time: expect.any(String), event: expect.any(String), queue: name });
  return w.lines;
}

describe('hark queue', () => {
  it('submit, worker, status: transcribe\'s output per file, duplicates not recognized again, a corrupt file fails once; Redis restart, retry and clean', async () => {
    const submit = ['submit', inputs, '--format', 'json', '--out', out, '--json'];
    const first = await queue('e2e', ...submit);
    expect(first.code, first.stderr).toBe(0);
    expect(json(first.stdout)).toMatchObject({ queued: 4, duplicates: 0, unreadable: [], model: { name: 'hark-en' } });
    // The same files again: every job is already there.
    expect(json((await queue('e2e', ...submit)).stdout)).toMatchObject({ queued: 0, duplicates: 4 });

    const log = await drain('e2e', '--jobs', '2');
    const ofFile = (event: string, file: string) => log.filter((l) => l.event === event && l.file === join(inputs, file));
    // The corrupt file: one attempt, its decoder error, final.
    expect(ofFile('job-start', 'corrupt.wav')).toHaveLength(1);
    expect(ofFile('job-failed', 'corrupt.wav')).toEqual([expect.objectContaining({ error: 'not an audio file: it looks like text', attempt: 1, final: true })]);
    // Same content under two names: recognized once, the other job reuses the recognition.
    const recognized = log.filter((l) => l.event === 'job-recognizing').map((l) => l.file as string);
    expect(recognized.filter((f) => f.endsWith('digits.wav'))).toHaveLength(1);
    const dupDone = [...ofFile('job-done', 'digits.wav'), ...ofFile('job-done', 'sub/same-as-digits.wav')];
    expect(dupDone.map((l) => l.cached).sort()).toEqual([false, true]);
    for (const l of log.filter((x) => x.event === 'job-done')) expect(l.timings).toMatchObject({ hashMs: expect.any(Number), recognizeMs: expect.any(Number), writeMs: expect.any(Number), totalMs: expect.any(Number) });

    // Each output is what `hark transcribe FILE --format json` prints for that file.
    const files = ['digits.wav', 'open-the-browser.wav', 'sub/same-as-digits.wav'];
    const ref = await runHark(['transcribe', ...files.map((f) => join(inputs, f)), '--model', MODEL, '--format', 'json', '--jobs', '1']);
    expect(ref.code, ref.stderr).toBe(0);
    const refLines = ref.stdout.trimEnd().split('\n').map(json);
    for (const [k, file] of files.entries()) {
      expect(withoutTiming(json(await readFile(join(out, `${file}.json`), 'utf8')))).toEqual(withoutTiming(refLines[k]));
    }
    expect(existsSync(join(out, 'corrupt.wav.json'))).toBe(false);

    const status = json((await queue('e2e', 'status', '--json')).stdout);
    expect(status.counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 3, failed: 1 });
    expect(status.etaSec).toBe(0);
    expect(status.failures).toEqual([expect.objectContaining({ file: join(inputs, 'corrupt.wav'), error: 'not an audio file: it looks like text', attempts: 1 })]);
    expect(status.timings).toMatchObject({ jobs: 3, cached: 1 });
    const watch = await queue('e2e', 'status', '--watch', '--interval', '0.2');
    expect(watch.code).toBe(0);
    expect(watch.stderr).toMatch(/\[#+\] 100% 4\/4/);
    expect(watch.stdout).toMatch(/3 completed, 1 failed/);

    // Redis restarts (append-only file): nothing finished is lost, a resubmit still finds every job.
    await redis.restart();
    expect(json((await queue('e2e', 'status', '--json')).stdout).counts).toEqual(status.counts);
    expect(json((await queue('e2e', ...submit)).stdout)).toMatchObject({ queued: 0, duplicates: 4 });

    // retry puts the failed job back; clean removes the completed ones.
    expect((await queue('e2e', 'retry')).stdout).toMatch(/queued 1 failed job again/);
    expect(json((await queue('e2e', 'status', '--json')).stdout).counts).toEqual({ waiting: 1, active: 0, delayed: 0, completed: 3, failed: 0 });
    expect((await queue('e2e', 'clean')).stdout).toMatch(/removed 3 completed and 0 failed jobs/);
    // Resubmitted, the cleaned jobs are queued again and written from the kept recognitions: only
    // the retried corrupt file goes to the recognizer (and fails again, once).
    await rm(out, { recursive: true });
    expect(json((await queue('e2e', ...submit)).stdout)).toMatchObject({ queued: 3, duplicates: 1 });
    const again = await drain('e2e', '--jobs', '1');
    expect(again.filter((l) => l.event === 'job-recognizing').map((l) => l.file)).toEqual([join(inputs, 'corrupt.wav')]);
    expect(again.filter((l) => l.event === 'job-failed')).toEqual([expect.objectContaining({ file: join(inputs, 'corrupt.wav'), final: true })]);
    expect(again.filter((l) => l.event === 'job-done').map((l) => l.cached)).toEqual([true, true, true]);
    expect(existsSync(join(out, 'open-the-browser.wav.json'))).toBe(true);
  });

  it('submit takes quoted globs, refuses two inputs that would write one output, and reports unreadable Redis', async () => {
    const glob = await queue('globs', 'submit', join(inputs, '**', '*digits.wav'), '--out', join(dir, 'out-glob'), '--json');
    expect(glob.code, glob.stderr).toBe(0);
    expect(json(glob.stdout)).toMatchObject({ queued: 2, duplicates: 0 });
    const clash = await queue('globs', 'submit', join(inputs, 'digits.wav'), join(inputs, 'sub', 'digits.wav'), '--out', join(dir, 'out-glob'));
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/no such file or folder/);
    await copyFile(DIGITS, join(inputs, 'sub', 'digits.wav'));
    const both = await queue('globs', 'submit', join(inputs, 'digits.wav'), join(inputs, 'sub', 'digits.wav'), '--out', join(dir, 'out-glob'));
    await rm(join(inputs, 'sub', 'digits.wav'));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/would both be written to .*out-glob\/digits\.wav\.txt/);
    const down = await runHark(['queue', 'status', '--redis', 'redis://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('a job naming a model version the worker does not have is refused, naming both, and writes nothing', async () => {
    // Another version of the package: the same graphs, another model.json (so another hash).
    const other = join(dir, 'model-b');
    await mkdir(other);
    for (const f of ['model.onnx', 'model.stream.onnx']) await symlink(join(MODEL, f), join(other, f));
    const meta = json(await readFile(join(MODEL, 'model.json'), 'utf8'));
    await writeFile(join(other, 'model.json'), JSON.stringify({ ...meta, version: 'queue-test-b' }));
    const sub = await queue('models', 'submit', DIGITS, '--model', other, '--out', join(dir, 'out-b'), '--json');
    expect(sub.code, sub.stderr).toBe(0);
    expect(json(sub.stdout).model).toMatchObject({ name: 'hark-en', version: 'queue-test-b' });

    const log = await drain('models', '--model', MODEL);
    const refused = log.filter((l) => l.event === 'job-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatch(new RegExp(`has no model hark-en queue-test-b \\(sha256 [0-9a-f]{12}\\); it has hark-en ${meta.version} \\(sha256 [0-9a-f]{12}\\)`));
    expect(log.some((l) => l.event === 'job-recognizing')).toBe(false);
    const status = json((await queue('models', 'status', '--json')).stdout);
    expect(status.counts).toMatchObject({ completed: 0, failed: 1 });
    expect(status.failures[0]).toMatchObject({ error: refused[0].reason, attempts: 1 });
    expect(existsSync(join(dir, 'out-b'))).toBe(false);
  });
});
