// The app's Files queue decodes a file as a stream (openAudioStream) and feeds the streaming
// recognizer as it decodes: a file by path and the same file as dropped bytes (FLAC) give the same
// transcript with words on the file's timeline and progress up to the end; a file over the
// queue's length limit is refused from its header, or while decoding when it declares no length.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/audio/index.ts';
import { FILE_JOB_MAX_DURATION_SEC, FileJobQueue } from '../../src-main/backend/file-jobs.ts';
import { DecoderCache } from '../../src-main/engine/decoder-cache.ts';
import { loadModelPackage, type ModelPackage } from '../../src-main/model/model-package.ts';
import { resolveModelDir } from '../../src-main/model/package-paths.ts';
import { createRng } from '../../src-main/train/data/rng.ts';
import type { FileJobEvent } from '../../src-shared/ipc/app-contract.ts';
import { speechClip } from '../helpers/speech-clip.ts';
import { requireFfmpegEncoder, tempDir } from '../unit/audio-test-tools.ts';

const tmp = tempDir();
afterAll(tmp.cleanup);
let model: ModelPackage;
let flac: string;
let speechSec: number;

function queue(events: FileJobEvent[], maxDurationSec?: number): FileJobQueue {
  return new FileJobQueue({
    model: async () => ({ model, decoders: new DecoderCache(model.frameSec, 8, undefined, model.metadata.units, model.metadata.decoding) }),
    emit: (_owner, e) => void events.push(e),
    ...(maxDurationSec !== undefined ? { maxDurationSec } : {}),
  });
}

beforeAll(async () => {
  requireFfmpegEncoder('flac');
  model = await loadModelPackage(resolveModelDir());
  const pcm = await speechClip([0.3, 'open the file and read it', 1.5, 'the weather is cold today', 1.5, 'next slide please', 0.5], createRng(21));
  speechSec = pcm.length / 16000;
  const wav = join(tmp.dir, 'speech.wav');
  await writeFile(wav, encodeWav(pcm, 16000));
  flac = join(tmp.dir, 'speech.flac');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wav, '-c:a', 'flac', flac]);
}, 60_000);

describe('the Files queue on streamed audio', () => {
  it('transcribes by path and as bytes alike, words on the file timeline, progress to the end', async () => {
    expect(FILE_JOB_MAX_DURATION_SEC).toBe(24 * 3600);
    const events: FileJobEvent[] = [];
    const q = queue(events);
    const bytes = await readFile(flac);
    q.add(1, [{ name: 'speech.flac', path: flac }, { name: 'dropped.flac', data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }], { kind: 'dictation' });
    await q.idle();
    await q.dispose();
    const done = events.filter((e) => e.state === 'done');
    expect(done.map((e) => e.name)).toEqual(['speech.flac', 'dropped.flac']);
    const [a, b] = done.map((e) => e.result);
    expect(a.durationSec).toBeCloseTo(speechSec, 4);
    expect(b.text).toBe(a.text);
    expect(b.words).toEqual(a.words);
    expect(a.words.length).toBeGreaterThanOrEqual(6);
    expect(a.words.at(-1)!.end).toBeLessThanOrEqual(a.durationSec);
    expect(a.words.at(-1)!.start).toBeGreaterThan(speechSec / 2);
    const progress = events.filter((e) => e.state === 'running' && e.name === 'speech.flac').map((e) => (e as { progress: number }).progress);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(Math.max(...progress)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('refuses a file over its limit from the header, and one that declares no length while decoding', async () => {
    const undeclared = join(tmp.dir, 'undeclared.flac');
    // Written to a pipe: STREAMINFO counts no samples.
    await writeFile(undeclared, execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono:d=600', '-c:a', 'flac', '-f', 'flac', 'pipe:1'], { maxBuffer: 64 << 20 }));
    const events: FileJobEvent[] = [];
    const q = queue(events, 5);
    q.add(1, [{ name: 'speech.flac', path: flac }, { name: 'undeclared.flac', path: undeclared }], { kind: 'dictation' });
    await q.idle();
    await q.dispose();
    const errors = events.filter((e) => e.state === 'error').map((e) => (e as { error: string }).error);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/audio is \d+\.\d s long, more than the limit of 5 s \(maxDurationSec\)/);
    expect(errors[1]).toMatch(/audio is longer than the limit of 5 s \(maxDurationSec\): decoding stopped after \d+\.\d s/);
    expect(events.some((e) => e.state === 'done')).toBe(false);
  }, 60_000);
});
