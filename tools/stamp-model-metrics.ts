// Writes the shipped model's measured figures into its card (`metrics` in model.json) from the
// benchmark result files `bench/results/<bench>-<suffix>.json` (real-speech, real-speech-words,
// real-keywords, accuracy, phrase-noise, word-confidence), and the same figures, marked as measured
// on the int8 export, into its float reference. Both packages' graphs are written again from the
// float weights, since every graph embeds its card (the graphs' weights do not change).
// Run: node bin/run-ts.mjs tools/stamp-model-metrics.ts SUFFIX VALIDATION_PER [--note TEXT]
//   VALIDATION_PER: hark adapt's real validation PER of the exported epoch (0-1).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_DIR, FLOAT_REFERENCE_DIR } from '../src-main/model/package-paths.ts';
import { loadModelPackage } from '../src-main/model/model-package.ts';
import { rewriteModelPackage } from '../src-main/model/write-model.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const { positionals, values } = parseArgs({ allowPositionals: true, options: { note: { type: 'string' } } });
const [suffix, valArg] = positionals;
const validationPer = Number(valArg);
if (!suffix || !(validationPer > 0 && validationPer < 1)) {
  console.error('usage: node bin/run-ts.mjs tools/stamp-model-metrics.ts SUFFIX VALIDATION_PER [--note TEXT]');
  process.exit(2);
}
const result = (bench: string): Json => JSON.parse(readFileSync(join(root, 'bench', 'results', `${bench}-${suffix}.json`), 'utf8'));
const rs = result('real-speech'), rw = result('real-speech-words'), rk = result('real-keywords');
const acc = result('accuracy'), pn = result('phrase-noise').results[0], wc = result('word-confidence');

const int8Pkg = await loadModelPackage(DEFAULT_MODEL_DIR);
const floatPkg = await loadModelPackage(FLOAT_REFERENCE_DIR);
if (rs.model.version !== int8Pkg.metadata.version) throw new Error(`real-speech-${suffix}.json measured ${rs.model.version}, the shipped model is ${int8Pkg.metadata.version}`);
/** A percentage from a result file as a fraction, without binary noise (0.291, not 0.29100000000000004). */
const frac = (pct: number) => Math.round(pct * 100) / 10000;
const bySource = rs.greedyPer.realBySource as Record<string, { plain: number }>;
const within5 = rk.harkCurve.bestRecallWithinFaPerHour['5'];
const calibration = (s: Json) => ({ ece: s.calibrated.reliability.ece, rawEce: s.raw.reliability.ece, auc: s.calibrated.auc });
const dev = calibration(wc.realDev), held = calibration(wc.heldOutSynthesized);
const metrics = {
  ...int8Pkg.metadata.metrics,
  realSpeech: {
    devClips: rs.set.clips, devMinutes: rs.set.minutes, devSpeakers: rs.set.speakers,
    greedyPerDev: frac(bySource.all.plain),
    greedyPerDevBySource: Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, frac(v.plain)])),
    greedyPerValidation: validationPer,
    isolatedWordsDev: frac(rw.isolatedWords.accuracy),
    dictationWerDev: frac(rs.dictation.wer),
    keywordsDev: { recall: frac(rk.hark.recall), falseAlarmsPerHour: rk.hark.faPerHour, bestRecallWithin5FaPerHour: within5 ? frac(within5.recall) : null },
  },
  synthesizedHeldout: { phraseAccuracy: acc.phrase.withShippedDefaults.accuracy, digitWer: acc.digits.wer, dictationWer: acc.dictation.wer },
  noiseClipsFiringACommand: { fired: pn.fired, clips: pn.clips },
  musicPiecesFiringACommand: { pieces: pn.music.pieces, fired: pn.music.fired },
  wordConfidence: { devEce: dev.ece, devRawEce: dev.rawEce, devAuc: dev.auc, heldoutEce: held.ece, heldoutRawEce: held.rawEce, heldoutAuc: held.auc },
  note: values.note ?? `realSpeech, synthesizedHeldout, noise/music and wordConfidence are this int8 package's own, from bench/results/*-${suffix}.json; phraseCalibration and wordCalibration from hark calibrate on it; greedyPerValidation from hark adapt's log (float)`,
};
// Both from the float weights: the int8 graphs are their int8 export (int8-shipped-parity).
await rewriteModelPackage(floatPkg, { ...int8Pkg.metadata, metrics }, DEFAULT_MODEL_DIR);
await rewriteModelPackage(floatPkg, {
  ...floatPkg.metadata,
  decoding: int8Pkg.metadata.decoding,
  metrics: { ...metrics, note: `every figure here was measured on the int8 export of these weights (models/hark-en, ${int8Pkg.metadata.name} ${int8Pkg.metadata.version}), calibrated for it; this float network was not benchmarked itself, and its decoding settings are the int8 package's` },
}, FLOAT_REFERENCE_DIR);
for (const dir of [DEFAULT_MODEL_DIR, FLOAT_REFERENCE_DIR]) {
  const p = await loadModelPackage(dir);
  console.log(`${dir}: ${p.metadata.name} ${p.metadata.version}, ${p.metadata.quantization ? 'int8' : 'float'}; real dev PER ${bySource.all.plain}%`);
}
