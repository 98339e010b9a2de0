import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../src-main/audio/audio-decode-error.ts';
import { decodeAudioBuffer, decodeAudioFile } from '../../src-main/audio/decode-audio.ts';
import { resample } from '../../src-main/audio/resampler.ts';
import { encodeWav } from '../../src-main/audio/wav-writer.ts';
import {
  bestCorrelation, fitSinusoid, readBytes, readWithSox, requireFfmpegEncoder, requireTool, run, tempDir, writeRawF32,
} from './audio-test-tools.ts';

const tmp = tempDir();
const at = (name: string) => join(tmp.dir, name);
afterAll(tmp.cleanup);

/** 2 s at 44.1 kHz: three tones under a slow envelope, so that correlation has structure to match. */
function source(): Float32Array {
  const rate = 44100;
  const x = new Float32Array(2 * rate);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const env = 0.5 + 0.4 * Math.sin(2 * Math.PI * 1.3 * t);
    x[i] = env * (0.3 * Math.sin(2 * Math.PI * 300 * t) + 0.2 * Math.sin(2 * Math.PI * 1100 * t + 1) + 0.1 * Math.sin(2 * Math.PI * 2500 * t));
  }
  return x;
}

function ffmpeg(input: string, output: string, ...codec: string[]): void {
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, ...codec, output]);
}

async function decodeError(path: string, opts?: { maxDurationSec?: number }): Promise<AudioDecodeError> {
  const err = await decodeAudioFile(path, opts).then(
    () => new Error(`${path} decoded without error`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AudioDecodeError);
  expect((err as AudioDecodeError).file).toBe(path);
  expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
  return err as AudioDecodeError;
}

/** The source as the encoders saw it (16-bit) and as Hark should return it (16 kHz). */
let reference16k: Float32Array;

beforeAll(() => {
  requireTool('sox');
  for (const enc of ['libmp3lame', 'libvorbis', 'libopus']) requireFfmpegEncoder(enc);
  writeRawF32(at('src.f32'), source());
  run('sox', ['-D', '-t', 'f32', '-r', '44100', '-c', '1', at('src.f32'), '-b', '16', at('src.wav')]);
  reference16k = resample(readWithSox(at('src.wav')), 44100, 16000);
  run('sox', [at('src.wav'), at('src.flac')]);
  ffmpeg(at('src.wav'), at('src.mp3'), '-c:a', 'libmp3lame', '-b:a', '128k');
  ffmpeg(at('src.wav'), at('bare.mp3'), '-c:a', 'libmp3lame', '-b:a', '96k', '-id3v2_version', '0', '-write_xing', '0');
  ffmpeg(at('src.wav'), at('src.ogg'), '-c:a', 'libvorbis', '-q:a', '5');
  ffmpeg(at('src.wav'), at('src.opus'), '-c:a', 'libopus', '-b:a', '64k');
  // Zero-sample files, as the encoders write them.
  run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', at('zero.wav'), 'trim', '0', '0']);
  run('sox', [at('zero.wav'), at('zero.flac')]);
  ffmpeg(at('zero.wav'), at('zero.mp3'), '-c:a', 'libmp3lame');
  ffmpeg(at('zero.wav'), at('zero.ogg'), '-c:a', 'libvorbis');
  ffmpeg(at('zero.wav'), at('zero.opus'), '-c:a', 'libopus');
});

describe('decodeAudioFile: compressed formats', () => {
  it('decodes FLAC losslessly: equal to the 16-bit source resampled', async () => {
    const d = await decodeAudioFile(at('src.flac'));
    expect(d.source).toEqual({ format: 'flac', sampleRate: 44100, channels: 1 });
    expect(d.sampleRate).toBe(16000);
    expect(d.samples.length).toBe(reference16k.length);
    let maxErr = 0;
    for (let i = 0; i < d.samples.length; i++) maxErr = Math.max(maxErr, Math.abs(d.samples[i] - reference16k[i]));
    expect(maxErr).toBeLessThan(1e-6);
  });

  // Encoder delay and padding are removed when the stream says how much there is (LAME Info tag,
  // Ogg granule positions, Opus pre-skip); an MP3 without the tag keeps ~1105 samples of delay.
  it.each([
    ['src.mp3', 'mp3', 44100, 0.01, 2],
    ['bare.mp3', 'mp3', 44100, 0.06, 480],
    ['src.ogg', 'ogg-vorbis', 44100, 0.01, 2],
    ['src.opus', 'ogg-opus', 48000, 0.01, 2],
  ])('decodes %s (%s) with the right duration, aligned and highly correlated with the source', async (file, format, rate, durTol, maxLag) => {
    const d = await decodeAudioFile(at(file));
    expect(d.source).toEqual({ format, sampleRate: rate, channels: 1 });
    expect(Math.abs(d.durationSec - 2)).toBeLessThan(durTol);
    const { corr, lag } = bestCorrelation(reference16k, d.samples, maxLag + 20);
    expect(corr).toBeGreaterThan(0.99);
    expect(Math.abs(lag)).toBeLessThanOrEqual(maxLag);
  });

  it('downmixes stereo to the mean of the channels', async () => {
    const l = Float32Array.from({ length: 48000 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 500 * i) / 48000));
    const r = Float32Array.from({ length: 48000 }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 1500 * i) / 48000));
    const inter = new Float32Array(96000);
    for (let i = 0; i < 48000; i++) [inter[2 * i], inter[2 * i + 1]] = [l[i], r[i]];
    writeRawF32(at('st.f32'), inter);
    run('sox', ['-D', '-t', 'f32', '-r', '48000', '-c', '2', at('st.f32'), '-b', '24', at('st.flac')]);
    const d = await decodeAudioFile(at('st.flac'));
    expect(d.source.channels).toBe(2);
    expect(fitSinusoid(d.samples, 500, 16000, 1600, 14400).amplitude).toBeCloseTo(0.2, 4);
    expect(fitSinusoid(d.samples, 1500, 16000, 1600, 14400).amplitude).toBeCloseTo(0.1, 4);
  });

  it.each(['zero.wav', 'zero.flac', 'zero.mp3', 'zero.ogg', 'zero.opus'])('returns an empty signal for %s (zero samples)', async (file) => {
    const d = await decodeAudioFile(at(file));
    expect(d.samples.length).toBe(0);
    expect(d.durationSec).toBe(0);
  });

  it('decodes a silent file to zeros', async () => {
    run('sox', ['-D', '-n', '-r', '22050', '-c', '2', '-b', '16', at('silence.flac'), 'trim', '0', '1.5']);
    const d = await decodeAudioFile(at('silence.flac'));
    expect(d.samples.length).toBe(24000);
    expect(d.samples.every((v) => v === 0)).toBe(true);
  });
});

describe('decodeAudioFile: damaged and foreign files', () => {
  it('decodes the part present of truncated WAV, FLAC, MP3 and Ogg files', async () => {
    // 10 s, so the Ogg stream has several pages.
    run('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', at('long.wav'), 'synth', '10', 'sine', '440', 'vol', '0.5']);
    run('sox', [at('long.wav'), at('long.flac')]);
    ffmpeg(at('long.wav'), at('long.mp3'), '-c:a', 'libmp3lame');
    ffmpeg(at('long.wav'), at('long.ogg'), '-c:a', 'libvorbis');
    for (const file of ['long.wav', 'long.flac', 'long.mp3', 'long.ogg']) {
      const bytes = readBytes(at(file));
      writeFileSync(at(`cut-${file}`), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const d = await decodeAudioFile(at(`cut-${file}`));
      expect(d.durationSec, file).toBeGreaterThan(4);
      expect(d.durationSec, file).toBeLessThan(6.5);
      expect(fitSinusoid(d.samples, 440, 16000, 1600, 48000).amplitude, file).toBeCloseTo(0.5, 1);
      if (file !== 'long.mp3') expect(d.warnings?.join(' '), file).toMatch(/truncated/i);
    }
  });

  it('refuses empty, text, image, random and unsupported files with a clear AudioDecodeError', async () => {
    writeFileSync(at('empty.wav'), new Uint8Array(0));
    expect((await decodeError(at('empty.wav'))).reason).toBe('empty file (0 bytes)');
    writeFileSync(at('notes.wav'), 'These are my notes, not a recording.\n'.repeat(20));
    expect((await decodeError(at('notes.wav'))).reason).toMatch(/not an audio file: it looks like text/);
    run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=8x8', '-frames:v', '1', at('pic.png')]);
    run('cp', [at('pic.png'), at('pic.mp3')]);
    expect((await decodeError(at('pic.mp3'))).reason).toMatch(/not an audio file: it looks like a PNG image/);
    writeFileSync(at('random.bin'), Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
    expect((await decodeError(at('random.bin'))).reason).toMatch(/not a recognized audio file/);
    run('sox', [at('src.wav'), at('src.aiff')]);
    expect((await decodeError(at('src.aiff'))).reason).toMatch(/unsupported format: AIFF/);
    ffmpeg(at('src.wav'), at('src.m4a'), '-c:a', 'aac');
    expect((await decodeError(at('src.m4a'))).reason).toMatch(/unsupported format: MP4\/M4A/);
    expect((await decodeError(at('missing.wav'))).reason).toBe('cannot read: no such file');
    mkdirSync(at('folder.wav'));
    expect((await decodeError(at('folder.wav'))).reason).toBe('not a regular file');
  });

  it('refuses corrupt FLAC, MP3 and Ogg streams', async () => {
    const flac = readBytes(at('src.flac'));
    const badInfo = flac.slice();
    badInfo[4] = 0x04; // first metadata block claims to be a comment, not STREAMINFO
    writeFileSync(at('badinfo.flac'), badInfo);
    expect((await decodeError(at('badinfo.flac'))).reason).toMatch(/corrupt FLAC header/);
    writeFileSync(at('stub.flac'), flac.subarray(0, 20));
    expect((await decodeError(at('stub.flac'))).reason).toMatch(/corrupt FLAC header/);
    const noise = Uint8Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) % 256);
    writeFileSync(at('garbage.flac'), Uint8Array.from([...flac.subarray(0, 42), ...noise]));
    expect((await decodeError(at('garbage.flac'))).reason).toMatch(/corrupt or truncated flac/);
    const id3 = [...'ID3'].map((c) => c.charCodeAt(0)).concat([4, 0, 0, 0, 0, 0, 0]); // empty ID3v2.4 tag
    writeFileSync(at('garbage.mp3'), Uint8Array.from([...id3, ...noise]));
    expect((await decodeError(at('garbage.mp3'))).reason).toMatch(/corrupt or truncated mp3/);
    const ogg = readBytes(at('src.ogg'));
    writeFileSync(at('garbage.ogg'), Uint8Array.from([...ogg.subarray(0, 58), ...noise]));
    expect((await decodeError(at('garbage.ogg'))).reason).toMatch(/corrupt or truncated ogg-vorbis/);
  });

  it('refuses compressed audio longer than maxDurationSec', async () => {
    expect((await decodeError(at('src.flac'), { maxDurationSec: 1.5 })).reason).toMatch(/audio is 2\.0 s long/);
    expect((await decodeError(at('src.mp3'), { maxDurationSec: 1.5 })).reason).toMatch(/more than the limit of 1\.5 s/);
  });

  it('never throws anything but AudioDecodeError on damaged bytes (seeded byte corruption)', async () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const outcomes = { decoded: 0, refused: 0 };
    for (const file of ['src.wav', 'src.flac', 'src.mp3', 'src.ogg', 'src.opus']) {
      const clean = readBytes(at(file));
      for (let trial = 0; trial < 8; trial++) {
        const bytes = clean.slice(0, Math.max(1, Math.floor(clean.length * (0.2 + 0.8 * rand()))));
        for (let k = 0; k < 40; k++) bytes[Math.floor(rand() * Math.min(bytes.length, 400 + trial * 2000))] = Math.floor(rand() * 256);
        try {
          const d = await decodeAudioBuffer(bytes, `${file}#${trial}`);
          expect(d.samples.every((v) => v >= -1 && v <= 1)).toBe(true);
          outcomes.decoded++;
        } catch (err) {
          expect(err, `${file}#${trial}`).toBeInstanceOf(AudioDecodeError);
          outcomes.refused++;
        }
      }
    }
    expect(outcomes.decoded + outcomes.refused).toBe(40);
  });

  it('round-trips encodeWav at 16 kHz without resampling', async () => {
    const x = Float32Array.from({ length: 1600 }, (_, i) => Math.round(Math.sin(i / 5) * 20000) / 32768);
    const d = await decodeAudioBuffer(encodeWav(x, 16000), 'mem.wav');
    expect(d.source).toEqual({ format: 'wav:s16', sampleRate: 16000, channels: 1 });
    expect(d.samples).toEqual(x);
    expect(d.durationSec).toBe(0.1);
  });
});
