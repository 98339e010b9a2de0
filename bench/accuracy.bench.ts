// Accuracy of a model package on voices never used in training (the targets):
//   phrase mode: 20 desktop commands + out-of-list speech + noise, threshold calibrated on TRAINING voices;
//   --words digits: word error rate; dictation: word error rate on held-out Brown sentences.
// Run: node bin/run-ts.mjs bench/accuracy.bench.ts [--model DIR]   Writes bench/results/accuracy.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OfflineRecognizer } from '../src-main/engine/offline-recognizer.ts';
import { loadModelPackage } from '../src-main/engine/model-package.ts';
import { resolveModelDir } from '../src-main/engine/package-paths.ts';
import { editDistance } from '../src-main/train/edit-distance.ts';
import { CALIBRATION_VOICES, COMMANDS_20, DIGIT_WORDS, HELDOUT_VOICES, digitSet, phraseSet, sentenceSet, type EvalClip } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { model: { type: 'string' }, sentences: { type: 'string', default: '5' }, digits: { type: 'string', default: '10' } } });
const model = await loadModelPackage(resolveModelDir(values.model));

interface Scored { clip: EvalClip; best: string; confidence: number }

async function scorePhrases(clips: EvalClip[]): Promise<Scored[]> {
  const rec = await OfflineRecognizer.create({ model, mode: { kind: 'phrases', items: COMMANDS_20 }, phrase: { threshold: 0 } });
  const out: Scored[] = [];
  for (const clip of clips) {
    const r = await rec.recognizePcm(clip.pcm);
    out.push({ clip, best: r.phrase ?? '', confidence: r.confidence });
  }
  return out;
}

function phraseAccuracy(scored: Scored[], threshold: number) {
  let correct = 0, falseAccept = 0, falseReject = 0, confusion = 0;
  for (const s of scored) {
    const answer = s.confidence >= threshold ? s.best : null;
    if (answer === s.clip.expected) correct++;
    else if (s.clip.expected === null) falseAccept++;
    else if (answer === null) falseReject++;
    else confusion++;
  }
  return { accuracy: correct / scored.length, correct, total: scored.length, falseAccept, falseReject, confusion };
}

function wer(pairs: { ref: string; hyp: string }[]): number {
  let e = 0, n = 0;
  for (const p of pairs) {
    const r = p.ref.split(' ').filter(Boolean), h = p.hyp.split(' ').filter(Boolean);
    e += editDistance(r, h);
    n += r.length;
  }
  return n ? e / n : 0;
}

const t0 = performance.now();
const calib = await scorePhrases(await phraseSet(CALIBRATION_VOICES, 11));
let bestT = 0.5, bestAcc = -1;
for (let t = 0; t <= 1.0001; t += 0.01) {
  const a = phraseAccuracy(calib, t).accuracy;
  if (a > bestAcc + 1e-9) { bestAcc = a; bestT = Number(t.toFixed(2)); }
}
const heldScored = await scorePhrases(await phraseSet(HELDOUT_VOICES, 12));
const phrase = phraseAccuracy(heldScored, bestT);
const byKind: Record<string, ReturnType<typeof phraseAccuracy>> = {};
for (const kind of ['in-list', 'out-of-list', 'noise']) byKind[kind] = phraseAccuracy(heldScored.filter((s) => s.clip.kind === kind), bestT);
const byVoice: Record<string, number> = {};
for (const v of HELDOUT_VOICES) byVoice[v] = phraseAccuracy(heldScored.filter((s) => s.clip.voice === v), bestT).accuracy;
console.log(`phrase mode: threshold ${bestT} (calibrated on training voices: ${(100 * bestAcc).toFixed(1)}%)`);
console.log(`  held-out voices: ${(100 * phrase.accuracy).toFixed(1)}% (${phrase.correct}/${phrase.total}; false accepts ${phrase.falseAccept}, false rejects ${phrase.falseReject}, confusions ${phrase.confusion})`);
for (const [k, v] of Object.entries(byKind)) console.log(`    ${k.padEnd(12)} ${(100 * v.accuracy).toFixed(1)}% of ${v.total}`);
for (const [k, v] of Object.entries(byVoice)) console.log(`    ${k.padEnd(34)} ${(100 * v).toFixed(1)}%`);

const digitRec = await OfflineRecognizer.create({ model, mode: { kind: 'words', items: DIGIT_WORDS } });
const digitClips = await digitSet(HELDOUT_VOICES, Number(values.digits), 13);
const digitPairs: { ref: string; hyp: string; voice: string }[] = [];
for (const c of digitClips) digitPairs.push({ ref: c.expected!, hyp: (await digitRec.recognizePcm(c.pcm)).text, voice: c.voice });
// "oh" and "zero" are the same digit.
const canon = (s: string) => s.replace(/\boh\b/g, 'zero');
const digitWer = wer(digitPairs.map((p) => ({ ref: canon(p.ref), hyp: canon(p.hyp) })));
console.log(`digits (--words): WER ${(100 * digitWer).toFixed(1)}% over ${digitPairs.length} strings`);
for (const v of HELDOUT_VOICES) console.log(`    ${v.padEnd(34)} ${(100 * wer(digitPairs.filter((p) => p.voice === v).map((p) => ({ ref: canon(p.ref), hyp: canon(p.hyp) })))).toFixed(1)}%`);

const dictRec = await OfflineRecognizer.create({ model, mode: { kind: 'dictation' } });
const sentClips = await sentenceSet(HELDOUT_VOICES, Number(values.sentences));
const sentPairs: { ref: string; hyp: string }[] = [];
for (const c of sentClips) sentPairs.push({ ref: c.expected!, hyp: (await dictRec.recognizePcm(c.pcm)).text });
const dictWer = wer(sentPairs);
console.log(`dictation: WER ${(100 * dictWer).toFixed(1)}% over ${sentPairs.length} held-out sentences`);
for (const p of sentPairs.slice(0, 4)) console.log(`    ref: ${p.ref}\n    hyp: ${p.hyp}`);

const result = {
  date: new Date().toISOString(), model: model.dir, modelName: model.metadata.name, seconds: (performance.now() - t0) / 1000,
  heldoutVoices: HELDOUT_VOICES, calibrationVoices: CALIBRATION_VOICES,
  phrase: { threshold: bestT, calibrationAccuracy: bestAcc, ...phrase, byKind, byVoice },
  digits: { wer: digitWer, strings: digitPairs.length, examples: digitPairs.slice(0, 8) },
  dictation: { wer: dictWer, sentences: sentPairs.length, examples: sentPairs.slice(0, 8) },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', `accuracy${values.model ? '-' + model.metadata.name : ''}.json`), JSON.stringify(result, null, 2) + '\n');
