/**
 * `hark retrain` and `hark models use` end to end in a separate process, on a tiny random-weight
 * package: usage errors, a job taught from the user vocabulary and a recordings folder, installed
 * with --install-anyway --use (the app's settings then name the new version), listed, and rolled
 * back with `hark models use shipped`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/audio/index.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import { synthesize } from '../../src-main/train/data/synth/index.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { runHark, runHarkSignalled } from './cli-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-cli-retrain-'));
const userData = join(dir, 'user');
const env = { HARK_USER_DATA: userData };
let pkg = '';
beforeAll(async () => {
  pkg = (await writeRandomModelPackage(4, { dir: join(dir, 'pkg'), name: 'tiny' })).dir;
  const rng = createRng(8);
  mkdirSync(join(dir, 'rec', 'zorblat'), { recursive: true });
  for (let i = 0; i < 2; i++) writeFileSync(join(dir, 'rec', 'zorblat', `${i}.wav`), encodeWav(await synthesize('zorblat', 'espeak:en-us+f4', rng.fork()), 16000));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hark retrain', () => {
  it('explains its usage', async () => {
    const none = await runHark(['retrain'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give items to teach/);
    expect((await runHark(['retrain', 'x', '--list'], { env })).code).toBe(2);
    expect((await runHark(['retrain', '--resume', 'nope'], { env })).stderr).toMatch(/no retraining job/);
    expect((await runHark(['retrain', '--list'], { env })).stdout).toBe('');
    expect((await runHark(['retrain', 'x', '--recordings', dir, '--no-recordings'], { env })).stderr).toMatch(/exclude each other/);
    expect((await runHark(['retrain', 'what?', '--model', pkg], { env })).stderr).toMatch(/not a word or phrase to teach/);
  });

  it('teaches a word, installs the new version on request, switches to it and rolls back', async () => {
    expect((await runHark(['words', 'add', 'zorblat', '--pron', 'Z AO R B L AE T'], { env })).code).toBe(0);
    const r = await runHark(['retrain', 'zorblat', '--model', pkg, '--recordings', join(dir, 'rec'), '--examples', '2', '--replay', '2', '--epochs', '1', '--install-anyway', '--use'], { env });
    expect(r.stderr).toMatch(/retraining job \S+: zorblat from tiny .*\(2 recordings for training, 0 held out\)/);
    expect(r.stderr).toMatch(/training: epoch 1 of 1/);
    expect(r.stdout, r.stderr).toMatch(/^before: new items .*\nafter: {2}new items .*\ninstalled tiny 0\.0\.0\+r\d{14} in .*\nthe app now uses tiny/);
    expect(r.code).toBe(0);
    const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as { modelDir: string };
    expect(settings.modelDir).toContain(join(userData, 'models', 'tiny-0.0.0-r'));
    const jobs = (await runHark(['retrain', '--list', '--json'], { env })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { phase: string; items: string[]; recordingsTrain: number });
    expect(jobs).toEqual([expect.objectContaining({ phase: 'done', items: ['zorblat'], recordingsTrain: 2 })]);
    const list = JSON.parse((await runHark(['models', 'list', '--json'], { env })).stdout) as { name: string; current: boolean; shipped: boolean }[];
    expect(list.find((m) => m.current)).toMatchObject({ name: 'tiny', shipped: false });
    expect((await runHark(['models', 'use', 'shipped'], { env })).stdout).toMatch(/the app now uses hark-en/);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({ modelDir: '' });
    expect((await runHark(['models', 'use', 'nothing-like-it'], { env })).stderr).toMatch(/no installed model "nothing-like-it"/);
  }, 180_000);

  it('stops a job at its next step on SIGTERM, saying how to resume, and --resume finishes it', async () => {
    const env2 = { HARK_USER_DATA: join(dir, 'user-term') };
    expect((await runHark(['words', 'add', 'zorblat', '--pron', 'Z AO R B L AE T'], { env: env2 })).code).toBe(0);
    const args = ['retrain', 'zorblat', '--model', pkg, '--recordings', join(dir, 'rec'), '--examples', '2', '--replay', '2', '--epochs', '40', '--install-anyway'];
    const stopped = await runHarkSignalled(args, /training: epoch \d+ of 40/, 'SIGTERM', { env: env2 });
    expect(stopped.sent).toBe(true);
    expect(stopped.stderr).toMatch(/stopping at the next step \(the job can be resumed\)/);
    const job = /cancelled; resume with: hark retrain --resume (\S+)/.exec(stopped.stderr)?.[1];
    expect(job, stopped.stderr).toBeDefined();
    expect(stopped.code).toBe(1);
    const phases = async () => (await runHark(['retrain', '--list', '--json'], { env: env2 })).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { phase: string }).phase);
    expect(await phases()).not.toEqual(['done']);
    const resumed = await runHark(['retrain', '--resume', job!], { env: env2 });
    expect(resumed.stdout, resumed.stderr).toMatch(/installed tiny /);
    expect(resumed.code).toBe(0);
    expect(await phases()).toEqual(['done']);
  }, 240_000);
});
