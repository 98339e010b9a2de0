// How a dictation LM's search weights were chosen: word error rate of the shipped model's dictation
// on the real validation slice (train speakers' held-out clips, isValidationClip; never dev) with
// 3+ words, for each LM over a grid of LM weight x word bonus, and with the weights the LM carries
// (a .hlm's stored search weights; the decoder's defaults otherwise). Decoded as `hark eval` and the
// app do (OfflineRecognizer: beam 48, word confidence floor).
// Run: node bin/run-ts.mjs bench/dictation-lm-weights.bench.ts [--lm NAME=PATH ...] [--weights 0.2,0.3,...] [--bonuses -1,0,1,2] [--out NAME]
// Default LMs: general (models/lm/general-3gram.hlm) and brown (models/lm/brown-3gram.hlm).
// Writes bench/results/<out>.json (default dictation-lm-weights).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeAudioFile } from '../src-main/audio/decode-audio.ts';
import { readCompactLmFile } from '../src-main/decode/compact-lm-file.ts';
import { isCompactLm } from '../src-main/decode/dictation-lm.ts';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { wordErrorRate } from '../src-main/math/edit-distance.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { BROWN_LM_PATH, GENERAL_LM_PATH, resolveModelDir } from '../src-main/model/package-paths.ts';
import { readRealTrainClips } from '../src-main/train/adapt-run.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values } = parseArgs({
  options: {
    lm: { type: 'string', multiple: true }, weights: { type: 'string', default: '0.2,0.3,0.4,0.5,0.6,0.7' },
    bonuses: { type: 'string', default: '-1,0,1,2' }, set: { type: 'string', default: join(root, 'data', 'real') },
    out: { type: 'string', default: 'dictation-lm-weights' },
  },
});
const lms: Record<string, string> = {};
for (const spec of values.lm ?? ['general=' + GENERAL_LM_PATH, 'brown=' + BROWN_LM_PATH]) {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new Error(`--lm expects NAME=PATH, got "${spec}"`);
  lms[spec.slice(0, eq)] = resolve(spec.slice(eq + 1));
}
const numbers = (s: string) => s.split(',').map(Number);
const grid = numbers(values.weights!).flatMap((lmWeight) => numbers(values.bonuses!).map((wordBonus) => ({ lmWeight, wordBonus })));

const rows = (await readRealTrainClips(values.set!)).val.filter((r) => r.text.split(/\s+/).length >= 3);
const clips = await Promise.all(rows.map(async (r) => ({ ref: r.text, pcm: (await decodeAudioFile(join(values.set!, r.file))).samples })));
const model = await loadModelPackage(resolveModelDir());
console.log(`${clips.length} validation-slice utterances of 3+ words, model ${model.metadata.version}`);

async function werWith(lmPath: string, beam?: { lmWeight: number; wordBonus: number }): Promise<number> {
  const rec = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' }, lmPath, ...(beam ? { beam } : {}) });
  const pairs: { ref: string; hyp: string }[] = [];
  for (const c of clips) pairs.push({ ref: c.ref, hyp: (await rec.recognizePcm(c.pcm)).text });
  await rec.dispose();
  return +(100 * wordErrorRate(pairs).rate).toFixed(2);
}

const results: Record<string, unknown> = {};
for (const [name, path] of Object.entries(lms)) {
  const points: { lmWeight: number; wordBonus: number; wer: number }[] = [];
  for (const st of grid) {
    points.push({ ...st, wer: await werWith(path, st) });
    console.log(`${name} weight ${st.lmWeight} bonus ${st.wordBonus}: ${points[points.length - 1].wer}%`);
  }
  const best = points.reduce((a, b) => (b.wer < a.wer ? b : a));
  const stored = isCompactLm(path) ? readCompactLmFile(path).search ?? null : null;
  const asShipped = await werWith(path);
  console.log(`${name}: best ${JSON.stringify(best)}; with its own weights (${JSON.stringify(stored)}) ${asShipped}%`);
  results[name] = { path: path.startsWith(root) ? path.slice(root.length + 1) : path, storedWeights: stored, asShippedWer: asShipped, best, grid: points };
}
const out = {
  command: `node bin/run-ts.mjs bench/dictation-lm-weights.bench.ts${values.lm ? values.lm.map((l) => ` --lm ${l}`).join('') : ''} --out ${values.out}`,
  date: new Date().toISOString(), model: { name: model.metadata.name, version: model.metadata.version },
  set: { dir: 'data/real', part: 'validation slice (train speakers, isValidationClip), 3+ words', utterances: clips.length, words: clips.reduce((n, c) => n + c.ref.split(/\s+/).length, 0) },
  results,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `${values.out}.json`), JSON.stringify(out, null, 2) + '\n');
