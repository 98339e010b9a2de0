/**
 * `hark words` end to end: add (CMUdict, G2P guess, the user's own with alternatives), list,
 * say (espeak-ng speaks the stored pronunciation to a WAV), remove; and `hark transcribe` using
 * the vocabulary by default or refusing a damaged --vocab file with a usage error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAudioBuffer } from '../../src-main/audio/index.ts';
import { runHark } from './cli-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'hark-cli-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { HARK_USER_DATA: dir };

describe('hark words', () => {
  it('adds, lists, says and removes words in the user data folder', async () => {
    const g2p = await runHark(['words', 'add', 'Zorblat'], { env });
    expect(g2p.code).toBe(0);
    expect(g2p.stdout).toMatch(/^zorblat\t[A-Z ]+\t\(g2p\)\n$/);
    expect(g2p.stderr).toMatch(/not in CMUdict.*hark words say zorblat/);
    expect((await runHark(['words', 'add', 'quux', '--pron', 'K W UH K S | K UW K S'], { env })).stdout).toBe('quux\tK W UH K S | K UW K S\t(user)\n');
    expect((await runHark(['words', 'add', 'cat'], { env })).stdout).toBe('cat\tK AE T\t(cmudict)\n');
    const list = await runHark(['words', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout).map((w: { word: string }) => w.word)).toEqual(['cat', 'quux', 'zorblat']);
    const wav = join(dir, 'quux.wav');
    const said = await runHark(['words', 'say', 'quux', '--out', wav], { env });
    expect(said.code).toBe(0);
    const audio = await decodeAudioBuffer(new Uint8Array(readFileSync(wav)), 'quux.wav');
    expect(audio.durationSec).toBeGreaterThan(0.3);
    expect((await runHark(['words', 'remove', 'cat'], { env })).stdout).toBe('removed cat\n');
    expect((await runHark(['words', 'remove', 'cat'], { env })).code).toBe(1);
    const bad = await runHark(['words', 'add', 'oops', '--pron', 'K XX'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"XX" is not an ARPAbet phoneme/);
    expect(JSON.parse(readFileSync(join(dir, 'words.json'), 'utf8')).words.map((w: { word: string }) => w.word)).toEqual(['quux', 'zorblat']);
  });

  it('transcribe refuses a damaged vocabulary file with a usage error naming it', async () => {
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{ not json');
    const r = await runHark(['transcribe', 'assets/samples/digits.wav', '--vocab', damaged], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/damaged\.json: not valid JSON/);
    const missing = await runHark(['transcribe', 'assets/samples/digits.wav', '--vocab', join(dir, 'nope.json')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});
