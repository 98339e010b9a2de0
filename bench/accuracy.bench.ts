// Accuracy of a model package on voices never used in training (the targets):
//   phrase mode: 20 desktop commands + out-of-list speech + noise, with the package's calibrated phrase settings;
//   --words digits: word error rate; dictation: word error rate on held-out Brown sentences.
// Run: node bin/run-ts.mjs bench/accuracy.bench.ts [--model DIR] [--vtln | --no-vtln] [--sentences N] [--digits N] [--out NAME]
// Test-time VTLN follows the model package (decoding.testTimeVtln) unless --vtln or --no-vtln says otherwise.
// Writes bench/results/accuracy.json (accuracy-<model name>.json with --model; NAME.json with --out).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { resolveModelDir } from '../src-main/model/package-paths.ts';
import { wordErrorRate } from '../src-main/math/edit-distance.ts';
import { OfflineAcousticSession } from '../src-main/engine/offline-acoustic-session.ts';
import { DEFAULT_PHRASE_OPTIONS, phraseDecision } from '../src-main/decode/phrase-decoder.ts';
import { phraseAccuracy, scorePhraseClips, type PhraseSettings, type PhraseTally } from '../src-main/train/phrase-calibration.ts';
import { Lexicon } from '../src-main/lexicon/lexicon.ts';
import { loadDictation } from '../src-main/decode/dictation-lm.ts';
import { ctcPrefixBeamSearch, type CtcPrefixBeamSearch } from '../src-main/decode/ctc-prefix-beam-search.ts';
import { createDictationDecoder, createWordLoopDecoder } from '../src-main/decode/word-decoders.ts';
import { DEFAULT_LM_PATH } from '../src-main/model/package-paths.ts';
import { NO_VTLN, posteriorsWithVtln, vtlnForModel } from '../src-main/engine/vtln.ts';
import { CALIBRATION_VOICES, COMMANDS_20, DIGIT_WORDS, HELDOUT_VOICES, digitSet, phraseSet, sentenceSet, type BenchClip } from './eval-sets.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { model: { type: 'string' }, 'no-vtln': { type: 'boolean' }, vtln: { type: 'boolean' }, sentences: { type: 'string', default: '5' }, digits: { type: 'string', default: '10' }, out: { type: 'string' } } });
const model = await loadModelPackage(resolveModelDir(values.model));
if (values.vtln && values['no-vtln']) throw new Error('--vtln and --no-vtln contradict each other');
const vtln = vtlnForModel(values['no-vtln'] ? false : values.vtln ? {} : undefined, model.metadata) ?? NO_VTLN;

const session = await OfflineAcousticSession.create(model, { threads: 1 });
const U = model.architecture.numUnits;

const t0 = performance.now();
// Phrase mode decides with the package's own calibrated settings (decoding.phrase, written by
// `hark calibrate` from clips of training voices and lists no benchmark uses), as every recognizer does.
const shipped: PhraseSettings = { ...defaultSettings(), ...model.metadata.decoding?.phrase };
const heldScored = await scorePhraseClips(model, COMMANDS_20, await phraseSet(HELDOUT_VOICES, 12));
const defaults = phraseAccuracy(heldScored, defaultSettings(), U);
const phrase = phraseAccuracy(heldScored, shipped, U);
const byKind: Record<string, PhraseTally> = {};
for (const kind of ['in-list', 'out-of-list', 'noise']) byKind[kind] = phraseAccuracy(heldScored.filter((s) => s.clip.kind === kind), shipped, U);
const byVoice: Record<string, number> = {};
for (const v of HELDOUT_VOICES) byVoice[v] = phraseAccuracy(heldScored.filter((s) => s.clip.voice === v), shipped, U).accuracy;
console.log(`phrase mode: the package's settings ${JSON.stringify(shipped)}${model.metadata.decoding?.phrase ? ' (calibrated)' : ' (defaults: not calibrated)'}; with the defaults ${JSON.stringify(defaultSettings())} held-out ${(100 * defaults.accuracy).toFixed(1)}%`);
console.log(`  held-out voices: ${(100 * phrase.accuracy).toFixed(1)}% (${phrase.correct}/${phrase.total}; false accepts ${phrase.falseAccept}, false rejects ${phrase.falseReject}, confusions ${phrase.confusion})`);
for (const [k, v] of Object.entries(byKind)) console.log(`    ${k.padEnd(12)} ${(100 * v.accuracy).toFixed(1)}% of ${v.total}`);
for (const [k, v] of Object.entries(byVoice)) console.log(`    ${k.padEnd(34)} ${(100 * v).toFixed(1)}%`);

const wer = (pairs: { ref: string; hyp: string }[]): number => wordErrorRate(pairs).rate;

function defaultSettings(): PhraseSettings {
  return { threshold: DEFAULT_PHRASE_OPTIONS.threshold, temperature: DEFAULT_PHRASE_OPTIONS.temperature, minCertainty: DEFAULT_PHRASE_OPTIONS.minCertainty };
}

/** Acoustic posteriors of each clip, computed once and decoded with several search settings. */
async function posteriors(clips: BenchClip[]) {
  const out: { clip: BenchClip; lp: Float32Array; T: number }[] = [];
  for (const clip of clips) {
    const p = await posteriorsWithVtln(clip.pcm, model, session, vtln);
    out.push({ clip, lp: p.logprobs, T: p.features.frames });
  }
  return out;
}
type Post = Awaited<ReturnType<typeof posteriors>>[number];
function decodeAll(posts: Post[], search: CtcPrefixBeamSearch) {
  return posts.map((p) => ({ ref: p.clip.expected!, hyp: ctcPrefixBeamSearch(p.lp, p.T, U, model.frameSec, search).text, voice: p.clip.voice }));
}
/** Picks the search setting with the lowest WER on the calibration clips (training voices). */
function calibrate<T>(settings: T[], run: (s: T) => { ref: string; hyp: string }[]): { setting: T; wer: number } {
  let bestS = settings[0], bestW = Infinity;
  for (const st of settings) { const w = wer(run(st)); if (w < bestW) { bestW = w; bestS = st; } }
  return { setting: bestS, wer: bestW };
}
const lexicon = new Lexicon();
// "oh" and "zero" are the same digit.
const canon = (ps: { ref: string; hyp: string; voice?: string }[]) => ps.map((p) => ({ ...p, ref: p.ref.replace(/\boh\b/g, 'zero'), hyp: p.hyp.replace(/\boh\b/g, 'zero') }));
const digitSettings = [-2, -1, 0, 1, 2, 3].map((wordBonus) => ({ lmWeight: 1, wordBonus }));
const digitSearch = (st: { lmWeight: number; wordBonus: number }) => createWordLoopDecoder(DIGIT_WORDS, lexicon, st);
const digitCalib = await posteriors(await digitSet(CALIBRATION_VOICES, Math.max(3, Math.round(Number(values.digits) / 2)), 21));
const digitBest = calibrate(digitSettings, (st) => canon(decodeAll(digitCalib, digitSearch(st))));
const digitPairs = canon(decodeAll(await posteriors(await digitSet(HELDOUT_VOICES, Number(values.digits), 13)), digitSearch(digitBest.setting)));
const digitWer = wer(digitPairs);
console.log(`digits (--words): WER ${(100 * digitWer).toFixed(1)}% over ${digitPairs.length} strings (search ${JSON.stringify(digitBest.setting)}, calibration WER ${(100 * digitBest.wer).toFixed(1)}%)`);
for (const v of HELDOUT_VOICES) console.log(`    ${v.padEnd(34)} ${(100 * wer(digitPairs.filter((p) => p.voice === v))).toFixed(1)}%`);

const { lm, lexicon: vocabLexicon } = loadDictation(DEFAULT_LM_PATH, () => lexicon);
const dictSettings = [0.3, 0.6, 1.0].flatMap((lmWeight) => [0, 1, 2, 3].map((wordBonus) => ({ lmWeight, wordBonus })));
const dictSearch = (st: { lmWeight: number; wordBonus: number }) => createDictationDecoder(lm, vocabLexicon, st);
const dictCalib = await posteriors(await sentenceSet(CALIBRATION_VOICES, Math.max(2, Math.round(Number(values.sentences) / 2)), 31));
const dictBest = calibrate(dictSettings, (st) => decodeAll(dictCalib, dictSearch(st)));
const sentPairs = decodeAll(await posteriors(await sentenceSet(HELDOUT_VOICES, Number(values.sentences))), dictSearch(dictBest.setting));
const dictWer = wer(sentPairs);
console.log(`dictation: WER ${(100 * dictWer).toFixed(1)}% over ${sentPairs.length} held-out sentences (search ${JSON.stringify(dictBest.setting)}, calibration WER ${(100 * dictBest.wer).toFixed(1)}%)`);
for (const p of sentPairs.slice(0, 4)) console.log(`    ref: ${p.ref}\n    hyp: ${p.hyp}`);

const result = {
  date: new Date().toISOString(), model: model.dir, vtln: vtln.warps, modelName: model.metadata.name, modelVersion: model.metadata.version, seconds: (performance.now() - t0) / 1000,
  heldoutVoices: HELDOUT_VOICES, calibrationVoices: CALIBRATION_VOICES,
  phrase: {
    settings: shipped, calibrated: model.metadata.decoding?.phrase !== undefined, withShippedDefaults: defaults, ...phrase, byKind, byVoice,
    errors: heldScored.map((x) => {
      const d = phraseDecision(x.scores, x.certainty, U, shipped);
      return { voice: x.clip.voice, kind: x.clip.kind, expected: x.clip.expected, phrase: x.scores[d.index].phrase, confidence: d.confidence };
    }).filter((e, i) => (heldScored[i].speech && e.confidence >= shipped.threshold ? e.phrase : null) !== e.expected),
  },
  digits: { wer: digitWer, strings: digitPairs.length, search: digitBest.setting, calibrationWer: digitBest.wer, examples: digitPairs.slice(0, 8) },
  dictation: { wer: dictWer, sentences: sentPairs.length, search: dictBest.setting, calibrationWer: dictBest.wer, examples: sentPairs.slice(0, 8) },
};
mkdirSync(join(here, 'results'), { recursive: true });
const outName = values.out ?? `accuracy${values.model ? '-' + model.metadata.name : ''}`;
writeFileSync(join(here, 'results', `${outName}.json`), JSON.stringify({ ...result, sentencesPerVoice: Number(values.sentences), digitStringsPerVoice: Number(values.digits) }, null, 2) + '\n');
