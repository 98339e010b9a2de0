import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError } from '../../src-main/audio/audio-decode-error.ts';
import { decodeAudioBuffer } from '../../src-main/audio/decode-audio.ts';
import { parseWav } from '../../src-main/audio/wav-reader.ts';
import { encodeWav } from '../../src-main/audio/wav-writer.ts';
import { readBytes, readWithSox, requireTool, run, tempDir, writeRawF32 } from './audio-test-tools.ts';

const tmp = tempDir();
afterAll(tmp.cleanup);

/** Deterministic interleaved test signal in [-0.9, 0.9]; each channel differs so that interleaving errors show. */
function signal(frames: number, channels: number): Float32Array {
  const x = new Float32Array(frames * channels);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) x[f * channels + c] = 0.9 * Math.sin(0.01 * (c + 1) * f + c) * Math.cos(0.0037 * f);
  }
  return x;
}

/** sox arguments and the largest allowed |decoded - original| for each sample format. */
const FORMATS = [
  { name: 'u8', args: ['-e', 'unsigned-integer', '-b', '8'], lsb: 2 ** -7 },
  { name: 's16', args: ['-e', 'signed-integer', '-b', '16'], lsb: 2 ** -15 },
  { name: 's24', args: ['-e', 'signed-integer', '-b', '24'], lsb: 2 ** -23 },
  { name: 's32', args: ['-e', 'signed-integer', '-b', '32'], lsb: 2 ** -31 },
  { name: 'f32', args: ['-e', 'floating-point', '-b', '32'], lsb: 1e-7 },
  { name: 'f64', args: ['-e', 'floating-point', '-b', '64'], lsb: 1e-7 },
  { name: 'alaw', args: ['-e', 'a-law'], lsb: 0.9 / 32 }, // G.711 step near full scale: 2^-5 relative
  { name: 'mulaw', args: ['-e', 'u-law'], lsb: 0.9 / 32 },
] as const;

describe('WAV reader against sox', () => {
  const extensibleSeen: string[] = [];

  for (const fmt of FORMATS) {
    it.each([1, 2, 3, 6])(`${fmt.name} with %i channel(s) decodes to the values written`, (channels) => {
      requireTool('sox');
      const frames = 777;
      const x = signal(frames, channels);
      const raw = join(tmp.dir, `${fmt.name}-${channels}.f32`);
      const wav = join(tmp.dir, `${fmt.name}-${channels}.wav`);
      writeRawF32(raw, x);
      // -D: no dither, so sox rounds and the error bound is half a step.
      run('sox', ['-D', '-t', 'f32', '-r', '22050', '-c', String(channels), raw, ...fmt.args, wav]);
      const bytes = readBytes(wav);
      if (bytes[20] === 0xfe && bytes[21] === 0xff) extensibleSeen.push(`${fmt.name}/${channels}`);
      const pcm = parseWav(bytes, wav);
      expect(pcm.format).toBe(`wav:${fmt.name}`);
      expect(pcm.sampleRate).toBe(22050);
      expect(pcm.channels.length).toBe(channels);
      const viaSox = readWithSox(wav);
      expect(viaSox.length).toBe(frames * channels);
      for (let c = 0; c < channels; c++) {
        const ch = pcm.channels[c];
        expect(ch.length).toBe(frames);
        for (let f = 0; f < frames; f++) {
          const i = f * channels + c;
          if (Math.abs(ch[f] - viaSox[i]) > 1e-6) throw new Error(`${fmt.name} ch ${c} frame ${f}: ${ch[f]} vs sox ${viaSox[i]}`);
          if (Math.abs(ch[f] - x[i]) > fmt.lsb) throw new Error(`${fmt.name} ch ${c} frame ${f}: ${ch[f]} vs written ${x[i]}`);
        }
      }
    });
  }

  it('covered WAVE_FORMAT_EXTENSIBLE files (sox writes them for > 2 channels or > 16 bits)', () => {
    expect(extensibleSeen.length).toBeGreaterThan(10);
  });
});

/** An independent little RIFF builder: chunks are [id, body, declared size?]; odd bodies get a pad byte. */
function riff(chunks: Array<[string, Uint8Array, number?]>): Uint8Array {
  const pieces: Uint8Array[] = [];
  const header = (id: string, size: number) => {
    const h = new DataView(new ArrayBuffer(8));
    [...id].forEach((c, k) => h.setUint8(k, c.charCodeAt(0)));
    h.setUint32(4, size, true);
    return new Uint8Array(h.buffer);
  };
  for (const [id, body, declared] of chunks) {
    pieces.push(header(id, declared ?? body.length), body);
    if (body.length % 2 === 1) pieces.push(new Uint8Array(1));
  }
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(12 + total);
  out.set(header('RIFF', 4 + total));
  out.set([...'WAVE'].map((c) => c.charCodeAt(0)), 8);
  let at = 12;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fmtBody(o: { tag?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number; extensible?: { validBits: number; subTag: number } }): Uint8Array {
  const channels = o.channels ?? 1, rate = o.rate ?? 16000, bits = o.bits ?? 16;
  const blockAlign = o.blockAlign ?? (channels * bits) / 8;
  const b = new DataView(new ArrayBuffer(o.extensible ? 40 : 16));
  b.setUint16(0, o.extensible ? 0xfffe : (o.tag ?? 1), true);
  b.setUint16(2, channels, true);
  b.setUint32(4, rate, true);
  b.setUint32(8, rate * blockAlign, true);
  b.setUint16(12, blockAlign, true);
  b.setUint16(14, bits, true);
  if (o.extensible) {
    b.setUint16(16, 22, true);
    b.setUint16(18, o.extensible.validBits, true);
    b.setUint32(20, 0, true);
    const guid = [o.extensible.subTag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
    guid.forEach((v, i) => b.setUint8(24 + i, v));
  }
  return new Uint8Array(b.buffer);
}

function s16(values: number[]): Uint8Array {
  const b = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((v, i) => b.setInt16(2 * i, v, true));
  return new Uint8Array(b.buffer);
}

describe('WAV reader on hand-built files', () => {
  it('skips unknown chunks, honours odd-size padding, and reads 24-in-32 extensible samples', () => {
    // 24 valid bits left-justified in 32-bit containers: value v is stored as v << 8.
    const values = [0x7fffff, -0x800000, 1, -1, 0x123456];
    const data = new DataView(new ArrayBuffer(values.length * 4));
    values.forEach((v, i) => data.setInt32(4 * i, v * 256, true));
    const bytes = riff([
      ['LIST', Uint8Array.from([1, 2, 3])], // odd: one pad byte follows
      ['fmt ', fmtBody({ bits: 32, extensible: { validBits: 24, subTag: 1 } })],
      ['junk', new Uint8Array(7)],
      ['data', new Uint8Array(data.buffer)],
      ['cue ', new Uint8Array(4)],
    ]);
    const pcm = parseWav(bytes, 'x.wav');
    expect(Array.from(pcm.channels[0])).toEqual(values.map((v) => Math.fround(v / 2 ** 23)));
  });

  it('decodes what is present when the data chunk runs past the end, and reads to the end when its size is unknown', async () => {
    const full = riff([['fmt ', fmtBody({ channels: 2 })], ['data', s16([100, -100, 200, -200, 300, -300, 400])]]);
    const cut = full.subarray(0, full.length - 2); // drops the last sample and leaves half a frame
    const pcm = parseWav(cut, 'cut.wav');
    expect(pcm.header.truncated).toBe(true);
    expect(Array.from(pcm.channels[0])).toEqual([100, 200, 300].map((v) => v / 32768));
    expect(Array.from(pcm.channels[1])).toEqual([-100, -200, -300].map((v) => v / 32768));
    const decoded = await decodeAudioBuffer(cut, 'cut.wav');
    expect(decoded.samples.length).toBe(3);
    expect(decoded.warnings?.[0]).toMatch(/truncated/);
    const streamed = riff([['fmt ', fmtBody({})], ['data', s16([5, 6, 7]), 0xffffffff]]);
    expect(Array.from(parseWav(streamed, 's.wav').channels[0])).toEqual([5, 6, 7].map((v) => v / 32768));
  });

  it('returns an empty signal for a data chunk of zero bytes', async () => {
    const decoded = await decodeAudioBuffer(riff([['fmt ', fmtBody({ rate: 44100 })], ['data', new Uint8Array(0)]]), 'empty.wav');
    expect(decoded.samples.length).toBe(0);
    expect(decoded.durationSec).toBe(0);
    expect(decoded.source).toEqual({ format: 'wav:s16', sampleRate: 44100, channels: 1 });
  });

  it.each([
    ['no fmt chunk', riff([['data', s16([1, 2])]]), /no fmt chunk/],
    ['a short fmt chunk', riff([['fmt ', new Uint8Array(12)], ['data', s16([1])]]), /fmt chunk is 12 bytes/],
    ['a fmt chunk cut by the end of file', riff([['fmt ', fmtBody({})]]).subarray(0, 30), /runs past the end/],
    ['zero channels', riff([['fmt ', fmtBody({ channels: 0, blockAlign: 2 })], ['data', s16([1])]]), /zero channels/],
    ['a 5 Hz sample rate', riff([['fmt ', fmtBody({ rate: 5 })], ['data', s16([1])]]), /absurd sample rate 5 Hz/],
    ['a 0 Hz sample rate', riff([['fmt ', fmtBody({ rate: 0 })], ['data', s16([1])]]), /absurd sample rate 0 Hz/],
    ['a wrong block align', riff([['fmt ', fmtBody({ channels: 2, blockAlign: 3 })], ['data', s16([1])]]), /block align 3/],
    ['IMA ADPCM', riff([['fmt ', fmtBody({ tag: 0x11, bits: 4, blockAlign: 256 })], ['data', new Uint8Array(256)]]), /unsupported WAV encoding IMA ADPCM/],
    ['16-bit float', riff([['fmt ', fmtBody({ tag: 3 })], ['data', s16([1])]]), /unsupported WAV sample format/],
    ['a foreign extensible GUID', riff([['fmt ', (() => { const f = fmtBody({ extensible: { validBits: 16, subTag: 1 } }); f[30] = 9; return f; })()], ['data', s16([1])]]), /sub-format/],
    ['no data chunk', riff([['fmt ', fmtBody({})]]), /no data chunk/],
  ])('refuses %s with AudioDecodeError naming the file', async (_what, bytes, message) => {
    const err = await decodeAudioBuffer(bytes, 'bad.wav').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioDecodeError);
    expect((err as AudioDecodeError).file).toBe('bad.wav');
    expect((err as Error).message).toMatch(/^bad\.wav: /);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses audio longer than maxDurationSec before decoding it (default 4 hours)', async () => {
    const short = encodeWav(new Float32Array(16000 * 3), 16000);
    await expect(decodeAudioBuffer(short, 'a.wav', { maxDurationSec: 2 })).rejects.toThrow(/a\.wav: audio is 3\.0 s long.*maxDurationSec/);
    expect((await decodeAudioBuffer(short, 'a.wav', { maxDurationSec: 3 })).durationSec).toBe(3);
    // 4 h + 1 s of 8-bit mono at 1 kHz: 14.4 MB.
    const long = riff([['fmt ', fmtBody({ rate: 1000, bits: 8 })], ['data', new Uint8Array(1000 * (4 * 3600 + 1)).fill(128)]]);
    await expect(decodeAudioBuffer(long, 'long.wav')).rejects.toThrow(/long\.wav: audio is 14401\.0 s long, more than the limit of 14400 s/);
    await expect(decodeAudioBuffer(short, 'a.wav', { maxDurationSec: -1 })).rejects.toThrow(/maxDurationSec/);
  });
});

describe('encodeWav', () => {
  it('writes 16-bit PCM mono that sox reads back to the input within 2^-16, clipping out-of-range samples', () => {
    requireTool('sox');
    const x = Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i / 7) * 0.99);
    x[10] = 1.5;
    x[11] = -1.5;
    const path = join(tmp.dir, 'written.wav');
    writeFileSync(path, encodeWav(x, 12345));
    const back = readWithSox(path);
    expect(back.length).toBe(x.length);
    for (let i = 0; i < x.length; i++) {
      const expected = i === 10 ? 32767 / 32768 : i === 11 ? -1 : x[i];
      expect(Math.abs(back[i] - expected)).toBeLessThanOrEqual(2 ** -16);
    }
    expect(run('soxi', ['-r', path]).toString().trim()).toBe('12345');
    expect(() => encodeWav(x, 0)).toThrow(/sampleRate/);
    expect(() => encodeWav(Float32Array.of(0, Number.NaN), 16000)).toThrow(/sample 1 is NaN/);
  });
});
