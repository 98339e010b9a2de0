// The real-speech set builder: reserved packages refused before anything is fetched, source
// parsers on hand-built inputs, text cleaning, and the dev/train split by speaker.
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertAllowedPackage, isReservedPackage, type RealSource } from '../../src-main/train/data/real/real-source.ts';
import { buildRealSet, cleanRealText, unpackSource } from '../../src-main/train/data/real/build-real-set.ts';
import { REAL_SOURCES } from '../../src-main/train/data/real/real-sources.ts';
import { hashBucket, splitSpeakers } from '../../src-main/train/data/real/real-split.ts';
import { mulawToLinear, readSunAu } from '../../src-main/train/data/real/sun-au.ts';
import { parseKlettresSounds } from '../../src-main/train/data/real/sources/klettres.ts';
import { parseWarzoneAudioCfg } from '../../src-main/train/data/real/sources/warzone2100.ts';
import { letterNameText } from '../../src-main/train/data/real/letter-names.ts';
import { realSetCommand } from '../../src-main/cli/real-set-command.ts';

const tmp = mkdtempSync(join(tmpdir(), 'hark-real-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const RESERVED = ['pocketsphinx-testdata', 'alsa-utils', 'asterisk-core-sounds-en', 'asterisk-core-sounds-en-wav', 'asterisk-core-sounds-fr-g722',
  'ktuberling-data', 'hedgewars-data', 'drascula', 'drascula-french', 'Drascula-Music'];

describe('reserved packages', () => {
  it('every reserved package is refused, ordinary ones are not', () => {
    for (const p of RESERVED) {
      expect(isReservedPackage(p)).toBe(true);
      expect(() => assertAllowedPackage(p)).toThrow(/reserved for the independent real-speech check/);
    }
    for (const p of ['saytime', 'klettres-data', 'warzone2100-data', 'pocketsphinx-en-us', 'alsa-utils-extra', 'asterisk']) expect(isReservedPackage(p)).toBe(false);
  });

  it('no known source reads a reserved package', () => {
    for (const s of REAL_SOURCES) for (const p of s.debPackages) expect(isReservedPackage(p), `${s.name}: ${p}`).toBe(false);
  });

  it('the builder refuses a source that names a reserved package before fetching or writing anything', async () => {
    let extracted = false;
    const bad: RealSource = { name: 'sneaky', debPackages: ['saytime', 'ktuberling-data'], license: '', speakerNote: '',
      async *extract() { extracted = true; } };
    const out = join(tmp, 'out'), cache = join(tmp, 'cache');
    await expect(buildRealSet({ out, cacheDir: cache, sources: [bad], log: () => {} })).rejects.toThrow(/ktuberling-data is reserved/);
    await expect(unpackSource(bad, cache, () => {})).rejects.toThrow(/ktuberling-data is reserved/);
    expect(extracted).toBe(false);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('hark real-set --sources refuses a reserved package name', async () => {
    await expect(realSetCommand(['--sources', 'drascula', '--out', join(tmp, 'x'), '--cache', join(tmp, 'y')])).rejects.toThrow(/drascula is reserved/);
    await expect(realSetCommand(['--sources', 'nope', '--out', join(tmp, 'x'), '--cache', join(tmp, 'y')])).rejects.toThrow(/unknown source "nope"/);
  });
});

describe('source formats', () => {
  it('reads .au with a header (16-bit linear, stereo) and headerless 8 kHz mu-law', () => {
    const b = new Uint8Array(24 + 8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 0x2e736e64); dv.setUint32(4, 24); dv.setUint32(8, 8); dv.setUint32(12, 3); dv.setUint32(16, 11025); dv.setUint32(20, 2);
    dv.setInt16(24, 16384); dv.setInt16(26, 0); dv.setInt16(28, -32768); dv.setInt16(30, -32768);
    const r = readSunAu(b, 'x.au');
    expect(r.sampleRate).toBe(11025);
    expect([...r.pcm]).toEqual([0.25, -1]);
    const raw = readSunAu(new Uint8Array([0xff, 0x7f, 0x00, 0x80]), 'y.au');
    expect(r.pcm.length).toBe(2);
    expect(raw.sampleRate).toBe(8000);
    // G.711: 0xff and 0x7f are the two zeros, 0x00 the most negative and 0x80 the most positive value (32124/32768).
    expect([...raw.pcm].map((x) => Math.round(x * 32768) + 0)).toEqual([0, 0, -32124, 32124]);
    expect(mulawToLinear(0xef)).toBeGreaterThan(0);
    expect(() => readSunAu(new Uint8Array(0), 'z.au')).toThrow(/empty/);
    dv.setUint32(12, 27);
    expect(() => readSunAu(b, 'x.au')).toThrow(/unsupported .au encoding 27/);
  });

  it('parses KLettres sounds.xml and Warzone 2100 audio.cfg', () => {
    const xml = '<alphabet>\n<sound name="A" file="en/alpha/A.ogg" />\n</alphabet><syllables><sound name="CAR" file="en/syllab/car.ogg" /></syllables>';
    expect(parseKlettresSounds(xml)).toEqual([{ name: 'A', file: 'en/alpha/A.ogg', letter: true }, { name: 'CAR', file: 'en/syllab/car.ogg', letter: false }]);
    const cfg = 'audio_module\n{\n\taudio\t"beep1.ogg"\t\toneshot  30 1800\t/*Close Window*/\n\taudio "pcv337.ogg" oneshot 100 1800  /*Structure Under Attack*/\n\taudio "x.ogg" loop 1 1\n';
    expect(parseWarzoneAudioCfg(cfg)).toEqual([{ file: 'beep1.ogg', text: 'Close Window' }, { file: 'pcv337.ogg', text: 'Structure Under Attack' }]);
  });

  it('letter names: "a" is said as "ay" (CMUdict\'s first "a" is the article)', () => {
    expect(letterNameText('A')).toBe('ay');
    expect(letterNameText('b')).toBe('b');
    expect(() => letterNameText('ab')).toThrow();
  });
});

describe('manifest', () => {
  it('rebuilding one source keeps the others\' records; text is normalized and splits are by speaker', async () => {
    const tone = (sec: number, rate: number) => Float32Array.from({ length: Math.round(sec * rate) }, (_, i) => 0.3 * Math.sin(i / 5));
    // saytime is installed wherever the tests run (.ci/run installs it), so these sources read "/" and fetch nothing.
    const make = (name: string, texts: string[]): RealSource => ({ name, debPackages: ['saytime'], license: 'test', speakerNote: 'test',
      async *extract() { for (const [i, t] of texts.entries()) yield { id: `u${i}`, speaker: `${name}:s${i % 2}`, text: t, pcm: tone(0.5, 8000), sampleRate: 8000 }; } });
    const out = join(tmp, 'merge');
    await buildRealSet({ out, cacheDir: join(tmp, 'c2'), sources: [make('alpha', ['Hello there!', 'ch', 'two dogs'])], log: () => {} });
    await buildRealSet({ out, cacheDir: join(tmp, 'c2'), sources: [make('beta', ['one more', '42'])], log: () => {} });
    const again = await buildRealSet({ out, cacheDir: join(tmp, 'c2'), sources: [make('alpha', ['Hello there!'])], log: () => {} });
    expect(again.map((r) => r.id)).toEqual(['alpha.u0']);
    const { readRealManifest } = await import('../../src-main/train/data/real/build-real-set.ts');
    const recs = await readRealManifest(out);
    expect(recs.map((r) => `${r.id}=${r.text}`).sort()).toEqual(['alpha.u0=hello there', 'beta.u0=one more', 'beta.u1=forty two']);
    expect(recs.every((r) => r.samples === 8000 && r.split === 'train')).toBe(true);
  });
});

describe('text and split', () => {
  it('normalizes text and rejects sounds that are not words', () => {
    expect(cleanRealText('Structure Under Attack...')).toEqual({ words: ['structure', 'under', 'attack'], guessed: [] });
    expect(cleanRealText('I have 3 DOGS!')).toEqual({ words: ['i', 'have', 'three', 'dogs'], guessed: [] });
    expect(cleanRealText('...')).toEqual({ reject: 'no words' });
    expect(cleanRealText('ch')).toMatchObject({ reject: expect.stringMatching(/not a word/) });
    expect(cleanRealText('the zorblatt is here')).toEqual({ words: ['the', 'zorblatt', 'is', 'here'], guessed: ['zorblatt'] });
  });

  it('splits by speaker: listed dev speakers, hash split of game characters keeping the largest in train', () => {
    const small = splitSpeakers('qabcs', new Map([['qabcs:en', 150], ['qabcs:en_gb', 30]]));
    expect(small.get('qabcs:en')).toBe('dev');
    expect(small.get('qabcs:en_gb')).toBe('train');
    const names = Array.from({ length: 60 }, (_, i) => `amazon-queen:c${i}`);
    const counts = new Map(names.map((n, i) => [n, i === 7 ? 1000 : 10]));
    const split = splitSpeakers('amazon-queen', counts);
    const dev = names.filter((n) => split.get(n) === 'dev');
    expect(split.get('amazon-queen:c7')).toBe('train');
    for (const n of dev) expect(hashBucket(n, 5)).toBe(0);
    expect(dev.length).toBeGreaterThan(4);
    expect(dev.length).toBeLessThan(25);
    // Stable: the same speakers give the same split.
    expect(splitSpeakers('amazon-queen', counts)).toEqual(split);
  });
});
