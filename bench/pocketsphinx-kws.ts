/**
 * PocketSphinx's keyword-spotting mode as a baseline for Hark's keyword spotter, through Debian's
 * `pocketsphinx_continuous` (package pocketsphinx 0.8+5prealpha, acoustic model pocketsphinx-en-us):
 *
 *   pocketsphinx_continuous -infile S.wav -hmm /usr/share/pocketsphinx/model/en-us/en-us \
 *       -dict /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict -kws KWS.txt -time yes
 *
 * KWS.txt has one line per keyphrase, "next slide /1e-20/": the threshold is a likelihood ratio,
 * lower is more permissive. The WAV must be 16 kHz mono 16-bit with a 44-byte header and its name
 * must end in ".wav" (otherwise the header is decoded as audio). Output on stdout, per utterance its
 * VAD closes: a line of the keyphrases found, then with `-time yes` one line per detection,
 * "<keyphrase> <start s> <end s> <posterior>", newest first, times from the start of the file:
 *
 *   next slide  computer
 *   next slide  35.710 36.450 0.799374
 *   computer  33.720 34.180 0.821172
 *
 * A keyphrase word missing from the dictionary is skipped silently (exit status 0), so it is
 * checked here first.
 */
import { runProcess } from '../src-main/system/process-pool.ts';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWavHeader } from '../src-main/audio/wav-reader.ts';
import { scoreKeywordHits, type KeywordHit, type KeywordScore } from './keyword-scoring.ts';
import type { StreamTruth } from './stream-set.ts';

export const POCKETSPHINX_BIN = 'pocketsphinx_continuous';
export const POCKETSPHINX_HMM = '/usr/share/pocketsphinx/model/en-us/en-us';
export const POCKETSPHINX_DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

/** Thresholds for a sweep: 1e-50 .. 1e-5, one per 5 decades. */
export const KWS_THRESHOLDS: readonly number[] = [1e-50, 1e-45, 1e-40, 1e-35, 1e-30, 1e-25, 1e-20, 1e-15, 1e-10, 1e-5];

let dictWords: Set<string> | null = null;

/** Throws unless every word of every keyword is in the PocketSphinx dictionary. */
function checkInDictionary(keywords: readonly string[]): void {
  // Lines are "word PH ON ES" or "word(2) PH ON ES" for alternative pronunciations.
  dictWords ??= new Set(readFileSync(POCKETSPHINX_DICT, 'utf8').split('\n').map((l) => l.split(' ')[0].replace(/\(\d+\)$/, '')));
  const missing = keywords.flatMap((k) => k.split(' ')).filter((w) => !dictWords!.has(w));
  if (missing.length > 0) throw new Error(`pocketsphinx: not in ${POCKETSPHINX_DICT}: ${missing.join(', ')}`);
}

function checkWav(wavPath: string): void {
  if (!wavPath.endsWith('.wav')) throw new Error(`pocketsphinx reads a WAV header only from a file named *.wav, got ${wavPath}`);
  const bytes = new Uint8Array(4096);
  const fd = openSync(wavPath, 'r');
  let n: number;
  try {
    n = readSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
  const h = readWavHeader(bytes.subarray(0, n), wavPath);
  if (h.encoding !== 's16' || h.channels !== 1 || h.sampleRate !== 16000 || h.dataOffset !== 44) {
    throw new Error(`${wavPath}: pocketsphinx needs 16 kHz mono 16-bit PCM with a 44-byte header, got ${h.encoding} ${h.channels} ch ${h.sampleRate} Hz, data at ${h.dataOffset}`);
  }
}

/** Detection lines: "<keyphrase> <start> <end> <posterior>" (the keyphrase may hold spaces). */
const DETECTION = /^(.+?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\S+)$/;

/** Parses pocketsphinx_continuous stdout in kws mode with `-time yes` into hits sorted by start. */
export function parsePocketsphinxKws(stdout: string, keywords: readonly string[]): KeywordHit[] {
  const hits: KeywordHit[] = [];
  for (const line of stdout.split('\n')) {
    const m = DETECTION.exec(line.trim());
    if (!m || !keywords.includes(m[1])) continue;
    hits.push({ keyword: m[1], start: Number(m[2]), end: Number(m[3]) });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Runs the binary; rejects with the end of its log on failure, or when the log reports a FATAL error with exit 0. */
async function run(args: string[]): Promise<{ stdout: string; log: string }> {
  const { stdout, stderr } = await runProcess(POCKETSPHINX_BIN, args);
  if (/^FATAL/m.test(stderr)) throw new Error(`${POCKETSPHINX_BIN} ${args.join(' ')} failed: ${stderr.trim().slice(-800)}`);
  return { stdout: stdout.toString('utf8'), log: stderr };
}

/**
 * Spots `keywords` in a 16 kHz mono 16-bit WAV with one threshold for all of them.
 * wallSec: the process's wall time, model loading included (about 1 s).
 */
export async function runPocketsphinxKws(wavPath: string, keywords: string[], threshold: number): Promise<{ hits: KeywordHit[]; wallSec: number }> {
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`runPocketsphinxKws: threshold must be in (0, 1], got ${threshold}`);
  if (keywords.length === 0 || keywords.some((k) => !/^[a-z']+( [a-z']+)*$/.test(k))) {
    throw new Error(`runPocketsphinxKws: keywords must be lower-case words, got ${JSON.stringify(keywords)}`);
  }
  checkInDictionary(keywords);
  checkWav(wavPath);
  const dir = mkdtempSync(join(tmpdir(), 'hark-pskws-'));
  try {
    const kwsFile = join(dir, 'keywords.kws');
    writeFileSync(kwsFile, keywords.map((k) => `${k} /${threshold.toExponential()}/\n`).join(''));
    // -logfn sends the log to a file; keep it on stderr instead, so that a failure can show it.
    const args = ['-infile', wavPath, '-hmm', POCKETSPHINX_HMM, '-dict', POCKETSPHINX_DICT, '-kws', kwsFile, '-time', 'yes'];
    const t0 = performance.now();
    const { stdout } = await run(args);
    return { hits: parsePocketsphinxKws(stdout, keywords), wallSec: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KwsSweepRow {
  threshold: number;
  score: KeywordScore;
  wallSec: number;
}

/**
 * Runs PocketSphinx once per threshold on a stream and scores each run. `best` is the fair
 * operating point for a comparison: the highest recall with at most maxFalseAlarmsPerHour
 * (default 5) false alarms an hour, ties going to fewer false alarms; null when no threshold
 * qualifies.
 */
export async function sweepPocketsphinxKws(
  wavPath: string,
  truth: StreamTruth,
  opts: { thresholds?: readonly number[]; maxFalseAlarmsPerHour?: number; toleranceSec?: number; onRow?: (row: KwsSweepRow) => void } = {},
): Promise<{ rows: KwsSweepRow[]; best: KwsSweepRow | null }> {
  const maxFa = opts.maxFalseAlarmsPerHour ?? 5;
  const rows: KwsSweepRow[] = [];
  for (const threshold of opts.thresholds ?? KWS_THRESHOLDS) {
    const { hits, wallSec } = await runPocketsphinxKws(wavPath, truth.keywords, threshold);
    const row = { threshold, score: scoreKeywordHits(truth, hits, { toleranceSec: opts.toleranceSec }), wallSec };
    rows.push(row);
    opts.onRow?.(row);
  }
  let best: KwsSweepRow | null = null;
  for (const r of rows) {
    if (r.score.falseAlarms.perHour > maxFa) continue;
    const better = best === null || r.score.recall.found > best.score.recall.found
      || (r.score.recall.found === best.score.recall.found && r.score.falseAlarms.count < best.score.falseAlarms.count);
    if (better) best = r;
  }
  return { rows, best };
}
