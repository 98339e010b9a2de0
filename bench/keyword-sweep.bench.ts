/**
 * The recall / false-alarm trade-off of keyword spotting on the held-out hour: the streaming
 * recognizer run once per per-phoneme threshold (sensitivity s uses llrThreshold * 2s). A
 * diagnostic of how sensitivity behaves on voices never trained on; the defaults come from the
 * calibration on training voices in bench/keywords.bench.ts, never from this sweep.
 *   node bin/run-ts.mjs bench/keyword-sweep.bench.ts [--thresholds -1.0,-1.2,-1.5] [--minutes 60] [--model DIR]
 */
import { parseArgs } from 'node:util';
import { decodeAudioFile } from '../src-main/audio/index.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { OnlineRecognizer } from '../src-main/engine/online-recognizer.ts';
import { scoreKeywordHits, type KeywordHit } from './keyword-scoring.ts';
import { buildKeywordStream, STREAM_KEYWORDS } from './stream-set.ts';

const { values } = parseArgs({ options: {
  thresholds: { type: 'string', default: '-1.0,-1.2,-1.5' },
  minutes: { type: 'string', default: '60' },
  model: { type: 'string' },
} });
const model = await loadModelPackage(resolveModelDir(values.model));
const test = await buildKeywordStream({ minutes: Number(values.minutes), seed: 1 });
const audio = await decodeAudioFile(test.wavPath);
for (const llrThreshold of String(values.thresholds).split(',').map(Number)) {
  const rec = await OnlineRecognizer.create({ model, mode: { kind: 'phrases', items: ['next slide'] }, keywords: STREAM_KEYWORDS.map((text) => ({ text })), keyword: { llrThreshold } });
  await rec.reset();
  const hits: KeywordHit[] = [];
  const take = (evs: Awaited<ReturnType<OnlineRecognizer['acceptPcm']>>) => { for (const e of evs) if (e.type === 'keyword') hits.push(e); };
  for (let i = 0; i < audio.samples.length; i += 1600) take(await rec.acceptPcm(audio.samples.subarray(i, i + 1600)));
  take(await rec.finish());
  await rec.dispose();
  const s = scoreKeywordHits(test.truth, hits);
  const byVoice = Object.entries(s.byVoice).map(([k, v]) => `${k} ${v.found}/${v.total}`).join(', ');
  console.log(`llrThreshold ${llrThreshold}: recall ${(100 * s.recall.recall).toFixed(1)}% (${s.recall.found}/${s.recall.total}), false alarms ${s.falseAlarms.perHour.toFixed(1)}/h; ${byVoice}`);
}
