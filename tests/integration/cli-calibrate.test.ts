// `hark calibrate`: usage and refusals through the real CLI (the calibration itself is tested on a
// small set in tests/unit/train-phrase-calibration.test.ts, its metadata write in
// tests/unit/engine-phrase-choice.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHark } from './cli-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-cal-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hark calibrate', () => {
  it('is listed, prints its options, and refuses a missing or non-model folder', async () => {
    expect((await runHark(['--help'])).stdout).toMatch(/^ {2}calibrate /m);
    const help = await runHark(['calibrate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--model <value>/);
    expect(help.stdout).toMatch(/--real <value>\s+Real-speech set/);
    expect(help.stdout).toMatch(/--dry-run/);
    const none = await runHark(['calibrate']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('calibrate: --model DIR is required');
    writeFileSync(join(dir, 'notes.txt'), 'not a model');
    const bad = await runHark(['calibrate', '--model', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/not a Hark model/);
  }, 120_000);
});
