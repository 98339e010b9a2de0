// `hark transcribe` as a child process on a random-weight model: exit codes, the JSON line
// contract, per-file failures that do not stop the run, usage errors, formats and --help.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPhraseRejection, MAX_KEYWORDS } from '../../src-shared/ipc/recognition-contract.ts';
import { OfflineRecognizer } from '../../src-main/engine/offline-recognizer.ts';
import { DEFAULT_PHRASE_OPTIONS } from '../../src-main/decode/phrase-decoder.ts';
import { readListFile } from '../../src-main/engine/list-file.ts';
import { makeCliFixture, runHark, type CliFixture } from './cli-fixtures.ts';

let fx: CliFixture;
beforeAll(async () => { fx = await makeCliFixture(); });
afterAll(async () => { await fx.cleanup(); });

const parseLines = (s: string) => s.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('hark --help', () => {
  it('lists the commands; no command is a usage error', async () => {
    const r = await runHark(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['transcribe', 'eval', 'train', 'export']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect((await runHark([])).code).toBe(2);
    const unknown = await runHark(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('transcribe --help lists every option with its default', async () => {
    const r = await runHark(['transcribe', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--format <text\|json\|srt\|vtt>\s+Output format .*\(default: text\)/);
    expect(r.stdout).toMatch(/--provider <cpu\|cuda>\s+.*\(default: cpu\)/);
    expect(r.stdout).toMatch(/--beam <n>\s+Beam size \(default: 48 dictation, 12 with --words\)/);
    expect(r.stdout).toMatch(new RegExp(`--threshold <n>\\s+Phrase confidence needed to accept \\(--phrases\\) \\(default: the model's calibrated threshold, decoding\\.phrase in model\\.json; ${DEFAULT_PHRASE_OPTIONS.threshold} when absent\\)`));
    expect(r.stdout).toMatch(/--model <value>\s+.*\(default: \$HARK_MODEL, else models\/hark-en/);
    expect(r.stdout).toMatch(/--lm-weight <n>/);
    expect(r.stdout).toMatch(/--word-bonus <n>/);
    expect(r.stdout).toMatch(/--keywords <value>\s+Keyword list file/);
    expect(r.stdout).toMatch(/--stream\s+Stream each file/);
    expect(r.stdout).toMatch(/--chunk-ms <n>\s+.*\(default: 50\)/);
    expect(r.stdout).toMatch(/--endpoint-silence <n>\s+.*\(default: 0.6\)/);
  });
});

describe('hark transcribe', () => {
  it('json: one contract object per file in order; a corrupt file gives {file, error}, exit 1, and the others are still transcribed', async () => {
    const r = await runHark(['transcribe', fx.clipA, fx.corrupt, fx.clipB, '--model', fx.modelDir, '--words', fx.wordsList, '--format', 'json']);
    expect(r.code).toBe(1);
    const lines = parseLines(r.stdout);
    expect(lines.map((l) => l.file)).toEqual([fx.clipA, fx.corrupt, fx.clipB]);
    expect(lines[1]).toEqual({ file: fx.corrupt, error: 'not an audio file: it looks like text' });
    // The same recognizer in-process gives the same transcripts.
    const rec = await OfflineRecognizer.create({ modelDir: fx.modelDir, mode: { kind: 'words', items: await readListFile(fx.wordsList) } });
    for (const [i, clip] of [[0, fx.clipA], [2, fx.clipB]] as const) {
      const l = lines[i];
      expect(Object.keys(l)).toEqual(['file', 'text', 'words', 'durationSec', 'processingSec']);
      const words = l.words as Record<string, unknown>[];
      for (const w of words) {
        expect(Object.keys(w)).toEqual(['word', 'start', 'end', 'confidence']);
        expect(w.start as number).toBeLessThanOrEqual(w.end as number);
        expect(w.end as number).toBeLessThanOrEqual(l.durationSec as number);
      }
      const expected = await rec.recognizeFile(clip);
      expect(l.text).toBe(expected.text);
      expect(words.map((w) => [w.word, w.start, w.end])).toEqual(expected.words.map((w) => [w.word, w.start, w.end]));
      expect(l.durationSec).toBe(expected.durationSec);
      expect(l.processingSec as number).toBeGreaterThan(0);
    }
    await rec.dispose();
  });

  it('a truncated WAV is transcribed as far as it goes, with a warning naming it, and exit 1 (as documented)', async () => {
    const whole = await readFile(fx.clipA);
    const truncated = join(fx.dir, 'truncated.wav');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const args = [fx.clipB, truncated, '--model', fx.modelDir, '--words', fx.wordsList, '--format', 'json'];
    const r = await runHark(['transcribe', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${truncated.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: warning: truncated WAV: decoded the \\d+ frames present\n$`));
    const lines = parseLines(r.stdout);
    expect(lines.map((l) => l.file)).toEqual([fx.clipB, truncated]);
    expect(lines[1].error).toBeUndefined();
    expect(lines[1].durationSec as number).toBeGreaterThan(0);
    // 16-bit mono at 16 kHz after a 44-byte header: the part kept is shorter than the whole clip.
    expect(lines[1].durationSec as number).toBeLessThan((whole.length - 44) / 32000 - 0.2);
    const streamed = await runHark(['transcribe', '--stream', ...args]);
    expect(streamed.code).toBe(1);
    expect(streamed.stderr).toContain(`${truncated}: warning: truncated WAV`);
    // The whole file alone: no warning, exit 0.
    expect((await runHark(['transcribe', fx.clipA, '--model', fx.modelDir, '--words', fx.wordsList])).code).toBe(0);
    // The user guide says the same.
    expect(await readFile('docs/USER-GUIDE.md', 'utf8')).toMatch(/truncated or damaged file[^.]*is transcribed as far as it can be read[^.]*warning naming it[^.]*exits? 1/);
  });

  it('text: exit 0, "file: text" lines with several files; HARK_MODEL selects the model', async () => {
    const r = await runHark(['transcribe', fx.clipA, fx.silence, '--words', fx.wordsList], { env: { HARK_MODEL: fx.modelDir } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0].startsWith(`${fx.clipA}: `)).toBe(true);
    expect(lines[1].startsWith(`${fx.silence}: `)).toBe(true);
  });

  it('phrases: json adds "phrase" (a listed phrase or null) and "confidence", and "rejection" for rejected speech', async () => {
    const r = await runHark(['transcribe', fx.clipA, fx.clipB, fx.silence, '--model', fx.modelDir, '--phrases', fx.phrasesList, '--format', 'json']);
    expect(r.code).toBe(0);
    for (const l of parseLines(r.stdout)) {
      const rejected = l.rejection !== undefined;
      expect(Object.keys(l)).toEqual(['file', 'text', 'words', 'durationSec', 'processingSec', 'phrase', 'confidence', ...(rejected ? ['rejection'] : [])]);
      if (rejected) {
        expect(l.phrase).toBeNull();
        expect(checkPhraseRejection(l.rejection, 'json', 'rejection')).toEqual(l.rejection);
      }
      // Silence is no utterance: nothing to say about it.
      if (l.file === fx.silence) expect(l.rejection).toBeUndefined();
      expect([null, 'open the file', 'next slide', 'close the window']).toContain(l.phrase);
      expect(l.confidence as number).toBeGreaterThanOrEqual(0);
      expect(l.confidence as number).toBeLessThanOrEqual(1);
      expect(l.text).toBe(l.phrase ?? '');
    }
  });

  it('--lm takes PocketSphinx\'s binary trigram (its vocabulary in the output); a missing LM is a usage error', async () => {
    const sphinxLm = '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin';
    const noisy = ['--model', fx.modelDir, '--word-bonus', '10', '--format', 'json', '--no-vtln'];
    const r = await runHark(['transcribe', fx.clipA, '--lm', sphinxLm, ...noisy]);
    expect(r.code, r.stderr).toBe(0);
    const words = (parseLines(r.stdout)[0].words as { word: string }[]).map((w) => w.word);
    expect(words.length).toBeGreaterThan(0);
    const { loadSphinxTrieLM } = await import('../../src-main/decode/sphinx-trie-lm-reader.ts');
    const vocab = new Set(loadSphinxTrieLM(sphinxLm).vocab);
    for (const w of words) expect(vocab.has(w), w).toBe(true);
    const missing = await runHark(['transcribe', fx.clipA, '--lm', '/nonexistent/x.lm.bin', ...noisy]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--lm /nonexistent/x.lm.bin: no such file');
  });

  it('srt and vtt: subtitle documents; dictation by default', async () => {
    // A large word bonus makes the random model's phoneme noise come out as words, so cues exist.
    const noisy = ['--model', fx.modelDir, '--word-bonus', '10', '--lm-weight', '0.3'];
    const vtt = await runHark(['transcribe', fx.clipA, '--format', 'vtt', ...noisy]);
    expect(vtt.code).toBe(0);
    expect(vtt.stdout.startsWith('WEBVTT\n\n')).toBe(true);
    const vttCues = [...vtt.stdout.matchAll(/^(\S+) --> (\S+)\n(.+)\n/gm)];
    expect(vttCues.length).toBeGreaterThan(0);
    for (const m of vttCues) {
      expect(m[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
      expect(m[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
      expect(m[3].split(' ').length).toBeLessThanOrEqual(7);
    }
    const srt = await runHark(['transcribe', fx.clipA, '--format', 'srt', ...noisy]);
    expect(srt.code).toBe(0);
    const blocks = srt.stdout.trimEnd().split('\n\n');
    expect(blocks.length).toBe(vttCues.length);
    blocks.forEach((b, i) => {
      const [n, times, text] = b.split('\n');
      expect(n).toBe(String(i + 1));
      expect(times).toBe(`${vttCues[i][1].replace('.', ',')} --> ${vttCues[i][2].replace('.', ',')}`);
      expect(text).toBe(vttCues[i][3]);
    });
  });

  it('usage errors exit 2 with a message: no files, both lists, both --vtln and --no-vtln, unknown options, stream options without --stream, bad values, unreadable list, too many keywords', async () => {
    const manyKeywords = join(fx.dir, 'many-keywords.txt');
    await writeFile(manyKeywords, Array.from({ length: MAX_KEYWORDS + 1 }, (_, i) => `keyword number ${i}`).join('\n') + '\n');
    const cases: [string[], string][] = [
      [['transcribe'], 'no input files'],
      [['transcribe', fx.clipA, '--phrases', fx.phrasesList, '--words', fx.wordsList], 'use either --phrases or --words, not both'],
      [['transcribe', fx.clipA, '--vtln', '--no-vtln'], 'use either --vtln or --no-vtln, not both'],
      [['transcribe', fx.clipA, '--stream', '--vtln', '--no-vtln'], 'use either --vtln or --no-vtln, not both'],
      [['transcribe', fx.clipA, '--keywords', `${fx.dir}/missing.txt`], `${fx.dir}/missing.txt: list file not found`],
      [['transcribe', fx.clipA, '--realtime'], '--realtime needs --stream'],
      [['transcribe', fx.clipA, '--listen'], "Unknown option '--listen'"],
      [['transcribe', fx.clipA, '--format', 'xml'], '--format must be one of text, json, srt, vtt, got "xml"'],
      [['transcribe', fx.clipA, '--beam', 'wide'], '--beam expects a number, got "wide"'],
      [['transcribe', fx.clipA, '--words', `${fx.dir}/missing.txt`], `${fx.dir}/missing.txt: list file not found`],
      [['transcribe', fx.clipA, '--keywords', manyKeywords], `${MAX_KEYWORDS + 1} keywords, at most ${MAX_KEYWORDS} can be spotted at once`],
    ];
    for (const [args, message] of cases) {
      const r = await runHark([...args, '--model', fx.modelDir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });

  it('a missing model is a clear failure (exit 1), not a crash', async () => {
    const r = await runHark(['transcribe', fx.clipA, '--model', `${fx.dir}/no-model`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`hark transcribe: model ${fx.dir}/no-model: model folder not found (pass --model DIR or set HARK_MODEL)\n`);
  });
});
