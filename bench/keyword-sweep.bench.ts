/**
 * The recall / false-alarm trade-off of keyword spotting on the held-out hour: the streaming
 * recognizer run once per per-phoneme threshold (sensitivity s uses llrThreshold * 2s). A
 * diagnostic of how sensitivity behaves on voices never trained on; the defaults are chosen on
 * real speech of the validation slice (DEFAULT_KEYWORD_OPTIONS), never from this sweep.
 * --warps sets the keyword warps (default: the recognizer's, DEFAULT_KEYWORD_WARPS). Writes
 * bench/results/keyword-sweep.json (NAME.json with --out).
 *   node bin/run-ts.mjs bench/keyword-sweep.bench.ts [--thresholds=-1.0,-1.2,-1.5] [--warps 1,0.8] [--minutes 60] [--model DIR] [--out NAME]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { DEFAULT_KEYWORD_WARPS } from '../src-main/engine/keyword-warp-bank.ts';
import { scoreKeywordHits, type KeywordHit } from './keyword-scoring.ts';
import { buildKeywordStream, STREAM_KEYWORDS } from './stream-set.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: {
  thresholds: { type: 'string', default: '-1.0,-1.2,-1.5' },
  warps: { type: 'string' },
  minutes: { type: 'string', default: '60' },
  model: { type: 'string' },
  out: { type: 'string' },
} });
const warps = values.warps ? values.warps.split(',').map(Number) : [...DEFAULT_KEYWORD_WARPS];
const model = await loadModelPackage(resolveModelDir(values.model));
const test = await buildKeywordStream({ minutes: Number(values.minutes), seed: 1 });
const audio = await decodeAudioFile(test.wavPath);
const rows: { llrThreshold: number; recall: number; found: number; total: number; faPerHour: number; byVoice: Record<string, string> }[] = [];
for (const llrThreshold of String(values.thresholds).split(',').map(Number)) {
  const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items: ['next slide'] }, keywords: STREAM_KEYWORDS.map((text) => ({ text })), keyword: { llrThreshold }, keywordWarps: warps });
  await rec.reset();
  const hits: KeywordHit[] = [];
  const take = (evs: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => { for (const e of evs) if (e.type === 'keyword') hits.push(e); };
  for (let i = 0; i < audio.samples.length; i += 1600) take(await rec.acceptPcm(audio.samples.subarray(i, i + 1600)));
  take(await rec.finish());
  await rec.dispose();
  const s = scoreKeywordHits(test.truth, hits);
  const byVoice = Object.fromEntries(Object.entries(s.byVoice).map(([k, v]) => [k, `${v.found}/${v.total}`]));
  rows.push({ llrThreshold, recall: Number((100 * s.recall.recall).toFixed(1)), found: s.recall.found, total: s.recall.total, faPerHour: Number(s.falseAlarms.perHour.toFixed(1)), byVoice });
  console.log(`llrThreshold ${llrThreshold}: recall ${(100 * s.recall.recall).toFixed(1)}% (${s.recall.found}/${s.recall.total}), false alarms ${s.falseAlarms.perHour.toFixed(1)}/h; ${JSON.stringify(byVoice)}`);
}
mkdirSync(join(here, 'results'), { recursive: true });
const result = { model: { name: model.metadata.name, version: model.metadata.version }, minutes: Number(values.minutes), keywords: [...STREAM_KEYWORDS], warps, rows };
writeFileSync(join(here, 'results', `${values.out ?? 'keyword-sweep'}.json`), JSON.stringify(result, null, 2) + '\n');
