// Both ways a user hands Hark a file, `hark transcribe` and the app's Files queue, decode as a
// stream under a length limit enforced while decoding: a 2.8 MB FLAC of silence with no declared
// length that decodes to just over 4 hours is refused naming the file, "decoding stopped after"
// the limit (here 6 minutes: --max-hours 0.1, the queue's maxDurationSec), not decoded further.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DURATION_SEC } from '../../src-main/audio/index.ts';
import { readFlacStreamInfo } from '../../src-main/audio/flac-stream-info.ts';
import { FileJobQueue } from '../../src-main/backend/file-jobs.ts';
import { DecoderCache } from '../../src-main/engine/decoder-cache.ts';
import { loadModelPackage } from '../../src-main/model/model-package.ts';
import type { FileJobEvent } from '../../src-shared/ipc/app-contract.ts';
import { writeRandomModelPackage } from '../helpers/random-model-package.ts';
import { requireFfmpegEncoder, tempDir } from '../unit/audio-test-tools.ts';
import { runHark } from './cli-fixtures.ts';

const tmp = tempDir();
afterAll(tmp.cleanup);
const bomb = join(tmp.dir, 'four-hours.flac');
let modelDir: string;
const LIMIT_SEC = 360;
const stopped = (name: string) => new RegExp(`audio is longer than the limit of ${LIMIT_SEC} s \\(${name}\\): decoding stopped after (3[6-9]\\d|4\\d\\d)\\.\\d s`);

beforeAll(async () => {
  requireFfmpegEncoder('flac');
  // Written to a pipe, so ffmpeg cannot go back to fill in STREAMINFO's total samples.
  const sec = DEFAULT_MAX_DURATION_SEC + 100;
  await writeFile(bomb, execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `anullsrc=r=8000:cl=mono:d=${sec}`, '-c:a', 'flac', '-f', 'flac', 'pipe:1'], { maxBuffer: 64 << 20 }));
  expect(readFlacStreamInfo(new Uint8Array(await readFile(bomb)), 0, bomb).totalFrames).toBe(0);
  modelDir = (await writeRandomModelPackage(2, { dir: join(tmp.dir, 'model') })).dir;
}, 120_000);

describe('the duration limit holds while decoding, in the CLI and in the app', () => {
  it('hark transcribe refuses the file naming it, exit 1', async () => {
    const r = await runHark(['transcribe', bomb, '--model', modelDir, '--max-hours', '0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(bomb);
    expect(r.stderr).toMatch(stopped('--max-hours 0.1'));
  }, 120_000);

  it("the app's Files queue ends the job in error with the same reason (by path and as dropped bytes)", async () => {
    const model = await loadModelPackage(modelDir);
    const events: FileJobEvent[] = [];
    const queue = new FileJobQueue({
      model: async () => ({ model, decoders: new DecoderCache(model.frameSec, 8, undefined, model.metadata.units, model.metadata.decoding) }),
      emit: (_owner, e) => void events.push(e),
      maxDurationSec: LIMIT_SEC,
    });
    const bytes = await readFile(bomb);
    queue.add(1, [{ name: 'four-hours.flac', path: bomb }, { name: 'dropped.flac', data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }], { kind: 'dictation' });
    await queue.idle();
    await queue.dispose();
    const errors = events.filter((e) => e.state === 'error');
    expect(errors.map((e) => e.name)).toEqual(['four-hours.flac', 'dropped.flac']);
    expect(errors[0].error).toContain(bomb);
    expect(errors[1].error).toContain('dropped.flac');
    for (const e of errors) expect(e.error).toMatch(stopped('maxDurationSec'));
  }, 120_000);
});
