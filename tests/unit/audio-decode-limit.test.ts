// The duration limit holds while compressed audio decodes: a small file that expands to hours (a
// FLAC of silence with no declared length, an MP3 with no Xing tag) is refused as soon as the
// decoded audio passes maxDurationSec, so memory stays near the limit's size, not the file's; and
// a long Ogg stream is read only about as far as the limit.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../src-main/audio/audio-decode-error.ts';
import { decodeAudioBuffer, decodeAudioFile } from '../../src-main/audio/decode-audio.ts';
import { readFlacStreamInfo } from '../../src-main/audio/flac-stream-info.ts';
import type { ByteSource } from '../../src-main/audio/byte-source.ts';
import { decodeCompressedPieces, type CompressedStreamInfo } from '../../src-main/audio/compressed-audio-decoder.ts';
import { readBytes, requireFfmpegEncoder, run, tempDir } from './audio-test-tools.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
afterAll(tmp.cleanup);

/** Encodes `sec` seconds of a lavfi source; `pipe` writes to stdout, so FLAC cannot go back to fill in its length. */
function encode(out: string, source: string, sec: number, codec: string[], pipe = false): void {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${source}:d=${sec}`, ...codec];
  if (!pipe) { run('ffmpeg', [...args, out]); return; }
  writeFileSync(out, execFileSync('ffmpeg', [...args, '-f', out.split('.').pop()!, 'pipe:1'], { maxBuffer: 256 << 20 }));
}

/** The "decoding stopped after N s" figure of a refusal, checked to name the file and the limit. */
async function stoppedAfter(decode: Promise<unknown>, file: string, limitSec: number): Promise<number> {
  const err = await decode.then(() => new Error(`${file} decoded without error`), (e: unknown) => e);
  expect(err).toBeInstanceOf(AudioDecodeError);
  expect((err as AudioDecodeError).file).toBe(file);
  const m = /^audio is longer than the limit of (\S+) s \(maxDurationSec\): decoding stopped after (\d+\.\d) s$/.exec((err as AudioDecodeError).reason);
  expect(m, (err as Error).message).not.toBeNull();
  expect(Number(m![1])).toBe(limitSec);
  return Number(m![2]);
}

beforeAll(() => {
  for (const enc of ['flac', 'libmp3lame', 'libvorbis', 'libopus']) requireFfmpegEncoder(enc);
  // 10 minutes of silence, 48 kHz stereo: ~100 KB that decodes to 230 MB of float samples.
  encode(at('silence.flac'), 'anullsrc=r=48000:cl=stereo', 600, ['-c:a', 'flac'], true);
  encode(at('noise.mp3'), 'anoisesrc=r=16000:a=0.3', 120, ['-c:a', 'libmp3lame', '-b:a', '32k', '-write_xing', '0']);
  encode(at('tagged.mp3'), 'anoisesrc=r=16000:a=0.3', 120, ['-c:a', 'libmp3lame', '-b:a', '32k']);
  encode(at('noise.ogg'), 'anoisesrc=r=16000:a=0.3', 120, ['-c:a', 'libvorbis']);
  encode(at('noise.flac'), 'anoisesrc=r=44100:a=0.3', 120, ['-ac', '2', '-c:a', 'flac']);
  encode(at('noise.opus'), 'anoisesrc=r=48000:a=0.3', 120, ['-c:a', 'libopus', '-b:a', '32k']);
}, 120_000);

describe('maxDurationSec is enforced while decoding', () => {
  it('stops a FLAC with no declared length within one input chunk of the limit (file and buffer)', async () => {
    const flac = at('silence.flac');
    expect(readFlacStreamInfo(readBytes(flac), 0, flac).totalFrames).toBe(0); // the header declares no length
    // One 4 KiB chunk of this stream holds ~25 s of audio: decoding stops there, not after 600 s.
    expect(await stoppedAfter(decodeAudioFile(flac, { maxDurationSec: 5 }), flac, 5)).toBeLessThan(5 + 30);
    expect(await stoppedAfter(decodeAudioBuffer(readBytes(flac), 'dropped.flac', { maxDurationSec: 5 }), 'dropped.flac', 5)).toBeLessThan(5 + 30);
  });

  it('stops MP3 (no Xing tag), Ogg Vorbis and Ogg Opus streams just past the limit', async () => {
    for (const name of ['noise.mp3', 'noise.ogg', 'noise.opus']) {
      const sec = await stoppedAfter(decodeAudioFile(at(name), { maxDurationSec: 10 }), at(name), 10);
      expect(sec, name).toBeGreaterThan(10);
      expect(sec, name).toBeLessThan(10 + 5);
    }
  });

  it('reads only about as much of an Ogg stream as the limit needs, not the whole file first', async () => {
    for (const [name, container] of [['noise.ogg', 'ogg-vorbis'], ['noise.opus', 'ogg-opus']] as const) {
      const bytes = readBytes(at(name));
      let furthest = 0;
      const src: ByteSource = {
        length: bytes.length,
        read: async (from, to) => {
          furthest = Math.max(furthest, Math.min(to, bytes.length));
          return bytes.subarray(from, Math.min(to, bytes.length));
        },
      };
      const info: CompressedStreamInfo = { sampleRate: 0, channels: 0, frames: 0, bytesRead: 0, warnings: [] };
      const pieces = (async () => {
        for await (const _ of decodeCompressedPieces(src, container, name, 10, info)) void _;
      })();
      await stoppedAfter(pieces, name, 10);
      // 10 s of 120: a twelfth of the file, plus the page walk's look-ahead (66 KiB) and one chunk.
      expect(furthest, name).toBeLessThan(bytes.length / 12 + 70 * 1024);
      expect(furthest, name).toBeLessThan(bytes.length / 2);
    }
  });

  it('refuses an MP3 whose Xing tag declares more than the limit before decoding its frames', async () => {
    // The first 20 KB decode to ~5 s, under the limit; the tag still says 120 s.
    const head = readBytes(at('tagged.mp3')).subarray(0, 20_000);
    const err = await decodeAudioBuffer(head, 'tagged-head.mp3', { maxDurationSec: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioDecodeError);
    expect((err as AudioDecodeError).reason).toMatch(/^audio is 120\.\d s long, more than the limit of 10 s/);
    expect((await decodeAudioBuffer(head, 'tagged-head.mp3', { maxDurationSec: 200 })).durationSec).toBeLessThan(10);
  });

  it('loses no FLAC frame at the input chunk boundaries (2 min of stereo noise decodes to 2 min)', async () => {
    const d = await decodeAudioFile(at('noise.flac'));
    expect(d.source).toEqual({ format: 'flac', sampleRate: 44100, channels: 2 });
    expect(d.samples.length).toBe(120 * 16000);
  });

  it('keeps a child decoding a 1-hour FLAC bomb under a 60 s limit below 400 MB peak RSS', () => {
    const bomb = at('hour.flac');
    encode(bomb, 'anullsrc=r=48000:cl=stereo', 3600, ['-c:a', 'flac'], true); // decodes to 1.4 GB of float samples
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'tests', 'helpers', 'decode-peak-rss.ts'), bomb, '60'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { error: string | null; peakRssMB: number };
    expect(out.error).toMatch(/longer than the limit of 60 s \(maxDurationSec\): decoding stopped after/);
    expect(out.peakRssMB).toBeLessThan(400);
  }, 120_000);
});
