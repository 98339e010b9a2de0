// Decoding a file as a stream of 16 kHz mono chunks (openAudioStream): the chunks joined equal the
// whole-file decode sample for sample in every container; declared lengths are refused before
// anything is decoded, and a stream that declares none is refused while decoding, long before its
// end (only a small part of its bytes read).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../src-main/audio/audio-decode-error.ts';
import { decodeAudioBuffer, decodeAudioFile } from '../../src-main/audio/decode-audio.ts';
import { openAudioStream, type AudioStream } from '../../src-main/audio/decode-audio-stream.ts';
import { readBytes, requireFfmpegEncoder, run, tempDir } from './audio-test-tools.ts';

const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
afterAll(tmp.cleanup);

function ffmpeg(args: string[]): void {
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

async function joined(s: AudioStream): Promise<{ samples: Float32Array; chunks: number }> {
  const parts: Float32Array[] = [];
  for await (const c of s.chunks()) parts.push(c);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return { samples: out, chunks: parts.length };
}

beforeAll(() => {
  for (const enc of ['flac', 'libmp3lame', 'libvorbis', 'libopus']) requireFfmpegEncoder(enc);
  ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=r=44100:a=0.3:d=20', '-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=20', '-filter_complex', 'amerge=inputs=2', at('stereo.wav')]);
  ffmpeg(['-i', at('stereo.wav'), at('stereo.flac')]);
  ffmpeg(['-i', at('stereo.wav'), '-b:a', '64k', at('stereo.mp3')]);
  ffmpeg(['-i', at('stereo.wav'), '-c:a', 'libvorbis', at('stereo.ogg')]);
  ffmpeg(['-i', at('stereo.wav'), '-c:a', 'libopus', at('stereo.opus')]);
  ffmpeg(['-i', at('stereo.wav'), '-ar', '16000', '-ac', '1', '-c:a', 'pcm_f32le', at('mono16.wav')]);
  // 20 minutes of silence in ~200 KB of FLAC that declares no length (written to a pipe).
  writeFileSync(at('silence.flac'), execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono:d=1200', '-c:a', 'flac', '-f', 'flac', 'pipe:1'], { maxBuffer: 64 << 20 }));
}, 60_000);

describe('openAudioStream', () => {
  it('gives, chunk by chunk, exactly the samples of the whole-file decode (WAV, FLAC, MP3, Ogg Vorbis, Opus)', async () => {
    for (const name of ['stereo.wav', 'stereo.flac', 'stereo.mp3', 'stereo.ogg', 'stereo.opus', 'mono16.wav']) {
      const whole = await decodeAudioFile(at(name));
      const stream = await openAudioStream(at(name));
      const { samples, chunks } = await joined(stream);
      expect(chunks, name).toBeGreaterThan(1);
      expect(samples.length, name).toBe(whole.samples.length);
      expect(Buffer.from(samples.buffer).equals(Buffer.from(whole.samples.buffer)), name).toBe(true);
      expect(stream.source, name).toEqual(whole.source);
      expect(stream.progress(), name).toBe(1);
    }
  });

  it('streams bytes held in memory the same way, and says what a WAV or FLAC header declares', async () => {
    const bytes = readBytes(at('stereo.flac'));
    const s = await openAudioStream({ bytes, name: 'dropped.flac' });
    expect(s.declaredSec).toBe(20);
    expect((await joined(s)).samples).toEqual((await decodeAudioBuffer(bytes, 'dropped.flac')).samples);
    const wav = await openAudioStream(at('stereo.wav'));
    expect(wav.declaredSec).toBe(20);
    await wav.close();
  });

  it('warns about a truncated WAV and decodes what is there', async () => {
    const bytes = readBytes(at('mono16.wav'));
    const cut = bytes.subarray(0, bytes.length - 1000);
    const s = await openAudioStream({ bytes: cut, name: 'cut.wav' });
    const { samples } = await joined(s);
    expect(s.warnings.join()).toMatch(/truncated WAV/);
    expect(samples).toEqual((await decodeAudioBuffer(cut, 'cut.wav')).samples);
  });

  it('refuses a declared length over the limit before decoding anything (WAV header, FLAC STREAMINFO, MP3 Xing tag)', async () => {
    for (const name of ['stereo.wav', 'stereo.flac', 'stereo.mp3']) {
      const err = await openAudioStream(at(name), { maxDurationSec: 12, limitName: '--max-hours 0.0033' }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(AudioDecodeError);
      expect((err as AudioDecodeError).reason, name).toMatch(/^audio is 20\.\d s long, more than the limit of 12 s \(--max-hours 0\.0033\)$/);
    }
  });

  it('refuses an over-long stream that declares no length while decoding, having read a small part of it', async () => {
    const s = await openAudioStream(at('silence.flac'), { maxDurationSec: 60 });
    expect(s.declaredSec).toBeUndefined();
    let decoded = 0;
    const err = await (async () => {
      for await (const c of s.chunks()) decoded += c.length;
    })().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AudioDecodeError);
    const m = /^audio is longer than the limit of 60 s \(maxDurationSec\): decoding stopped after (\d+\.\d) s$/.exec((err as AudioDecodeError).reason);
    expect(m, (err as Error).message).not.toBeNull();
    // One 4 KiB input chunk of this stream decodes to at most ~25 s: decoding stopped there.
    expect(Number(m![1])).toBeLessThan(60 + 30);
    expect(decoded / 16000).toBeLessThanOrEqual(60 + 30);
    expect(s.progress()).toBeLessThan(0.1);
  });
});
