/**
 * `hark words` end to end: add (CMUdict, G2P guess, the user's own with alternatives), list,
 * say (espeak-ng speaks the stored pronunciation to a WAV, --out keeps it; without --out it is played
 * through the first player on PATH, here a stand-in script that records what it was given, or kept
 * and named when there is no player), remove; and `hark transcribe` using the vocabulary by default
 * or refusing a damaged --vocab file with a usage error.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('say plays the word through the first player on PATH from a temporary WAV, removed afterwards', async () => {
    const bin = join(dir, 'player-bin');
    const tmp = join(dir, 'say-tmp');
    mkdirSync(bin, { recursive: true });
    mkdirSync(tmp, { recursive: true });
    const log = join(dir, 'played.log');
    // Stands in for aplay: records its arguments and keeps a copy of the file it was asked to play.
    writeFileSync(join(bin, 'aplay'), '#!/bin/sh\nfor a; do last="$a"; done\nprintf \'%s\\n\' "$*" >> "$PLAYER_LOG"\ncp "$last" "$PLAYER_LOG.wav"\n');
    chmodSync(join(bin, 'aplay'), 0o755);
    await runHark(['words', 'add', 'zib', '--pron', 'Z IH B'], { env });
    const r = await runHark(['words', 'say', 'zib'], { env: { ...env, PATH: `${bin}:${process.env.PATH}`, PLAYER_LOG: log, TMPDIR: tmp }, cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('played zib\tZ IH B\t(user) with aplay\n');
    const args = readFileSync(log, 'utf8').trim().split(' ');
    expect(args[0]).toBe('-q');
    expect(args[1]).toMatch(/hark-say-.*[/\\]zib\.wav$/);
    const audio = await decodeAudioBuffer(new Uint8Array(readFileSync(`${log}.wav`)), 'zib.wav');
    expect(audio.durationSec).toBeGreaterThan(0.2);
    // The temporary WAV and its folder are gone; nothing was written to the current folder.
    expect(existsSync(args[1])).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('hark-say-'))).toEqual([]);
    expect(readdirSync(tmp)).not.toContain('zib.wav');

    // A player that fails: the WAV is kept and named, and the exit status says so.
    writeFileSync(join(bin, 'aplay'), '#!/bin/sh\necho "no sound card" >&2\nexit 3\n');
    const failed = await runHark(['words', 'say', 'zib'], { env: { ...env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp }, cwd: tmp });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/aplay could not play it .*no sound card.*; the WAV is kept at /);
    expect(existsSync(failed.stdout.trim())).toBe(true);
  });

  it('say keeps the WAV and says where it is when no player is on PATH', async () => {
    const bin = join(dir, 'no-player-bin');
    const tmp = join(dir, 'no-player-tmp');
    mkdirSync(bin, { recursive: true });
    mkdirSync(tmp, { recursive: true });
    // Only espeak-ng on PATH: no aplay, paplay, pw-play or ffplay.
    symlinkSync('/usr/bin/espeak-ng', join(bin, 'espeak-ng'));
    await runHark(['words', 'add', 'zib', '--pron', 'Z IH B'], { env });
    const r = await runHark(['words', 'say', 'zib'], { env: { ...env, PATH: bin, TMPDIR: tmp }, cwd: tmp });
    expect(r.code).toBe(0);
    const wav = r.stdout.trim();
    expect(wav).toMatch(/hark-say-.*[/\\]zib\.wav$/);
    expect(r.stderr).toBe(`words: no audio player found on PATH (looked for aplay, paplay, pw-play, ffplay); the WAV is kept at ${wav}\n`);
    const audio = await decodeAudioBuffer(new Uint8Array(readFileSync(wav)), 'zib.wav');
    expect(audio.durationSec).toBeGreaterThan(0.2);
    expect(readdirSync(tmp).filter((f) => f.startsWith('hark-say-'))).toEqual([wav.split(/[/\\]/).at(-2)]);
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
