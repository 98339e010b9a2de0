/**
 * LC-BLSTM chunking against accuracy and compute: held-out clips decoded (dictation beam search +
 * LM) from the whole-utterance graph's posteriors and from the streaming graph's, computed chunk
 * by chunk for each (chunk, look-ahead) pair; also how often the best unit per frame agrees, and
 * the streaming graph's milliseconds per audio second on one thread. Chooses nothing: it shows
 * what the shipped chunking (model.json "streaming") costs, and that chunk-aware fine-tuning is
 * not needed when the chunked posteriors decode as well as the whole graph's.
 *   node bin/run-ts.mjs bench/chunking.bench.ts [--configs 4x2,6x3,8x4,16x8] [--sentences 6] [--model DIR]
 */
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { computeFeatures } from '../src-shared/features/index.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { buildDecoders } from '../src-main/engine/recognition-decoders.ts';
import { OnlineAcousticSession } from '../src-main/engine/online-acoustic-session.ts';
import { normalizeText } from '../src-main/lexicon/normalize-text.ts';
import { editDistance } from '../src-main/math/edit-distance.ts';
import { HELDOUT_VOICES, digitSet, sentenceSet } from './eval-sets.ts';

const { values } = parseArgs({ options: {
  configs: { type: 'string', default: '4x2,4x4,6x3,6x4,8x4,16x8' },
  sentences: { type: 'string', default: '6' },
  model: { type: 'string' },
} });
const model = await loadModelPackage(resolveModelDir(values.model));
const full = await OfflineAcousticSession.create(model, { threads: 1 });
const stream = await OnlineAcousticSession.create(model, { threads: 1 });
const clips = [...await sentenceSet(HELDOUT_VOICES, Number(values.sentences)), ...await digitSet(HELDOUT_VOICES, 3, 5)];
const decode = buildDecoders({ mode: { kind: 'dictation' } }, model.frameSec).decode;
const D = model.architecture.inputDim, U = model.architecture.numUnits;
const feats = clips.map((c) => computeFeatures(c.pcm, model.features, model.normalization));
const audioSec = clips.reduce((a, c) => a + c.pcm.length / 16000, 0);

async function chunked(f: { data: Float32Array; frames: number }, Nc: number, Nr: number): Promise<Float32Array> {
  const out = new Float32Array(f.frames * U);
  let state = stream.initialState();
  for (let s = 0; s < f.frames; s += Nc) {
    const e = Math.min(s + Nc, f.frames), le = Math.min(e + Nr, f.frames);
    const r = await stream.runChunk(f.data.subarray(s * D, e * D), f.data.subarray(e * D, le * D), state);
    out.set(r.logprobs.subarray(0, (e - s) * U), s * U);
    state = r.state;
  }
  return out;
}
const wer = (lps: Float32Array[]) => {
  let err = 0, n = 0;
  clips.forEach((c, i) => {
    const ref = normalizeText(c.expected ?? '');
    err += editDistance(ref, decode(lps[i], feats[i].frames, U).text.split(' ').filter(Boolean));
    n += ref.length;
  });
  return err / n;
};
const argmax = (lp: Float32Array, t: number) => { let b = 0; for (let u = 1; u < U; u++) if (lp[t * U + u] > lp[t * U + b]) b = u; return b; };

let t0 = performance.now();
const whole: Float32Array[] = [];
for (const f of feats) whole.push(await full.run(f));
const wholeMs = performance.now() - t0;
const rows = [{ config: 'whole utterance', wer: wer(whole), argmaxAgreement: 1, msPerAudioSec: wholeMs / audioSec }];
for (const [Nc, Nr] of String(values.configs).split(',').map((x) => x.split('x').map(Number))) {
  t0 = performance.now();
  const lps: Float32Array[] = [];
  for (const f of feats) lps.push(await chunked(f, Nc, Nr));
  const ms = performance.now() - t0;
  let agree = 0, total = 0;
  lps.forEach((lp, i) => { for (let t = 0; t < feats[i].frames; t++, total++) if (argmax(lp, t) === argmax(whole[i], t)) agree++; });
  rows.push({ config: `${Nc}x${Nr}`, wer: wer(lps), argmaxAgreement: agree / total, msPerAudioSec: ms / audioSec });
}
for (const r of rows) console.log(`${r.config.padEnd(16)} dictation WER ${(100 * r.wer).toFixed(1)}%  best unit agrees ${(100 * r.argmaxAgreement).toFixed(1)}%  ${r.msPerAudioSec.toFixed(2)} ms per audio s`);
await full.release();
await stream.release();
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/chunking.json', `${JSON.stringify({ date: new Date().toISOString(), model: model.metadata.name, clips: clips.length, audioSec, rows }, null, 1)}\n`);
